using Cognate.Core.Groups;
using Cognate.Core.Stores;
using Cognate.Storage.Sqlite;
using Cognate.Storage.Stores;
using static Cognate.Storage.Tests.Sqlite.TestDatabase;

namespace Cognate.Storage.Tests.Sqlite;

public sealed class UserAdminStoreTests
{
    private const string Pool = "us-east-1_TestPool1";

    [Fact]
    public async Task SearchAsync_KeysFollowUserWrites_ExactAndPrefixInKeyOrder()
    {
        await using var db = await CreateAsync();
        await db.SeedPoolAsync();
        await db.SeedUserAsync(Pool, "bob", "Bob@Example.com");
        await db.SeedUserAsync(Pool, "amy", "bob.b@example.com");
        await db.SeedUserAsync(Pool, "cal", "cal@example.com");
        var store = db.Users;

        (await store.SearchAsync(Pool, "email", "bob@example.com", prefix: false, null, null, 10, Ct)).Select(h => h.User.Username).ShouldBe(["bob"]);
        var prefixed = await store.SearchAsync(Pool, "email", "bob", prefix: true, null, null, 10, Ct);
        prefixed.Select(h => h.User.Username).ShouldBe(["amy", "bob"]); // "bob.b@" < "bob@"
        (await store.SearchAsync(Pool, "email", "bob", prefix: true, prefixed[0].Key, "amy", 10, Ct)).Select(h => h.User.Username).ShouldBe(["bob"]);
        (await store.SearchAsync(Pool, "email", "%", prefix: true, null, null, 10, Ct)).ShouldBeEmpty();

        var bob = (await store.GetAsync(Pool, "bob", Ct))!;
        bob.Attributes["email"] = "robert@example.com";
        bob.Enabled = false;
        (await store.UpdateAsync(bob, null, Ct)).ShouldBe(UserWriteResult.Ok);
        (await store.SearchAsync(Pool, "email", "bob@example.com", false, null, null, 10, Ct)).ShouldBeEmpty();
        (await store.SearchAsync(Pool, "status", "Disabled", false, null, null, 10, Ct)).Select(h => h.User.Username).ShouldBe(["bob"]);
        (await store.ListAsync(Pool, "amy", 10, Ct)).Select(u => u.Username).ShouldBe(["bob", "cal"]);

        await store.DeleteAsync(Pool, "bob", Ct);
        (await db.CountAsync("SELECT COUNT(*) FROM user_search WHERE username = 'bob'")).ShouldBe(0);
    }

    [Fact]
    public async Task GroupStore_MembershipsCascadeWithGroupAndUser()
    {
        await using var db = await CreateAsync();
        await db.SeedPoolAsync();
        await db.SeedUserAsync(Pool, "ann");
        var groups = new SqlGroupStore(db.Database);
        var g = new Group { UserPoolId = Pool, GroupName = "admins", Precedence = 2, RoleArn = "arn:aws:iam::1:role/x", CreatedAt = T0, ModifiedAt = T0 };
        (await groups.CreateAsync(g, Ct)).ShouldBeTrue();
        (await groups.CreateAsync(g, Ct)).ShouldBeFalse();
        (await groups.AddMemberAsync(Pool, "admins", "ann", Ct)).ShouldBeTrue();
        (await groups.AddMemberAsync(Pool, "admins", "ann", Ct)).ShouldBeTrue();
        (await groups.AddMemberAsync(Pool, "admins", "ghost", Ct)).ShouldBeFalse();
        (await groups.AddMemberAsync(Pool, "nope", "ann", Ct)).ShouldBeFalse();
        (await groups.ListForUserAsync(Pool, "ann", null, 10, Ct)).Single().Precedence.ShouldBe(2);
        (await groups.ListMembersAsync(Pool, "admins", null, 10, Ct)).ShouldBe(["ann"]);
        (await groups.DeleteAsync(Pool, "admins", Ct)).ShouldBeTrue();
        (await groups.ListForUserAsync(Pool, "ann", null, 10, Ct)).ShouldBeEmpty();
        (await db.CountAsync("SELECT COUNT(*) FROM user_groups")).ShouldBe(0);
    }

