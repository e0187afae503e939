using System.Data.Common;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cognate.Core.IdentityProviders;
using Cognate.Storage.Secrets;
using Dapper;

namespace Cognate.Storage.Stores;

/// <summary>
/// <see cref="IIdentityProviderStore"/> over SQLite or PostgreSQL: <c>identity_providers</c> keyed by (pool, provider name) and
/// <c>identity_provider_identifiers</c> keyed by (pool, identifier), so the database itself refuses an IdpIdentifier that another
/// provider of the pool holds (also between concurrent writers). ProviderDetails are stored as JSON without the secret keys
/// (<see cref="SecretKeys"/>); those are sealed together with <see cref="ISecretSealer"/> (associated data
/// <c>"idp-secrets:" + pool + "/" + name</c>, see <see cref="SealedSecrets.IdentityProviderSecretsContext"/>) into
/// <c>secrets_sealed</c>. Names and identifiers compare by byte on both engines, so pages follow the same order. Deleting the pool
/// deletes its providers and identifiers (foreign-key cascade). The 300-per-pool quota is the service's check before the insert.
/// </summary>
internal sealed class SqlIdentityProviderStore(ISqlDatabase db, ISecretSealer sealer) : IIdentityProviderStore
{
    /// <summary>The ProviderDetails keys that are sealed at rest: OAuth client secrets and Sign in with Apple's private key.</summary>
    public static readonly IReadOnlyList<string> SecretKeys = ["client_secret", "private_key"];

    private const string Columns =
        "user_pool_id AS UserPoolId, provider_name AS ProviderName, provider_type AS ProviderType, details_json AS DetailsJson, " +
        "secrets_sealed AS SecretsSealed, attribute_mapping_json AS MappingJson, created_at AS CreatedAt, modified_at AS ModifiedAt";

