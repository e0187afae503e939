using Cognate.Core.Stores;
using Cognate.Storage.Postgres;
using Cognate.Storage.Sqlite;
using Cognate.Storage.Stores;
using Cognate.Tests.Shared;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Cognate.Storage.Tests.Specification;

/// <summary>One migrated (or not) database of one provider, with its stores built over a test sealer.</summary>
internal sealed class StoreHarness : IAsyncDisposable
{
    private readonly Func<ValueTask> _dispose;

    private StoreHarness(ISqlDatabase database, Func<ISecretSealer, Stores> stores, Func<ValueTask> dispose)
    {
        Database = database;
        StoresWith = stores;
        _dispose = dispose;
        var s = stores(Sealer);
        (Pools, Clients, Users, Codes, RefreshTokens, SigningKeys, Sessions, Outbox) = (s.Pools, s.Clients, s.Users, s.Codes, s.RefreshTokens, s.SigningKeys, s.Sessions, s.Outbox);
        (Search, Groups, Lockouts, AuthEvents) = (s.Search, s.Groups, s.Lockouts, s.AuthEvents);
    }

    internal sealed record Stores(
        IUserPoolStore Pools, IAppClientStore Clients, IUserStore Users, ICodeStore Codes,
        IRefreshTokenStore RefreshTokens, ISigningKeyStore SigningKeys, IAuthSessionStore Sessions, IOutboxStore Outbox,
        IUserSearchStore Search, IGroupStore Groups, ILockoutStore Lockouts, IAuthEventStore AuthEvents);

    public ISqlDatabase Database { get; }
    public TestSecretSealer Sealer { get; } = new();
    public Func<ISecretSealer, Stores> StoresWith { get; }
    public IUserPoolStore Pools { get; }
    public IAppClientStore Clients { get; }
    public IUserStore Users { get; }
    public ICodeStore Codes { get; }
    public IRefreshTokenStore RefreshTokens { get; }
    public ISigningKeyStore SigningKeys { get; }
    public IAuthSessionStore Sessions { get; }
    public IOutboxStore Outbox { get; }
    public IUserSearchStore Search { get; }
    public IGroupStore Groups { get; }
    public ILockoutStore Lockouts { get; }
    public IAuthEventStore AuthEvents { get; }

    public static async Task<StoreHarness> SqliteAsync(bool migrate)
    {
        var directory = Path.Combine(Path.GetTempPath(), "cognate-storage-spec", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var database = new SqliteDatabase(new SqliteStoreOptions { ConnectionString = $"Data Source={Path.Combine(directory, "cognate.db")}" });
        var harness = new StoreHarness(
            database,
            sealer =>
            {
                var users = new SqlUserStore(database, sealer);
                return new Stores(new SqlUserPoolStore(database), new SqlAppClientStore(database, sealer), users,
                    new SqlCodeStore(database), new SqlRefreshTokenStore(database), new SqlSigningKeyStore(database),
                    new SqlAuthSessionStore(database), new SqlOutboxStore(database),
                    users, new SqlGroupStore(database), new SqlLockoutStore(database), new SqlAuthEventStore(database));
            },
            () =>
            {
                SqliteConnection.ClearAllPools();
                try
                {
                    Directory.Delete(directory, recursive: true);
                }
                catch (IOException)
                {
                }

                return ValueTask.CompletedTask;
            });
        if (migrate)
        {
            await database.MigrateAsync(TestContext.Current.CancellationToken);
        }

        return harness;
    }

    public static async Task<StoreHarness> PostgresAsync(bool migrate)
    {
        var connectionString = await PostgresTestServer.CreateDatabaseAsync();
        var database = new PostgresDatabase(new PostgresStoreOptions { ConnectionString = connectionString });
        var harness = new StoreHarness(
            database,
            sealer =>
            {
                var users = new SqlUserStore(database, sealer);
                return new Stores(new SqlUserPoolStore(database), new SqlAppClientStore(database, sealer), users,
                    new SqlCodeStore(database), new SqlRefreshTokenStore(database), new SqlSigningKeyStore(database),
                    new SqlAuthSessionStore(database), new SqlOutboxStore(database),
                    users, new SqlGroupStore(database), new SqlLockoutStore(database), new SqlAuthEventStore(database));
            },
            async () =>
            {
                await database.DisposeAsync();
                await PostgresTestServer.DropDatabaseAsync(connectionString);
            });
        if (migrate)
        {
            await database.MigrateAsync(TestContext.Current.CancellationToken);
        }

        return harness;
    }

    public async Task<T?> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = await Database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        return await connection.ExecuteScalarAsync<T>(new CommandDefinition(sql, parameters, cancellationToken: TestContext.Current.CancellationToken));
    }

    public async Task<long> CountAsync(string sql, object? parameters = null) => await ScalarAsync<long>(sql, parameters);

    public async Task ExecuteAsync(string sql, object? parameters = null)
    {
        await using var connection = await Database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: TestContext.Current.CancellationToken));
    }

    /// <summary>Versions of this provider's embedded migrations, ascending (numbering gaps allowed).</summary>
    public IReadOnlyList<long> MigrationVersions => typeof(ISqlDatabase).Assembly.GetManifestResourceNames()
        .Select(n => System.Text.RegularExpressions.Regex.Match(n, $@"^Cognate\.Storage\.{Folder}\.Migrations\.(\d{{4}})_\w+\.sql$"))
        .Where(m => m.Success).Select(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();

    private string Folder => Database.Provider == "postgres" ? "Postgres" : "Sqlite";

    /// <summary>The text of one of this provider's embedded migrations, e.g. <c>0001_initial.sql</c>.</summary>
    public string MigrationSql(string file)
    {
        using var stream = typeof(ISqlDatabase).Assembly.GetManifestResourceStream($"Cognate.Storage.{Folder}.Migrations.{file}")
            ?? throw new InvalidOperationException($"No embedded migration {Folder}/{file}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public ValueTask DisposeAsync() => _dispose();
}
