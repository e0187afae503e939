using System.Data.Common;
using Cognate.Core.Users;
using Cognate.Storage.Secrets;
using Cognate.Storage.Serialization;
using Cognate.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Dapper;

namespace Cognate.Storage.Stores;

/// <summary>
/// The bulk side of <see cref="SqlUserStore"/> used by user import jobs: which identifiers of a batch are already taken (one query
/// per kind and chunk of values), and the insert of many new users with commands prepared once per batch and reused for every row
/// (user rows, identifiers, ListUsers search keys), all inside the caller's write transaction.
/// </summary>
internal sealed partial class SqlUserStore
{
    /// <summary>Values per existence query (SQLite allows 32,766 parameters, PostgreSQL 65,535).</summary>
    private const int ExistsChunk = 500;

    /// <summary>
    /// The (kind, value) pairs among <paramref name="identifiers"/> already present in <c>user_identifiers</c> of
    /// <paramref name="userPoolId"/>, read in the caller's transaction.
    /// </summary>
    internal async Task<HashSet<(string Kind, string Value)>> TakenIdentifiersAsync(
        DbConnection connection, DbTransaction tx, string userPoolId, IEnumerable<UserIdentifier> identifiers, CancellationToken ct)
    {
        var taken = new HashSet<(string, string)>();
        // By kind, so each value is one seek in the primary key (pool, kind, value).
        foreach (var byKind in identifiers.Select(i => (i.Kind, i.Value)).Distinct().GroupBy(i => i.Kind, StringComparer.Ordinal))
        {
            if (_db.Provider != "postgres")
            {
                // One JSON array parameter: Dapper's IN expansion binds one named parameter per value, and Microsoft.Data.Sqlite
                // looks each name up among all of the statement's names (quadratic in the chunk). json_each drives the loop, so each
                // value is one seek in the primary key (pool, kind, value).
                var values = System.Text.Json.JsonSerializer.Serialize(byKind.Select(i => i.Value).ToArray(), StorageJson.StringArrayType);
                var found = await connection.QueryAsync<string>(new CommandDefinition(
                    """
                    SELECT j.value FROM json_each(@values) j
                    WHERE EXISTS (SELECT 1 FROM user_identifiers i WHERE i.user_pool_id = @userPoolId AND i.kind = @kind AND i.value = j.value)
                    """,
                    new { userPoolId, kind = byKind.Key, values }, tx, cancellationToken: ct));
                foreach (var value in found)
                {
                    taken.Add((byKind.Key, value));
                }

                continue;
            }

            foreach (var chunk in byKind.Select(i => i.Value).Chunk(ExistsChunk))
            {
                var rows = await connection.QueryAsync<string>(new CommandDefinition(
                    // Dapper expands IN @values on SQLite; Npgsql takes the array as one parameter.
                    "SELECT value FROM user_identifiers WHERE user_pool_id = @userPoolId AND kind = @kind AND value " + (_db.Provider == "postgres" ? "= ANY(@values)" : "IN @values"),
                    new { userPoolId, kind = byKind.Key, values = chunk }, tx, cancellationToken: ct));
                foreach (var value in rows)
                {
                    taken.Add((byKind.Key, value));
                }
            }
        }

        return taken;
    }

    private const string UserColumns =
        "INSERT INTO users (user_pool_id, username, sub, status, enabled, created_at, modified_at, attributes_json, pending_attributes_json, password_sealed, password_set_at, version) VALUES ";

    private const string IdentifierColumns = "INSERT INTO user_identifiers (user_pool_id, kind, value, username) VALUES ";

    private const string SearchColumns = "INSERT INTO user_search (user_pool_id, attribute, value, username) VALUES ";

