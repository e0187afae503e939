namespace Cognate.Server.RateLimiting;

/// <summary>Registers the request quotas and their options (<c>Cognate:RateLimits</c>).</summary>
internal static class RateLimitingRegistration
{
    public static IServiceCollection AddCognateRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart(); // data annotations + IValidatableObject (dictionaries, nested buckets)
        services.AddSingleton<ProvisionedLimits>();
        services.AddHostedService<ProvisionedLimitRefresher>();
        services.AddSingleton(sp => new RequestQuotas(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<RateLimitOptions>>(),
            sp.GetRequiredService<Cognate.Core.Stores.IAppClientStore>(), sp.GetRequiredService<ProvisionedLimits>()));
        services.AddHostedService<UnknownKidLog>();
        return services;
    }
}
