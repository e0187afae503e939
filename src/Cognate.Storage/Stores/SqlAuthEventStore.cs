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
                INSERT INTO auth_events (user_pool_id, username, event_id, event_type, event_response, challenge_name, challenge_response, created_at,
                                         risk_decision, risk_level, compromised_credentials, ip_address, feedback_token_hash)
                VALUES (@UserPoolId, @Username, @EventId, @EventType, @EventResponse, @ChallengeName, @ChallengeResponse, @CreatedAt,
                        @RiskDecision, @RiskLevel, @Compromised, @IpAddress, @FeedbackTokenHash)
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
                    RiskDecision = record.Risk?.RiskDecision,
                    RiskLevel = record.Risk?.RiskLevel,
                    Compromised = record.Risk is null ? (long?)null : record.Risk.CompromisedCredentialsDetected ? 1L : 0L,
                    record.IpAddress,
                    record.FeedbackTokenHash,
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
        return rows.Select(r => r.ToRecord(userPoolId, username)).ToList();
    }

    /// <inheritdoc />
    public async ValueTask<AuthEventRecord?> GetAsync(string userPoolId, string username, string eventId, CancellationToken ct = default)
    {
        await using var connection = await _db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"{Select} AND event_id = @eventId", new { userPoolId, username, eventId }, cancellationToken: ct));
        return row?.ToRecord(userPoolId, username);
    }

    /// <inheritdoc />
    public async ValueTask<bool> SetFeedbackAsync(string userPoolId, string username, string eventId, AuthEventFeedback feedback, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        int changed = await _db.WriteAsync((connection, tx) => connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE auth_events SET feedback_value = @FeedbackValue, feedback_provider = @Provider, feedback_at = @At
            WHERE user_pool_id = @userPoolId AND username = @username AND event_id = @eventId
            """,
            new { feedback.FeedbackValue, feedback.Provider, At = UnixTime.ToMs(feedback.FeedbackDate), userPoolId, username, eventId },
            tx, cancellationToken: ct)), ct);
        return changed > 0;
    }

    private const string Select =
        """
        SELECT event_id AS EventId, event_type AS EventType, event_response AS EventResponse, challenge_name AS ChallengeName,
               challenge_response AS ChallengeResponse, created_at AS CreatedAt, risk_decision AS RiskDecision, risk_level AS RiskLevel,
               compromised_credentials AS Compromised, ip_address AS IpAddress, feedback_token_hash AS FeedbackTokenHash,
               feedback_value AS FeedbackValue, feedback_provider AS FeedbackProvider, feedback_at AS FeedbackAt
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
        public string? RiskDecision { get; set; }
        public string? RiskLevel { get; set; }
        public long? Compromised { get; set; }
        public string? IpAddress { get; set; }
        public byte[]? FeedbackTokenHash { get; set; }
        public string? FeedbackValue { get; set; }
        public string? FeedbackProvider { get; set; }
        public long? FeedbackAt { get; set; }

        public AuthEventRecord ToRecord(string userPoolId, string username) =>
            new(EventId, userPoolId, username, EventType, EventResponse, ChallengeName, ChallengeResponse, UnixTime.FromMs(CreatedAt))
            {
                Risk = RiskDecision is null ? null : new AuthEventRisk(RiskDecision, RiskLevel, Compromised == 1),
                IpAddress = IpAddress,
                FeedbackTokenHash = FeedbackTokenHash,
                Feedback = FeedbackValue is null || FeedbackAt is null ? null : new AuthEventFeedback(FeedbackValue, FeedbackProvider ?? "Admin", UnixTime.FromMs(FeedbackAt.Value)),
            };
    }
}
