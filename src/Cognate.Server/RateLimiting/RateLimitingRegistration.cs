namespace Cognate.Server.RateLimiting;

/// <summary>Registers the request quotas and their options (<c>Cognate:RateLimits</c>).</summary>
internal static class RateLimitingRegistration
{
    public static IServiceCollection AddCognateRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart(); // data annotations + IValidatableObject (dictionaries, nested buckets)
        services.AddSingleton<RequestQuotas>();
        services.AddHostedService<UnknownKidLog>();
        return services;
    }
}
