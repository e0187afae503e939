using System.Collections.Concurrent;
using System.Buffers.Text;
using System.Text.Json;
using System.Threading.RateLimiting;
using Cognate.Core.Errors;
using Cognate.Core.Messaging;
using Cognate.Core.Stores;
using Microsoft.Extensions.Options;

namespace Cognate.Server.RateLimiting;

/// <summary>
/// Request quotas in front of every action: a token bucket per (Cognito quota category, user pool) and, for the unsigned
/// actions that cost real CPU (SRP and password checks, verifier computation), a token bucket per client IP. Built on
/// <see cref="PartitionedRateLimiter"/> (System.Threading.RateLimiting, shared framework). Called once per request by the
/// dispatcher after the body is parsed; over a quota it throws <c>TooManyRequestsException</c> "Rate exceeded" (HTTP 400,
/// <c>x-amzn-ErrorType: TooManyRequestsException</c>), which the AWS SDKs retry with back-off (reference §8.2, §11.2).
/// </summary>
/// <remarks>
/// <para>The pool is read from the request without a database read where possible: <c>UserPoolId</c> in the body, else the
/// pool of <c>ClientId</c> (or of an access token's <c>client_id</c> claim, read unverified — only the bucket depends on it)
/// through <see cref="IAppClientStore"/> (behind the configuration cache) and then a node-local map (a client never changes
/// pool). Requests naming an unknown client share one bucket per category. Buckets idle for a while are dropped by the
/// partitioned limiter, so memory stays bounded by the request rate.</para>
/// <para>Quotas are per node: with several nodes behind a load balancer each node allows the configured rate.</para>
/// </remarks>
internal sealed class RequestQuotas : IDisposable
{
    /// <summary>
    /// Unsigned actions whose cost is dominated by SRP / password arithmetic, or that compare a client secret and sign a
    /// token (GetClientToken): limited per client IP as well.
    /// </summary>
    static readonly HashSet<string> CostlyAnonymous = new(StringComparer.Ordinal)
    {
        "InitiateAuth", "RespondToAuthChallenge", "SignUp", "ConfirmForgotPassword", "ChangePassword", "GetClientToken",
    };

    /// <summary>Actions that hide whether a user exists (PreventUserExistenceErrors): a send over a message budget is dropped silently.</summary>
    static readonly HashSet<string> HideExistence = new(StringComparer.Ordinal) { "ForgotPassword", "ResendConfirmationCode" };

    const int MaxClientMapEntries = 100_000;

    readonly RateLimitOptions _options;
    readonly IAppClientStore _clients;
    readonly PartitionedRateLimiter<string> _categories;
    readonly PartitionedRateLimiter<string> _perIp;
    readonly ConcurrentDictionary<string, string> _poolOfClient = new(StringComparer.Ordinal);

    readonly ProvisionedLimits? _provisioned;