    /// <inheritdoc />
    public async ValueTask<IdentityProviderWriteResult> CreateAsync(IdentityProvider provider, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(provider);
        var parameters = Parameters(provider);
        try
        {
            return await db.WriteAsync(async (connection, tx) =>
            {
                var inserted = await connection.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO identity_providers (user_pool_id, provider_name, provider_type, details_json, secrets_sealed, attribute_mapping_json, created_at, modified_at)
                    VALUES (@UserPoolId, @ProviderName, @ProviderType, @DetailsJson, @SecretsSealed, @MappingJson, @CreatedAt, @ModifiedAt)
                    ON CONFLICT (user_pool_id, provider_name) DO NOTHING
                    """,
                    parameters, tx, cancellationToken: ct));
                if (inserted == 0) return IdentityProviderWriteResult.NameTaken;
                await InsertIdentifiersAsync(connection, tx, provider, ct);
                return IdentityProviderWriteResult.Ok;
            }, ct);
        }
        catch (DbException e) when (db.Dialect.IsUniqueViolation(e))
        {
            return IdentityProviderWriteResult.IdentifierTaken;
        }
        catch (DbException e) when (db.Dialect.IsForeignKeyViolation(e))
        {
            throw Core.Errors.CognitoErrors.UserPoolNotFound(provider.UserPoolId); // the pool was deleted meanwhile
        }
    }

    /// <inheritdoc />
    public async ValueTask<IdentityProvider?> GetAsync(string userPoolId, string providerName, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM identity_providers WHERE user_pool_id = @userPoolId AND provider_name = @providerName",
            new { userPoolId, providerName }, cancellationToken: ct));
        if (row is null) return null;
        return (await ToProvidersAsync(connection, [row], ct))[0];
    }

    /// <inheritdoc />
    public async ValueTask<IdentityProvider?> GetByIdentifierAsync(string userPoolId, string idpIdentifier, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"""
            SELECT {Columns} FROM identity_providers
            WHERE user_pool_id = @userPoolId AND provider_name =
                (SELECT provider_name FROM identity_provider_identifiers WHERE user_pool_id = @userPoolId AND idp_identifier = @idpIdentifier)
            """,
            new { userPoolId, idpIdentifier }, cancellationToken: ct));
        if (row is null) return null;
        return (await ToProvidersAsync(connection, [row], ct))[0];
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<IdentityProvider>> ListAsync(string userPoolId, string? afterName, int limit, CancellationToken ct = default)
    {
        if (limit <= 0) return [];
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition(
            $"""
            SELECT {Columns} FROM identity_providers
            WHERE user_pool_id = @userPoolId AND (@afterName IS NULL OR provider_name > @afterName)
            ORDER BY provider_name LIMIT @limit
            """,
            new { userPoolId, afterName, limit }, cancellationToken: ct))).ToList();
        return await ToProvidersAsync(connection, rows, ct);
    }

    /// <inheritdoc />
    public async ValueTask<IdentityProviderWriteResult> UpdateAsync(IdentityProvider provider, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(provider);
        var parameters = Parameters(provider);
        try
        {
            return await db.WriteAsync(async (connection, tx) =>
            {
                var updated = await connection.ExecuteAsync(new CommandDefinition(
                    """
                    UPDATE identity_providers
                    SET details_json = @DetailsJson, secrets_sealed = @SecretsSealed, attribute_mapping_json = @MappingJson, modified_at = @ModifiedAt
                    WHERE user_pool_id = @UserPoolId AND provider_name = @ProviderName
                    """,
                    parameters, tx, cancellationToken: ct));
                if (updated == 0) return IdentityProviderWriteResult.NotFound;
                await connection.ExecuteAsync(new CommandDefinition(
                    "DELETE FROM identity_provider_identifiers WHERE user_pool_id = @UserPoolId AND provider_name = @ProviderName",
                    new { provider.UserPoolId, provider.ProviderName }, tx, cancellationToken: ct));
                await InsertIdentifiersAsync(connection, tx, provider, ct);
                return IdentityProviderWriteResult.Ok;
            }, ct);
        }
        catch (DbException e) when (db.Dialect.IsUniqueViolation(e))
        {
            return IdentityProviderWriteResult.IdentifierTaken;
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> DeleteAsync(string userPoolId, string providerName, CancellationToken ct = default) =>
        await db.WriteAsync(async (connection, tx) =>
        {
            // The identifiers go by cascade too; deleted first so the statement does not depend on the engine's cascade order.
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM identity_provider_identifiers WHERE user_pool_id = @userPoolId AND provider_name = @providerName",
                new { userPoolId, providerName }, tx, cancellationToken: ct));
            return await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM identity_providers WHERE user_pool_id = @userPoolId AND provider_name = @providerName",
                new { userPoolId, providerName }, tx, cancellationToken: ct)) == 1;
        }, ct);

    /// <inheritdoc />
    public async ValueTask<int> CountAsync(string userPoolId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return (int)await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM identity_providers WHERE user_pool_id = @userPoolId", new { userPoolId }, cancellationToken: ct));
    }

    private static async Task InsertIdentifiersAsync(DbConnection connection, DbTransaction tx, IdentityProvider provider, CancellationToken ct)
    {
        for (var i = 0; i < provider.IdpIdentifiers.Count; i++)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO identity_provider_identifiers (user_pool_id, idp_identifier, provider_name, position)
                VALUES (@UserPoolId, @Identifier, @ProviderName, @Position)
                """,
                new { provider.UserPoolId, Identifier = provider.IdpIdentifiers[i], provider.ProviderName, Position = i }, tx, cancellationToken: ct));
        }
    }

    private async Task<List<IdentityProvider>> ToProvidersAsync(DbConnection connection, List<Row> rows, CancellationToken ct)
    {
        var result = new List<IdentityProvider>(rows.Count);
        if (rows.Count == 0) return result;
        var names = rows.Select(r => r.ProviderName).ToArray();
        var identifiers = (await connection.QueryAsync<IdentifierRow>(new CommandDefinition(
            $"""
            SELECT provider_name AS ProviderName, idp_identifier AS Identifier, position AS Position
            FROM identity_provider_identifiers WHERE user_pool_id = @userPoolId AND provider_name IN ({string.Join(", ", names.Select((_, i) => "@n" + i))})
            """,
            Names(rows[0].UserPoolId, names), cancellationToken: ct)))
            .GroupBy(r => r.ProviderName, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.OrderBy(r => r.Position).Select(r => r.Identifier).ToList(), StringComparer.Ordinal);
        foreach (var row in rows)
        {
            result.Add(new IdentityProvider
            {
                UserPoolId = row.UserPoolId,
                ProviderName = row.ProviderName,
                ProviderType = row.ProviderType,
                ProviderDetails = Merge(Deserialize(row.DetailsJson), Unseal(row.UserPoolId, row.ProviderName, row.SecretsSealed)),
                AttributeMapping = Deserialize(row.MappingJson),
                IdpIdentifiers = identifiers.GetValueOrDefault(row.ProviderName) ?? [],
                CreatedAt = UnixTime.FromMs(row.CreatedAt),
                ModifiedAt = UnixTime.FromMs(row.ModifiedAt),
            });
        }
        return result;
    }

