using Cognate.Core.Clients;
using Cognate.Core.Pools;

namespace Cognate.Server.Hosting;

internal static partial class CognateHost
{
    static IServiceCollection AddCognateServices(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddSingleton<UserPoolService>();
        services.AddSingleton<AppClientService>();
        return services;
    }

    static IEndpointRouteBuilder MapCognateEndpoints(this IEndpointRouteBuilder app) => app;

    public static Task InitializeCognateAsync(this WebApplication app) => Task.CompletedTask;
}
