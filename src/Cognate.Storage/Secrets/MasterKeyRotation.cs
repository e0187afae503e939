using System.Data.Common;
using System.Security.Cryptography;
using Dapper;

namespace Cognate.Storage.Secrets;

/// <summary>Outcome of <see cref="MasterKeyRotation.RekeyAsync"/>: per table, how many values were re-sealed.</summary>
/// <param name="Resealed">Table name → values re-encrypted under the new key.</param>
/// <param name="AlreadyCurrent">Values that already opened under the new key (a repeated run) and were left alone.</param>
public sealed record RekeyResult(IReadOnlyDictionary<string, int> Resealed, int AlreadyCurrent)
{
    /// <summary>Sum of <see cref="Resealed"/>.</summary>
    public int Total => Resealed.Values.Sum();
}

/// <summary>
/// Master-key rotation: re-encrypts every sealed column from the current <c>Cognate:MasterKey</c> to a new one in
/// one transaction that excludes concurrent writers of those tables, so the database is either entirely under the
/// old key or entirely under the new one. Run with every node stopped, then start them all with the new key.
/// </summary>
/// <remarks>
/// <para>The sealed columns and their associated data are listed in <see cref="Columns"/>: a migration that adds a
/// sealed column must add a line there (and a test in the storage specification).</para>
/// <para>A value that does not open under the old key but opens under the new one is counted as already current, so
/// running the command twice is harmless; a value that opens under neither stops the run and changes nothing.</para>
/// </remarks>
public static class MasterKeyRotation
{
    /// <summary>A sealed column: its table, the key columns (text), the blob column and its associated data from the keys.</summary>
    internal sealed record SealedColumn(string Table, string[] Keys, string Column, Func<string[], string> Context);

    /// <summary>Every sealed column of the schema (both providers share the names).</summary>
    internal static readonly SealedColumn[] Columns =
    [
        new("app_clients", ["client_id"], "secret_sealed", k => SealedSecrets.ClientSecretContext(k[0])),
        new("app_clients", ["client_id"], "secret2_sealed", k => SealedSecrets.SecondClientSecretContext(k[0])),
        new("users", ["user_pool_id", "username"], "password_sealed", k => SealedSecrets.PasswordContext(k[0], k[1])),
        new("signing_keys", ["user_pool_id", "kid"], "private_sealed", k => SealedSecrets.SigningKeyContext(k[0], k[1])),
        new("user_mfa", ["user_pool_id", "username"], "data_sealed", k => "mfa:" + k[0] + "/" + k[1]),
        new("identity_providers", ["user_pool_id", "provider_name"], "secrets_sealed", k => SealedSecrets.IdentityProviderSecretsContext(k[0], k[1])),
        new("saml_sp_keys", ["user_pool_id", "use"], "private_sealed", k => Cognate.Core.Federation.Saml.SamlSpKeyService.Context(k[0], k[1])),
        new("devices", ["user_pool_id", "device_key"], "verifier_sealed", k => Stores.SqlDeviceStore.Context(k[0], k[1])),
    ];

    /// <summary>Re-seals every secret at rest from <paramref name="current"/> to <paramref name="next"/>.</summary>
    /// <param name="storage">The registered storage (SQLite or PostgreSQL), already migrated.</param>
    /// <param name="current">Sealer under the key the data is sealed with now.</param>
    /// <param name="next">Sealer under the new key.</param>
    /// <param name="ct">Cancellation (before commit, nothing is changed).</param>
    /// <returns>How many values were re-sealed, per table.</returns>
    /// <exception cref="CryptographicException">A value opens under neither key (wrong old key?); nothing was changed.</exception>
    /// <exception cref="NotSupportedException"><paramref name="storage"/> is not one of Cognate's SQL providers.</exception>
    public static async Task<RekeyResult> RekeyAsync(IStorageInitializer storage, ISecretSealer current, ISecretSealer next, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(next);
        var database = storage as ISqlDatabase ?? throw new NotSupportedException($"{storage?.GetType().Name} is not a Cognate SQL database.");
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var tx = await database.BeginExclusiveAsync(connection, Columns.Select(c => c.Table).Distinct().ToList(), ct);
        var resealed = new Dictionary<string, int>(StringComparer.Ordinal);
        var alreadyCurrent = 0;
        foreach (var column in Columns)
        {
            var rows = await ReadAsync(connection, tx, column, ct);
            var count = 0;
            foreach (var (keys, blob) in rows)
            {
                var context = column.Context(keys);
                byte[] plain;
                try
                {
                    plain = current.Unseal(blob, context);
                }
                catch (CryptographicException)
                {
                    try
                    {
                        CryptographicOperations.ZeroMemory(next.Unseal(blob, context));
                        alreadyCurrent++;
                        continue;
                    }
                    catch (CryptographicException)
                    {
                        throw new CryptographicException(
                            $"A value in {column.Table}.{column.Column} opens under neither the old nor the new master key; nothing was changed.");
                    }
                }

                byte[] resealedBlob;
                try
                {
                    resealedBlob = next.Seal(plain, context);
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(plain);
                }

                var where = string.Join(" AND ", column.Keys.Select((k, i) => $"{k} = @k{i}"));
                var parameters = new DynamicParameters();
                parameters.Add("v", resealedBlob);
                for (var i = 0; i < keys.Length; i++)
                {
                    parameters.Add("k" + i, keys[i]);
                }

                await connection.ExecuteAsync(new CommandDefinition(
                    $"UPDATE {column.Table} SET {column.Column} = @v WHERE {where}", parameters, tx, cancellationToken: ct));
                count++;
            }

            resealed[column.Table] = resealed.GetValueOrDefault(column.Table) + count;
        }

        await tx.CommitAsync(ct);
        return new RekeyResult(resealed, alreadyCurrent);
    }

    private static async Task<List<(string[] Keys, byte[] Blob)>> ReadAsync(DbConnection connection, DbTransaction tx, SealedColumn column, CancellationToken ct)
    {
        var rows = new List<(string[], byte[])>();
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
#pragma warning disable CA2100 // Names come from the code's own list, never from input.
        command.CommandText = $"SELECT {string.Join(", ", column.Keys)}, {column.Column} FROM {column.Table} WHERE {column.Column} IS NOT NULL";
#pragma warning restore CA2100
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var keys = new string[column.Keys.Length];
            for (var i = 0; i < keys.Length; i++)
            {
                keys[i] = reader.GetString(i);
            }

            rows.Add((keys, reader.GetFieldValue<byte[]>(column.Keys.Length)));
        }

        return rows;
    }
}
