using Cognate.Core.Stores;
using Dapper;

namespace Cognate.Storage.Stores;

/// <summary>
/// <see cref="IRefreshTokenStore"/> over SQLite or PostgreSQL, keyed by the token's SHA-256. Rows reference their client
/// and user (foreign keys) and are deleted with either. Rotation (migration 0010): tokens rotated from one another share
/// <c>family_id</c>; a rotated token carries <c>replaced_at</c>. A token bound to a device carries its <c>device_key</c> (migration 0019). Each row keeps the client IP and DeviceType of the request that wrote it
/// (migration 0022; <see cref="SqlSessionStore"/> reads them as the session's LastIPAddress and DeviceType).
/// </summary>
internal sealed class SqlRefreshTokenStore : IRefreshTokenStore
{
    private const string Columns =
        "token_hash AS TokenHash, user_pool_id AS UserPoolId, client_id AS ClientId, username AS Username, " +
        "origin_jti AS OriginJti, auth_time AS AuthTime, expires_at AS ExpiresAt, revoked AS Revoked, oauth_scopes AS OAuthScopes, " +
        "family_id AS FamilyId, replaced_at AS ReplacedAt, device_key AS DeviceKey, origin_session_id AS OriginSessionId";

    private const string Insert =
        """
        INSERT INTO refresh_tokens (token_hash, user_pool_id, client_id, username, origin_jti, auth_time, expires_at, revoked, oauth_scopes, family_id, replaced_at, device_key, last_ip_address, device_type, origin_session_id)
        VALUES (@TokenHash, @UserPoolId, @ClientId, @Username, @OriginJti, @AuthTime, @ExpiresAt, @Revoked, @OAuthScopes, @FamilyId, @ReplacedAt, @DeviceKey, @LastIpAddress, @DeviceType, @OriginSessionId)
        """;

    private readonly ISqlDatabase _db;

    /// <summary>Creates the store over <paramref name="database"/>.</summary>
    public SqlRefreshTokenStore(ISqlDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _db = database;
    }

    /// <inheritdoc />
    /// <exception cref="System.Data.Common.DbException">The hash or origin_jti exists, or the client or user does not.</exception>
    public async ValueTask CreateAsync(RefreshTokenRecord record, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await _db.WriteAsync((connection, tx) => connection.ExecuteAsync(new CommandDefinition(Insert, InsertParameters(record), tx, cancellationToken: ct)), ct);
    }

    private static object InsertParameters(RefreshTokenRecord record) => new
    {
        record.TokenHash,
        record.UserPoolId,
        record.ClientId,
        record.Username,
        record.OriginJti,
        AuthTime = UnixTime.ToMs(record.AuthTime),
        ExpiresAt = UnixTime.ToMs(record.ExpiresAt),
        record.Revoked,
        OAuthScopes = record.OAuthScopes is null ? null : string.Join(' ', record.OAuthScopes),
        FamilyId = record.Family,
        ReplacedAt = record.ReplacedAt is { } replaced ? UnixTime.ToMs(replaced) : (long?)null,
        record.DeviceKey,
        record.LastIpAddress,
        record.DeviceType,
        record.OriginSessionId,
    };

    /// <inheritdoc />
    public async ValueTask<RefreshTokenRecord?> GetAsync(byte[] tokenHash, CancellationToken ct = default)
    {
        await using var connection = await _db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<TokenRow>(new CommandDefinition(
            $"SELECT {Columns} FROM refresh_tokens WHERE token_hash = @tokenHash", new { tokenHash }, cancellationToken: ct));
        return row?.ToRecord();
    }

    /// <inheritdoc />
    public async ValueTask<RefreshTokenRecord?> GetByOriginJtiAsync(string originJti, CancellationToken ct = default)
    {
        await using var connection = await _db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<TokenRow>(new CommandDefinition(
            $"SELECT {Columns} FROM refresh_tokens WHERE origin_jti = @originJti", new { originJti }, cancellationToken: ct));
        return row?.ToRecord();
    }