    public RequestQuotas(IOptions<RateLimitOptions> options, IAppClientStore clients, ProvisionedLimits? provisioned = null)
    {
        _options = options.Value;
        _clients = clients;
        _provisioned = provisioned;
        _categories = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, k => Bucket(QuotaFor(k))));
        var perIp = Bucket(_options.PerIp);
        _perIp = PartitionedRateLimiter.Create<string, string>(ip => RateLimitPartition.GetTokenBucketLimiter(ip, _ => perIp));
    }

    /// <summary>
    /// Checks the quotas of one request; throws <c>TooManyRequestsException</c> when one is exhausted. Also marks the rest of the
    /// request as existence-hiding for the message budgets (<see cref="MessageBudget.HideExistence"/>), which is why this method
    /// is not itself <c>async</c> (an <see cref="AsyncLocal{T}"/> set here must flow back into the dispatcher).
    /// </summary>
    /// <param name="http">The request (client IP).</param>
    /// <param name="action">Resolved Cognito action name.</param>
    /// <param name="signed">True when the request carried a valid SigV4 signature (skips the per-IP budget).</param>
    /// <param name="body">The parsed request body.</param>
    public ValueTask CheckAsync(HttpContext http, string action, bool signed, JsonElement body)
    {
        MessageBudget.HideExistence.Value = HideExistence.Contains(action);
        if (!_options.Enabled) return default;
        if (!signed && CostlyAnonymous.Contains(action))
        {
            var ip = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            Acquire(_perIp, ip);
        }
        var category = QuotaCategories.Of(action);
        if (body.ValueKind == JsonValueKind.Object)
        {
            // The body is validated only against the action's own members: a UserPoolId or ClientId the action does not
            // have arrives unchecked, so both are used only when they have the model's shape (never a store lookup with junk).
            if (body.TryGetProperty("UserPoolId", out var p) && p.ValueKind == JsonValueKind.String && LooksLikePoolId(p.GetString()!))
            {
                Acquire(_categories, Key(category, p.GetString()!));
                return default;
            }
            string? clientId = body.TryGetProperty("ClientId", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()
                : body.TryGetProperty("AccessToken", out var t) && t.ValueKind == JsonValueKind.String ? ClientIdOfToken(t.GetString()!)
                : null;
            if (clientId is not null && LooksLikeClientId(clientId))
            {
                if (_poolOfClient.TryGetValue(clientId, out var pool))
                {
                    Acquire(_categories, Key(category, pool));
                    return default;
                }
                return ResolveAndAcquireAsync(category, clientId, http.RequestAborted);
            }
        }
        Acquire(_categories, Key(category, ""));
        return default;
    }

    /// <summary>
    /// Checks the quotas of a request to the OAuth 2.0 token or revocation endpoint (<c>/oauth2/token</c>, <c>/oauth2/revoke</c>):
    /// Cognito's ClientAuthentication category (150 requests/s × the multiplier; the pool is not known before the client is
    /// authenticated, so one bucket serves every pool) and the per-client-IP budget (client authentication compares a secret).
    /// </summary>
    /// <returns>False when a quota is exhausted: the endpoint answers HTTP 429 (RFC 6585) instead of running.</returns>
    public bool TryAcquireOAuth(HttpContext http)
    {
        if (!_options.Enabled) return true;
        using (var ipLease = _perIp.AttemptAcquire(http.Connection.RemoteIpAddress?.ToString() ?? "unknown"))
        {
            if (!ipLease.IsAcquired) return false;
        }
        using var lease = _categories.AttemptAcquire(Key(QuotaCategories.ClientAuthentication, ""));
        return lease.IsAcquired;
    }

    /// <summary>
    /// Checks the quotas of a provider callback (<c>/oauth2/idpresponse</c>): the per-client-IP budget (each one costs a code
    /// exchange, a signature check and a userInfo request) and Cognito's UserAuthentication category (the pool is not known
    /// before the sealed state is opened, so one bucket serves every pool).
    /// </summary>
    /// <returns>False when a quota is exhausted: the endpoint answers HTTP 429 instead of running.</returns>
    public bool TryAcquireHosted(HttpContext http)
    {
        if (!_options.Enabled) return true;
        using (var ipLease = _perIp.AttemptAcquire(http.Connection.RemoteIpAddress?.ToString() ?? "unknown"))
        {
            if (!ipLease.IsAcquired) return false;
        }
        using var lease = _categories.AttemptAcquire(Key(QuotaCategories.UserAuthentication, ""));
        return lease.IsAcquired;
    }

    /// <summary>The model's UserPoolIdType: <c>[\w-]+_[0-9a-zA-Z]+</c>, 1–55 characters.</summary>
    internal static bool LooksLikePoolId(string id)
    {
        int bar = id.IndexOf('_', StringComparison.Ordinal);
        return id.Length is > 2 and <= 55 && bar > 0 && bar < id.Length - 1
            && id.AsSpan(0, bar).ContainsAnyExcept(WordOrDash) == false
            && id.AsSpan(bar + 1).ContainsAnyExcept(AsciiAlphanumeric) == false;
    }

    /// <summary>The model's ClientIdType: <c>[\w+]+</c>, 1–128 characters.</summary>
    internal static bool LooksLikeClientId(string id) => id.Length is > 0 and <= 128 && !id.AsSpan().ContainsAnyExcept(WordOrPlus);

    static readonly System.Buffers.SearchValues<char> AsciiAlphanumeric = System.Buffers.SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
    static readonly System.Buffers.SearchValues<char> WordOrDash = System.Buffers.SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-");
    static readonly System.Buffers.SearchValues<char> WordOrPlus = System.Buffers.SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_+");

    async ValueTask ResolveAndAcquireAsync(string category, string clientId, CancellationToken ct)
    {
        var client = await _clients.GetAsync(clientId, ct).ConfigureAwait(false);
        if (client is null)
        {
            Acquire(_categories, Key(category, "?"));
            return;
        }
        if (_poolOfClient.Count >= MaxClientMapEntries) _poolOfClient.Clear();
        _poolOfClient[clientId] = client.UserPoolId;
        Acquire(_categories, Key(category, client.UserPoolId));
    }

    static void Acquire(PartitionedRateLimiter<string> limiter, string key)
    {
        using var lease = limiter.AttemptAcquire(key);
        if (!lease.IsAcquired) throw CognitoErrors.TooManyRequests();
    }

    /// <summary>
    /// The limiter key of (category, pool): <c>category|pool</c>, followed by <c>|rate</c> while the category has a provisioned rate
    /// (<see cref="ProvisionedLimits"/>). A changed rate therefore means new buckets at once (the old ones idle out), with no restart.
    /// </summary>
    string Key(string category, string pool) =>
        _provisioned?.RateOf(category) is { } rps ? category + "|" + pool + "|" + rps.ToString(System.Globalization.CultureInfo.InvariantCulture) : category + "|" + pool;

    /// <summary>
    /// The quota of a "category|pool[|provisioned rate]" key: the pool's override in configuration, the provisioned rate
    /// (burst: <see cref="RateLimitOptions.DefaultBurstSeconds"/> × the rate), the category override, else the built-in default.
    /// </summary>
    internal QuotaOptions QuotaFor(string key)
    {
        int bar = key.IndexOf('|', StringComparison.Ordinal);
        var category = key[..bar];
        var pool = key[(bar + 1)..];
        string? provisioned = null;
        int second = pool.IndexOf('|', StringComparison.Ordinal);
        if (second >= 0)
        {
            provisioned = pool[(second + 1)..];
            pool = pool[..second];
        }
        if (_options.Pools.TryGetValue(pool, out var poolMap) && poolMap.TryGetValue(category, out var q)) return q;
        if (provisioned is not null && int.TryParse(provisioned, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var rate))
        {
            return new QuotaOptions { RequestsPerSecond = rate, Burst = (int)Math.Max(1, Math.Ceiling(rate * _options.DefaultBurstSeconds)) };
        }
        if (_options.Categories.TryGetValue(category, out q)) return q;
        double rps = QuotaCategories.CognitoDefaultRps[category] * _options.DefaultRateMultiplier;
        return new QuotaOptions { RequestsPerSecond = rps, Burst = (int)Math.Max(1, Math.Ceiling(rps * _options.DefaultBurstSeconds)) };
    }

    /// <summary>A token bucket for a rate: refilled every 100 ms at 10 requests/s and more, else one token per 1/rate seconds.</summary>
    internal static TokenBucketRateLimiterOptions Bucket(QuotaOptions q)
    {
        bool fast = q.RequestsPerSecond >= 10;
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = q.Burst,
            TokensPerPeriod = fast ? (int)Math.Round(q.RequestsPerSecond / 10) : 1,
            ReplenishmentPeriod = fast ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromSeconds(1 / q.RequestsPerSecond),
            QueueLimit = 0,
            AutoReplenishment = false, // the partitioned limiter's own 100 ms heartbeat replenishes every bucket
        };
    }

    /// <summary>The <c>client_id</c> claim of a JWT's payload, read without verification (null when absent or malformed).</summary>
    internal static string? ClientIdOfToken(string token)
    {
        int a = token.IndexOf('.', StringComparison.Ordinal);
        int b = a < 0 ? -1 : token.IndexOf('.', a + 1);
        if (b < 0 || b - a - 1 > 8192) return null;
        var segment = token.AsSpan(a + 1, b - a - 1);
        if (!Base64Url.IsValid(segment)) return null; // TryDecodeFromChars throws on characters outside the alphabet
        Span<byte> bytes = stackalloc byte[Base64Url.GetMaxDecodedLength(segment.Length)];
        if (!Base64Url.TryDecodeFromChars(segment, bytes, out int written)) return null;
        try
        {
            var reader = new Utf8JsonReader(bytes[..written]);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool match = reader.ValueTextEquals("client_id"u8);
                if (!reader.Read()) return null;
                if (match) return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }
        return null;
    }

    public void Dispose()
    {
        _categories.Dispose();
        _perIp.Dispose();
    }
}
