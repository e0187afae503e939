using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cognate.Core.Crypto;

namespace Cognate.Server.Federation.Saml;

/// <summary>
/// The <c>RelayState</c> Cognate sends with an AuthnRequest or LogoutRequest and gets back at <c>/saml2/idpresponse</c> or
/// <c>/saml2/logout</c>: sealed with the master key (AES-GCM; the IdP and the browser can neither read nor forge it), it
/// carries the original authorization parameters (or the sign-out target), the request ID the answer must be InResponseTo,
/// the provider, when it was issued, and a hash of the browser-binding cookie (<see cref="SamlBrowserBinding"/>) so it only
/// completes in the browser that started it. Accepted for <see cref="Lifetime"/>.
/// </summary>
/// <param name="Kind"><c>in</c> (sign-in) or <c>out</c> (single logout).</param>
/// <param name="ClientId">The app client.</param>
/// <param name="ProviderName">The SAML provider.</param>
/// <param name="RequestId">The AuthnRequest / LogoutRequest ID.</param>
/// <param name="Parameters">Sign-in: the authorization request's parameters; sign-out: <c>target</c> (where to go after).</param>
/// <param name="IssuedAt">Unix seconds.</param>
/// <param name="BindingHash">Base64url SHA-256 of the browser-binding cookie.</param>
internal sealed record SamlRelayState(
    [property: JsonPropertyName("k")] string Kind,
    [property: JsonPropertyName("c")] string ClientId,
    [property: JsonPropertyName("n")] string ProviderName,
    [property: JsonPropertyName("i")] string RequestId,
    [property: JsonPropertyName("q")] Dictionary<string, string> Parameters,
    [property: JsonPropertyName("t")] long IssuedAt,
    [property: JsonPropertyName("b")] string BindingHash)
{
    /// <summary>How long an IdP may take to answer.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);
    const string Purpose = "cognate/saml/relay-state";

    /// <summary>Sealed, base64url.</summary>
    public string Seal(MasterKeyProtector protector) =>
        Base64Url.EncodeToString(protector.Protect(JsonSerializer.SerializeToUtf8Bytes(this, SamlStateJson.Default.SamlRelayState), Encoding.UTF8.GetBytes(Purpose)));

    /// <summary>The state, or null when <paramref name="relayState"/> is not one of Cognate's sealed states or is too old.</summary>
    public static SamlRelayState? Open(MasterKeyProtector protector, string? relayState, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(relayState) || relayState.Length > 8192 || !Base64Url.IsValid(relayState)) return null;
        byte[] bytes;
        try { bytes = Base64Url.DecodeFromChars(relayState); }
        catch (FormatException) { return null; }
        if (!protector.TryUnprotect(bytes, Encoding.UTF8.GetBytes(Purpose), out var json)) return null;
        SamlRelayState? state;
        try { state = JsonSerializer.Deserialize(json, SamlStateJson.Default.SamlRelayState); }
        catch (JsonException) { return null; }
        if (state is null) return null;
        var age = now.ToUnixTimeSeconds() - state.IssuedAt;
        return age < -60 || age > (long)Lifetime.TotalSeconds ? null : state;
    }
}

/// <summary>
/// The SAML session of a browser in a pool, kept for single logout: provider, NameID (+ Format) and SessionIndex of the
/// assertion it signed in with. Cookie <c>cognate-saml-{poolId}</c>, sealed, HttpOnly, lives as the managed-login session.
/// </summary>
internal sealed record SamlSession(
    [property: JsonPropertyName("p")] string ProviderName,
    [property: JsonPropertyName("n")] string NameId,
    [property: JsonPropertyName("f")] string? NameIdFormat,
    [property: JsonPropertyName("s")] string? SessionIndex)
{
    const string Purpose = "cognate/saml/session/";

    public static string CookieName(string userPoolId) => "cognate-saml-" + userPoolId;

    public void Write(HttpContext http, MasterKeyProtector protector, string userPoolId, TimeSpan lifetime)
    {
        var value = Base64Url.EncodeToString(protector.Protect(JsonSerializer.SerializeToUtf8Bytes(this, SamlStateJson.Default.SamlSession), Encoding.UTF8.GetBytes(Purpose + userPoolId)));
        if (value.Length > 3000) return; // an outsized NameID: no single logout rather than a cookie the browser drops
        http.Response.Cookies.Append(CookieName(userPoolId), value, new CookieOptions
        {
            HttpOnly = true, Secure = http.Request.IsHttps, SameSite = SameSiteMode.Lax, Path = "/", MaxAge = lifetime, IsEssential = true,
        });
    }

    public static SamlSession? Read(HttpContext http, MasterKeyProtector protector, string userPoolId)
    {
        if (!http.Request.Cookies.TryGetValue(CookieName(userPoolId), out var value) || string.IsNullOrEmpty(value) || value.Length > 4096 || !Base64Url.IsValid(value)) return null;
        try
        {
            if (!protector.TryUnprotect(Base64Url.DecodeFromChars(value), Encoding.UTF8.GetBytes(Purpose + userPoolId), out var json)) return null;
            return JsonSerializer.Deserialize(json, SamlStateJson.Default.SamlSession);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    public static void Clear(HttpContext http, string userPoolId) =>
        http.Response.Cookies.Delete(CookieName(userPoolId), new CookieOptions { Path = "/", Secure = http.Request.IsHttps, SameSite = SameSiteMode.Lax, HttpOnly = true });
}

/// <summary>
/// Binds a RelayState to the browser that started the SAML exchange: a random cookie (<c>cognate-saml-binding</c>, path
/// <c>/saml2</c>) whose hash the RelayState carries. The IdP answers with a cross-site POST, so on https the cookie is
/// <c>SameSite=None; Secure</c> (a Lax cookie is not sent on a cross-site POST); on http (Development) it is Lax, which
/// still reaches Cognate when the IdP is same-site (e.g. another port of 127.0.0.1).
/// </summary>
internal static class SamlBrowserBinding
{
    public const string CookieName = "cognate-saml-binding";

    /// <summary>The hash of the browser's binding cookie, created when it has none.</summary>
    public static string Ensure(HttpContext http)
    {
        if (!http.Request.Cookies.TryGetValue(CookieName, out var value) || value is not { Length: 43 } || !Base64Url.IsValid(value))
        {
            value = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        }
        http.Response.Cookies.Append(CookieName, value, new CookieOptions
        {
            HttpOnly = true, Path = "/saml2", MaxAge = SamlRelayState.Lifetime, IsEssential = true,
            Secure = http.Request.IsHttps, SameSite = http.Request.IsHttps ? SameSiteMode.None : SameSiteMode.Lax,
        });
        return Hash(value);
    }

    /// <summary>True when the request carries the cookie whose hash is <paramref name="bindingHash"/>.</summary>
    public static bool Matches(HttpContext http, string bindingHash) =>
        http.Request.Cookies.TryGetValue(CookieName, out var value) && value is { Length: 43 }
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(value)), Encoding.ASCII.GetBytes(bindingHash));

    static string Hash(string value) => Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}

[JsonSerializable(typeof(SamlRelayState))]
[JsonSerializable(typeof(SamlSession))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class SamlStateJson : JsonSerializerContext;
