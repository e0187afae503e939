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
    /// <summary>The pool's stored configuration, or null (defaults apply).</summary>
    ValueTask<PoolSessionConfig?> GetPoolConfigAsync(string userPoolId, CancellationToken ct = default);
    /// <summary>Stores (replaces) the pool's configuration.</summary>
    ValueTask SetPoolConfigAsync(PoolSessionConfig config, DateTimeOffset now, CancellationToken ct = default);
    /// <summary>The client's stored configuration, or null (defaults apply).</summary>
    ValueTask<ClientSessionConfig?> GetClientConfigAsync(string clientId, CancellationToken ct = default);
    /// <summary>Stores (replaces) the client's configuration.</summary>
    ValueTask SetClientConfigAsync(ClientSessionConfig config, DateTimeOffset now, CancellationToken ct = default);
}
