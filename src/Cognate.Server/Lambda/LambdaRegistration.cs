using Cognate.Core.Triggers;
using Microsoft.Extensions.Options;

namespace Cognate.Server.Lambda;

/// <summary>Registers how triggers reach their functions (<c>Cognate:Lambda</c>): the webhook routes, then the Invoke API transport.</summary>
internal static class LambdaRegistration
{
    /// <summary>
    /// <see cref="ILambdaInvoker"/> = <see cref="LambdaRouter"/>: <c>Cognate:Lambda:Functions:{arn}:Url</c> → the webhook
    /// transport, everything else → the Lambda Invoke API transport. A bad URL stops the start (one line naming the setting).
    /// </summary>
    public static IServiceCollection AddCognateLambda(this IServiceCollection services)
    {
        services.AddOptions<LambdaFunctionRoutes>().Configure<IConfiguration>((routes, configuration) => routes.Load(configuration)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<LambdaFunctionRoutes>, LambdaFunctionRoutes.Validator>();
        services.AddSingleton<WebhookLambdaInvoker>();
        services.AddOptions<LambdaOptions>().BindConfiguration(LambdaOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<LambdaInvokeTransport>();
        services.AddSingleton<ILambdaInvoker>(sp => new LambdaRouter(
            sp.GetRequiredService<IOptions<LambdaFunctionRoutes>>().Value,
            sp.GetRequiredService<WebhookLambdaInvoker>(),
            sp.GetRequiredService<LambdaInvokeTransport>()));
        return services;
    }
}