    [Fact]
    public async Task LockoutStore_CountsAtomically_RestartsAfterQuietPeriod()
    {
        await using var db = await CreateAsync();
        await db.SeedPoolAsync();
        await db.SeedUserAsync(Pool, "ann");
        var store = new SqlLockoutStore(db.Database);
        var quiet = TimeSpan.FromMinutes(15);
        var counts = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => store.RecordFailureAsync(Pool, "ann", T0, quiet, Ct).AsTask()));
        counts.Order().ShouldBe(Enumerable.Range(1, 10));
        await store.LockAsync(Pool, "ann", T0.AddSeconds(32), Ct);
        await store.LockAsync(Pool, "ann", T0.AddSeconds(1), Ct);
        (await store.GetAsync(Pool, "ann", Ct))!.LockedUntil.ShouldBe(T0.AddSeconds(32));
        (await store.RecordFailureAsync(Pool, "ann", T0.AddMinutes(16), quiet, Ct)).ShouldBe(1);
        (await store.GetAsync(Pool, "ann", Ct))!.LockedUntil.ShouldBeNull();
        await store.ResetAsync(Pool, "ann", Ct);
        (await store.GetAsync(Pool, "ann", Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task AuthEventStore_NewestFirstWithCursorAndRetention()
    {
        await using var db = await CreateAsync();
        await db.SeedPoolAsync();
        await db.SeedUserAsync(Pool, "ann");
        var store = new SqlAuthEventStore(db.Database);
        for (int i = 0; i < 4; i++)
        {
            await store.AddAsync(new AuthEventRecord($"00000000-0000-0000-0000-00000000000{i}", Pool, "ann", "SignIn", "Pass", "Password", "Success", T0.AddDays(i)), T0.AddDays(-1), Ct);
        }
        var first = await store.ListAsync(Pool, "ann", null, null, 2, Ct);
        first.Select(e => e.CreatedAt).ShouldBe([T0.AddDays(3), T0.AddDays(2)]);
        var rest = await store.ListAsync(Pool, "ann", first[^1].CreatedAt, first[^1].EventId, 10, Ct);
        rest.Select(e => e.CreatedAt).ShouldBe([T0.AddDays(1), T0]);
        await store.AddAsync(new AuthEventRecord("10000000-0000-0000-0000-000000000000", Pool, "ann", "SignIn", "Fail", null, null, T0.AddDays(100)), T0.AddDays(10), Ct);
        (await store.ListAsync(Pool, "ann", null, null, 10, Ct)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Migration0002_BackfillsSearchKeysOfExistingUsers()
    {
        await using var db = await CreateAsync(migrate: false);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(db.Database.DataLocation)!);
        await using (var c = await db.OpenRawAsync())
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = """
                CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL);
                """;
            await cmd.ExecuteNonQueryAsync(Ct);
        }
        // Apply only 0001 by hand, insert a v1 user, then migrate the rest.
        var sql = new StreamReader(typeof(SqliteDatabase).Assembly.GetManifestResourceStream("Cognate.Storage.Sqlite.Migrations.0001_initial.sql")!).ReadToEnd();
        await using (var c = await db.OpenRawAsync())
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = sql + """
                ;INSERT INTO schema_migrations VALUES (1, 'initial', 0);
                INSERT INTO user_pools VALUES ('us-east-1_TestPool1', 'us-east-1', 'p', 0, 0, 0, '{}');
                INSERT INTO users (user_pool_id, username, sub, status, enabled, created_at, modified_at, attributes_json, version)
                VALUES ('us-east-1_TestPool1', 'Old', 'ABC', 'CONFIRMED', 0, 0, 0, '{"email":"Old@X.example","nickname":"n"}', 0);
                """;
            await cmd.ExecuteNonQueryAsync(Ct);
        }
        await db.Database.MigrateAsync(Ct);
        (await db.Users.SearchAsync(Pool, "email", "old@x.example", false, null, null, 10, Ct)).Single().User.Username.ShouldBe("Old");
        (await db.Users.SearchAsync(Pool, "status", "Disabled", false, null, null, 10, Ct)).Count.ShouldBe(1);
        (await db.Users.SearchAsync(Pool, "cognito:user_status", "confirmed", false, null, null, 10, Ct)).Count.ShouldBe(1);
        (await db.CountAsync("SELECT COUNT(*) FROM user_search WHERE attribute = 'nickname'")).ShouldBe(0);
    }
}

