using System.Data.Common;
using Cognate.Core.Clients;
using Cognate.Core.Stores;
using Cognate.Storage.Secrets;
using Cognate.Storage.Serialization;
using Dapper;

namespace Cognate.Storage.Stores;

/// <summary>
/// <see cref="IAppClientStore"/> over SQLite or PostgreSQL. The client secret is sealed with <see cref="ISecretSealer"/>
/// (associated data <c>"client-secret:" + clientId</c>) into <c>secret_sealed</c>, a second secret (rotation, migration 0018)
/// with <c>"client-secret-2:" + clientId</c> into <c>secret2_sealed</c>; the config is JSON.
/// Deleting a client cascades to its refresh tokens and sessions.
/// </summary>
/// <remarks>
/// <see cref="AppClient.Version"/> is init-only, so <see cref="UpdateAsync"/> cannot bump it on the caller's
/// object: after a successful update the stored version is <c>client.Version + 1</c>.
/// </remarks>
internal sealed class SqlAppClientStore : IAppClientStore
{
    private const string Columns =
        "client_id AS ClientId, user_pool_id AS UserPoolId, secret_sealed AS SecretSealed, created_at AS CreatedAt, " +
        "modified_at AS ModifiedAt, version AS Version, config_json AS ConfigJson, secret_created_at AS SecretCreatedAt, " +
        "secret2_sealed AS Secret2Sealed, secret2_created_at AS Secret2CreatedAt";

    private readonly ISqlDatabase _db;
    private readonly ISecretSealer _sealer;

    /// <summary>Creates the store over <paramref name="database"/>, sealing secrets with <paramref name="sealer"/>.</summary>
    public SqlAppClientStore(ISqlDatabase database, ISecretSealer sealer)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(sealer);
        _db = database;
        _sealer = sealer;
    }

    /// <inheritdoc />
    public async ValueTask<bool> CreateAsync(AppClient client, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var parameters = Parameters(client);
        await using var connection = await _db.OpenWriteConnectionAsync(ct);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO app_clients (client_id, user_pool_id, secret_sealed, created_at, modified_at, version, config_json,
                                         secret_created_at, secret2_sealed, secret2_created_at)
                VALUES (@ClientId, @UserPoolId, @SecretSealed, @CreatedAt, @ModifiedAt, @Version, @ConfigJson,
                        @SecretCreatedAt, @Secret2Sealed, @Secret2CreatedAt)
                """,
                parameters,
                cancellationToken: ct));
            return true;
        }
        catch (DbException e) when (_db.Dialect.IsUniqueViolation(e))
        {
            return false;
        }
    }

    /// <inheritdoc />
    public async ValueTask<AppClient?> GetAsync(string clientId, CancellationToken ct = default)
    {
        await using var connection = await _db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<ClientRow>(new CommandDefinition(
            $"SELECT {Columns} FROM app_clients WHERE client_id = @clientId", new { clientId }, cancellationToken: ct));
        return row is null ? null : ToClient(row);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<AppClient>> ListAsync(string userPoolId, string? afterId, int limit, CancellationToken ct = default)
    {
        if (limit <= 0)
        {
            return [];
        }

        await using var connection = await _db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<ClientRow>(new CommandDefinition(
            $"""
            SELECT {Columns} FROM app_clients
            WHERE user_pool_id = @userPoolId AND (@afterId IS NULL OR client_id > @afterId)
            ORDER BY client_id LIMIT @limit
            """,
            new { userPoolId, afterId, limit },
            cancellationToken: ct));
        return rows.Select(ToClient).ToList();
    }

    /// <inheritdoc />
    public async ValueTask<bool> UpdateAsync(AppClient client, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var parameters = Parameters(client);
        await using var connection = await _db.OpenWriteConnectionAsync(ct);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE app_clients
            SET secret_sealed = @SecretSealed, modified_at = @ModifiedAt, config_json = @ConfigJson, version = version + 1,
                secret_created_at = @SecretCreatedAt, secret2_sealed = @Secret2Sealed, secret2_created_at = @Secret2CreatedAt
            WHERE client_id = @ClientId AND user_pool_id = @UserPoolId AND version = @Version
            """,
            parameters,
            cancellationToken: ct));
        return changed == 1;
    }

    /// <inheritdoc />
    public async ValueTask<bool> DeleteAsync(string userPoolId, string clientId, CancellationToken ct = default)
    {
        await using var connection = await _db.OpenWriteConnectionAsync(ct);
        await using var tx = await _db.BeginWriteTransactionAsync(connection, ct);
        var deleted = await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM app_clients WHERE user_pool_id = @userPoolId AND client_id = @clientId",
            new { userPoolId, clientId }, tx,
            cancellationToken: ct));
        // The client's hosted UI customization and managed login branding go with it (no foreign key: 'ALL' is no client).
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM ui_customizations WHERE user_pool_id = @userPoolId AND client_id = @clientId",
            new { userPoolId, clientId }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM managed_login_brandings WHERE user_pool_id = @userPoolId AND client_id = @clientId",
            new { userPoolId, clientId }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return deleted == 1;
    }

    private object Parameters(AppClient client) => new
    {
        client.ClientId,
        client.UserPoolId,
        SecretSealed = SealedSecrets.SealClientSecret(_sealer, client.ClientId, client.ClientSecret),
        CreatedAt = UnixTime.ToMs(client.CreatedAt),
        ModifiedAt = UnixTime.ToMs(client.ModifiedAt),
        client.Version,
        ConfigJson = StorageJson.Serialize(client.Config),
        SecretCreatedAt = client.SecretCreatedAt is { } created ? UnixTime.ToMs(created) : (long?)null,
        Secret2Sealed = client.SecondSecret is { } second ? SealedSecrets.SealSecondClientSecret(_sealer, client.ClientId, second.Value) : null,
        Secret2CreatedAt = client.SecondSecret is { } s2 ? UnixTime.ToMs(s2.CreatedAt) : (long?)null,
    };

    private AppClient ToClient(ClientRow row) => new()
    {
        ClientId = row.ClientId,
        UserPoolId = row.UserPoolId,
        ClientSecret = SealedSecrets.UnsealClientSecret(_sealer, row.ClientId, row.SecretSealed),
        CreatedAt = UnixTime.FromMs(row.CreatedAt),
        ModifiedAt = UnixTime.FromMs(row.ModifiedAt),
        Version = row.Version,
        Config = StorageJson.DeserializeClientConfig(row.ConfigJson),
        SecretCreatedAt = row.SecretCreatedAt is { } created ? UnixTime.FromMs(created) : null,
        SecondSecret = row.Secret2Sealed is { } second && row.Secret2CreatedAt is { } secondCreated
            ? new AppClientSecret(SealedSecrets.UnsealSecondClientSecret(_sealer, row.ClientId, second), UnixTime.FromMs(secondCreated))
            : null,
    };

    private sealed class ClientRow
    {
        public string ClientId { get; set; } = "";
        public string UserPoolId { get; set; } = "";
        public byte[]? SecretSealed { get; set; }
        public long CreatedAt { get; set; }
        public long ModifiedAt { get; set; }
        public long Version { get; set; }
        public string ConfigJson { get; set; } = "";
        public long? SecretCreatedAt { get; set; }
        public byte[]? Secret2Sealed { get; set; }
        public long? Secret2CreatedAt { get; set; }
    }
}
