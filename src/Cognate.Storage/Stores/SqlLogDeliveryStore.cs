using System.Text.Json;
using Cognate.Core.LogDelivery;
using Dapper;

namespace Cognate.Storage.Stores;

/// <summary>
/// <see cref="ILogDeliveryStore"/> over SQLite or PostgreSQL: one row per pool in <c>log_delivery_configurations</c> with its
/// configurations as a JSON array, written by upsert (the last SetLogDeliveryConfiguration wins), deleted with the pool.
/// </summary>
internal sealed class SqlLogDeliveryStore(ISqlDatabase db) : ILogDeliveryStore
{
    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<LogConfiguration>> GetAsync(string userPoolId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var json = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT configurations_json FROM log_delivery_configurations WHERE user_pool_id = @userPoolId", new { userPoolId }, cancellationToken: ct));
        return json is null ? [] : JsonSerializer.Deserialize(json, TermsJsonContext.Default.ListLogConfiguration) ?? [];
    }

    /// <inheritdoc />
    public async ValueTask SetAsync(string userPoolId, IReadOnlyList<LogConfiguration> configurations, DateTimeOffset modifiedAt, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(configurations);
        await using var connection = await db.OpenWriteConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO log_delivery_configurations (user_pool_id, configurations_json, modified_at) VALUES (@userPoolId, @json, @modifiedAt)
            ON CONFLICT (user_pool_id) DO UPDATE SET configurations_json = excluded.configurations_json, modified_at = excluded.modified_at
            """,
            new { userPoolId, json = JsonSerializer.Serialize([.. configurations], TermsJsonContext.Default.ListLogConfiguration), modifiedAt = UnixTime.ToMs(modifiedAt) },
            cancellationToken: ct));
    }
}
