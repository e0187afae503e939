namespace Cognate.Core.Sessions;

/// <summary>
/// A user's token session as stored: one refresh-token family (every refresh token of one sign-in, rotated ones included).
/// </summary>
/// <param name="Family">The family id (the origin_jti of the family's first refresh token).</param>
/// <param name="ClientId">The app client the session belongs to.</param>
/// <param name="CreatedAt">The sign-in time (the family's auth_time), UTC.</param>
/// <param name="LastActiveAt">The latest sign-in, refresh or rotation of the family, UTC.</param>
/// <param name="OriginJtis">The origin_jti of each refresh token of the family (the access and ID tokens minted with it carry it).</param>
public sealed record TokenSessionRecord(string Family, string ClientId, DateTimeOffset CreatedAt, DateTimeOffset LastActiveAt, IReadOnlyList<string> OriginJtis)
{
    /// <summary>The client IP of the session's latest sign-in, refresh or rotation (LastIPAddress), or null when not known.</summary>
    public string? LastIpAddress { get; init; }

    /// <summary>The DeviceType of the same request (<see cref="UserAgentDevice"/>), or null when not known.</summary>
    public string? DeviceType { get; init; }

    /// <summary>The SSO session whose authorization code or implicit grant issued the family (OriginSessionId), or null.</summary>
    public string? OriginSessionId { get; init; }
}

/// <summary>A managed-login (SSO) session as stored (migration 0022): one signed-in browser in a pool that tracks sessions.</summary>
/// <param name="SessionId">The SessionId, <c>sso</c> + 25 of <c>[a-z2-7]</c>, also sealed in the browser's cookie.</param>
/// <param name="UserPoolId">Pool.</param>
/// <param name="Username">The user.</param>
/// <param name="ClientId">The app client the user signed in through.</param>
/// <param name="CreatedAt">The fresh authentication (UTC), which each client's SSOSession.MaxValidityMinutes is measured from.</param>
/// <param name="LastActiveAt">The latest sign-in or silent reuse (UTC).</param>
/// <param name="ExpiresAt">When the session ends (UTC).</param>
/// <param name="Revoked">Revoked (RevokeUserSession, AdminRevokeUserSession, /logout).</param>
public sealed record SsoSessionRecord(string SessionId, string UserPoolId, string Username, string ClientId, DateTimeOffset CreatedAt, DateTimeOffset LastActiveAt, DateTimeOffset ExpiresAt, bool Revoked)
{
    /// <summary>The client IP of the latest sign-in or reuse, or null.</summary>
    public string? LastIpAddress { get; init; }

    /// <summary>The DeviceType of the same request, or null.</summary>
    public string? DeviceType { get; init; }
}

/// <summary>A pool's session configuration (SetUserPoolSessionConfiguration).</summary>
/// <param name="UserPoolId">Pool.</param>
/// <param name="UserSessionTracking">ENABLED or DISABLED.</param>
/// <param name="MaxPerUser">Most active token sessions per user, 1..100.</param>
public sealed record PoolSessionConfig(string UserPoolId, string UserSessionTracking, int MaxPerUser);

/// <summary>An app client's session configuration (SetUserPoolClientSessionConfiguration).</summary>
/// <param name="UserPoolId">Pool.</param>
/// <param name="ClientId">Client.</param>
/// <param name="SsoMaxValidityMinutes">Minutes the client silently reuses an SSO session, 0..129600.</param>
public sealed record ClientSessionConfig(string UserPoolId, string ClientId, int SsoMaxValidityMinutes);

/// <summary>
/// Token sessions over the refresh-token rows (a capability beside <see cref="Stores.IRefreshTokenStore"/>, implemented by the
/// same SQL store) and the session configurations (migration 0018).
/// </summary>
public interface ISessionStore
{
    /// <summary>The user's active token sessions: families with at least one refresh token neither revoked nor expired at <paramref name="now"/>.</summary>
    ValueTask<IReadOnlyList<TokenSessionRecord>> ListActiveAsync(string userPoolId, string username, DateTimeOffset now, CancellationToken ct = default);
    /// <summary>Marks every refresh token of the user's family <paramref name="family"/> revoked; returns how many were not already.</summary>
    ValueTask<int> RevokeFamilyAsync(string userPoolId, string username, string family, CancellationToken ct = default);
    /// <summary>Stamps a refresh token's last use (a refresh that did not rotate it) and the client it came from
    /// (<paramref name="ipAddress"/>, <paramref name="deviceType"/>; null leaves what was stored).</summary>
    ValueTask TouchAsync(byte[] tokenHash, DateTimeOffset now, string? ipAddress = null, string? deviceType = null, CancellationToken ct = default);
    /// <summary>Marks every refresh token of the user whose family came through SSO session <paramref name="ssoSessionId"/> revoked (LINKED).</summary>
    ValueTask<int> RevokeFamiliesOfSsoAsync(string userPoolId, string username, string ssoSessionId, CancellationToken ct = default);
    /// <summary>Stores a new SSO session.</summary>
    ValueTask CreateSsoAsync(SsoSessionRecord record, CancellationToken ct = default);
    /// <summary>The SSO session <paramref name="sessionId"/> (revoked or expired included), or null.</summary>
    ValueTask<SsoSessionRecord?> GetSsoAsync(string sessionId, CancellationToken ct = default);
    /// <summary>The user's SSO sessions neither revoked nor expired at <paramref name="now"/>.</summary>
    ValueTask<IReadOnlyList<SsoSessionRecord>> ListActiveSsoAsync(string userPoolId, string username, DateTimeOffset now, CancellationToken ct = default);
    /// <summary>Stamps an SSO session's silent reuse: last activity and its client.</summary>
    ValueTask TouchSsoAsync(string sessionId, DateTimeOffset now, string? ipAddress, string? deviceType, CancellationToken ct = default);
    /// <summary>Revokes the user's SSO session <paramref name="sessionId"/>; returns whether it was live.</summary>
    ValueTask<bool> RevokeSsoAsync(string userPoolId, string username, string sessionId, CancellationToken ct = default);
    /// <summary>The largest SSOSession.MaxValidityMinutes stored for the pool's clients, or null when none is stored.</summary>
    ValueTask<int?> MaxSsoValidityMinutesAsync(string userPoolId, CancellationToken ct = default);
    /// <summary>The pool's stored configuration, or null (defaults apply).</summary>
    ValueTask<PoolSessionConfig?> GetPoolConfigAsync(string userPoolId, CancellationToken ct = default);
    /// <summary>Stores (replaces) the pool's configuration.</summary>
    ValueTask SetPoolConfigAsync(PoolSessionConfig config, DateTimeOffset now, CancellationToken ct = default);
    /// <summary>The client's stored configuration, or null (defaults apply).</summary>
    ValueTask<ClientSessionConfig?> GetClientConfigAsync(string clientId, CancellationToken ct = default);
    /// <summary>Stores (replaces) the client's configuration.</summary>
    ValueTask SetClientConfigAsync(ClientSessionConfig config, DateTimeOffset now, CancellationToken ct = default);
}
