using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Cognate.Core.Crypto;
using Cognate.Core.Pools;

namespace Cognate.Server.ManagedLogin;

/// <summary>A live managed-login session (Cognito's 1-hour session cookie on the domain, reference §9.1).</summary>
/// <param name="UserPoolId">The pool the user signed in to.</param>
/// <param name="Sub">The user's <c>sub</c>.</param>
/// <param name="AuthTime">When the user authenticated (UTC).</param>
/// <param name="ExpiresAt">AuthTime + 1 hour (UTC), or the end of its SSO session.</param>
/// <param name="SsoSessionId">The SSO session (<c>sso…</c>) in a pool with session tracking ENABLED, checked on every reuse (a
/// revoked one no longer signs the browser in), or null.</param>
public sealed record ManagedLoginSession(string UserPoolId, string Sub, DateTimeOffset AuthTime, DateTimeOffset ExpiresAt, string? SsoSessionId = null);

/// <summary>
/// Reads, writes and clears the managed-login session cookie: sealed with the master key (AES-GCM, so it can be neither read
/// nor forged), <c>HttpOnly</c>, <c>SameSite=Lax</c>, <c>Secure</c> on https, path <c>/</c>, one cookie per pool (one Cognate URL
/// serves every pool's hosted pages), lifetime 1 hour.
/// </summary>
/// <remarks>
/// Cookie <c>cognate-session-{poolId}</c> = base64url(<see cref="MasterKeyProtector.Protect"/>(JSON <c>{"p":pool,"s":sub,"a":authTimeMs,"e":expiresMs,"i":ssoSessionId}</c>,
/// associated data <c>managed-login-session:{poolId}</c>)). The associated data binds a cookie to its pool: a cookie copied
/// under another pool's name does not open. A new master key (rotation) ends every session, as a sign-out would.
/// </remarks>
public sealed class ManagedLoginSessions(IServiceProvider services)
{
    /// <summary>How long a session lasts after the user authenticated (Cognito: 1 hour).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    /// <summary>Longest cookie value read; anything longer is no cookie of ours.</summary>
    const int MaxCookieLength = 1024;

    MasterKeyProtector Protector => services.GetRequiredService<MasterKeyProtector>();
    TimeProvider Time => services.GetRequiredService<TimeProvider>();

    /// <summary>The cookie name of <paramref name="userPoolId"/>'s session.</summary>
    public static string CookieName(string userPoolId) => "cognate-session-" + userPoolId;

    /// <summary>The live session for <paramref name="pool"/>, or null (absent, forged, expired).</summary>
    public ManagedLoginSession? Read(HttpContext http, UserPool pool)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(pool);
        if (!http.Request.Cookies.TryGetValue(CookieName(pool.Id), out var value) || string.IsNullOrEmpty(value) || value.Length > MaxCookieLength) return null;
        var session = Unseal(Protector, pool.Id, value);
        return session is not null && session.ExpiresAt > Time.GetUtcNow() ? session : null;
    }

    /// <summary>Writes the session cookie for <paramref name="session"/>.</summary>
    public void Write(HttpContext http, ManagedLoginSession session)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(session);
        http.Response.Cookies.Append(CookieName(session.UserPoolId), Seal(Protector, session), Options(http, session.ExpiresAt));
    }

    /// <summary>Deletes the session cookie of <paramref name="pool"/> (<c>/logout</c>; revokes no token, as Cognito).</summary>
    public void Clear(HttpContext http, UserPool pool)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(pool);
        http.Response.Cookies.Delete(CookieName(pool.Id), Options(http, DateTimeOffset.UnixEpoch));
    }

    static CookieOptions Options(HttpContext http, DateTimeOffset expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        Secure = http.Request.IsHttps,
        Path = "/",
        Expires = expires,
        IsEssential = true,
    };

    static byte[] Aad(string userPoolId) => Encoding.UTF8.GetBytes("managed-login-session:" + userPoolId);

    /// <summary>The cookie value of <paramref name="session"/> (also what a test writes to stand in for a sign-in).</summary>
    internal static string Seal(MasterKeyProtector protector, ManagedLoginSession session)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(new SessionPayload
        {
            P = session.UserPoolId,
            S = session.Sub,
            A = session.AuthTime.ToUnixTimeMilliseconds(),
            E = session.ExpiresAt.ToUnixTimeMilliseconds(),
            I = session.SsoSessionId,
        }, ManagedLoginJson.Default.SessionPayload);
        return Base64Url.EncodeToString(protector.Protect(json, Aad(session.UserPoolId)));
    }

    /// <summary>The session sealed in <paramref name="value"/> for <paramref name="userPoolId"/>, or null when it does not open.</summary>
    internal static ManagedLoginSession? Unseal(MasterKeyProtector protector, string userPoolId, string value)
    {
        byte[] sealedBytes;
        try { sealedBytes = Base64Url.DecodeFromChars(value); }
        catch (FormatException) { return null; }
        if (!protector.TryUnprotect(sealedBytes, Aad(userPoolId), out var json)) return null;
        try
        {
            var p = JsonSerializer.Deserialize(json, ManagedLoginJson.Default.SessionPayload);
            if (p is null || p.P != userPoolId || string.IsNullOrEmpty(p.S)) return null;
            return new ManagedLoginSession(p.P, p.S, DateTimeOffset.FromUnixTimeMilliseconds(p.A), DateTimeOffset.FromUnixTimeMilliseconds(p.E), p.I is { Length: 28 } id ? id : null);
        }
        catch (JsonException) { return null; }
        catch (ArgumentOutOfRangeException) { return null; }
    }
}

/// <summary>The sealed cookie's JSON (short names: it travels on every request).</summary>
internal sealed class SessionPayload
{
    public string? P { get; set; }
    public string? S { get; set; }
    public long A { get; set; }
    public long E { get; set; }
    public string? I { get; set; }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(SessionPayload))]
[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class ManagedLoginJson : System.Text.Json.Serialization.JsonSerializerContext;
