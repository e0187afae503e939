using System.Collections.Frozen;
using Cognate.Core.Errors;
using Cognate.Core.Limits;
using Microsoft.Extensions.Options;

namespace Cognate.Server.RateLimiting;

/// <summary>
/// The provisioned request rates of GetProvisionedLimit / UpdateProvisionedLimit: one rate per Cognito quota category
/// (<see cref="QuotaCategories"/>), in requests per second, for every user pool of the server. Stored in the database
/// (<see cref="IProvisionedLimitStore"/>), so every node applies them and they survive restarts; each node holds a snapshot that
/// <see cref="ProvisionedLimitRefresher"/> re-reads every <see cref="RateLimitOptions.ProvisionedRefreshSeconds"/> seconds and an
/// update on this node replaces at once. <see cref="RequestQuotas"/> reads the snapshot on every request (no database read):
/// a category with a provisioned rate gets buckets of that rate and a burst of <see cref="RateLimitOptions.DefaultBurstSeconds"/>
/// × the rate, per pool, as the other categories.
/// </summary>
/// <remarks>
/// Bounds (UpdateProvisionedLimit): at least Cognito's free rate of the category (<see cref="QuotaCategories.CognitoDefaultRps"/>,
/// reported as <c>FreeLimitValue</c>), else InvalidParameterException; at most <see cref="RateLimitOptions.MaxProvisionedRequestsPerSecond"/>,
/// else ServiceQuotaExceededException. <c>ProvisionedLimitValue</c> is the rate this server enforces for the category per pool:
/// the provisioned one, else the configured or built-in default (Cognito's rate × <see cref="RateLimitOptions.DefaultRateMultiplier"/>).
/// A per-pool override in configuration (<c>Cognate:RateLimits:Pools</c>) still wins for that pool.
/// </remarks>
internal sealed partial class ProvisionedLimits(IProvisionedLimitStore store, IOptions<RateLimitOptions> options, TimeProvider time, ILogger<ProvisionedLimits> logger)
{
    /// <summary>The only LimitClass (the model's enum).</summary>
    public const string ApiCategory = "API_CATEGORY";

    volatile FrozenDictionary<string, int> _current = FrozenDictionary<string, int>.Empty;

    /// <summary>The provisioned rate of <paramref name="category"/>, or null when none was set.</summary>
    public int? RateOf(string category) => _current.TryGetValue(category, out var rps) ? rps : null;

    /// <summary>Re-reads every provisioned limit from the database into this node's snapshot.</summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        var all = await store.ListAsync(ct).ConfigureAwait(false);
        _current = all.Where(l => QuotaCategories.CognitoDefaultRps.ContainsKey(l.Category))
            .ToFrozenDictionary(l => l.Category, l => l.RequestsPerSecond, StringComparer.Ordinal);
    }

    /// <summary>GetProvisionedLimit: (free, enforced) rates of the category named by the definition's <c>Category</c> attribute.</summary>
    /// <exception cref="CognitoException">InvalidParameterException (no Category, other attributes), ResourceNotFoundException (unknown category).</exception>
    public async ValueTask<(string Category, int Free, int Enforced)> GetAsync(IReadOnlyDictionary<string, string> attributes, CancellationToken ct)
    {
        var category = CategoryOf(attributes);
        await RefreshAsync(ct).ConfigureAwait(false); // an admin read sees what other nodes set, not this node's snapshot
        return (category, QuotaCategories.CognitoDefaultRps[category], Enforced(category));
    }

    /// <summary>UpdateProvisionedLimit: stores <paramref name="requested"/> requests/s for the category; in force on this node at once, on others within the refresh interval.</summary>
    /// <exception cref="CognitoException">InvalidParameterException (bad definition, below the free rate), ResourceNotFoundException (unknown category),
    /// ServiceQuotaExceededException (above the maximum).</exception>
    public async ValueTask<(string Category, int Free, int Enforced)> UpdateAsync(IReadOnlyDictionary<string, string> attributes, int requested, CancellationToken ct)
    {
        var category = CategoryOf(attributes);
        int free = QuotaCategories.CognitoDefaultRps[category];
        if (requested < free)
        {
            throw CognitoErrors.InvalidParameter($"RequestedLimitValue {requested} is below the default limit of {free} requests per second for {category}.");
        }
        int max = options.Value.MaxProvisionedRequestsPerSecond;
        if (requested > max)
        {
            throw CognitoErrors.ServiceQuotaExceeded($"RequestedLimitValue {requested} exceeds the maximum of {max} requests per second for {category}.");
        }
        await store.PutAsync(new ProvisionedLimit(category, requested, time.GetUtcNow()), ct).ConfigureAwait(false);
        await RefreshAsync(ct).ConfigureAwait(false);
        LogUpdated(logger, category, requested);
        return (category, free, Enforced(category));
    }

    /// <summary>The rate enforced for <paramref name="category"/> per pool (without per-pool overrides), rounded to whole requests/s.</summary>
    int Enforced(string category) => RateOf(category) ?? (int)Math.Round(
        options.Value.Categories.TryGetValue(category, out var q) ? q.RequestsPerSecond : QuotaCategories.CognitoDefaultRps[category] * options.Value.DefaultRateMultiplier);

    static string CategoryOf(IReadOnlyDictionary<string, string> attributes)
    {
        if (!attributes.TryGetValue("Category", out var category) || attributes.Count != 1)
        {
            throw CognitoErrors.InvalidParameter("LimitDefinition.Attributes must contain exactly one key, Category, for LimitClass API_CATEGORY.");
        }
        if (!QuotaCategories.CognitoDefaultRps.ContainsKey(category))
        {
            throw CognitoErrors.ResourceNotFound($"No provisioned limit for Category {category}.");
        }
        return category;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Provisioned limit of {Category} set to {RequestsPerSecond} requests/s")]
    static partial void LogUpdated(ILogger logger, string category, int requestsPerSecond);
}

/// <summary>Loads the provisioned limits at start and re-reads them every <see cref="RateLimitOptions.ProvisionedRefreshSeconds"/> (other nodes' updates).</summary>
internal sealed partial class ProvisionedLimitRefresher(ProvisionedLimits limits, IOptions<RateLimitOptions> options, TimeProvider time, ILogger<ProvisionedLimitRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.ProvisionedRefreshSeconds), time);
        do
        {
            try
            {
                await limits.RefreshAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
            {
                LogRefreshFailed(logger, ex); // the previous snapshot stays in force
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Provisioned limits could not be re-read; the previous ones stay in force")]
    static partial void LogRefreshFailed(ILogger logger, Exception ex);
}
