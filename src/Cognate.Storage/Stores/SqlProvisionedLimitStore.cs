using Cognate.Core.Limits;
using Dapper;

namespace Cognate.Storage.Stores;

/// <summary>
/// <see cref="IProvisionedLimitStore"/> over SQLite or PostgreSQL: <c>provisioned_limits</c>, one row per quota category,
/// written with an upsert (<c>ON CONFLICT (category) DO UPDATE</c>, the same statement on both engines), so concurrent updates
/// of one category leave the last one.
/// </summary>
internal sealed class SqlProvisionedLimitStore(ISqlDatabase db) : IProvisionedLimitStore
{
    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<ProvisionedLimit>> ListAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            "SELECT category AS Category, requests_per_second AS RequestsPerSecond, modified_at AS ModifiedAt FROM provisioned_limits ORDER BY category",
            cancellationToken: ct));
        return rows.Select(r => new ProvisionedLimit(r.Category, (int)r.RequestsPerSecond, UnixTime.FromMs(r.ModifiedAt))).ToList();
    }

    /// <inheritdoc />
    public async ValueTask PutAsync(ProvisionedLimit limit, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(limit);
        await using var connection = await db.OpenWriteConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO provisioned_limits (category, requests_per_second, modified_at) VALUES (@Category, @RequestsPerSecond, @ModifiedAt)
            ON CONFLICT (category) DO UPDATE SET requests_per_second = excluded.requests_per_second, modified_at = excluded.modified_at
            """,
            new { limit.Category, RequestsPerSecond = (long)limit.RequestsPerSecond, ModifiedAt = UnixTime.ToMs(limit.ModifiedAt) }, cancellationToken: ct));
    }

    private sealed class Row
    {
        public string Category { get; set; } = "";
        public long RequestsPerSecond { get; set; }
        public long ModifiedAt { get; set; }
    }
}
