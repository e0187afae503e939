using Cognate.Core.Stores;
using Dapper;

namespace Cognate.Storage.Stores;

/// <summary>
/// <see cref="IAuthSessionStore"/> over SQLite or PostgreSQL, keyed by the SHA-256 of the Session string.
/// <see cref="TakeAsync"/> is a single <c>DELETE … RETURNING</c>, so of concurrent takers exactly one gets the row.
/// </summary>
internal sealed class SqlAuthSessionStore : IAuthSessionStore
{
    private readonly ISqlDatabase _db;

    /// <summary>Creates the store over <paramref name="database"/>.</summary>
    public SqlAuthSessionStore(ISqlDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _db = database;
    }

    /// <inheritdoc />
    /// <exception cref="System.Data.Common.DbException">The hash exists, or the pool or client does not.</exception>
    public async ValueTask CreateAsync(AuthSessionRecord session, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        await _db.WriteAsync((connection, tx) => connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO auth_sessions (session_hash, user_pool_id, client_id, username, challenge_name, data, expires_at)
            VALUES (@SessionHash, @UserPoolId, @ClientId, @Username, @ChallengeName, @Data, @ExpiresAt)
            """,
            new
            {
                session.SessionHash,
                session.UserPoolId,
                session.ClientId,
                session.Username,
                session.ChallengeName,
                session.Data,
                ExpiresAt = UnixTime.ToMs(session.ExpiresAt),
            },
            tx,
            cancellationToken: ct)), ct);
    }

    /// <inheritdoc />
    public async ValueTask<AuthSessionRecord?> TakeAsync(byte[] sessionHash, CancellationToken ct = default)
    {
        var row = await _db.WriteAsync((connection, tx) => connection.QuerySingleOrDefaultAsync<SessionRow>(new CommandDefinition(
            """
            DELETE FROM auth_sessions WHERE session_hash = @sessionHash
            RETURNING session_hash AS SessionHash, user_pool_id AS UserPoolId, client_id AS ClientId, username AS Username,
                      challenge_name AS ChallengeName, data AS Data, expires_at AS ExpiresAt
            """,
            new { sessionHash },
            tx,
            cancellationToken: ct)), ct);
        return row is null
            ? null
            : new AuthSessionRecord(row.SessionHash, row.UserPoolId, row.ClientId, row.Username, row.ChallengeName, row.Data, UnixTime.FromMs(row.ExpiresAt));
    }

    private sealed class SessionRow
    {
        public byte[] SessionHash { get; set; } = [];
        public string UserPoolId { get; set; } = "";
        public string ClientId { get; set; } = "";
        public string Username { get; set; } = "";
        public string ChallengeName { get; set; } = "";
        public string Data { get; set; } = "";
        public long ExpiresAt { get; set; }
    }
}
