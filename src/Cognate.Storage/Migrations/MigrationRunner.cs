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
/// (opened by the provider's <c>beginExclusive</c>, which must serialise concurrent migrators: SQLite's
/// <c>BEGIN IMMEDIATE</c>, PostgreSQL's transaction-scoped advisory lock) and records each in
/// <c>schema_migrations</c>. Even the bookkeeping table is created under that lock, so several nodes starting
/// at once against one database neither race nor apply a script twice. Refuses to run against a database
/// that has a version it does not know.
/// </summary>
internal static partial class MigrationRunner
{
    private const string CreateTable =
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";

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
                    $"Embedded migrations under '{resourcePrefix}' must have unique numbers from 1 (gaps are allowed); found {migrations[i].Version} twice or out of range.");
            }
        }

        return migrations;
    }

    /// <summary>The highest version recorded in <c>schema_migrations</c>, or 0 when the table is missing or empty.</summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="tableExistsSql">Provider SQL returning a non-zero count when <c>schema_migrations</c> exists.</param>
    /// <param name="ct">Cancellation.</param>
    public static async Task<long> CurrentVersionAsync(DbConnection connection, string tableExistsSql, CancellationToken ct)
    {
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(tableExistsSql, cancellationToken: ct)) == 0)
        {
            return 0;
        }

        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT MAX(version) FROM schema_migrations", cancellationToken: ct)) ?? 0;
    }

    /// <summary>Applies the pending <paramref name="migrations"/>; returns how many were applied.</summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="migrations">All migrations the code knows, ordered by version.</param>
    /// <param name="beginExclusive">Starts a transaction that holds the migration lock until it ends.</param>
    /// <param name="time">Clock for <c>applied_at</c>.</param>
    /// <param name="ct">Cancellation.</param>
    /// <exception cref="InvalidOperationException">The database records a version not among <paramref name="migrations"/> (written by a newer build).</exception>
    public static async Task<int> RunAsync(
        DbConnection connection,
        IReadOnlyList<Migration> migrations,
        Func<DbConnection, CancellationToken, Task<DbTransaction>> beginExclusive,
        TimeProvider time,
        CancellationToken ct)
    {
        await using var tx = await beginExclusive(connection, ct);
        await connection.ExecuteAsync(new CommandDefinition(CreateTable, transaction: tx, cancellationToken: ct));
        var applied = (await connection.QueryAsync<long>(
            new CommandDefinition("SELECT version FROM schema_migrations ORDER BY version", transaction: tx, cancellationToken: ct))).ToHashSet();

        var known = migrations.Count == 0 ? 0 : migrations[^1].Version;
        var knownVersions = migrations.Select(m => (long)m.Version).ToHashSet();
        var unknown = applied.Where(v => !knownVersions.Contains(v)).Order().ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException(
                $"The database schema has migration {unknown[^1]}, which this Cognate build (migrations up to {known}) does not know. " +
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
