using Cognate.Core.Stores;
using Cognate.Storage.Sqlite;
using Cognate.Storage.Stores;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using static Cognate.Storage.Tests.Sqlite.TestDatabase;

namespace Cognate.Storage.Tests.Sqlite;

public sealed class SqliteDatabaseTests
{
    /// <summary>The embedded migrations (numbers may have gaps: branches number theirs independently).</summary>
    static readonly IReadOnlyList<Cognate.Storage.Migrations.Migration> Known =
        Cognate.Storage.Migrations.MigrationRunner.LoadEmbedded(typeof(SqliteDatabase).Assembly, "Cognate.Storage.Sqlite.Migrations.");

    [Fact]
    public async Task MigrateAsync_MissingDirectory_CreatesFileInWalMode()
    {
        await using var db = await CreateAsync(migrate: false);
        Directory.Exists(db.Directory).ShouldBeFalse();

        await db.Database.MigrateAsync(Ct);

        db.Database.DataLocation.ShouldBe(Path.Combine(db.Directory, "db", "cognate.db"));
        File.Exists(db.Database.DataLocation).ShouldBeTrue();
        (await db.ScalarAsync("PRAGMA journal_mode")).ShouldBe("wal");
    }

    [Fact]
    public async Task MigrateAsync_RunTwice_IsIdempotent()
    {
        await using var db = await CreateAsync();
        await db.SeedPoolAsync();

        await db.Database.MigrateAsync(Ct);
        await db.Database.MigrateAsync(Ct);

        (await db.CountAsync("SELECT COUNT(*) FROM schema_migrations")).ShouldBe(Known.Count);
        (await db.CountAsync("SELECT MAX(version) FROM schema_migrations")).ShouldBe(Known[^1].Version);
        (await db.CountAsync("SELECT COUNT(*) FROM user_pools")).ShouldBe(1);
    }

