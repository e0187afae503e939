using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cognate.Core.Crypto;

namespace Cognate.Server.Federation;

/// <summary>
/// The <c>state</c> Cognate sends to an upstream OIDC / OAuth 2.0 provider and reads back at <c>/oauth2/idpresponse</c>: the
/// app's authorization request (validated again when the user returns), the provider, the nonce and PKCE verifier of the
/// upstream request, when it was issued, and the hash of the browser-binding cookie (<see cref="FederationBinding"/>). Sealed
/// with the master key like <see cref="ManagedLogin.FlowState"/> (AES-GCM: the browser and the upstream provider can neither
/// read nor forge it), accepted for <see cref="Lifetime"/> (Cognito cancels a federated sign-in that does not complete within
/// 5 minutes) and once only on this node (<see cref="FederationStateLedger"/>).
/// </summary>
/// <param name="ClientId">The app client of the authorization request.</param>
/// <param name="Parameters">The authorization request's parameters (client_id, redirect_uri, scope, state, nonce, PKCE, …).</param>
/// <param name="Provider">The pool's provider name.</param>
/// <param name="Nonce">The nonce sent upstream (null for the OAuth-only providers).</param>
/// <param name="Verifier">The PKCE code verifier of the upstream request (null when PKCE was not sent).</param>
/// <param name="IssuedAt">Seconds since the Unix epoch when sealed.</param>
/// <param name="BindingHash">Base64url SHA-256 of the browser-binding cookie of the browser the state was issued to.</param>
/// <param name="Id">A random id: a state is accepted once.</param>
internal sealed record FederationState(
    [property: JsonPropertyName("c")] string ClientId,
    [property: JsonPropertyName("p")] Dictionary<string, string> Parameters,
    [property: JsonPropertyName("i")] string Provider,
    [property: JsonPropertyName("n")] string? Nonce,
    [property: JsonPropertyName("v")] string? Verifier,
    [property: JsonPropertyName("t")] long IssuedAt,
    [property: JsonPropertyName("k")] string BindingHash,
    [property: JsonPropertyName("j")] string Id)
{
    /// <summary>How long a state is accepted: Cognito cancels federated sign-ins that take longer than 5 minutes.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    static readonly byte[] Purpose = Encoding.UTF8.GetBytes("cognate/federation/oauth-state");

    /// <summary>Base64url of the AES-GCM envelope.</summary>
    public string Seal(MasterKeyProtector protector)
    {
        ArgumentNullException.ThrowIfNull(protector);
        return Base64Url.EncodeToString(protector.Protect(JsonSerializer.SerializeToUtf8Bytes(this, FederationStateJson.Default.FederationState), Purpose));
    }

    /// <summary>Opens a sealed state: null when malformed, forged, expired (or from the future), or issued to another browser.</summary>
    /// <param name="protector">The master key.</param>
    /// <param name="sealedState">The <c>state</c> the provider sent back.</param>
    /// <param name="bindingCookie">This browser's binding cookie, or null when it sent none.</param>
    /// <param name="now">The current time.</param>
    public static FederationState? Open(MasterKeyProtector protector, string? sealedState, string? bindingCookie, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(protector);
        if (string.IsNullOrEmpty(bindingCookie) || string.IsNullOrEmpty(sealedState) || sealedState.Length > 16_384 || !Base64Url.IsValid(sealedState)) return null;
        byte[] bytes;
        try { bytes = Base64Url.DecodeFromChars(sealedState); }
        catch (FormatException) { return null; }
        if (!protector.TryUnprotect(bytes, Purpose, out var json)) return null;
        FederationState? state;
        try { state = JsonSerializer.Deserialize(json, FederationStateJson.Default.FederationState); }
        catch (JsonException) { return null; }
        if (state is null || state.Parameters is null) return null;
        var age = now.ToUnixTimeSeconds() - state.IssuedAt;
        if (age < -60 || age > (long)Lifetime.TotalSeconds) return null;
        var expected = Encoding.ASCII.GetBytes(HashBinding(bindingCookie));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(state.BindingHash ?? ""))) return null;
        return state;
    }

    /// <summary>Base64url SHA-256 of a binding cookie value.</summary>
    public static string HashBinding(string cookie) => Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(cookie)));
}

[JsonSerializable(typeof(FederationState))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class FederationStateJson : JsonSerializerContext;

/// <summary>
/// The cookie that binds an upstream <c>state</c> to the browser that started the sign-in: a random 256-bit value, HttpOnly,
/// sent only under <c>/oauth2</c> (where sign-ins start and end). Over HTTPS it is <c>SameSite=None; Secure</c> so that Sign in with Apple's
/// cross-site <c>form_post</c> carries it; over plain HTTP (Development) browsers refuse <c>None</c> without <c>Secure</c>,
/// so it is <c>Lax</c> (enough for the GET redirect of every other provider).
/// </summary>
internal static class FederationBinding
{
    /// <summary>The cookie's name.</summary>
    public const string CookieName = "cognate-idp-binding";

    /// <summary>The browser's binding value, creating (and setting) one when it has none or a malformed one.</summary>
    public static string Ensure(HttpContext http)
    {
        if (Read(http) is { } existing) return existing;
        var value = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        bool https = http.Request.IsHttps;
        http.Response.Cookies.Append(CookieName, value, new CookieOptions
        {
            HttpOnly = true,
            Secure = https,
            SameSite = https ? SameSiteMode.None : SameSiteMode.Lax,
            // /oauth2: sent to /oauth2/authorize too, so that every sign-in started in this browser (two tabs) reuses one value.
            Path = http.Request.PathBase + "/oauth2",
            IsEssential = true,
            MaxAge = TimeSpan.FromDays(1),
        });
        return value;
    }

    /// <summary>The browser's binding value, or null.</summary>
    public static string? Read(HttpContext http) =>
        http.Request.Cookies.TryGetValue(CookieName, out var v) && v is { Length: 43 } && Base64Url.IsValid(v) ? v : null;
}

/// <summary>
/// The ids of the states already used on this node (a state is single-use), kept for <see cref="FederationState.Lifetime"/>.
/// Per node: behind a load balancer without affinity a state could be used once per node, but still only from the browser it
/// was issued to and within 5 minutes, and the upstream code inside it is single-use at the provider.
/// </summary>
internal sealed class FederationStateLedger(TimeProvider time)
{
    const int MaxEntries = 200_000;
    readonly ConcurrentDictionary<string, long> used = new(StringComparer.Ordinal);

    /// <summary>True the first time <paramref name="id"/> is presented; false on a replay.</summary>
    public bool TryConsume(string id)
    {
        long now = time.GetUtcNow().ToUnixTimeSeconds();
        if (used.Count >= MaxEntries / 2) Sweep(now);
        if (used.Count >= MaxEntries) return false; // flooded: refuse rather than forget
        return used.TryAdd(id, now + (long)FederationState.Lifetime.TotalSeconds + 60);
    }

    void Sweep(long now)
    {
        foreach (var (key, expiry) in used)
        {
            if (expiry < now) used.TryRemove(key, out _);
        }
    }
}
