using System.Text.Json;
using Cognate.Core.Risk;
using Cognate.Storage.Serialization;
using Dapper;

namespace Cognate.Storage.Stores;

/// <summary>
/// <see cref="IRiskConfigurationStore"/> over SQLite or PostgreSQL: <c>risk_configurations</c> keyed by (pool, client id; <c>''</c>
/// for the pool's own), the three parts as Cognito-shaped JSON. Written with one upsert (<c>ON CONFLICT … DO UPDATE</c>, the same
/// statement on both engines), so concurrent SetRiskConfiguration calls leave one of the written configurations whole; rows go
/// with the pool by cascade.
/// </summary>
internal sealed class SqlRiskConfigurationStore(ISqlDatabase db) : IRiskConfigurationStore
{
    /// <inheritdoc />
    public async ValueTask<RiskConfiguration?> GetAsync(string userPoolId, string? clientId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            """
            SELECT compromised_credentials AS Compromised, account_takeover AS Takeover, risk_exception AS Exceptions, modified_at AS ModifiedAt
            FROM risk_configurations WHERE user_pool_id = @userPoolId AND client_id = @client
            """,
            new { userPoolId, client = clientId ?? "" }, cancellationToken: ct));
        if (row is null) return null;
        var ctx = StorageJsonContext.Default;
        return new RiskConfiguration(userPoolId, clientId,
            row.Compromised is null ? null : JsonSerializer.Deserialize(row.Compromised, ctx.CompromisedCredentialsRiskConfigurationType),
            row.Takeover is null ? null : JsonSerializer.Deserialize(row.Takeover, ctx.AccountTakeoverRiskConfigurationType),
            row.Exceptions is null ? null : JsonSerializer.Deserialize(row.Exceptions, ctx.RiskExceptionConfigurationType),
            UnixTime.FromMs(row.ModifiedAt));
    }

    /// <inheritdoc />
    public async ValueTask PutAsync(RiskConfiguration configuration, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var ctx = StorageJsonContext.Default;
        await db.WriteAsync((connection, tx) => connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO risk_configurations (user_pool_id, client_id, compromised_credentials, account_takeover, risk_exception, modified_at)
            VALUES (@UserPoolId, @Client, @Compromised, @Takeover, @Exceptions, @ModifiedAt)
            ON CONFLICT (user_pool_id, client_id) DO UPDATE SET compromised_credentials = excluded.compromised_credentials,
                account_takeover = excluded.account_takeover, risk_exception = excluded.risk_exception, modified_at = excluded.modified_at
            """,
            new
            {
                configuration.UserPoolId,
                Client = configuration.ClientId ?? "",
                Compromised = configuration.CompromisedCredentialsRiskConfiguration is { } c ? JsonSerializer.Serialize(c, ctx.CompromisedCredentialsRiskConfigurationType) : null,
                Takeover = configuration.AccountTakeoverRiskConfiguration is { } t ? JsonSerializer.Serialize(t, ctx.AccountTakeoverRiskConfigurationType) : null,
                Exceptions = configuration.RiskExceptionConfiguration is { } e ? JsonSerializer.Serialize(e, ctx.RiskExceptionConfigurationType) : null,
                ModifiedAt = UnixTime.ToMs(configuration.LastModifiedDate ?? DateTimeOffset.UtcNow),
            },
            tx, cancellationToken: ct)), ct);
    }

    /// <inheritdoc />
    public async ValueTask DeleteAsync(string userPoolId, string? clientId, CancellationToken ct = default)
    {
        await db.WriteAsync((connection, tx) => connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM risk_configurations WHERE user_pool_id = @userPoolId AND client_id = @client",
            new { userPoolId, client = clientId ?? "" }, tx, cancellationToken: ct)), ct);
    }

    private sealed class Row
    {
        public string? Compromised { get; set; }
        public string? Takeover { get; set; }
        public string? Exceptions { get; set; }
        public long ModifiedAt { get; set; }
    }
}