public sealed class UserSearchScaleTests
{
    private const string Pool = "us-east-1_TestPool1";

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public async Task SearchSql_UsesPrimaryKeyRange_NoScanNoSort(bool prefix, bool cursor)
    {
        await using var db = await CreateAsync();
        await using var c = await db.OpenRawAsync();
        await using var cmd = c.CreateCommand();
#pragma warning disable CA2100
        cmd.CommandText = "EXPLAIN QUERY PLAN " + SqlUserStore.SearchSql(SqliteDialect.Instance, prefix, cursor);
#pragma warning restore CA2100
        foreach (var p in new[] { "@userPoolId", "@attribute", "@value", "@afterValue", "@afterUsername", "@limit" }) cmd.Parameters.AddWithValue(p, "x");
        var plan = new List<string>();
        await using (var r = await cmd.ExecuteReaderAsync(Ct)) while (await r.ReadAsync(Ct)) plan.Add(r.GetString(3));
        TestContext.Current.SendDiagnosticMessage(string.Join(" | ", plan));
        string.Join("\n", plan).ShouldNotContain("SCAN");
        string.Join("\n", plan).ShouldNotContain("TEMP B-TREE");
        plan.ShouldContain(l => l.Contains("USING PRIMARY KEY (user_pool_id=? AND attribute=? AND value", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SearchAsync_FiftyThousandUsers_EqualityAndPrefixStayFast()
    {
        await using var db = await CreateAsync();
        await db.SeedPoolAsync();
        await using (var c = await db.OpenRawAsync())
        {
            await using var tx = c.BeginTransaction();
            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = """
                WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 49999)
                INSERT INTO users (user_pool_id, username, sub, status, enabled, created_at, modified_at, attributes_json, version)
                SELECT 'us-east-1_TestPool1', 'user' || i, 'sub' || i, 'CONFIRMED', 1, 0, 0, '{"email":"user' || i || '@example.com"}', 0 FROM n;
                INSERT INTO user_search (user_pool_id, attribute, value, username)
                SELECT user_pool_id, 'email', 'user' || substr(username, 5) || '@example.com', username FROM users;
                INSERT INTO user_search (user_pool_id, attribute, value, username)
                SELECT user_pool_id, 'username', username, username FROM users;
                """;
            await cmd.ExecuteNonQueryAsync(Ct);
            await tx.CommitAsync(Ct);
        }
        var store = db.Users;
        await store.SearchAsync(Pool, "email", "user1@example.com", false, null, null, 61, Ct); // warm-up
        var sw = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < 50; i++)
        {
            (await store.SearchAsync(Pool, "email", $"user{i * 997}@example.com", false, null, null, 61, Ct)).Count.ShouldBe(1);
            (await store.SearchAsync(Pool, "email", $"user{i * 997 % 100}", true, null, null, 61, Ct)).Count.ShouldBeGreaterThan(0);
        }
        sw.Stop();
        TestContext.Current.SendDiagnosticMessage($"100 ListUsers searches over 50,000 users: {sw.ElapsedMilliseconds} ms");
        sw.ElapsedMilliseconds.ShouldBeLessThan(5000);
    }
}
