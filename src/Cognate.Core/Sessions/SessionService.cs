using System.Security.Cryptography;
using System.Text;
using Cognate.Core.Clients;
using Cognate.Core.Errors;
using Cognate.Core.Pools;

namespace Cognate.Core.Sessions;

/// <summary>
/// One listed session (Cognito <c>SessionDescriptionType</c>): a token session (<c>tkn…</c>, <see cref="Token"/> set) or an SSO
/// session (<c>sso…</c>, <see cref="Sso"/> set), and whether the caller's access token belongs to it.
/// </summary>
/// <param name="SessionId">The SessionId (28 characters).</param>
/// <param name="SessionType"><see cref="SessionService.TokenType"/> or <see cref="SessionService.SsoType"/>.</param>
/// <param name="IsCurrent">The caller's access token belongs to it (token sessions of ListUserSessions only).</param>
public sealed record UserSession(string SessionId, string SessionType, bool IsCurrent)
{
    /// <summary>The token session's record, or null for an SSO session.</summary>
    public TokenSessionRecord? Token { get; init; }

    /// <summary>The SSO session's record, or null for a token session.</summary>
    public SsoSessionRecord? Sso { get; init; }

    /// <summary>The session's app client.</summary>
    public string ClientId => Token?.ClientId ?? Sso!.ClientId;

    /// <summary>CreateDate (UTC).</summary>
    public DateTimeOffset CreatedAt => Token?.CreatedAt ?? Sso!.CreatedAt;

    /// <summary>LastActiveDate (UTC).</summary>
    public DateTimeOffset LastActiveAt => Token?.LastActiveAt ?? Sso!.LastActiveAt;

    /// <summary>DeviceType of the latest activity, or null.</summary>
    public string? DeviceType => Token is not null ? Token.DeviceType : Sso!.DeviceType;

    /// <summary>LastIPAddress of the latest activity, or null.</summary>
    public string? LastIpAddress => Token is not null ? Token.LastIpAddress : Sso!.LastIpAddress;

    /// <summary>OriginSessionId: the SSO session a token session came through, or null (always null for SSO sessions).</summary>
    public string? OriginSessionId => Token?.OriginSessionId;
}

/// <summary>
/// User sessions (Cognito API reference: GetUserPoolSessionConfiguration, SetUserPoolSessionConfiguration,
/// GetUserPoolClientSessionConfiguration, SetUserPoolClientSessionConfiguration, ListUserSessions, AdminListUserSessions,
/// RevokeUserSession, AdminRevokeUserSession). A token session is what one sign-in leaves: its refresh token and the tokens it
/// was rotated into (a refresh-token family). Revoking a session revokes the family, so its refresh tokens answer
/// NotAuthorizedException "Refresh Token has been revoked" and the access tokens minted from them are refused like a
/// GlobalSignOut's.
/// </summary>
/// <remarks>
/// Enforced: session tracking must be ENABLED for the list and revoke actions (OperationNotEnabledException otherwise) and for
/// SetUserPoolClientSessionConfiguration (InvalidParameterException); TokenSession.MaxPerUser evicts a user's least recently
/// used token sessions at sign-in (<see cref="TokenSessionLimit"/>). Recorded per session: LastIPAddress and DeviceType of the
/// latest sign-in, refresh or rotation (<see cref="SessionClient"/>, <see cref="UserAgentDevice"/>). Stored only: the client's
/// SSO session validity (Cognate has no SSO sessions, so none is ever listed). Not kept: LastLocation (no geo-IP database).
/// </remarks>
public sealed class SessionService(ISessionStore store, UserPoolService pools, AppClientService clients, TimeProvider time)
{
    /// <summary>UserSessionTracking values.</summary>
    public const string Enabled = "ENABLED", Disabled = "DISABLED";

    /// <summary>SessionType values.</summary>
    public const string TokenType = "TOKEN", SsoType = "SSO";

    /// <summary>How long an SSO session lasts when no client of the pool reuses it longer (Cognito's 1-hour session cookie).</summary>
    public static readonly TimeSpan DefaultSsoLifetime = TimeSpan.FromHours(1);

