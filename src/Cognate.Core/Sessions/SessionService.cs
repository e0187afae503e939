using System.Security.Cryptography;
using System.Text;
using Cognate.Core.Clients;
using Cognate.Core.Errors;
using Cognate.Core.Pools;

namespace Cognate.Core.Sessions;

/// <summary>One listed session: its id (<c>tkn</c> + 25 of <c>[a-z2-7]</c>), the stored record, and whether the caller's access token belongs to it.</summary>
public sealed record UserSession(string SessionId, TokenSessionRecord Record, bool IsCurrent);

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
            .OrderByDescending(s => s.Record.CreatedAt).ThenBy(s => s.SessionId, StringComparer.Ordinal);
        var rest = after is { } position
            ? all.Where(s => SessionPageToken.IsAfter(s.Record.CreatedAt, s.SessionId, position))
            : all;
        var page = rest.Take(pageSize + 1).ToList();
        if (page.Count <= pageSize) return new ResultPage<UserSession>(page, null);
        page.RemoveAt(pageSize);
        var last = page[^1];
        return new ResultPage<UserSession>(page, SessionPageToken.Encode(pool.Id, username, last.Record.CreatedAt, last.SessionId));
    }

    /// <summary>
    /// ListUserSessions / AdminListUserSessions: the user's active token sessions, most recently active first.
    /// <paramref name="currentOriginJti"/> (the caller's access token's origin_jti; null for the admin action) marks IsCurrent.
    /// </summary>
    /// <exception cref="CognitoException">OperationNotEnabledException (session tracking DISABLED).</exception>
    public async ValueTask<IReadOnlyList<UserSession>> ListAsync(UserPool pool, string username, string? currentOriginJti, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        await RequireTrackingAsync(pool.Id, ct).ConfigureAwait(false);
        var sessions = await store.ListActiveAsync(pool.Id, username, time.GetUtcNow(), ct).ConfigureAwait(false);
        return sessions
            .OrderByDescending(s => s.LastActiveAt).ThenBy(s => s.Family, StringComparer.Ordinal)
            .Select(s => new UserSession(SessionIdOf(s.Family), s, currentOriginJti is not null && s.OriginJtis.Contains(currentOriginJti, StringComparer.Ordinal)))
            .ToList();
    }

    /// <summary>
    /// RevokeUserSession / AdminRevokeUserSession: revokes one of the user's sessions (its refresh tokens, and the access and ID
    /// tokens minted from them). Only the user's own sessions are found: another user's session id is ResourceNotFoundException.
    /// </summary>
    /// <param name="pool">The pool.</param>
    /// <param name="username">The user whose session it must be.</param>
    /// <param name="sessionId">The SessionId.</param>
    /// <param name="currentOriginJti">The caller's access token's origin_jti (RevokeUserSession), or null (admin).</param>
    /// <param name="ct">Cancellation.</param>
    /// <exception cref="CognitoException">OperationNotEnabledException (tracking DISABLED); ResourceNotFoundException (no such
    /// active session of the user); InvalidParameterException (the caller's own current session).</exception>
    public async ValueTask RevokeAsync(UserPool pool, string username, string sessionId, string? currentOriginJti, CancellationToken ct = default)
    {
        var sessions = await ListAsync(pool, username, currentOriginJti, ct).ConfigureAwait(false);
        var session = sessions.FirstOrDefault(s => string.Equals(s.SessionId, sessionId, StringComparison.Ordinal))
            ?? throw CognitoErrors.ResourceNotFound($"Session {sessionId} does not exist.");
        if (session.IsCurrent) throw CognitoErrors.InvalidParameter("You can't revoke the session that the calling access token belongs to.");
        await store.RevokeFamilyAsync(pool.Id, username, session.Record.Family, ct).ConfigureAwait(false);
    }

    async ValueTask RequireTrackingAsync(string poolId, CancellationToken ct)
    {
        if ((await PoolConfigAsync(poolId, ct).ConfigureAwait(false)).UserSessionTracking != Enabled)
        {
            throw CognitoErrors.OperationNotEnabled($"Session tracking is not enabled for user pool {poolId}.");
        }
    }
}