    private static DynamicParameters Names(string userPoolId, string[] names)
    {
        var p = new DynamicParameters();
        p.Add("userPoolId", userPoolId);
        for (var i = 0; i < names.Length; i++) p.Add("n" + i, names[i]);
        return p;
    }

    private object Parameters(IdentityProvider p)
    {
        var plain = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var secrets = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in p.ProviderDetails)
        {
            (SecretKeys.Contains(key, StringComparer.Ordinal) ? secrets : plain)[key] = value;
        }
        return new
        {
            p.UserPoolId,
            p.ProviderName,
            p.ProviderType,
            DetailsJson = Serialize(plain),
            SecretsSealed = secrets.Count == 0 ? null : Seal(p.UserPoolId, p.ProviderName, secrets),
            MappingJson = Serialize(new SortedDictionary<string, string>(p.AttributeMapping.ToDictionary(), StringComparer.Ordinal)),
            CreatedAt = UnixTime.ToMs(p.CreatedAt),
            ModifiedAt = UnixTime.ToMs(p.ModifiedAt),
        };
    }

    private byte[] Seal(string userPoolId, string providerName, SortedDictionary<string, string> secrets)
    {
        var plain = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>(secrets, StringComparer.Ordinal), IdentityProviderJsonContext.Default.DictionaryStringString);
        try
        {
            return sealer.Seal(plain, SealedSecrets.IdentityProviderSecretsContext(userPoolId, providerName));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    private Dictionary<string, string> Unseal(string userPoolId, string providerName, byte[]? sealedSecrets)
    {
        if (sealedSecrets is null) return [];
        var plain = sealer.Unseal(sealedSecrets, SealedSecrets.IdentityProviderSecretsContext(userPoolId, providerName));
        try
        {
            return JsonSerializer.Deserialize(plain, IdentityProviderJsonContext.Default.DictionaryStringString) ?? [];
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    private static string Serialize(SortedDictionary<string, string> map) =>
        JsonSerializer.Serialize(new Dictionary<string, string>(map, StringComparer.Ordinal), IdentityProviderJsonContext.Default.DictionaryStringString);

    private static Dictionary<string, string> Deserialize(string json) =>
        JsonSerializer.Deserialize(json, IdentityProviderJsonContext.Default.DictionaryStringString) ?? [];

    /// <summary>Plain and secret details as one map, keys in ordinal order (the order Cognito lists them in).</summary>
    private static Dictionary<string, string> Merge(Dictionary<string, string> plain, Dictionary<string, string> secrets)
    {
        var all = new SortedDictionary<string, string>(plain, StringComparer.Ordinal);
        foreach (var (k, v) in secrets) all[k] = v;
        return new Dictionary<string, string>(all, StringComparer.Ordinal);
    }

    private sealed class Row
    {
        public string UserPoolId { get; set; } = "";
        public string ProviderName { get; set; } = "";
        public string ProviderType { get; set; } = "";
        public string DetailsJson { get; set; } = "{}";
        public byte[]? SecretsSealed { get; set; }
        public string MappingJson { get; set; } = "{}";
        public long CreatedAt { get; set; }
        public long ModifiedAt { get; set; }
    }

    private sealed class IdentifierRow
    {
        public string ProviderName { get; set; } = "";
        public string Identifier { get; set; } = "";
        public long Position { get; set; }
    }
}

/// <summary>JSON columns of <see cref="SqlIdentityProviderStore"/> (details, mapping, the sealed secrets document).</summary>
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class IdentityProviderJsonContext : JsonSerializerContext;
