using Cognate.Core.Sessions;
using Dapper;

namespace Cognate.Storage.Stores;

/// <summary>
/// <see cref="ISessionStore"/> over SQLite or PostgreSQL (migration 0018). Token sessions are read from <c>refresh_tokens</c>:
/// a session is a family (<c>family_id</c>) of the user's rows that are not revoked (revocation always marks a whole family);
/// its creation is the rows' <c>auth_time</c>, its last activity the newest <c>last_used_at</c> / <c>replaced_at</c>,
/// its LastIPAddress and DeviceType those of its newest row (migration 0022). The
/// configurations live in <c>user_pool_session_configs</c> and <c>app_client_session_configs</c>, written with an upsert
/// (the same statement on both engines; of concurrent writes the last stays). Both go with their pool or client (foreign keys).
/// </summary>
internal sealed class SqlSessionStore(ISqlDatabase db) : ISessionStore
{
    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<TokenSessionRecord>> ListActiveAsync(string userPoolId, string username, DateTimeOffset now, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            """
            SELECT family_id AS Family, origin_jti AS OriginJti, client_id AS ClientId, auth_time AS AuthTime, expires_at AS ExpiresAt,
                   last_used_at AS LastUsedAt, replaced_at AS ReplacedAt, last_ip_address AS LastIpAddress, device_type AS DeviceType
            FROM refresh_tokens WHERE user_pool_id = @userPoolId AND username = @username AND NOT revoked
            """,
            new { userPoolId, username }, cancellationToken: ct));
        var nowMs = UnixTime.ToMs(now);
        return rows.GroupBy(r => r.Family ?? r.OriginJti, StringComparer.Ordinal)
            .Where(g => g.Any(r => r.ExpiresAt > nowMs))
            .Select(g =>
            {
                // The client of the latest activity: the family's newest row (the one not yet rotated; of several, the one
                // refreshed last). A refresh overwrote its row's client (TouchAsync); a rotation wrote it on the new row.
                var latest = g.OrderBy(r => r.ReplacedAt is null ? 1 : 0).ThenBy(r => r.LastUsedAt ?? 0).ThenBy(r => r.ReplacedAt ?? 0)
                    .ThenBy(r => r.OriginJti, StringComparer.Ordinal).Last();
                return new TokenSessionRecord(
                    g.Key,
                    g.First().ClientId,
                    UnixTime.FromMs(g.Min(r => r.AuthTime)),
                    UnixTime.FromMs(g.Max(r => Math.Max(r.AuthTime, Math.Max(r.LastUsedAt ?? 0, r.ReplacedAt ?? 0)))),
                    g.Select(r => r.OriginJti).ToList())
                {
                    LastIpAddress = latest.LastIpAddress,
                    DeviceType = latest.DeviceType,
                };
            })
            .ToList();
    }

    /// <inheritdoc />
    public async ValueTask<int> RevokeFamilyAsync(string userPoolId, string username, string family, CancellationToken ct = default) =>
        await db.WriteAsync((connection, tx) => connection.ExecuteAsync(new CommandDefinition(
            "UPDATE refresh_tokens SET revoked = TRUE WHERE user_pool_id = @userPoolId AND username = @username AND family_id = @family AND NOT revoked",
            new { userPoolId, username, family }, tx, cancellationToken: ct)), ct);

    /// <inheritdoc />
    public async ValueTask TouchAsync(byte[] tokenHash, DateTimeOffset now, string? ipAddress = null, string? deviceType = null, CancellationToken ct = default) =>
        await db.WriteAsync((connection, tx) => connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE refresh_tokens SET last_used_at = @now, last_ip_address = COALESCE(@ipAddress, last_ip_address),
                device_type = COALESCE(@deviceType, device_type)
            WHERE token_hash = @tokenHash
            """,
            new { tokenHash, now = UnixTime.ToMs(now), ipAddress, deviceType }, tx, cancellationToken: ct)), ct);

    /// <inheritdoc />
    public async ValueTask<PoolSessionConfig?> GetPoolConfigAsync(string userPoolId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<PoolRow>(new CommandDefinition(
            "SELECT user_session_tracking AS Tracking, max_per_user AS MaxPerUser FROM user_pool_session_configs WHERE user_pool_id = @userPoolId",
            new { userPoolId }, cancellationToken: ct));
        return row is null ? null : new PoolSessionConfig(userPoolId, row.Tracking, (int)row.MaxPerUser);
    }

    /// <inheritdoc />
    public async ValueTask SetPoolConfigAsync(PoolSessionConfig config, DateTimeOffset now, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        await using var connection = await db.OpenWriteConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO user_pool_session_configs (user_pool_id, user_session_tracking, max_per_user, modified_at)
            VALUES (@UserPoolId, @Tracking, @MaxPerUser, @Now)
            ON CONFLICT (user_pool_id) DO UPDATE SET user_session_tracking = excluded.user_session_tracking,
                max_per_user = excluded.max_per_user, modified_at = excluded.modified_at
            """,
            new { config.UserPoolId, Tracking = config.UserSessionTracking, MaxPerUser = (long)config.MaxPerUser, Now = UnixTime.ToMs(now) },
            cancellationToken: ct));
    }

    /// <inheritdoc />
    public async ValueTask<ClientSessionConfig?> GetClientConfigAsync(string clientId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<ClientRow>(new CommandDefinition(
            "SELECT user_pool_id AS UserPoolId, sso_max_validity_minutes AS Minutes FROM app_client_session_configs WHERE client_id = @clientId",
            new { clientId }, cancellationToken: ct));
        return row is null ? null : new ClientSessionConfig(row.UserPoolId, clientId, (int)row.Minutes);
    }

    /// <inheritdoc />
    public async ValueTask SetClientConfigAsync(ClientSessionConfig config, DateTimeOffset now, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        await using var connection = await db.OpenWriteConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO app_client_session_configs (client_id, user_pool_id, sso_max_validity_minutes, modified_at)
            VALUES (@ClientId, @UserPoolId, @Minutes, @Now)
            ON CONFLICT (client_id) DO UPDATE SET sso_max_validity_minutes = excluded.sso_max_validity_minutes, modified_at = excluded.modified_at
            """,
            new { config.ClientId, config.UserPoolId, Minutes = (long)config.SsoMaxValidityMinutes, Now = UnixTime.ToMs(now) },
            cancellationToken: ct));
    }

    private sealed class Row
    {
        public string? Family { get; set; }
        public string OriginJti { get; set; } = "";
        public string ClientId { get; set; } = "";
        public long AuthTime { get; set; }
        public long ExpiresAt { get; set; }
        public long? LastUsedAt { get; set; }
        public long? ReplacedAt { get; set; }
        public string? LastIpAddress { get; set; }
        public string? DeviceType { get; set; }
    }

    private sealed class PoolRow
    {
        public string Tracking { get; set; } = "";
        public long MaxPerUser { get; set; }
    }

    private sealed class ClientRow
    {
        public string UserPoolId { get; set; } = "";
        public long Minutes { get; set; }
    }
}
