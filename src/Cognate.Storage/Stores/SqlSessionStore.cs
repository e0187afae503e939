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
/// SSO sessions live in <c>sso_sessions</c> (migration 0022), one row per signed-in browser, gone with their user or client.
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
                   last_used_at AS LastUsedAt, replaced_at AS ReplacedAt, last_ip_address AS LastIpAddress, device_type AS DeviceType,
                   origin_session_id AS OriginSessionId
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
                    OriginSessionId = g.Select(r => r.OriginSessionId).FirstOrDefault(o => o is not null),
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
    public async ValueTask<int> RevokeFamiliesOfSsoAsync(string userPoolId, string username, string ssoSessionId, CancellationToken ct = default) =>
        await db.WriteAsync((connection, tx) => connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE refresh_tokens SET revoked = TRUE
            WHERE user_pool_id = @userPoolId AND username = @username AND NOT revoked AND family_id IN (
                SELECT family_id FROM refresh_tokens WHERE user_pool_id = @userPoolId AND username = @username AND origin_session_id = @ssoSessionId)
            """,
            new { userPoolId, username, ssoSessionId }, tx, cancellationToken: ct)), ct);

    const string SsoColumns =
        "session_id AS SessionId, user_pool_id AS UserPoolId, username AS Username, client_id AS ClientId, created_at AS CreatedAt, " +
        "last_active_at AS LastActiveAt, expires_at AS ExpiresAt, revoked AS Revoked, last_ip_address AS LastIpAddress, device_type AS DeviceType";

    /// <inheritdoc />
    public async ValueTask CreateSsoAsync(SsoSessionRecord record, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await db.WriteAsync((connection, tx) => connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO sso_sessions (session_id, user_pool_id, username, client_id, created_at, last_active_at, expires_at, revoked, last_ip_address, device_type)
            VALUES (@SessionId, @UserPoolId, @Username, @ClientId, @CreatedAt, @LastActiveAt, @ExpiresAt, @Revoked, @LastIpAddress, @DeviceType)
            """,
            new
            {
                record.SessionId, record.UserPoolId, record.Username, record.ClientId,
                CreatedAt = UnixTime.ToMs(record.CreatedAt), LastActiveAt = UnixTime.ToMs(record.LastActiveAt), ExpiresAt = UnixTime.ToMs(record.ExpiresAt),
                record.Revoked, record.LastIpAddress, record.DeviceType,
            }, tx, cancellationToken: ct)), ct);
    }

    /// <inheritdoc />
    public async ValueTask<SsoSessionRecord?> GetSsoAsync(string sessionId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<SsoRow>(new CommandDefinition(
            $"SELECT {SsoColumns} FROM sso_sessions WHERE session_id = @sessionId", new { sessionId }, cancellationToken: ct));
        return row?.ToRecord();
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<SsoSessionRecord>> ListActiveSsoAsync(string userPoolId, string username, DateTimeOffset now, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<SsoRow>(new CommandDefinition(
            $"SELECT {SsoColumns} FROM sso_sessions WHERE user_pool_id = @userPoolId AND username = @username AND NOT revoked AND expires_at > @now",
            new { userPoolId, username, now = UnixTime.ToMs(now) }, cancellationToken: ct));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    /// <inheritdoc />
    public async ValueTask TouchSsoAsync(string sessionId, DateTimeOffset now, string? ipAddress, string? deviceType, CancellationToken ct = default) =>
        await db.WriteAsync((connection, tx) => connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE sso_sessions SET last_active_at = @now, last_ip_address = COALESCE(@ipAddress, last_ip_address),
                device_type = COALESCE(@deviceType, device_type)
            WHERE session_id = @sessionId
            """,
            new { sessionId, now = UnixTime.ToMs(now), ipAddress, deviceType }, tx, cancellationToken: ct)), ct);

    /// <inheritdoc />
    public async ValueTask<bool> RevokeSsoAsync(string userPoolId, string username, string sessionId, CancellationToken ct = default) =>
        await db.WriteAsync((connection, tx) => connection.ExecuteAsync(new CommandDefinition(
            "UPDATE sso_sessions SET revoked = TRUE WHERE session_id = @sessionId AND user_pool_id = @userPoolId AND username = @username AND NOT revoked",
            new { userPoolId, username, sessionId }, tx, cancellationToken: ct)), ct) > 0;

    /// <inheritdoc />
    public async ValueTask<int?> MaxSsoValidityMinutesAsync(string userPoolId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var max = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT MAX(sso_max_validity_minutes) FROM app_client_session_configs WHERE user_pool_id = @userPoolId", new { userPoolId }, cancellationToken: ct));
        return max is { } m ? (int)m : null;
    }

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
        public string? OriginSessionId { get; set; }
    }

    private sealed class SsoRow
    {
        public string SessionId { get; set; } = "";
        public string UserPoolId { get; set; } = "";
        public string Username { get; set; } = "";
        public string ClientId { get; set; } = "";
        public long CreatedAt { get; set; }
        public long LastActiveAt { get; set; }
        public long ExpiresAt { get; set; }
        public bool Revoked { get; set; }
        public string? LastIpAddress { get; set; }
        public string? DeviceType { get; set; }

        public SsoSessionRecord ToRecord() =>
            new(SessionId, UserPoolId, Username, ClientId, UnixTime.FromMs(CreatedAt), UnixTime.FromMs(LastActiveAt), UnixTime.FromMs(ExpiresAt), Revoked)
            {
                LastIpAddress = LastIpAddress,
                DeviceType = DeviceType,
            };
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
