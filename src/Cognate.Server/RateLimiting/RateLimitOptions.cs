using System.ComponentModel.DataAnnotations;
namespace Cognate.Server.RateLimiting;

/// <summary>One token bucket: a sustained rate and a burst.</summary>
public sealed class QuotaOptions
{
    /// <summary>Requests per second refilled into the bucket (&gt; 0).</summary>
    [Range(0.001, 1_000_000)]
    public double RequestsPerSecond { get; set; }

    /// <summary>Bucket size: requests that may arrive at once after a quiet spell (&gt;= 1).</summary>
    [Range(1, 10_000_000)]
    public int Burst { get; set; }
}

/// <summary>
/// <c>Cognate:RateLimits:*</c>: request quotas per Cognito category (reference §11.1) and per user pool, and a per-client-IP
/// budget on the unsigned actions that cost real CPU. Over a quota the answer is <c>TooManyRequestsException</c> "Rate exceeded",
/// which every AWS SDK retries with back-off.
/// </summary>
/// <remarks>
/// Defaults: each category's bucket, per user pool, refills at 10× Cognito's default rate for the category (Cognito's is per
/// account) with a burst of 4× that rate, e.g. UserAuthentication 1,200/s (burst 4,800), UserCreation 500/s (burst 2,000);
/// the per-IP budget is 200 requests/s with a burst of 1,000 on InitiateAuth, RespondToAuthChallenge, SignUp,
/// ConfirmForgotPassword, ChangePassword and GetClientToken when unsigned, and on the OAuth token and revocation endpoints (one client can use at most about a tenth of a 2-core server's
/// SRP capacity). SigV4-signed calls (the operator's own key) skip the per-IP budget but not the category quotas.
/// </remarks>
public sealed class RateLimitOptions : IValidatableObject
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Cognate:RateLimits";

    /// <summary>Off switch (default on).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Factor applied to Cognito's default per-category rates for the built-in defaults (default 10).</summary>
    [Range(0.001, 100_000)]
    public double DefaultRateMultiplier { get; set; } = 10;

    /// <summary>Built-in burst as seconds of the rate (default 4).</summary>
    [Range(0.001, 3600)]
    public double DefaultBurstSeconds { get; set; } = 4;

    /// <summary>Per-category overrides applying to every pool, keyed by category name (e.g. <c>UserAuthentication</c>).</summary>
    public Dictionary<string, QuotaOptions> Categories { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Per-pool overrides: pool id → category name → quota.</summary>
    public Dictionary<string, Dictionary<string, QuotaOptions>> Pools { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Largest rate UpdateProvisionedLimit accepts for a category, in requests per second (default 100,000; above it ServiceQuotaExceededException).</summary>
    [Range(1, 10_000_000)]
    public int MaxProvisionedRequestsPerSecond { get; set; } = 100_000;

    /// <summary>How often each node re-reads the provisioned limits other nodes set, in seconds (default 5).</summary>
    [Range(1, 3600)]
    public int ProvisionedRefreshSeconds { get; set; } = 5;

    /// <summary>Per-client-IP budget on the CPU-costly unsigned actions (default 200/s, burst 1,000).</summary>
    public QuotaOptions PerIp { get; set; } = new() { RequestsPerSecond = 200, Burst = 1000 };

    /// <summary>Checks category names and every bucket.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        IEnumerable<ValidationResult> Check(string path, QuotaOptions q)
        {
            if (q.RequestsPerSecond <= 0) yield return new($"{Section}:{path}:RequestsPerSecond must be greater than 0.");
            if (q.Burst < 1) yield return new($"{Section}:{path}:Burst must be at least 1.");
        }
        IEnumerable<ValidationResult> CheckCategories(string path, Dictionary<string, QuotaOptions> map)
        {
            foreach (var (name, q) in map)
            {
                if (!QuotaCategories.CognitoDefaultRps.ContainsKey(name))
                {
                    yield return new($"{Section}:{path}{name} is not a quota category (use one of {string.Join(", ", QuotaCategories.CognitoDefaultRps.Keys)}).");
                    continue;
                }
                foreach (var r in Check(path + name, q)) yield return r;
            }
        }
        foreach (var r in Check("PerIp", PerIp)) yield return r;
        foreach (var r in CheckCategories("Categories:", Categories)) yield return r;
        foreach (var (pool, map) in Pools)
        {
            foreach (var r in CheckCategories($"Pools:{pool}:", map)) yield return r;
        }
    }
}