    /// <summary>
    /// Inserts new users and their identifiers and ListUsers search keys in the caller's transaction: on SQLite through
    /// <see cref="SqliteBulkInsert"/>, elsewhere with one one-row INSERT command per table, prepared once per batch and reused (a
    /// multi-row INSERT cost more CPU per user: 3,831 users per CPU-second at 1 row, 2,336 at 8, 1,484 at 64). A unique violation (a name taken
    /// since <see cref="TakenIdentifiersAsync"/>) is thrown as the provider's <see cref="DbException"/>; the caller then rolls the
    /// transaction back.
    /// </summary>
    internal async Task InsertManyAsync(
        DbConnection connection, DbTransaction tx, IReadOnlyList<(User User, IReadOnlyCollection<UserIdentifier> Identifiers)> users, CancellationToken ct)
    {
        var commands = new Dictionary<string, DbCommand>();
        try
        {
            var userRows = new List<object?[]>(users.Count);
            var identifierRows = new List<object?[]>(users.Count * 2);
            var keyRows = new List<object?[]>(users.Count * 8);
            foreach (var (user, identifiers) in users)
            {
                userRows.Add([user.UserPoolId, user.Username, user.Sub, user.Status, user.Enabled, UnixTime.ToMs(user.CreatedAt), UnixTime.ToMs(user.ModifiedAt),
                    StorageJson.SerializeAttributes(user.Attributes),
                    user.PendingAttributes.Count == 0 ? null : StorageJson.SerializeAttributes(user.PendingAttributes),
                    SealedSecrets.SealPassword(_sealer, user.UserPoolId, user.Username, user.PasswordSalt, user.PasswordVerifier),
                    UnixTime.ToMs(user.PasswordSetAt), user.Version]);
                foreach (var identifier in identifiers.Distinct())
                {
                    identifierRows.Add([user.UserPoolId, identifier.Kind, identifier.Value, user.Username]);
                }

                foreach (var (attribute, value) in UserSearchKeys.For(user))
                {
                    keyRows.Add([user.UserPoolId, attribute, value, user.Username]);
                }
            }

            // Users first (the other two tables reference them); identifiers in one global (kind, value) order like every writer.
            identifierRows.Sort((a, b) =>
            {
                var c = string.CompareOrdinal((string)a[1]!, (string)b[1]!);
                return c != 0 ? c : string.CompareOrdinal((string)a[2]!, (string)b[2]!);
            });
            if (connection is SqliteConnection sqlite)
            {
                // SQLite's own statement API: parameters bound by position, no per-row reader (see SqliteBulkInsert).
                SqliteBulkInsert.Run(sqlite, UserColumns + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", userRows);
                SqliteBulkInsert.Run(sqlite, IdentifierColumns + "(?, ?, ?, ?)", identifierRows);
                SqliteBulkInsert.Run(sqlite, SearchColumns + "(?, ?, ?, ?) ON CONFLICT DO NOTHING", keyRows);
                return;
            }

            await InsertRowsAsync(connection, tx, commands, UserColumns, "", userRows, ct);
            await InsertRowsAsync(connection, tx, commands, IdentifierColumns, "", identifierRows, ct);
            await InsertRowsAsync(connection, tx, commands, SearchColumns, " ON CONFLICT DO NOTHING", keyRows, ct);
        }
        finally
        {
            foreach (var command in commands.Values)
            {
                await command.DisposeAsync();
            }
        }
    }

    private static async Task InsertRowsAsync(
        DbConnection connection, DbTransaction tx, Dictionary<string, DbCommand> commands, string head, string tail, List<object?[]> rows, CancellationToken ct)
    {
        foreach (var values in rows)
        {
            bool fresh = !commands.TryGetValue(head, out var command);
            if (fresh)
            {
                var names = Enumerable.Range(0, values.Length).Select(c => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"p{c}")).ToArray();
                command = Command(connection, tx, head + "(@" + string.Join(", @", names) + ")" + tail, names);
                commands[head] = command;
            }

            for (int c = 0; c < values.Length; c++)
            {
                command!.Parameters[c].Value = values[c] ?? DBNull.Value;
            }

            if (fresh)
            {
                // Prepared once the first values are bound, so PostgreSQL infers the parameter types from them.
                await command!.PrepareAsync(ct);
            }

            await command!.ExecuteNonQueryAsync(ct);
        }
    }

    private static DbCommand Command(DbConnection connection, DbTransaction tx, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
#pragma warning disable CA2100 // Constant SQL.
        command.CommandText = sql;
#pragma warning restore CA2100
        foreach (var name in names)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = DBNull.Value;
            command.Parameters.Add(p);
        }

        return command;
    }
}
