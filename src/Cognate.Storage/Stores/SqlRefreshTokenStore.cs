using Cognate.Core.Stores;
using Dapper;

namespace Cognate.Storage.Stores;

/// <summary>
/// <see cref="IRefreshTokenStore"/> over SQLite or PostgreSQL, keyed by the token's SHA-256. Rows reference their client
/// and user (foreign keys) and are deleted with either.
/// </summary>
internal sealed class SqlRefreshTokenStore : IRefreshTokenStore
{
    private const string Columns =
        "token_hash AS TokenHash, user_pool_id AS UserPoolId, client_id AS ClientId, username AS Username, " +
        "origin_jti AS OriginJti, auth_time AS AuthTime, expires_at AS ExpiresAt, revoked AS Revoked, oauth_scopes AS OAuthScopes";

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
        await _db.WriteAsync((connection, tx) => connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO refresh_tokens (token_hash, user_pool_id, client_id, username, origin_jti, auth_time, expires_at, revoked, oauth_scopes)
            VALUES (@TokenHash, @UserPoolId, @ClientId, @Username, @OriginJti, @AuthTime, @ExpiresAt, @Revoked, @OAuthScopes)
            """,
            new
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
            },
            tx,
            cancellationToken: ct)), ct);
    }

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
    public async ValueTask<bool> RevokeAsync(byte[] tokenHash, CancellationToken ct = default)
    {
        var changed = await _db.WriteAsync((connection, tx) => connection.ExecuteAsync(new CommandDefinition(
            "UPDATE refresh_tokens SET revoked = TRUE WHERE token_hash = @tokenHash", new { tokenHash }, tx, cancellationToken: ct)), ct);
        return changed == 1;
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

        public RefreshTokenRecord ToRecord() =>
            new(TokenHash, UserPoolId, ClientId, Username, OriginJti, UnixTime.FromMs(AuthTime), UnixTime.FromMs(ExpiresAt), Revoked)
            {
                OAuthScopes = OAuthScopes?.Split(' ', StringSplitOptions.RemoveEmptyEntries),
            };
    }
}