    /// <summary>Cognito's defaults: 20 token sessions per user, SSO sessions silently reused for 60 minutes.</summary>
    public const int DefaultMaxPerUser = 20, DefaultSsoMaxValidityMinutes = 60;

    /// <summary>The bounds Cognito documents: MaxPerUser 1..100, MaxValidityMinutes 0..129600 (90 days).</summary>
    public const int MinMaxPerUser = 1, MaxMaxPerUser = 100, MaxSsoValidityMinutes = 129600;

    const string Base32 = "abcdefghijklmnopqrstuvwxyz234567";

    /// <summary>
    /// The SessionId of the token session <paramref name="family"/>: <c>tkn</c> and 25 lowercase letters and digits (28
    /// characters, Cognito's shape), derived from the family id by SHA-256 so it reveals nothing of the tokens.
    /// </summary>
    public static string SessionIdOf(string family)
    {
        ArgumentNullException.ThrowIfNull(family);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes("cognate-token-session:" + family), hash);
        var id = new StringBuilder("tkn", 28);
        int buffer = 0, bits = 0, i = 0;
        while (id.Length < 28)
        {
            if (bits < 5) { buffer = (buffer << 8) | hash[i++]; bits += 8; }
            id.Append(Base32[(buffer >> (bits - 5)) & 31]);
            bits -= 5;
        }
        return id.ToString();
    }

    /// <summary>GetUserPoolSessionConfiguration: the stored configuration or the defaults (DISABLED, MaxPerUser 20).</summary>
    /// <exception cref="CognitoException">ResourceNotFoundException (pool).</exception>
    public async ValueTask<PoolSessionConfig> GetPoolConfigAsync(string userPoolId, CancellationToken ct = default)
    {
        var pool = await pools.GetAsync(userPoolId, ct).ConfigureAwait(false);
        return await PoolConfigAsync(pool.Id, ct).ConfigureAwait(false);
    }

    async ValueTask<PoolSessionConfig> PoolConfigAsync(string poolId, CancellationToken ct) => await ConfigOrDefaultAsync(store, poolId, ct).ConfigureAwait(false);

    /// <summary>The pool's stored configuration, or the defaults (DISABLED, MaxPerUser 20).</summary>
    internal static async ValueTask<PoolSessionConfig> ConfigOrDefaultAsync(ISessionStore store, string poolId, CancellationToken ct) =>
        await store.GetPoolConfigAsync(poolId, ct).ConfigureAwait(false) ?? new PoolSessionConfig(poolId, Disabled, DefaultMaxPerUser);

    /// <summary>SetUserPoolSessionConfiguration: replaces the pool's configuration.</summary>
    /// <exception cref="CognitoException">ResourceNotFoundException (pool); InvalidParameterException (tracking not ENABLED or
    /// DISABLED, MaxPerUser outside 1..100).</exception>
    public async ValueTask<PoolSessionConfig> SetPoolConfigAsync(string userPoolId, string userSessionTracking, int maxPerUser, CancellationToken ct = default)
    {
        var pool = await pools.GetAsync(userPoolId, ct).ConfigureAwait(false);
        if (userSessionTracking is not (Enabled or Disabled)) throw CognitoErrors.InvalidParameter("UserSessionTracking must be ENABLED or DISABLED.");
        if (maxPerUser is < MinMaxPerUser or > MaxMaxPerUser) throw CognitoErrors.InvalidParameter($"TokenSession.MaxPerUser must be between {MinMaxPerUser} and {MaxMaxPerUser}.");
        var config = new PoolSessionConfig(pool.Id, userSessionTracking, maxPerUser);
        await store.SetPoolConfigAsync(config, time.GetUtcNow(), ct).ConfigureAwait(false);
        return config;
    }

    /// <summary>GetUserPoolClientSessionConfiguration: the stored configuration or the default (SSO MaxValidityMinutes 60).</summary>
    /// <exception cref="CognitoException">ResourceNotFoundException (pool or client).</exception>
    public async ValueTask<ClientSessionConfig> GetClientConfigAsync(string userPoolId, string clientId, CancellationToken ct = default)
    {
        var client = await clients.GetAsync(userPoolId, clientId, ct).ConfigureAwait(false);
        return await store.GetClientConfigAsync(client.ClientId, ct).ConfigureAwait(false)
            ?? new ClientSessionConfig(client.UserPoolId, client.ClientId, DefaultSsoMaxValidityMinutes);
    }

    /// <summary>SetUserPoolClientSessionConfiguration: replaces the client's configuration; the pool must track sessions.</summary>
    /// <exception cref="CognitoException">ResourceNotFoundException (pool or client); InvalidParameterException (tracking
    /// DISABLED, MaxValidityMinutes outside 0..129600).</exception>
    public async ValueTask<ClientSessionConfig> SetClientConfigAsync(string userPoolId, string clientId, int maxValidityMinutes, CancellationToken ct = default)
    {
        var client = await clients.GetAsync(userPoolId, clientId, ct).ConfigureAwait(false);
        if (maxValidityMinutes is < 0 or > MaxSsoValidityMinutes) throw CognitoErrors.InvalidParameter($"SSOSession.MaxValidityMinutes must be between 0 and {MaxSsoValidityMinutes}.");
        if ((await PoolConfigAsync(client.UserPoolId, ct).ConfigureAwait(false)).UserSessionTracking != Enabled)
        {
            throw CognitoErrors.InvalidParameter($"Session tracking is not enabled for user pool {client.UserPoolId}.");
        }
        var config = new ClientSessionConfig(client.UserPoolId, client.ClientId, maxValidityMinutes);
        await store.SetClientConfigAsync(config, time.GetUtcNow(), ct).ConfigureAwait(false);
        return config;
    }

    /// <summary>The most sessions one ListUserSessions / AdminListUserSessions page holds (Cognito: "a single page of up to 125 sessions").</summary>
    public const int PageSize = 125;

    /// <summary>
    /// ListUserSessions / AdminListUserSessions: one page of the user's active token sessions, newest sign-in first (CreateDate
    /// descending, then SessionId), so a session refreshed between two pages neither moves nor repeats. A page holds up to
    /// <paramref name="pageSize"/> sessions (<see cref="PageSize"/>); NextToken is set when more follow. The token is opaque
    /// (<see cref="SessionPageToken"/>): the position after the page's last session, bound to the pool and user.
    /// </summary>
    /// <param name="pool">The pool.</param>
    /// <param name="username">The user.</param>
    /// <param name="currentOriginJti">The caller's access token's origin_jti (marks IsCurrent), or null (admin).</param>
    /// <param name="nextToken">The previous page's NextToken, or null for the first page.</param>
    /// <param name="pageSize">Sessions per page, 1..<see cref="PageSize"/>.</param>
    /// <param name="ct">Cancellation.</param>
    /// <exception cref="CognitoException">OperationNotEnabledException (session tracking DISABLED); InvalidParameterException
    /// "Invalid NextToken." (a token that is not one of this listing's).</exception>
    public async ValueTask<ResultPage<UserSession>> ListPageAsync(UserPool pool, string username, string? currentOriginJti, string? nextToken, int pageSize = PageSize, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var after = nextToken is null ? null : SessionPageToken.Decode(nextToken, pool.Id, username);
        var all = (await ListAsync(pool, username, currentOriginJti, ct).ConfigureAwait(false))
            .OrderByDescending(s => s.CreatedAt).ThenBy(s => s.SessionId, StringComparer.Ordinal);
        var rest = after is { } position
            ? all.Where(s => SessionPageToken.IsAfter(s.CreatedAt, s.SessionId, position))
            : all;
        var page = rest.Take(pageSize + 1).ToList();
        if (page.Count <= pageSize) return new ResultPage<UserSession>(page, null);
        page.RemoveAt(pageSize);
        var last = page[^1];
        return new ResultPage<UserSession>(page, SessionPageToken.Encode(pool.Id, username, last.CreatedAt, last.SessionId));
    }

    /// <summary>
    /// ListUserSessions / AdminListUserSessions: the user's active token and SSO sessions, most recently active first.
    /// <paramref name="currentOriginJti"/> (the caller's access token's origin_jti; null for the admin action) marks IsCurrent.
    /// </summary>
    /// <exception cref="CognitoException">OperationNotEnabledException (session tracking DISABLED).</exception>
    public async ValueTask<IReadOnlyList<UserSession>> ListAsync(UserPool pool, string username, string? currentOriginJti, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        await RequireTrackingAsync(pool.Id, ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var tokens = await store.ListActiveAsync(pool.Id, username, now, ct).ConfigureAwait(false);
        var sso = await store.ListActiveSsoAsync(pool.Id, username, now, ct).ConfigureAwait(false);
        return tokens
            .Select(s => new UserSession(SessionIdOf(s.Family), TokenType, currentOriginJti is not null && s.OriginJtis.Contains(currentOriginJti, StringComparer.Ordinal)) { Token = s })
            .Concat(sso.Select(s => new UserSession(s.SessionId, SsoType, false) { Sso = s }))
            .OrderByDescending(s => s.LastActiveAt).ThenBy(s => s.SessionId, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// A fresh sign-in on the managed-login pages through <paramref name="clientId"/>: in a pool with session tracking ENABLED,
    /// a new SSO session (<c>sso</c> + 25 random <c>[a-z2-7]</c>) that lasts as long as the pool's clients may reuse it (the
    /// largest SSOSession.MaxValidityMinutes, at least 1 hour); otherwise no record (null id) and Cognito's 1-hour session.
    /// </summary>
    /// <returns>The SSO SessionId (or null) and when the session, and so its cookie, ends.</returns>
    public async ValueTask<(string? SessionId, DateTimeOffset ExpiresAt)> StartSsoAsync(UserPool pool, string clientId, string username, DateTimeOffset authTime, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if ((await PoolConfigAsync(pool.Id, ct).ConfigureAwait(false)).UserSessionTracking != Enabled) return (null, authTime + DefaultSsoLifetime);
        var minutes = Math.Max((int)DefaultSsoLifetime.TotalMinutes, await store.MaxSsoValidityMinutesAsync(pool.Id, ct).ConfigureAwait(false) ?? 0);
        var now = time.GetUtcNow();
        var caller = SessionClient.Current;
        var record = new SsoSessionRecord(NewSsoSessionId(), pool.Id, username, clientId, authTime, now, authTime.AddMinutes(minutes), Revoked: false)
        {
            LastIpAddress = caller?.RecordedIp,
            DeviceType = caller?.DeviceType,
        };
        await store.CreateSsoAsync(record, ct).ConfigureAwait(false);
        return (record.SessionId, record.ExpiresAt);
    }

    /// <summary>
    /// Whether the browser's managed-login session (authenticated at <paramref name="authTime"/>, SSO session
    /// <paramref name="ssoSessionId"/> or null for a session made while tracking was off) may sign <paramref name="username"/>
    /// in to <paramref name="clientId"/> without a prompt. Its SSO session must be the user's, neither revoked nor expired; with
    /// tracking ENABLED the client reuses it only for its SSOSession.MaxValidityMinutes after the fresh authentication (0: never,
    /// always prompt), with tracking DISABLED for 1 hour. A reuse stamps the SSO session's last activity and client.
    /// </summary>
    public async ValueTask<bool> ReuseSsoAsync(UserPool pool, string clientId, string username, string? ssoSessionId, DateTimeOffset authTime, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var now = time.GetUtcNow();
        if (ssoSessionId is not null && !await SsoLiveAsync(pool, username, ssoSessionId, ct).ConfigureAwait(false)) return false;
        // Tracking DISABLED (also after an SSO session was made while it was on): Cognito's 1-hour session for every client.
        var minutes = (await PoolConfigAsync(pool.Id, ct).ConfigureAwait(false)).UserSessionTracking == Enabled
            ? (await store.GetClientConfigAsync(clientId, ct).ConfigureAwait(false))?.SsoMaxValidityMinutes ?? DefaultSsoMaxValidityMinutes
            : (int)DefaultSsoLifetime.TotalMinutes;
        if (now >= authTime.AddMinutes(minutes)) return false;
        if (ssoSessionId is not null)
        {
            var caller = SessionClient.Current;
            await store.TouchSsoAsync(ssoSessionId, now, caller?.RecordedIp, caller?.DeviceType, ct).ConfigureAwait(false);
        }
        return true;
    }

    /// <summary>True when SSO session <paramref name="ssoSessionId"/> is <paramref name="username"/>'s in the pool, not revoked, not expired.</summary>
    public async ValueTask<bool> SsoLiveAsync(UserPool pool, string username, string ssoSessionId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var record = await store.GetSsoAsync(ssoSessionId, ct).ConfigureAwait(false);
        return record is { Revoked: false } && record.UserPoolId == pool.Id && string.Equals(record.Username, username, StringComparison.Ordinal)
            && record.ExpiresAt > time.GetUtcNow();
    }

    /// <summary>Ends SSO session <paramref name="ssoSessionId"/> (<c>/logout</c>): the browser signs in again; its token sessions stay, as Cognito's.</summary>
    public async ValueTask EndSsoAsync(string ssoSessionId, CancellationToken ct = default)
    {
        var record = await store.GetSsoAsync(ssoSessionId, ct).ConfigureAwait(false);
        if (record is not null) await store.RevokeSsoAsync(record.UserPoolId, record.Username, record.SessionId, ct).ConfigureAwait(false);
    }

    static string NewSsoSessionId()
    {
        Span<byte> random = stackalloc byte[25];
        RandomNumberGenerator.Fill(random);
        var id = new StringBuilder("sso", 28);
        foreach (var b in random) id.Append(Base32[b & 31]);
        return id.ToString();
    }

    /// <summary>
    /// RevokeUserSession / AdminRevokeUserSession: revokes one of the user's sessions (its refresh tokens, and the access and ID
    /// tokens minted from them). Only the user's own sessions are found: another user's session id is ResourceNotFoundException.
    /// </summary>
    /// <param name="pool">The pool.</param>
    /// <param name="username">The user whose session it must be.</param>
    /// <param name="sessionId">The SessionId.</param>
    /// <param name="currentOriginJti">The caller's access token's origin_jti (RevokeUserSession), or null (admin).</param>
    /// <param name="linked">RevokeAssociatedSessions LINKED: a token session's parent SSO session goes too, and an SSO session's
    /// token sessions (those that came through it).</param>
    /// <param name="ct">Cancellation.</param>
    /// <exception cref="CognitoException">OperationNotEnabledException (tracking DISABLED); ResourceNotFoundException (no such
    /// active session of the user); InvalidParameterException (the caller's own current session).</exception>
    public async ValueTask RevokeAsync(UserPool pool, string username, string sessionId, string? currentOriginJti, bool linked = false, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var sessions = await ListAsync(pool, username, currentOriginJti, ct).ConfigureAwait(false);
        var session = sessions.FirstOrDefault(s => string.Equals(s.SessionId, sessionId, StringComparison.Ordinal))
            ?? throw CognitoErrors.ResourceNotFound($"Session {sessionId} does not exist.");
        if (session.IsCurrent) throw CognitoErrors.InvalidParameter("You can't revoke the session that the calling access token belongs to.");
        if (session.Token is { } token)
        {
            await store.RevokeFamilyAsync(pool.Id, username, token.Family, ct).ConfigureAwait(false);
            if (linked && token.OriginSessionId is { } parent) await store.RevokeSsoAsync(pool.Id, username, parent, ct).ConfigureAwait(false);
            return;
        }
        await store.RevokeSsoAsync(pool.Id, username, session.SessionId, ct).ConfigureAwait(false);
        if (linked) await store.RevokeFamiliesOfSsoAsync(pool.Id, username, session.SessionId, ct).ConfigureAwait(false);
    }

    async ValueTask RequireTrackingAsync(string poolId, CancellationToken ct)
    {
        if ((await PoolConfigAsync(poolId, ct).ConfigureAwait(false)).UserSessionTracking != Enabled)
        {
            throw CognitoErrors.OperationNotEnabled($"Session tracking is not enabled for user pool {poolId}.");
        }
    }
}
