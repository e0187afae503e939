using System.Data.Common;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Dapper;

namespace Cognate.Storage.Migrations;

/// <summary>One numbered schema migration: <c>NNNN_name.sql</c>.</summary>
/// <param name="Version">The number, 1-based, unique and increasing (gaps allowed: branches number their migrations independently).</param>
/// <param name="Name">The name part of the file.</param>
/// <param name="Sql">The script (may hold several statements).</param>
internal sealed record Migration(int Version, string Name, string Sql);

/// <summary>
/// Provider-neutral migration runner. Applies the pending migrations in order inside one transaction
/// (opened by the provider's <c>beginExclusive</c>, which must serialise concurrent migrators) and records
/// each in <c>schema_migrations</c>. Refuses to run against a database that has a version it does not know.
/// </summary>
internal static partial class MigrationRunner
{
    private const string CreateTable =
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)";

    [GeneratedRegex(@"(?<version>\d{4})_(?<name>[A-Za-z0-9_]+)\.sql$", RegexOptions.CultureInvariant)]
    private static partial Regex ResourceName();

    /// <summary>Loads the embedded <c>NNNN_name.sql</c> resources whose manifest names start with <paramref name="resourcePrefix"/>.</summary>
    /// <exception cref="InvalidOperationException">A version is duplicated or below 1. Gaps are allowed (0001, 0003 without 0002):
    /// each migration is applied once by its own number, so a later-merged 0002 is still applied to a database at 0003.</exception>
    public static IReadOnlyList<Migration> LoadEmbedded(Assembly assembly, string resourcePrefix)
    {
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(resourcePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var match = ResourceName().Match(resource);
            if (!match.Success)
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"Embedded migration '{resource}' cannot be read.");
            using var reader = new StreamReader(stream);
            migrations.Add(new Migration(
                int.Parse(match.Groups["version"].Value, NumberStyles.None, CultureInfo.InvariantCulture),
                match.Groups["name"].Value,
                reader.ReadToEnd()));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version < 1 || (i > 0 && migrations[i].Version == migrations[i - 1].Version))
            {
                throw new InvalidOperationException(
                    $"Embedded migrations under '{resourcePrefix}' must have unique numbers from 1 up; found {migrations[i].Version} twice or out of range.");
            }
        }

        return migrations;
    }

    /// <summary>Applies the pending <paramref name="migrations"/>; returns how many were applied.</summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="migrations">All migrations the code knows, ordered by version.</param>
    /// <param name="beginExclusive">Starts a transaction that holds the write lock from its first statement.</param>
    /// <param name="time">Clock for <c>applied_at</c>.</param>
    /// <param name="ct">Cancellation.</param>
    /// <exception cref="InvalidOperationException">The database records a version newer than the last of <paramref name="migrations"/>.</exception>
    public static async Task<int> RunAsync(
        DbConnection connection,
        IReadOnlyList<Migration> migrations,
        Func<DbConnection, DbTransaction> beginExclusive,
        TimeProvider time,
        CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition(CreateTable, cancellationToken: ct));

        await using var tx = beginExclusive(connection);
        var applied = (await connection.QueryAsync<long>(
            new CommandDefinition("SELECT version FROM schema_migrations ORDER BY version", transaction: tx, cancellationToken: ct))).ToHashSet();

        var known = migrations.Count == 0 ? 0 : migrations[^1].Version;
        var newest = applied.Count == 0 ? 0 : applied.Max();
        if (newest > known)
        {
            throw new InvalidOperationException(
                $"The database schema is at version {newest}, newer than the {known} this Cognate build knows. " +
                "It was written by a newer Cognate; run that version (or point Cognate at another database). Refusing to start.");
        }

        var count = 0;
        foreach (var migration in migrations)
        {
            if (applied.Contains(migration.Version))
            {
                continue;
            }

            await connection.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @AppliedAt)",
                new { migration.Version, migration.Name, AppliedAt = time.GetUtcNow().ToUnixTimeMilliseconds() },
                tx,
                cancellationToken: ct));
            count++;
        }

        await tx.CommitAsync(ct);
        return count;
    }
}
