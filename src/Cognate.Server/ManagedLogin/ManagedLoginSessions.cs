using Cognate.Core.Pools;

namespace Cognate.Server.ManagedLogin;

/// <summary>A live managed-login session (Cognito's 1-hour session cookie on the domain, reference §9.1).</summary>
/// <param name="UserPoolId">The pool the user signed in to.</param>
/// <param name="Sub">The user's <c>sub</c>.</param>
/// <param name="AuthTime">When the user authenticated (UTC).</param>
/// <param name="ExpiresAt">AuthTime + 1 hour (UTC).</param>
public sealed record ManagedLoginSession(string UserPoolId, string Sub, DateTimeOffset AuthTime, DateTimeOffset ExpiresAt);

/// <summary>
/// Reads, writes and clears the managed-login session cookie: sealed with the master key (AES-GCM, so it can be neither read
/// nor forged), <c>HttpOnly</c>, <c>SameSite=Lax</c>, <c>Secure</c> on https, path <c>/</c>, one cookie per pool (one Cognate URL
/// serves every pool's hosted pages), lifetime 1 hour.
/// </summary>
public sealed class ManagedLoginSessions(IServiceProvider services)
{
    /// <summary>The live session for <paramref name="pool"/>, or null (absent, forged, expired).</summary>
    public ManagedLoginSession? Read(HttpContext http, UserPool pool)
    {
        _ = services;
        throw new NotImplementedException("Issue 13, /oauth2/authorize: being written on branch authorize.");
    }

    /// <summary>Writes the session cookie for <paramref name="session"/>.</summary>
    public void Write(HttpContext http, ManagedLoginSession session) => throw new NotImplementedException("Issue 13: branch authorize.");

    /// <summary>Deletes the session cookie of <paramref name="pool"/> (<c>/logout</c>; revokes no token, as Cognito).</summary>
    public void Clear(HttpContext http, UserPool pool) => throw new NotImplementedException("Issue 13: branch authorize.");
}