    [Fact]
    public async Task MigrateAsync_ConcurrentCallers_ApplyOnce()
    {
        await using var db = await CreateAsync(migrate: false);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => db.Database.MigrateAsync(Ct), Ct)));

        (await db.CountAsync("SELECT COUNT(*) FROM schema_migrations")).ShouldBe(Known.Count);
    }

    [Fact]
    public async Task MigrateAsync_DatabaseNewerThanCode_RefusesWithClearMessage()
    {
        await using var db = await CreateAsync();
        await db.ScalarAsync("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from_the_future', 0)");

        var error = await Should.ThrowAsync<InvalidOperationException>(() => db.Database.MigrateAsync(Ct));

        error.Message.ShouldContain("999");
        error.Message.ShouldContain("newer");
        (await db.CountAsync("SELECT COUNT(*) FROM schema_migrations")).ShouldBe(Known.Count + 1);
    }

    [Fact]
    public async Task MigrateAsync_NumberingGap_AppliesEveryMigrationInOrder()
    {
        // Branches reserve migration numbers, so a build may ship 0001 and 0004 without 0002/0003.
        await using var db = await CreateAsync();
        var versions = new List<long>();
        foreach (var v in EmbeddedMigrations) versions.Add(await db.CountAsync("SELECT COUNT(*) FROM schema_migrations WHERE version = @v", ("@v", v)));
        versions.ShouldAllBe(c => c == 1);
        (await db.CountAsync("SELECT COUNT(*) FROM pragma_table_info('signing_keys') WHERE name = 'activates_at'")).ShouldBe(1);
    }

    [Fact]
    public async Task MigrateAsync_DatabaseHasUnknownOlderVersion_Refuses()
    {
        await using var db = await CreateAsync();
        var missing = Enumerable.Range(1, EmbeddedMigrations.Max()).First(v => !EmbeddedMigrations.Contains(v) || v == EmbeddedMigrations.Max());
        if (EmbeddedMigrations.Contains(missing)) return; // no gap in this build: nothing to check
        await db.ScalarAsync("INSERT INTO schema_migrations (version, name, applied_at) VALUES (@v, 'from_another_branch', 0)", ("@v", missing));

        var error = await Should.ThrowAsync<InvalidOperationException>(() => db.Database.MigrateAsync(Ct));

        error.Message.ShouldContain(missing.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    static readonly IReadOnlyList<int> EmbeddedMigrations = typeof(SqliteDatabase).Assembly.GetManifestResourceNames()
        .Select(n => System.Text.RegularExpressions.Regex.Match(n, @"^Cognate\.Storage\.Sqlite\.Migrations\.(\d{4})_\w+\.sql$"))
        .Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();

    [Fact]
    public async Task OpenedConnection_Always_HasForeignKeysAndSynchronousNormal()
    {
        await using var db = await CreateAsync();
        for (int i = 0; i < 3; i++) // the first open prepares the native connection; later opens reuse it from the pool
        {
            await using var connection = await db.Database.OpenAsync(Ct);
            await using var command = connection.CreateCommand();

            command.CommandText = "PRAGMA foreign_keys";
            (await command.ExecuteScalarAsync(Ct)).ShouldBe(1L);
            command.CommandText = "PRAGMA synchronous";
            (await command.ExecuteScalarAsync(Ct)).ShouldBe(1L);
        }
    }

    [Fact]
    public async Task BusyWriter_LockReleasedSoon_WaitsMillisecondsNotSeconds()
    {
        await using var db = await CreateAsync();
        await using var holder = await db.Database.OpenAsync(Ct);
        await using var waiter = await db.Database.OpenAsync(Ct);
        var held = holder.BeginTransaction(deferred: false);
        // A dedicated thread, so a busy thread pool (the whole suite runs in parallel) cannot delay the release.
        var releaser = new Thread(() => { Thread.Sleep(30); held.Commit(); });
        releaser.Start();
        var sw = System.Diagnostics.Stopwatch.StartNew();

        using (var tx = waiter.BeginTransaction(deferred: false))
        {
            tx.Commit();
        }

        releaser.Join();
        held.Dispose();
        sw.ElapsedMilliseconds.ShouldBeLessThan(900); // SQLite's own handler (built without usleep) slept a whole second
    }

    [System.Runtime.InteropServices.DllImport("e_sqlite3", EntryPoint = "sqlite3_sleep")]
    static extern int NativeSleep(int milliseconds);

    [Fact]
    public async Task SqliteSleep_FewMilliseconds_IsNotRoundedUpToASecond()
    {
        await using var db = await CreateAsync(); // initialises SQLite, replacing the VFS sleep
        var sw = System.Diagnostics.Stopwatch.StartNew();

        _ = NativeSleep(2);

        sw.ElapsedMilliseconds.ShouldBeLessThan(500); // the bundled build (no usleep) slept 1 s
    }

    [Fact]
    public async Task BusyWriter_LockNeverReleased_FailsBusyAfterTheTimeout()
    {
        await using var db = await CreateAsync();
        // Default Timeout bounds Microsoft.Data.Sqlite's own retries of SQLITE_BUSY (30 s by default).
        var database = new SqliteDatabase(new SqliteStoreOptions { ConnectionString = db.ConnectionString + ";Default Timeout=1", BusyTimeoutMilliseconds = 100 });
        await using var holder = await db.Database.OpenAsync(Ct);
        await using var waiter = await database.OpenAsync(Ct);
        using var held = holder.BeginTransaction(deferred: false);
        var sw = System.Diagnostics.Stopwatch.StartNew();

        var error = Should.Throw<SqliteException>(() => waiter.BeginTransaction(deferred: false));

        error.SqliteErrorCode.ShouldBe(5); // SQLITE_BUSY
        sw.ElapsedMilliseconds.ShouldBeGreaterThanOrEqualTo(90);
    }

    [Fact]
    public void Constructor_RelativePath_ResolvesDataLocationToFullPath()
    {
        var database = new SqliteDatabase(new SqliteStoreOptions { ConnectionString = "Data Source=./.cognate/cognate.db" });

        database.DataLocation.ShouldBe(Path.GetFullPath("./.cognate/cognate.db"));
        database.ConnectionString.ShouldContain(database.DataLocation);
    }

    [Fact]
    public async Task AddCognateSqliteStorage_Resolve_GivesSingletonStoresOverOneDatabase()
    {
        await using var db = await CreateAsync(migrate: false);
        var services = new ServiceCollection()
            .AddSingleton<ISecretSealer>(new TestSecretSealer())
            .AddCognateSqliteStorage(db.ConnectionString);
        await using var provider = services.BuildServiceProvider();

        var initializer = provider.GetRequiredService<IStorageInitializer>();
        initializer.ShouldBeSameAs(provider.GetRequiredService<SqliteDatabase>());
        initializer.DataLocation.ShouldBe(db.Database.DataLocation);
        await initializer.MigrateAsync(Ct);

        provider.GetRequiredService<IUserPoolStore>().ShouldBeOfType<SqlUserPoolStore>();
        provider.GetRequiredService<IAppClientStore>().ShouldBeOfType<SqlAppClientStore>();
        provider.GetRequiredService<IUserStore>().ShouldBeOfType<SqlUserStore>();
        provider.GetRequiredService<ICodeStore>().ShouldBeOfType<SqlCodeStore>();
        provider.GetRequiredService<IRefreshTokenStore>().ShouldBeOfType<SqlRefreshTokenStore>();
        provider.GetRequiredService<ISigningKeyStore>().ShouldBeOfType<SqlSigningKeyStore>();
        provider.GetRequiredService<IAuthSessionStore>().ShouldBeOfType<SqlAuthSessionStore>();
        provider.GetRequiredService<IOutboxStore>().ShouldBeOfType<SqlOutboxStore>();
        provider.GetRequiredService<IUserStore>().ShouldBeSameAs(provider.GetRequiredService<IUserStore>());

        var pools = provider.GetRequiredService<IUserPoolStore>();
        (await pools.CreateAsync(NewPool(), Ct)).ShouldBeTrue();
        (await pools.GetAsync(NewPool().Id, Ct)).ShouldNotBeNull();
    }
}
