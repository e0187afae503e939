using Cognate.Core.Stores;
using Dapper;

namespace Cognate.Storage.Stores;

/// <summary><see cref="IOutboxStore"/> over SQLite or PostgreSQL: the development outbox, removed with its pool.</summary>
internal sealed class SqlOutboxStore : IOutboxStore
{
    private const string Columns =
        "id AS Id, user_pool_id AS UserPoolId, to_address AS ToAddress, subject AS Subject, body AS Body, code AS Code, sent_at AS SentAt";

    private readonly ISqlDatabase _db;

    /// <summary>Creates the store over <paramref name="database"/>.</summary>
    public SqlOutboxStore(ISqlDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _db = database;
    }

    /// <inheritdoc />
    /// <exception cref="System.Data.Common.DbException">The id exists.</exception>
    public async ValueTask AddAsync(OutboxMessage message, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        await using var connection = await _db.OpenWriteConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO outbox (id, user_pool_id, to_address, subject, body, code, sent_at)
            VALUES (@Id, @UserPoolId, @To, @Subject, @Body, @Code, @SentAt)
            """,
            new { message.Id, message.UserPoolId, message.To, message.Subject, message.Body, message.Code, SentAt = UnixTime.ToMs(message.SentAt) },
            cancellationToken: ct));
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<OutboxMessage>> ListAsync(string? to, int limit, CancellationToken ct = default)
    {
        if (limit <= 0)
        {
            return [];
        }

        await using var connection = await _db.OpenConnectionAsync(ct);
        var order = _db.Dialect.InsertionOrder;
        var sql = to is null
            ? $"SELECT {Columns} FROM outbox ORDER BY sent_at DESC, {order} DESC LIMIT @limit"
            : $"SELECT {Columns} FROM outbox WHERE to_address = @to ORDER BY sent_at DESC, {order} DESC LIMIT @limit";
        var rows = await connection.QueryAsync<MessageRow>(new CommandDefinition(sql, new { to, limit }, cancellationToken: ct));
        return rows.Select(r => new OutboxMessage(r.Id, r.UserPoolId, r.ToAddress, r.Subject, r.Body, r.Code, UnixTime.FromMs(r.SentAt))).ToList();
    }

    private sealed class MessageRow
    {
        public string Id { get; set; } = "";
        public string UserPoolId { get; set; } = "";
        public string ToAddress { get; set; } = "";
        public string Subject { get; set; } = "";
        public string Body { get; set; } = "";
        public string? Code { get; set; }
        public long SentAt { get; set; }
    }
}
