using Cognate.Server.Options;
using Cognate.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Cognate.Server.Hosting;

internal static partial class CognateHost
{
    /// <summary>Migrates the store, applies the bootstrap and logs the endpoint, data location and default ids.</summary>
    public static async Task InitializeCognateAsync(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Cognate");
        _ = app.Services.GetRequiredService<IOptions<CognateOptions>>().Value; // validate options before touching data
        var storage = app.Services.GetRequiredService<IStorageInitializer>();
        await storage.MigrateAsync(app.Lifetime.ApplicationStopping);
        var ensured = await app.Services.GetRequiredService<Bootstrapper>().RunAsync(app.Lifetime.ApplicationStopping);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            // The SRP group's fixed-base tables, off the first sign-in's path (and off the cold start's).
            ThreadPool.QueueUserWorkItem(_ => Core.Crypto.Srp.WarmUp());
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            LogStarted(logger, string.Join(", ", addresses), storage.DataLocation, app.Environment.EnvironmentName);
            foreach (var (poolId, clientIds) in ensured)
            {
                LogPool(logger, poolId, string.Join(", ", clientIds));
            }
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cognate listening on {Endpoints}; data in {DataLocation}; environment {Environment}")]
    static partial void LogStarted(ILogger logger, string endpoints, string dataLocation, string environment);

    [LoggerMessage(Level = LogLevel.Information, Message = "User pool {UserPoolId} with app client(s) {ClientIds}")]
    static partial void LogPool(ILogger logger, string userPoolId, string clientIds);
}
