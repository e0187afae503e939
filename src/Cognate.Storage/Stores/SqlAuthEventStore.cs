using Cognate.Core.Stores;
using Dapper;

namespace Cognate.Storage.Stores;

/// <summary>
/// <see cref="IAuthEventStore"/> over SQLite or PostgreSQL: <c>auth_events</c>, indexed by (pool, username, time, id); the insert and
/// the retention delete of the user's old events run in one transaction.
/// </summary>
internal sealed class SqlAuthEventStore : IAuthEventStore
{
    private readonly ISqlDatabase _db;

    /// <summary>Creates the store over <paramref name="database"/>.</summary>
    public SqlAuthEventStore(ISqlDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _db = database;
    }

    /// <inheritdoc />
    /// <exception cref="System.Data.Common.DbException">The user does not exist (foreign key), or the event id is taken.</exception>
    public async ValueTask AddAsync(AuthEventRecord record, DateTimeOffset retainAfter, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await _db.WriteAsync(async (connection, tx) =>
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO auth_events (user_pool_id, username, event_id, event_type, event_response, challenge_name, challenge_response, created_at)
                VALUES (@UserPoolId, @Username, @EventId, @EventType, @EventResponse, @ChallengeName, @ChallengeResponse, @CreatedAt)
                """,
                new
                {
                    record.UserPoolId,
                    record.Username,
                    record.EventId,
                    record.EventType,
                    record.EventResponse,
                    record.ChallengeName,
                    record.ChallengeResponse,
                    CreatedAt = UnixTime.ToMs(record.CreatedAt),
                },
                tx,
                cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM auth_events WHERE user_pool_id = @UserPoolId AND username = @Username AND created_at < @retain",
                new { record.UserPoolId, record.Username, retain = UnixTime.ToMs(retainAfter) },
                tx,
                cancellationToken: ct));
            return 0;
        }, ct);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<AuthEventRecord>> ListAsync(string userPoolId, string username, DateTimeOffset? beforeTime, string? beforeId, int limit, CancellationToken ct = default)
    {
        await using var connection = await _db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            beforeTime is null
                ? $"{Select} ORDER BY created_at DESC, event_id DESC LIMIT @limit"
                : $"{Select} AND (created_at, event_id) < (@before, @beforeId) ORDER BY created_at DESC, event_id DESC LIMIT @limit",
            new { userPoolId, username, before = UnixTime.ToMs(beforeTime), beforeId = beforeId ?? "", limit },
            cancellationToken: ct));
        return rows.Select(r => new AuthEventRecord(r.EventId, userPoolId, username, r.EventType, r.EventResponse, r.ChallengeName, r.ChallengeResponse, UnixTime.FromMs(r.CreatedAt))).ToList();
    }

    private const string Select =
        """
        SELECT event_id AS EventId, event_type AS EventType, event_response AS EventResponse, challenge_name AS ChallengeName,
               challenge_response AS ChallengeResponse, created_at AS CreatedAt
        FROM auth_events
        WHERE user_pool_id = @userPoolId AND username = @username
        """;

    private sealed class Row
    {
        public string EventId { get; set; } = "";
        public string EventType { get; set; } = "";
        public string EventResponse { get; set; } = "";
        public string? ChallengeName { get; set; }
        public string? ChallengeResponse { get; set; }
        public long CreatedAt { get; set; }
    }
}