    /// <inheritdoc />
    /// <remarks>Rows written before migration 0010 got <c>family_id = origin_jti</c> there, so every row has a family.</remarks>
    public async ValueTask<bool> RevokeAsync(byte[] tokenHash, CancellationToken ct = default)
    {
        return await _db.WriteAsync(async (connection, tx) =>
        {
            var family = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
                "SELECT family_id FROM refresh_tokens WHERE token_hash = @tokenHash", new { tokenHash }, tx, cancellationToken: ct));
            if (family is null) return false;
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE refresh_tokens SET revoked = TRUE WHERE family_id = @family AND NOT revoked", new { family }, tx, cancellationToken: ct));
            return true;
        }, ct);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Concurrency: the conditional UPDATE is the arbiter. SQLite runs writes one at a time; PostgreSQL (READ COMMITTED)
    /// makes a second UPDATE of the row wait for the first to commit and then re-checks its WHERE clause against the
    /// committed row, so with no grace period exactly one of two simultaneous rotations stores its replacement, and within
    /// a grace period both do (the first rotation time is kept by COALESCE).
    /// </remarks>
    public async ValueTask<bool> RotateAsync(byte[] presentedHash, RefreshTokenRecord replacement, DateTimeOffset now, DateTimeOffset replacedAfter, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(presentedHash);
        ArgumentNullException.ThrowIfNull(replacement);
        return await _db.WriteAsync(async (connection, tx) =>
        {
            var claimed = await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE refresh_tokens SET replaced_at = COALESCE(replaced_at, @now)
                WHERE token_hash = @presentedHash AND NOT revoked AND (replaced_at IS NULL OR replaced_at > @replacedAfter)
                """,
                new { presentedHash, now = UnixTime.ToMs(now), replacedAfter = UnixTime.ToMs(replacedAfter) },
                tx,
                cancellationToken: ct));
            if (claimed != 1) return false;
            await connection.ExecuteAsync(new CommandDefinition(Insert, InsertParameters(replacement), tx, cancellationToken: ct));
            return true;
        }, ct);
    }

    /// <inheritdoc />
    /// <remarks>Counts only tokens that were not already revoked.</remarks>
    public async ValueTask<int> RevokeAllForUserAsync(string userPoolId, string username, CancellationToken ct = default)
    {
        return await _db.WriteAsync((connection, tx) => connection.ExecuteAsync(new CommandDefinition(
            "UPDATE refresh_tokens SET revoked = TRUE WHERE user_pool_id = @userPoolId AND username = @username AND NOT revoked",
            new { userPoolId, username },
            tx,
            cancellationToken: ct)), ct);
    }

    private sealed class TokenRow
    {
        public byte[] TokenHash { get; set; } = [];
        public string UserPoolId { get; set; } = "";
        public string ClientId { get; set; } = "";
        public string Username { get; set; } = "";
        public string OriginJti { get; set; } = "";
        public long AuthTime { get; set; }
        public long ExpiresAt { get; set; }
        public bool Revoked { get; set; }
        public string? OAuthScopes { get; set; }
        public string? FamilyId { get; set; }
        public long? ReplacedAt { get; set; }
        public string? DeviceKey { get; set; }
        public string? OriginSessionId { get; set; }

        public RefreshTokenRecord ToRecord() =>
            new(TokenHash, UserPoolId, ClientId, Username, OriginJti, UnixTime.FromMs(AuthTime), UnixTime.FromMs(ExpiresAt), Revoked)
            {
                OAuthScopes = OAuthScopes?.Split(' ', StringSplitOptions.RemoveEmptyEntries),
                FamilyId = FamilyId,
                ReplacedAt = ReplacedAt is { } replaced ? UnixTime.FromMs(replaced) : null,
                DeviceKey = DeviceKey,
                OriginSessionId = OriginSessionId,
            };
    }
}
