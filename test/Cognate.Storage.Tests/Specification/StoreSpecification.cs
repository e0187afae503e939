using System.Security.Cryptography;
using System.Text;
using Cognate.Core.Groups;
using Cognate.Core.Stores;
using Cognate.Core.Users;
using Cognate.Storage.Secrets;
using static Cognate.Storage.Tests.Sqlite.TestDatabase;

namespace Cognate.Storage.Tests.Specification;

/// <summary>
/// The contract every storage provider must meet, above all the guarantees several nodes rely on: uniqueness,
/// single use, counters and optimistic versions enforced by the database. Subclassed once per provider.
/// </summary>
public abstract class StoreSpecification
{
    private const string Pool = "us-east-1_TestPool1";

    private protected abstract Task<StoreHarness> OpenAsync(bool migrate = true);

    private async Task<StoreHarness> WithPoolAsync()
    {
        var h = await OpenAsync();
        (await h.Pools.CreateAsync(NewPool(Pool), Ct)).ShouldBeTrue();
        return h;
    }

    private static Group NewGroup(string name, int? precedence = 1) => new()
    {
        UserPoolId = Pool,
        GroupName = name,
        Description = "the " + name + " group",
        RoleArn = "arn:aws:iam::123456789012:role/" + name,
        Precedence = precedence,
        CreatedAt = T0,
        ModifiedAt = T0,
    };

    private static async Task<User> SeedUserAsync(StoreHarness h, string username, string? email = null)
    {
        var user = NewUser(Pool, username, email);
        (await h.Users.CreateAsync(user, IdentifiersOf(user), Ct)).ShouldBe(UserWriteResult.Ok);
        return user;
    }

    [Fact]
    public async Task Migrate_ConcurrentCallers_ApplyEachVersionOnceAndAreReady()
    {
        await using var h = await OpenAsync(migrate: false);
        (await h.Database.CheckReadyAsync(Ct)).Ready.ShouldBeFalse();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => h.Database.MigrateAsync(Ct), Ct)));
        await h.Database.MigrateAsync(Ct);

        (await h.CountAsync("SELECT COUNT(*) FROM schema_migrations")).ShouldBe(h.MigrationVersions.Count);
        (await h.CountAsync("SELECT MAX(version) FROM schema_migrations")).ShouldBe(h.MigrationVersions[^1]);
        h.Database.KnownSchemaVersion.ShouldBe((int)h.MigrationVersions[^1]);
        var readiness = await h.Database.CheckReadyAsync(Ct);
        readiness.Ready.ShouldBeTrue();
        readiness.SchemaVersion.ShouldBe(h.Database.KnownSchemaVersion);
    }

    [Fact]
    public async Task Migrate_DatabaseNewerThanCode_RefusesAndIsNotReady()
    {
        await using var h = await OpenAsync();
        await h.ScalarAsync<long>("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from_the_future', 0)");

        var error = await Should.ThrowAsync<InvalidOperationException>(() => h.Database.MigrateAsync(Ct));

        error.Message.ShouldContain("999");
        (await h.Database.CheckReadyAsync(Ct)).Ready.ShouldBeFalse();
    }

    [Fact]
    public async Task Pools_CreateTwiceListUpdateStale_DatabaseDecides()
    {
        await using var h = await WithPoolAsync();
        (await h.Pools.CreateAsync(NewPool(Pool), Ct)).ShouldBeFalse();
        (await h.Pools.CreateAsync(NewPool("us-east-1_aaaaaaaaa"), Ct)).ShouldBeTrue();
        (await h.Pools.CreateAsync(NewPool("us-east-1_ZZZZZZZZZ"), Ct)).ShouldBeTrue();

        // Byte order, as on every provider: upper case sorts before lower case.
        (await h.Pools.ListAsync(null, 10, Ct)).Select(p => p.Id).ShouldBe(["us-east-1_TestPool1", "us-east-1_ZZZZZZZZZ", "us-east-1_aaaaaaaaa"]);
        (await h.Pools.ListAsync("us-east-1_TestPool1", 1, Ct)).Single().Id.ShouldBe("us-east-1_ZZZZZZZZZ");

        var pool = (await h.Pools.GetAsync(Pool, Ct))!;
        pool.Config.PoolName.ShouldBe("test pool");
        pool.Config.UserPoolTags!["team"].ShouldBe("identity");
        (await h.Pools.UpdateAsync(pool, Ct)).ShouldBeTrue();
        (await h.Pools.UpdateAsync(pool, Ct)).ShouldBeFalse(); // stale version
        (await h.Pools.GetAsync(Pool, Ct))!.Version.ShouldBe(pool.Version + 1);
    }

    [Fact]
    public async Task Pools_Delete_CascadesToEverythingOfThePool()
    {
        await using var h = await WithPoolAsync();
        await h.Clients.CreateAsync(NewClient(Pool), Ct);
        await SeedUserAsync(h, "alice", "alice@example.com");
        await h.Codes.PutAsync(new StoredCode(Pool, "alice", CodePurpose.SignUp, [1], T0, 0), Ct);
        await h.RefreshTokens.CreateAsync(new RefreshTokenRecord([1], Pool, "client0000000000000000000a", "alice", "jti-1", T0, T0.AddDays(1), false), Ct);
        await h.SigningKeys.AddAsync(new SigningKeyRecord(Pool, "kid-1", "id", [1, 2], T0, true), Ct);
        await h.Sessions.CreateAsync(new AuthSessionRecord([9], Pool, "client0000000000000000000a", "alice", "NEW_PASSWORD_REQUIRED", "{}", T0), Ct);
        await h.Outbox.AddAsync(new OutboxMessage("m1", Pool, "alice@example.com", "s", "b", "123456", T0), Ct);
        await h.Groups.CreateAsync(NewGroup("admins"), Ct);
        (await h.Groups.AddMemberAsync(Pool, "admins", "alice", Ct)).ShouldBeTrue();
        await h.Lockouts.RecordFailureAsync(Pool, "alice", T0, TimeSpan.FromMinutes(15), Ct);
        await h.AuthEvents.AddAsync(new AuthEventRecord("e1", Pool, "alice", "SignIn", "Fail", "Password", "Failure", T0), T0.AddDays(-1), Ct);

        (await h.Pools.CountUsersAsync(Pool, Ct)).ShouldBe(1);
        (await h.Pools.DeleteAsync(Pool, Ct)).ShouldBeTrue();
        (await h.Pools.DeleteAsync(Pool, Ct)).ShouldBeFalse();

        foreach (var table in new[]
                 {
                     "app_clients", "users", "user_identifiers", "codes", "refresh_tokens", "signing_keys", "auth_sessions", "outbox",
                     "user_search", "groups", "user_groups", "user_lockouts", "auth_events",
                 })
        {
            (await h.CountAsync($"SELECT COUNT(*) FROM {table}")).ShouldBe(0, table);
        }
    }

    [Fact]
    public async Task Clients_SecretSealedAndVersioned_RoundTrip()
    {
        await using var h = await WithPoolAsync();
        var client = NewClient(Pool);
        (await h.Clients.CreateAsync(client, Ct)).ShouldBeTrue();
        (await h.Clients.CreateAsync(client, Ct)).ShouldBeFalse();

        var raw = (await h.ScalarAsync<byte[]>("SELECT secret_sealed FROM app_clients"))!;
        raw.AsSpan().IndexOf(Encoding.UTF8.GetBytes(client.ClientSecret!)).ShouldBe(-1);
        var read = (await h.Clients.GetAsync(client.ClientId, Ct))!;
        read.ClientSecret.ShouldBe(client.ClientSecret);
        read.Config.ExplicitAuthFlows.ShouldBe(client.Config.ExplicitAuthFlows);
        (await h.Clients.ListAsync(Pool, null, 10, Ct)).Count.ShouldBe(1);
        (await h.Clients.UpdateAsync(read, Ct)).ShouldBeTrue();
        (await h.Clients.UpdateAsync(read, Ct)).ShouldBeFalse();
        (await h.Clients.DeleteAsync(Pool, client.ClientId, Ct)).ShouldBeTrue();
    }

    [Fact]
    public async Task Users_RoundTripWithSealedPasswordAndIdentifiers()
    {
        await using var h = await WithPoolAsync();
        var user = NewUser(Pool, "alice", "alice@example.com");
        user.Enabled = false;
        user.PasswordSalt = RandomNumberGenerator.GetBytes(16);
        user.PasswordVerifier = RandomNumberGenerator.GetBytes(384);
        user.PasswordSetAt = T0.AddHours(1);
        (await h.Users.CreateAsync(user, IdentifiersOf(user), Ct)).ShouldBe(UserWriteResult.Ok);

        var read = (await h.Users.FindByIdentifierAsync(Pool, "email", "alice@example.com", Ct))!;
        read.Username.ShouldBe("alice");
        read.Enabled.ShouldBeFalse();
        read.Attributes.ShouldBe(user.Attributes);
        read.PasswordSalt.ShouldBe(user.PasswordSalt);
        read.PasswordVerifier.ShouldBe(user.PasswordVerifier);
        read.PasswordSetAt.ShouldBe(T0.AddHours(1));
        read.CreatedAt.ShouldBe(T0);
        var raw = (await h.ScalarAsync<byte[]>("SELECT password_sealed FROM users"))!;
        raw.AsSpan().IndexOf(user.PasswordSalt).ShouldBe(-1);
    }

    [Fact]
    public async Task Users_TakenUsernameOrAlias_IdentifierTakenAndNothingWritten()
    {
        await using var h = await WithPoolAsync();
        await SeedUserAsync(h, "alice", "alice@example.com");

        (await h.Users.CreateAsync(NewUser(Pool, "alice"), [new UserIdentifier("username", "alice")], Ct)).ShouldBe(UserWriteResult.IdentifierTaken);
        var bob = NewUser(Pool, "bob", "alice@example.com");
        (await h.Users.CreateAsync(bob, IdentifiersOf(bob), Ct)).ShouldBe(UserWriteResult.IdentifierTaken);

        (await h.Users.GetAsync(Pool, "bob", Ct)).ShouldBeNull();
        (await h.CountAsync("SELECT COUNT(*) FROM user_identifiers")).ShouldBe(2);
    }

    [Fact]
    public async Task Users_ConcurrentCreatesOfOneUsername_ExactlyOneWins()
    {
        await using var h = await WithPoolAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
        {
            var user = NewUser(Pool, "racer", $"racer{i}@example.com");
            return await h.Users.CreateAsync(user, IdentifiersOf(user), Ct);
        }, Ct)));

        results.Count(r => r == UserWriteResult.Ok).ShouldBe(1);
        results.Where(r => r != UserWriteResult.Ok).ShouldAllBe(r => r == UserWriteResult.IdentifierTaken);
        (await h.CountAsync("SELECT COUNT(*) FROM users")).ShouldBe(1);
        (await h.CountAsync("SELECT COUNT(*) FROM user_identifiers")).ShouldBe(2);
        var winner = (await h.Users.GetAsync(Pool, "racer", Ct))!;
        (await h.Search.SearchAsync(Pool, "email", "racer", prefix: true, null, null, 100, Ct)).Single().Key.ShouldBe(winner.Get("email"));
    }

    [Fact]
    public async Task Users_ConcurrentUpdatesOfOneVersion_ExactlyOneWinsOthersConflict()
    {
        await using var h = await WithPoolAsync();
        await SeedUserAsync(h, "alice");

        var copies = new List<User>();
        for (var i = 0; i < 20; i++)
        {
            var copy = (await h.Users.GetAsync(Pool, "alice", Ct))!;
            copy.Attributes["custom:n"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            copies.Add(copy);
        }

        var results = await Task.WhenAll(copies.Select(copy => Task.Run(async () => await h.Users.UpdateAsync(copy, null, Ct), Ct)));

        results.Count(r => r == UserWriteResult.Ok).ShouldBe(1);
        results.Where(r => r != UserWriteResult.Ok).ShouldAllBe(r => r == UserWriteResult.Conflict);
        (await h.Users.GetAsync(Pool, "alice", Ct))!.Version.ShouldBe(1);
    }

    [Fact]
    public async Task Users_UpdateIdentifiersToTakenAlias_IdentifierTakenAndOldKept()
    {
        await using var h = await WithPoolAsync();
        await SeedUserAsync(h, "alice", "alice@example.com");
        var bob = await SeedUserAsync(h, "bob", "bob@example.com");

        bob.Attributes["email"] = "alice@example.com";
        (await h.Users.UpdateAsync(bob, IdentifiersOf(bob), Ct)).ShouldBe(UserWriteResult.IdentifierTaken);

        (await h.Users.FindByIdentifierAsync(Pool, "email", "bob@example.com", Ct))!.Username.ShouldBe("bob");
    }

    [Fact]
    public async Task Users_GetForAccessToken_UserAndRevocationInOneRead()
    {
        await using var h = await WithPoolAsync();
        await h.Clients.CreateAsync(NewClient(Pool), Ct);
        await SeedUserAsync(h, "alice", "alice@example.com");
        await h.RefreshTokens.CreateAsync(new RefreshTokenRecord([1], Pool, "client0000000000000000000a", "alice", "jti-live", T0, T0.AddDays(1), false), Ct);
        await h.RefreshTokens.CreateAsync(new RefreshTokenRecord([2], Pool, "client0000000000000000000a", "alice", "jti-revoked", T0, T0.AddDays(1), true), Ct);

        var (user, revoked) = await h.Users.GetForAccessTokenAsync(Pool, "alice", "jti-live", Ct);
        user!.Get("email").ShouldBe("alice@example.com");
        revoked.ShouldBeFalse();
        (await h.Users.GetForAccessTokenAsync(Pool, "alice", "jti-revoked", Ct)).Revoked.ShouldBeTrue();
        (await h.Users.GetForAccessTokenAsync(Pool, "alice", "jti-unknown", Ct)).Revoked.ShouldBeFalse();
        (await h.Users.GetForAccessTokenAsync(Pool, "alice", null, Ct)).User!.Username.ShouldBe("alice");

        var missing = await h.Users.GetForAccessTokenAsync(Pool, "nobody", "jti-revoked", Ct);
        missing.User.ShouldBeNull();
        missing.Revoked.ShouldBeTrue();
        (await h.Users.GetForAccessTokenAsync(Pool, "nobody", null, Ct)).User.ShouldBeNull();
    }

    [Fact]
    public async Task Writes_ConcurrentMixOfSucceedingAndFailing_EachFailureUndoesOnlyItself()
    {
        await using var h = await WithPoolAsync();
        await h.Clients.CreateAsync(NewClient(Pool), Ct);
        await SeedUserAsync(h, "alice");

        // 60 concurrent writes (group-committed together on SQLite): 20 good refresh tokens, 20 duplicates of one
        // origin_jti (unique violation: only the first may land), 20 codes for a missing user (foreign key violation).
        var good = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            await h.RefreshTokens.CreateAsync(new RefreshTokenRecord([(byte)(10 + i)], Pool, "client0000000000000000000a", "alice", "jti-good-" + i, T0, T0.AddDays(1), false), Ct);
            return true;
        }, Ct));
        var duplicates = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            try
            {
                await h.RefreshTokens.CreateAsync(new RefreshTokenRecord([(byte)(100 + i)], Pool, "client0000000000000000000a", "alice", "jti-dup", T0, T0.AddDays(1), false), Ct);
                return true;
            }
            catch (System.Data.Common.DbException) { return false; }
        }, Ct));
        var orphans = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            try
            {
                await h.Codes.PutAsync(new StoredCode(Pool, "ghost" + i, CodePurpose.SignUp, [1], T0, 0), Ct);
                return true;
            }
            catch (System.Data.Common.DbException) { return false; }
        }, Ct));
        var results = await Task.WhenAll(good.Concat(duplicates).Concat(orphans));

        results.Take(20).ShouldAllBe(ok => ok);
        results.Skip(20).Take(20).Count(ok => ok).ShouldBe(1);
        results.Skip(40).ShouldAllBe(ok => !ok);
        (await h.CountAsync("SELECT COUNT(*) FROM refresh_tokens")).ShouldBe(21);
        (await h.CountAsync("SELECT COUNT(*) FROM codes")).ShouldBe(0);
        for (int i = 0; i < 20; i++) (await h.RefreshTokens.GetByOriginJtiAsync("jti-good-" + i, Ct)).ShouldNotBeNull();
    }

    [Fact]
    public async Task Users_Delete_RemovesCodesTokensSessions()
    {
        await using var h = await WithPoolAsync();
        await h.Clients.CreateAsync(NewClient(Pool), Ct);
        await SeedUserAsync(h, "alice");
        await h.Codes.PutAsync(new StoredCode(Pool, "alice", CodePurpose.SignUp, [1], T0, 0), Ct);
        await h.RefreshTokens.CreateAsync(new RefreshTokenRecord([1], Pool, "client0000000000000000000a", "alice", "jti-1", T0, T0.AddDays(1), false), Ct);
        await h.Sessions.CreateAsync(new AuthSessionRecord([9], Pool, "client0000000000000000000a", "alice", "NEW_PASSWORD_REQUIRED", "{}", T0), Ct);

        (await h.Users.DeleteAsync(Pool, "alice", Ct)).ShouldBeTrue();
        (await h.Users.DeleteAsync(Pool, "alice", Ct)).ShouldBeFalse();

        (await h.CountAsync("SELECT COUNT(*) FROM codes")).ShouldBe(0);
        (await h.CountAsync("SELECT COUNT(*) FROM refresh_tokens")).ShouldBe(0);
        (await h.CountAsync("SELECT COUNT(*) FROM auth_sessions")).ShouldBe(0);
    }

    [Fact]
    public async Task Search_KeysFollowUserWrites_ExactAndPrefixInByteOrder()
    {
        await using var h = await WithPoolAsync();
        await SeedUserAsync(h, "bob", "Bob@Example.com");
        await SeedUserAsync(h, "amy", "bob.b@example.com");
        await SeedUserAsync(h, "cal", "cal@example.com");
        await SeedUserAsync(h, "Zed", "bob_z@example.com");

        (await h.Search.SearchAsync(Pool, "email", "bob@example.com", prefix: false, null, null, 10, Ct)).Select(x => x.User.Username).ShouldBe(["bob"]);
        var prefixed = await h.Search.SearchAsync(Pool, "email", "bob", prefix: true, null, null, 10, Ct);
        prefixed.Select(x => x.User.Username).ShouldBe(["amy", "bob", "Zed"]); // byte order: "bob." < "bob@" < "bob_"
        prefixed.Select(x => x.Key).ShouldBe(["bob.b@example.com", "bob@example.com", "bob_z@example.com"]);
        (await h.Search.SearchAsync(Pool, "email", "bob", prefix: true, prefixed[0].Key, "amy", 10, Ct)).Select(x => x.User.Username).ShouldBe(["bob", "Zed"]);
        (await h.Search.SearchAsync(Pool, "email", "%", prefix: true, null, null, 10, Ct)).ShouldBeEmpty();
        (await h.Search.SearchAsync(Pool, "email", "bob_", prefix: true, null, null, 10, Ct)).Select(x => x.User.Username).ShouldBe(["Zed"]);
        (await h.Search.SearchAsync(Pool, "username", "zed", prefix: false, null, null, 10, Ct)).Single().User.Username.ShouldBe("Zed");
        (await h.Search.SearchAsync(Pool, "cognito:user_status", "confirmed", prefix: false, null, null, 10, Ct)).Count.ShouldBe(4);
        (await h.Search.ListAsync(Pool, null, 10, Ct)).Select(u => u.Username).ShouldBe(["Zed", "amy", "bob", "cal"]);
        (await h.Search.ListAsync(Pool, "amy", 10, Ct)).Select(u => u.Username).ShouldBe(["bob", "cal"]);

        var bob = (await h.Users.GetAsync(Pool, "bob", Ct))!;
        bob.Attributes["email"] = "robert@example.com";
        bob.Enabled = false;
        (await h.Users.UpdateAsync(bob, null, Ct)).ShouldBe(UserWriteResult.Ok);
        (await h.Search.SearchAsync(Pool, "email", "bob@example.com", false, null, null, 10, Ct)).ShouldBeEmpty();
        (await h.Search.SearchAsync(Pool, "email", "robert@example.com", false, null, null, 10, Ct)).Single().User.Enabled.ShouldBeFalse();
        (await h.Search.SearchAsync(Pool, "status", "Disabled", false, null, null, 10, Ct)).Select(x => x.User.Username).ShouldBe(["bob"]);
        (await h.Search.SearchAsync(Pool, "status", "Enabled", false, null, null, 10, Ct)).Select(x => x.User.Username).ShouldBe(["Zed", "amy", "cal"]);

        (await h.Users.DeleteAsync(Pool, "bob", Ct)).ShouldBeTrue();
        (await h.CountAsync("SELECT COUNT(*) FROM user_search WHERE username = 'bob'")).ShouldBe(0);
    }

    [Fact]
    public async Task Search_Sub_FromTheUsersIndex_ExactPrefixAndPaged()
    {
        await using var h = await WithPoolAsync();
        var subs = new List<(string Sub, string Username)>();
        foreach (var name in new[] { "s1", "s2", "s3", "s4" })
        {
            var user = NewUser(Pool, name);
            (await h.Users.CreateAsync(user, IdentifiersOf(user), Ct)).ShouldBe(UserWriteResult.Ok);
            subs.Add((user.Sub, name));
        }

        subs.Sort((a, b) => string.CompareOrdinal(a.Sub, b.Sub));
        (await h.CountAsync("SELECT COUNT(*) FROM user_search WHERE attribute = 'sub'")).ShouldBe(0);
        var exact = await h.Search.SearchAsync(Pool, "sub", subs[2].Sub, prefix: false, null, null, 10, Ct);
        exact.Single().User.Username.ShouldBe(subs[2].Username);
        exact.Single().Key.ShouldBe(subs[2].Sub);
        (await h.Search.SearchAsync(Pool, "sub", subs[2].Sub[..3], prefix: true, null, null, 10, Ct)).Select(x => x.User.Username).ShouldContain(subs[2].Username);
        (await h.Search.SearchAsync(Pool, "sub", "zzz", prefix: true, null, null, 10, Ct)).ShouldBeEmpty();

        // Every user once across pages of 1, in sub order (the cursor is the previous hit's sub and username).
        var seen = new List<string>();
        string? afterValue = null, afterUser = null;
        while (seen.Count < 10)
        {
            var page = await h.Search.SearchAsync(Pool, "sub", "", prefix: true, afterValue, afterUser, 1, Ct);
            if (page.Count == 0) break;
            seen.Add(page[0].User.Username);
            (afterValue, afterUser) = (page[0].Key, page[0].User.Username);
        }

        seen.ShouldBe(subs.Select(x => x.Username).ToList());
    }

    [Fact]
    public async Task Search_EqualKeysPagedByUsername_EveryUserOnceAcrossPages()
    {
        await using var h = await WithPoolAsync();
        var names = new[] { "u-b", "U-A", "u-c", "u-a", "u-é", "u-d" };
        foreach (var name in names)
        {
            var user = NewUser(Pool, name);
            user.Attributes["family_name"] = name.StartsWith("u-d", StringComparison.Ordinal) ? "Smithson" : "Smith";
            (await h.Users.CreateAsync(user, IdentifiersOf(user), Ct)).ShouldBe(UserWriteResult.Ok);
        }

        async Task<List<string>> PagesAsync(string value, bool prefix)
        {
            var seen = new List<string>();
            string? afterValue = null, afterUser = null;
            while (true)
            {
                var page = await h.Search.SearchAsync(Pool, "family_name", value, prefix, afterValue, afterUser, 2, Ct);
                seen.AddRange(page.Select(x => x.User.Username));
                if (page.Count < 2) return seen;
                (afterValue, afterUser) = (page[^1].Key, page[^1].User.Username);
            }
        }

        (await PagesAsync("smith", prefix: false)).ShouldBe(["U-A", "u-a", "u-b", "u-c", "u-é"]);
        (await PagesAsync("smith", prefix: true)).ShouldBe(["U-A", "u-a", "u-b", "u-c", "u-é", "u-d"]);
        (await PagesAsync("smiths", prefix: true)).ShouldBe(["u-d"]);
    }

    [Fact]
    public async Task Search_RejectedUserWrites_LeaveSearchKeysUnchanged()
    {
        await using var h = await WithPoolAsync();
        await SeedUserAsync(h, "alice", "alice@example.com");
        var bob = await SeedUserAsync(h, "bob", "bob@example.com");
        var stale = (await h.Users.GetAsync(Pool, "bob", Ct))!;

        bob.Attributes["email"] = "alice@example.com";
        (await h.Users.UpdateAsync(bob, IdentifiersOf(bob), Ct)).ShouldBe(UserWriteResult.IdentifierTaken);
        (await h.Users.CreateAsync(NewUser(Pool, "alice", "carol@example.com"), [new UserIdentifier("username", "alice")], Ct)).ShouldBe(UserWriteResult.IdentifierTaken);
        stale.Attributes["email"] = "bobby@example.com";
        (await h.Users.UpdateAsync(stale, null, Ct)).ShouldBe(UserWriteResult.Ok);
        stale.Version = 0;
        stale.Attributes["email"] = "never@example.com";
        (await h.Users.UpdateAsync(stale, null, Ct)).ShouldBe(UserWriteResult.Conflict);

        (await h.Search.SearchAsync(Pool, "email", "alice@example.com", false, null, null, 10, Ct)).Select(x => x.User.Username).ShouldBe(["alice"]);
        (await h.Search.SearchAsync(Pool, "email", "bobby@example.com", false, null, null, 10, Ct)).Select(x => x.User.Username).ShouldBe(["bob"]);
        (await h.Search.SearchAsync(Pool, "email", "carol@example.com", false, null, null, 10, Ct)).ShouldBeEmpty();
        (await h.Search.SearchAsync(Pool, "email", "never@example.com", false, null, null, 10, Ct)).ShouldBeEmpty();
        (await h.CountAsync("SELECT COUNT(*) FROM user_search WHERE attribute = 'email'")).ShouldBe(2);
    }

    [Fact]
    public async Task Groups_CrudPagingMembershipsAndCascades()
    {
        await using var h = await WithPoolAsync();
        await SeedUserAsync(h, "ann");
        await SeedUserAsync(h, "Bea");
        var admins = NewGroup("admins", precedence: 2);
        (await h.Groups.CreateAsync(admins, Ct)).ShouldBeTrue();
        (await h.Groups.CreateAsync(admins, Ct)).ShouldBeFalse();
        (await h.Groups.CreateAsync(NewGroup("Zeta"), Ct)).ShouldBeTrue();
        (await h.Groups.CreateAsync(NewGroup("beta", precedence: null), Ct)).ShouldBeTrue();

        var read = (await h.Groups.GetAsync(Pool, "admins", Ct))!;
        (read.Precedence, read.RoleArn, read.Description, read.CreatedAt).ShouldBe((2, "arn:aws:iam::123456789012:role/admins", "the admins group", T0));
        (await h.Groups.GetAsync(Pool, "beta", Ct))!.Precedence.ShouldBeNull();
        (await h.Groups.GetAsync(Pool, "ADMINS", Ct)).ShouldBeNull();
        (await h.Groups.ListAsync(Pool, null, 10, Ct)).Select(g => g.GroupName).ShouldBe(["Zeta", "admins", "beta"]);
        (await h.Groups.ListAsync(Pool, "admins", 1, Ct)).Select(g => g.GroupName).ShouldBe(["beta"]);

        (await h.Groups.UpdateAsync(read with { Description = null, Precedence = 7, ModifiedAt = T0.AddHours(1) }, Ct)).ShouldBeTrue();
        (await h.Groups.UpdateAsync(NewGroup("nope"), Ct)).ShouldBeFalse();
        var updated = (await h.Groups.GetAsync(Pool, "admins", Ct))!;
        (updated.Description, updated.Precedence, updated.ModifiedAt).ShouldBe((null, 7, T0.AddHours(1)));

        (await h.Groups.AddMemberAsync(Pool, "admins", "ann", Ct)).ShouldBeTrue();
        (await h.Groups.AddMemberAsync(Pool, "admins", "ann", Ct)).ShouldBeTrue();
        (await h.Groups.AddMemberAsync(Pool, "admins", "Bea", Ct)).ShouldBeTrue();
        (await h.Groups.AddMemberAsync(Pool, "Zeta", "ann", Ct)).ShouldBeTrue();
        (await h.Groups.AddMemberAsync(Pool, "beta", "ann", Ct)).ShouldBeTrue();
        (await h.Groups.AddMemberAsync(Pool, "admins", "ghost", Ct)).ShouldBeFalse();
        (await h.Groups.AddMemberAsync(Pool, "nope", "ann", Ct)).ShouldBeFalse();
        (await h.Groups.ListMembersAsync(Pool, "admins", null, 10, Ct)).ShouldBe(["Bea", "ann"]);
        (await h.Groups.ListMembersAsync(Pool, "admins", "Bea", 10, Ct)).ShouldBe(["ann"]);
        (await h.Groups.ListForUserAsync(Pool, "ann", null, 10, Ct)).Select(g => g.GroupName).ShouldBe(["Zeta", "admins", "beta"]);
        (await h.Groups.ListForUserAsync(Pool, "ann", "Zeta", 1, Ct)).Single().Precedence.ShouldBe(7);

        await h.Groups.RemoveMemberAsync(Pool, "beta", "ann", Ct);
        await h.Groups.RemoveMemberAsync(Pool, "beta", "ann", Ct);
        (await h.Groups.ListForUserAsync(Pool, "ann", null, 10, Ct)).Select(g => g.GroupName).ShouldBe(["Zeta", "admins"]);
        (await h.Users.DeleteAsync(Pool, "Bea", Ct)).ShouldBeTrue();
        (await h.Groups.ListMembersAsync(Pool, "admins", null, 10, Ct)).ShouldBe(["ann"]);
        (await h.Groups.DeleteAsync(Pool, "admins", Ct)).ShouldBeTrue();
        (await h.Groups.DeleteAsync(Pool, "admins", Ct)).ShouldBeFalse();
        (await h.Groups.ListForUserAsync(Pool, "ann", null, 10, Ct)).Select(g => g.GroupName).ShouldBe(["Zeta"]);
        (await h.CountAsync("SELECT COUNT(*) FROM user_groups")).ShouldBe(1);
    }

    [Fact]
    public async Task Lockouts_ConcurrentFailures_EveryOneCountedQuietPeriodRestarts()
    {
        await using var h = await WithPoolAsync();
        await SeedUserAsync(h, "ann");
        var quiet = TimeSpan.FromMinutes(15);
        (await h.Lockouts.GetAsync(Pool, "ann", Ct)).ShouldBeNull();

        var counts = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
            await h.Lockouts.RecordFailureAsync(Pool, "ann", T0, quiet, Ct), Ct)));

        counts.Order().ShouldBe(Enumerable.Range(1, 20));
        await h.Lockouts.LockAsync(Pool, "ann", T0.AddSeconds(32), Ct);
        await h.Lockouts.LockAsync(Pool, "ann", T0.AddSeconds(1), Ct); // never shortens
        (await h.Lockouts.GetAsync(Pool, "ann", Ct)).ShouldBe(new LockoutState(20, T0, T0.AddSeconds(32)));
        (await h.Lockouts.RecordFailureAsync(Pool, "ann", T0.AddMinutes(14), quiet, Ct)).ShouldBe(21);
        (await h.Lockouts.GetAsync(Pool, "ann", Ct))!.LockedUntil.ShouldBe(T0.AddSeconds(32));
        (await h.Lockouts.RecordFailureAsync(Pool, "ann", T0.AddMinutes(30), quiet, Ct)).ShouldBe(1);
        (await h.Lockouts.GetAsync(Pool, "ann", Ct)).ShouldBe(new LockoutState(1, T0.AddMinutes(30), null));
        await h.Lockouts.ResetAsync(Pool, "ann", Ct);
        (await h.Lockouts.GetAsync(Pool, "ann", Ct)).ShouldBeNull();
        await h.Lockouts.LockAsync(Pool, "ann", T0, Ct); // no row: nothing to lock
        (await h.Lockouts.GetAsync(Pool, "ann", Ct)).ShouldBeNull();

        await h.Lockouts.RecordFailureAsync(Pool, "ann", T0, quiet, Ct);
        await h.Users.DeleteAsync(Pool, "ann", Ct);
        (await h.CountAsync("SELECT COUNT(*) FROM user_lockouts")).ShouldBe(0);
    }

    [Fact]
    public async Task AuthEvents_NewestFirstWithCursorTieBreakAndRetention()
    {
        await using var h = await WithPoolAsync();
        await SeedUserAsync(h, "ann");
        await SeedUserAsync(h, "bob");
        for (var i = 0; i < 4; i++)
        {
            await h.AuthEvents.AddAsync(new AuthEventRecord($"00000000-0000-0000-0000-00000000000{i}", Pool, "ann", "SignIn", "Pass", "Password", "Success", T0.AddDays(i)), T0.AddDays(-1), Ct);
        }

        await h.AuthEvents.AddAsync(new AuthEventRecord("00000000-0000-0000-0000-00000000000a", Pool, "ann", "SignIn", "Fail", null, null, T0.AddDays(3)), T0.AddDays(-1), Ct);
        await h.AuthEvents.AddAsync(new AuthEventRecord("b", Pool, "bob", "SignIn", "Pass", null, null, T0), T0.AddDays(-1), Ct);

        var first = await h.AuthEvents.ListAsync(Pool, "ann", null, null, 2, Ct);
        first.Select(e => e.EventId[^1..]).ShouldBe(["a", "3"]); // same time: id descending
        first[0].ShouldBe(new AuthEventRecord("00000000-0000-0000-0000-00000000000a", Pool, "ann", "SignIn", "Fail", null, null, T0.AddDays(3)));
        var rest = await h.AuthEvents.ListAsync(Pool, "ann", first[^1].CreatedAt, first[^1].EventId, 10, Ct);
        rest.Select(e => e.CreatedAt).ShouldBe([T0.AddDays(2), T0.AddDays(1), T0]);
        rest[0].ChallengeName.ShouldBe("Password");
        (await h.AuthEvents.ListAsync(Pool, "ann", T0.AddDays(3), "00000000-0000-0000-0000-00000000000a", 10, Ct)).Count.ShouldBe(4);

        await h.AuthEvents.AddAsync(new AuthEventRecord("z", Pool, "ann", "SignIn", "Pass", null, null, T0.AddDays(100)), T0.AddDays(10), Ct);
        (await h.AuthEvents.ListAsync(Pool, "ann", null, null, 10, Ct)).Select(e => e.EventId).ShouldBe(["z"]);
        (await h.AuthEvents.ListAsync(Pool, "bob", null, null, 10, Ct)).Select(e => e.EventId).ShouldBe(["b"]); // retention is per user
    }

    [Fact]
    public async Task SigningKeys_ActivationTime_StoredOrCreationTime()
    {
        await using var h = await WithPoolAsync();
        await h.SigningKeys.AddAsync(new SigningKeyRecord(Pool, "old", "id", [1], T0, true), Ct);
        await h.SigningKeys.AddAsync(new SigningKeyRecord(Pool, "new", "id", [2], T0.AddHours(1), true) { ActivatesAt = T0.AddHours(1).AddMinutes(10) }, Ct);

        var keys = await h.SigningKeys.ListAsync(Pool, Ct);

        keys.Select(k => (k.Kid, k.ActivatesAt)).ShouldBe([("old", (DateTimeOffset?)T0), ("new", T0.AddHours(1).AddMinutes(10))]);
    }

    [Fact]
    public async Task Migrate_FromVersion1_BackfillsSearchKeysAndKeyActivation()
    {
        await using var h = await OpenAsync(migrate: false);
        await h.ExecuteAsync("CREATE TABLE schema_migrations (version BIGINT NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
        await h.ExecuteAsync(h.MigrationSql("0001_initial.sql"));
        await h.ExecuteAsync("INSERT INTO schema_migrations (version, name, applied_at) VALUES (1, 'initial', 0)");
        await h.ExecuteAsync("INSERT INTO user_pools (id, region, name, created_at, modified_at, version, config_json) VALUES (@Pool, 'us-east-1', 'p', 0, 0, 0, '{}')", new { Pool });
        await h.ExecuteAsync(
            """
            INSERT INTO users (user_pool_id, username, sub, status, enabled, created_at, modified_at, attributes_json, version)
            VALUES (@Pool, 'Old', 'abc', 'CONFIRMED', @enabled, 0, 0, '{"email":"Old@X.example","nickname":"n","name":""}', 0)
            """,
            new { Pool, enabled = false });
        await h.ExecuteAsync(
            "INSERT INTO signing_keys (kid, user_pool_id, use, private_sealed, created_at, active) VALUES ('k1', @Pool, 'id', @blob, @created, @active)",
            new { Pool, blob = new byte[] { 1 }, created = T0.ToUnixTimeMilliseconds(), active = true });

        await h.Database.MigrateAsync(Ct);

        (await h.Search.SearchAsync(Pool, "email", "old@x.example", false, null, null, 10, Ct)).Single().User.Username.ShouldBe("Old");
        (await h.Search.SearchAsync(Pool, "username", "old", false, null, null, 10, Ct)).Count.ShouldBe(1);
        (await h.Search.SearchAsync(Pool, "sub", "abc", false, null, null, 10, Ct)).Count.ShouldBe(1);
        (await h.Search.SearchAsync(Pool, "status", "Disabled", false, null, null, 10, Ct)).Count.ShouldBe(1);
        (await h.Search.SearchAsync(Pool, "cognito:user_status", "confirmed", false, null, null, 10, Ct)).Count.ShouldBe(1);
        (await h.CountAsync("SELECT COUNT(*) FROM user_search WHERE attribute IN ('nickname', 'name')")).ShouldBe(0);
        (await h.SigningKeys.ListAsync(Pool, Ct)).Single().ActivatesAt.ShouldBe(T0);
    }

    [Fact]
    public async Task Codes_ConcurrentFailedAttempts_EveryOneCounted()
    {
        await using var h = await WithPoolAsync();
        await SeedUserAsync(h, "alice");
        await h.Codes.PutAsync(new StoredCode(Pool, "alice", CodePurpose.SignUp, [1], T0, 0), Ct);

        var counts = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
            await h.Codes.IncrementFailedAttemptsAsync(Pool, "alice", CodePurpose.SignUp, Ct), Ct)));

        counts.Order().ShouldBe(Enumerable.Range(1, 20));
        await h.Codes.PutAsync(new StoredCode(Pool, "alice", CodePurpose.SignUp, [2], T0.AddHours(1), 0), Ct);
        var read = (await h.Codes.GetAsync(Pool, "alice", CodePurpose.SignUp, Ct))!;
        read.CodeHash.ShouldBe(new byte[] { 2 });
        (read.FailedAttempts, read.ExpiresAt).ShouldBe((0, T0.AddHours(1)));
        (await h.Codes.IncrementFailedAttemptsAsync(Pool, "alice", CodePurpose.ForgotPassword, Ct)).ShouldBe(0);
        (await h.Codes.DeleteAsync(Pool, "alice", CodePurpose.SignUp, Ct)).ShouldBeTrue();
        (await h.Codes.DeleteAsync(Pool, "alice", CodePurpose.SignUp, Ct)).ShouldBeFalse();
    }

    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Codes_ConcurrentReservations_AtMostBudgetAndReissueKeepsWindow()
    {
        await using var h = await WithPoolAsync();
        await SeedUserAsync(h, "alice");
        var hour = TimeSpan.FromHours(1);
        Task<(CodeReservation Outcome, byte[]? CodeHash)> Reserve(DateTimeOffset at, string purpose = CodePurpose.ForgotPassword) =>
            h.Codes.ReserveAttemptAsync(Pool, "alice", purpose, at, hour, 15, 5, Lease, Ct).AsTask();
        (await Reserve(T0)).Outcome.ShouldBe(CodeReservation.NoCode);
        await h.Codes.PutAsync(new StoredCode(Pool, "alice", CodePurpose.ForgotPassword, [7], T0.AddHours(1), 0), Ct);

        // 40 racing guesses: 5 slots, the rest must wait (Busy); the 5 wrong guesses then spend the code.
        var burst = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Task.Run(() => Reserve(T0), Ct)));
        burst.Count(r => r.Outcome == CodeReservation.Reserved).ShouldBe(5);
        burst.Where(r => r.Outcome == CodeReservation.Reserved).ShouldAllBe(r => r.CodeHash!.SequenceEqual(new byte[] { 7 }));
        burst.Count(r => r.Outcome == CodeReservation.Busy).ShouldBe(35);
        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Task.Run(async () => await h.Codes.CompleteAttemptAsync(Pool, "alice", CodePurpose.ForgotPassword, true, Ct), Ct)));
        (await h.Codes.GetAsync(Pool, "alice", CodePurpose.ForgotPassword, Ct))!.FailedAttempts.ShouldBe(5);
        (await Reserve(T0)).Outcome.ShouldBe(CodeReservation.CodeSpent);

        // A new code restores the code's own budget but not the window's: 15 - 5 = 10 more in this hour, on any number of codes.
        int reserved = 0;
        for (int cycle = 0; cycle < 4; cycle++)
        {
            await h.Codes.PutAsync(new StoredCode(Pool, "alice", CodePurpose.ForgotPassword, [8], T0.AddHours(1), 0), Ct);
            for (int i = 0; i < 5; i++)
            {
                if ((await Reserve(T0.AddMinutes(1))).Outcome != CodeReservation.Reserved) continue;
                reserved++;
                await h.Codes.CompleteAttemptAsync(Pool, "alice", CodePurpose.ForgotPassword, true, Ct);
            }
        }
        reserved.ShouldBe(10);
        await h.Codes.PutAsync(new StoredCode(Pool, "alice", CodePurpose.ForgotPassword, [8], T0.AddHours(1), 0), Ct);
        (await Reserve(T0.AddMinutes(2))).Outcome.ShouldBe(CodeReservation.WindowSpent);
        (await Reserve(T0.AddMinutes(2))).Outcome.ShouldBe(CodeReservation.WindowSpent); // the refused slot was given back: not Busy
        // A right answer frees its slot uncounted; another purpose has its own window; the next window starts afresh.
        await h.Codes.PutAsync(new StoredCode(Pool, "alice", CodePurpose.SignUp, [9], T0.AddHours(24), 0), Ct);
        (await Reserve(T0.AddMinutes(2), CodePurpose.SignUp)).Outcome.ShouldBe(CodeReservation.Reserved);
        await h.Codes.CompleteAttemptAsync(Pool, "alice", CodePurpose.SignUp, false, Ct);
        (await h.Codes.GetAsync(Pool, "alice", CodePurpose.SignUp, Ct))!.FailedAttempts.ShouldBe(0);
        await h.Codes.PutAsync(new StoredCode(Pool, "alice", CodePurpose.ForgotPassword, [8], T0.AddHours(3), 0), Ct);
        (await Reserve(T0.AddHours(1))).Outcome.ShouldBe(CodeReservation.Reserved);
        (await Reserve(T0.AddHours(4))).Outcome.ShouldBe(CodeReservation.Expired);
    }

    [Fact]
    public async Task Codes_ConcurrentSends_AtMostMaxPerWindowGuessesKept()
    {
        await using var h = await WithPoolAsync();
        await SeedUserAsync(h, "alice");
        var hour = TimeSpan.FromHours(1);
        await h.Codes.PutAsync(new StoredCode(Pool, "alice", CodePurpose.SignUp, [1], T0.AddHours(24), 0), Ct);
        (await h.Codes.ReserveAttemptAsync(Pool, "alice", CodePurpose.SignUp, T0, hour, 2, 5, Lease, Ct)).Outcome.ShouldBe(CodeReservation.Reserved);

        var sends = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
            await h.Codes.CountSendAsync(Pool, "alice", CodePurpose.SignUp, T0, hour, 5, Ct), Ct)));
        sends.Count(s => s).ShouldBe(5);
        (await h.Codes.CountSendAsync(Pool, "alice", CodePurpose.VerifyEmail, T0, hour, 5, Ct)).ShouldBeTrue();
        // Sends do not give guesses back: one of two is used.
        (await h.Codes.ReserveAttemptAsync(Pool, "alice", CodePurpose.SignUp, T0, hour, 2, 5, Lease, Ct)).Outcome.ShouldBe(CodeReservation.Reserved);
        (await h.Codes.ReserveAttemptAsync(Pool, "alice", CodePurpose.SignUp, T0, hour, 2, 5, Lease, Ct)).Outcome.ShouldBe(CodeReservation.WindowSpent);
        (await h.Codes.CountSendAsync(Pool, "alice", CodePurpose.SignUp, T0.AddHours(1), hour, 5, Ct)).ShouldBeTrue();
        (await h.Codes.ReserveAttemptAsync(Pool, "alice", CodePurpose.SignUp, T0.AddHours(1), hour, 2, 5, Lease, Ct)).Outcome.ShouldBe(CodeReservation.Reserved);
    }

    [Fact]
    public async Task Lockouts_ConcurrentReservations_AtMostFreeAttemptsThenLocked()
    {
        await using var h = await WithPoolAsync();
        await SeedUserAsync(h, "ann");
        var quiet = TimeSpan.FromMinutes(15);
        var lease = TimeSpan.FromSeconds(30);
        Task<LockoutReservation> Reserve(DateTimeOffset at, LockoutKind kind = LockoutKind.Password) =>
            h.Lockouts.TryReserveAsync(Pool, "ann", kind, at, quiet, 5, lease, Ct).AsTask();
        Task<int> Fail(DateTimeOffset at, LockoutKind kind = LockoutKind.Password) =>
            h.Lockouts.CompleteFailureAsync(Pool, "ann", kind, at, quiet, LockoutService.LockFor, 15, Ct).AsTask();

        var burst = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(() => Reserve(T0), Ct)));
        burst.Count(r => r == LockoutReservation.Reserved).ShouldBe(5);
        burst.Count(r => r == LockoutReservation.Busy).ShouldBe(95);
        // One slot freed uncounted: one more may check; four failures keep four slots busy... until they complete.
        await h.Lockouts.ReleaseAsync(Pool, "ann", LockoutKind.Password, Ct);
        (await Reserve(T0)).ShouldBe(LockoutReservation.Reserved);
        (await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Task.Run(() => Fail(T0), Ct)))).Order().ShouldBe([1, 2, 3, 4, 5]);
        (await Reserve(T0)).ShouldBe(LockoutReservation.Locked);
        (await h.Lockouts.GetAsync(Pool, "ann", LockoutKind.Password, Ct))!.LockedUntil.ShouldBe(T0.AddSeconds(1));
        // The second-factor counter is separate.
        (await Reserve(T0, LockoutKind.SecondFactor)).ShouldBe(LockoutReservation.Reserved);
        // After the lock: one check at a time; its failure locks for 2 s; a refused attempt does not extend the lock.
        (await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => Reserve(T0.AddSeconds(1)), Ct)))).Count(r => r == LockoutReservation.Reserved).ShouldBe(1);
        (await Fail(T0.AddSeconds(1))).ShouldBe(6);
        (await Reserve(T0.AddSeconds(2))).ShouldBe(LockoutReservation.Locked);
        (await h.Lockouts.GetAsync(Pool, "ann", LockoutKind.Password, Ct))!.LockedUntil.ShouldBe(T0.AddSeconds(3));
        // The cap: 15 minutes.
        for (int n = 7; n <= 20; n++)
        {
            var until = (await h.Lockouts.GetAsync(Pool, "ann", LockoutKind.Password, Ct))!.LockedUntil!.Value;
            (await Reserve(until)).ShouldBe(LockoutReservation.Reserved);
            (await Fail(until)).ShouldBe(n);
        }
        var capped = (await h.Lockouts.GetAsync(Pool, "ann", LockoutKind.Password, Ct))!;
        (capped.LockedUntil!.Value - capped.LastFailureAt).ShouldBe(TimeSpan.FromMinutes(15));
        // A slot left by a stopped node frees itself after its lease; a quiet period restarts the count.
        var later = capped.LastFailureAt.AddMinutes(16);
        (await Reserve(later)).ShouldBe(LockoutReservation.Reserved);
        (await Fail(later)).ShouldBe(1);
        (await Reserve(later)).ShouldBe(LockoutReservation.Reserved); // 1 failure + 1 in flight < 5
        (await Reserve(later + lease)).ShouldBe(LockoutReservation.Reserved);
        await h.Lockouts.ResetAsync(Pool, "ann", LockoutKind.Password, Ct);
        (await h.Lockouts.GetAsync(Pool, "ann", LockoutKind.Password, Ct)).ShouldBeNull();
        (await h.Lockouts.GetAsync(Pool, "ann", LockoutKind.SecondFactor, Ct)).ShouldNotBeNull();
    }

    [Fact]
    public async Task Users_UpdateAndRevokeTokens_BothInOneTransaction_StaleVersionWritesNeither()
    {
        await using var h = await WithPoolAsync();
        await h.Clients.CreateAsync(NewClient(Pool), Ct);
        await SeedUserAsync(h, "alice", "alice@example.com");
        await h.RefreshTokens.CreateAsync(new RefreshTokenRecord([1], Pool, "client0000000000000000000a", "alice", "jti-1", T0, T0.AddDays(1), false), Ct);
        var revoking = (IUserTokenRevokingStore)h.Users;

        var stale = (await h.Users.GetAsync(Pool, "alice", Ct))!;
        var fresh = (await h.Users.GetAsync(Pool, "alice", Ct))!;
        fresh.Attributes["name"] = "Alice";
        (await h.Users.UpdateAsync(fresh, IdentifiersOf(fresh), Ct)).ShouldBe(UserWriteResult.Ok);
        stale.Enabled = false;
        (await revoking.UpdateAndRevokeTokensAsync(stale, IdentifiersOf(stale), Ct)).ShouldBe(UserWriteResult.Conflict);
        (await h.RefreshTokens.GetAsync([1], Ct))!.Revoked.ShouldBeFalse();
        (await h.Users.GetAsync(Pool, "alice", Ct))!.Enabled.ShouldBeTrue();

        var current = (await h.Users.GetAsync(Pool, "alice", Ct))!;
        current.Enabled = false;
        (await revoking.UpdateAndRevokeTokensAsync(current, IdentifiersOf(current), Ct)).ShouldBe(UserWriteResult.Ok);
        (await h.RefreshTokens.GetAsync([1], Ct))!.Revoked.ShouldBeTrue();
        (await h.Users.GetAsync(Pool, "alice", Ct))!.Enabled.ShouldBeFalse();
    }

    [Fact]
    public async Task Users_PendingAttributes_RoundTripAndClear()
    {
        await using var h = await WithPoolAsync();
        await SeedUserAsync(h, "alice", "alice@example.com");
        var user = (await h.Users.GetAsync(Pool, "alice", Ct))!;
        user.PendingAttributes.ShouldBeEmpty();
        user.PendingAttributes["email"] = "new@example.com";
        (await h.Users.UpdateAsync(user, IdentifiersOf(user), Ct)).ShouldBe(UserWriteResult.Ok);
        var read = (await h.Users.GetAsync(Pool, "alice", Ct))!;
        read.PendingAttributes["email"].ShouldBe("new@example.com");
        read.Get("email").ShouldBe("alice@example.com");
        read.PendingAttributes.Clear();
        (await h.Users.UpdateAsync(read, IdentifiersOf(read), Ct)).ShouldBe(UserWriteResult.Ok);
        (await h.Users.GetAsync(Pool, "alice", Ct))!.PendingAttributes.ShouldBeEmpty();
        (await h.ScalarAsync<string>("SELECT pending_attributes_json FROM users")).ShouldBeNull();
    }

    [Fact]
    public async Task RefreshTokens_RevokeAndRevokeAll_VisibleByHashAndOriginJti()
    {
        await using var h = await WithPoolAsync();
        await h.Clients.CreateAsync(NewClient(Pool), Ct);
        await SeedUserAsync(h, "alice");
        foreach (var i in new byte[] { 1, 2, 3 })
        {
            await h.RefreshTokens.CreateAsync(new RefreshTokenRecord([i], Pool, "client0000000000000000000a", "alice", $"jti-{i}", T0, T0.AddDays(30), false), Ct);
        }

        (await h.RefreshTokens.RevokeAsync([1], Ct)).ShouldBeTrue();
        (await h.RefreshTokens.RevokeAsync([7], Ct)).ShouldBeFalse();
        (await h.RefreshTokens.GetAsync([1], Ct))!.Revoked.ShouldBeTrue();
        (await h.RefreshTokens.RevokeAllForUserAsync(Pool, "alice", Ct)).ShouldBe(2);
        var byJti = (await h.RefreshTokens.GetByOriginJtiAsync("jti-3", Ct))!;
        byJti.Revoked.ShouldBeTrue();
        byJti.ExpiresAt.ShouldBe(T0.AddDays(30));
        await Should.ThrowAsync<Exception>(async () =>
            await h.RefreshTokens.CreateAsync(new RefreshTokenRecord([4], Pool, "client0000000000000000000a", "alice", "jti-3", T0, T0, false), Ct));
    }

    [Fact]
    public async Task RefreshTokens_Rotate_GracePeriodFamilyRevocationAndConcurrency()
    {
        await using var h = await WithPoolAsync();
        await h.Clients.CreateAsync(NewClient(Pool), Ct);
        await SeedUserAsync(h, "alice");
        RefreshTokenRecord Token(byte hash, string jti, string? family = null) =>
            new([hash], Pool, "client0000000000000000000a", "alice", jti, T0, T0.AddDays(30), false) { FamilyId = family };
        await h.RefreshTokens.CreateAsync(Token(1, "jti-1"), Ct);
        (await h.RefreshTokens.GetAsync([1], Ct))!.Family.ShouldBe("jti-1");

        // First rotation at T0 + 1 s; within a 10 s grace period the token rotates again, the first time is kept.
        (await h.RefreshTokens.RotateAsync([1], Token(2, "jti-2", "jti-1"), T0.AddSeconds(1), T0.AddSeconds(-9), Ct)).ShouldBeTrue();
        (await h.RefreshTokens.RotateAsync([1], Token(3, "jti-3", "jti-1"), T0.AddSeconds(5), T0.AddSeconds(-5), Ct)).ShouldBeTrue();
        var rotated = (await h.RefreshTokens.GetAsync([1], Ct))!;
        rotated.ReplacedAt.ShouldBe(T0.AddSeconds(1));
        var child = (await h.RefreshTokens.GetAsync([2], Ct))!;
        (child.Family, child.ExpiresAt, child.ReplacedAt).ShouldBe(("jti-1", T0.AddDays(30), (DateTimeOffset?)null));
        // Past the grace period (first rotation at or before replacedAfter): refused, nothing stored.
        (await h.RefreshTokens.RotateAsync([1], Token(4, "jti-4", "jti-1"), T0.AddSeconds(11), T0.AddSeconds(1), Ct)).ShouldBeFalse();
        (await h.RefreshTokens.GetAsync([4], Ct)).ShouldBeNull();
        (await h.RefreshTokens.RotateAsync([9], Token(5, "jti-5", "jti-1"), T0, T0, Ct)).ShouldBeFalse();

        // Concurrent rotations of one token with no grace period: exactly one stores its replacement.
        await h.RefreshTokens.CreateAsync(Token(20, "jti-20"), Ct);
        var now = T0.AddMinutes(1);
        var wins = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
            await h.RefreshTokens.RotateAsync([20], Token((byte)(30 + i), $"jti-{30 + i}", "jti-20"), now, now, Ct), Ct)));
        wins.Count(w => w).ShouldBe(1);

        // Revoking any member revokes the family (ancestors and descendants), not other families.
        (await h.RefreshTokens.RevokeAsync([2], Ct)).ShouldBeTrue();
        foreach (var hash in new byte[] { 1, 2, 3 }) (await h.RefreshTokens.GetAsync([hash], Ct))!.Revoked.ShouldBeTrue();
        (await h.RefreshTokens.GetAsync([20], Ct))!.Revoked.ShouldBeFalse();
        (await h.RefreshTokens.GetByOriginJtiAsync("jti-3", Ct))!.Revoked.ShouldBeTrue();
        // A revoked token does not rotate.
        (await h.RefreshTokens.RotateAsync([3], Token(6, "jti-6", "jti-1"), T0.AddSeconds(6), T0, Ct)).ShouldBeFalse();
    }

    [Fact]
    public async Task SigningKeys_ConcurrentInitialCreation_ExactlyOneSetInserted()
    {
        await using var h = await WithPoolAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
            await h.SigningKeys.AddInitialAsync(
                [new SigningKeyRecord(Pool, $"id-{i}", "id", [1], T0.AddSeconds(i), true), new SigningKeyRecord(Pool, $"access-{i}", "access", [2], T0.AddSeconds(i), true)], Ct), Ct)));

        results.Count(r => r).ShouldBe(1);
        var keys = await h.SigningKeys.ListAsync(Pool, Ct);
        keys.Count.ShouldBe(2);
        keys[0].Kid.ShouldStartWith("id-");
        keys[0].Active.ShouldBeTrue();
        (await h.SigningKeys.AddAsync(keys[0], Ct)).ShouldBeFalse();
        (await h.SigningKeys.AddAsync(new SigningKeyRecord(Pool, "later", "id", [3], T0.AddDays(1), false), Ct)).ShouldBeTrue();
        (await h.SigningKeys.ListAsync(Pool, Ct)).Select(k => k.Kid).Last().ShouldBe("later");
    }

    [Fact]
    public async Task Sessions_ConcurrentTake_ExactlyOneGetsIt()
    {
        await using var h = await WithPoolAsync();
        await h.Clients.CreateAsync(NewClient(Pool), Ct);
        await h.Sessions.CreateAsync(new AuthSessionRecord([9], Pool, "client0000000000000000000a", "alice", "NEW_PASSWORD_REQUIRED", "{\"a\":1}", T0), Ct);

        var taken = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(async () => await h.Sessions.TakeAsync([9], Ct), Ct)));

        var winner = taken.Single(t => t is not null)!;
        (winner.Username, winner.Data, winner.ExpiresAt).ShouldBe(("alice", "{\"a\":1}", T0));
    }

    [Fact]
    public async Task Outbox_NewestFirstWithInsertionOrderTieBreak()
    {
        await using var h = await WithPoolAsync();
        await h.Outbox.AddAsync(new OutboxMessage("m1", Pool, "a@example.com", "s", "b", "111111", T0), Ct);
        await h.Outbox.AddAsync(new OutboxMessage("m2", Pool, "a@example.com", "s", "b", "222222", T0), Ct);
        await h.Outbox.AddAsync(new OutboxMessage("m3", Pool, "b@example.com", "s", "b", null, T0.AddSeconds(-1)), Ct);

        (await h.Outbox.ListAsync(null, 10, Ct)).Select(m => m.Id).ShouldBe(["m2", "m1", "m3"]);
        (await h.Outbox.ListAsync("a@example.com", 1, Ct)).Single().Code.ShouldBe("222222");
    }

    [Fact]
    public async Task Rekey_AllSealedColumns_MoveToNewKeyInOneRun()
    {
        await using var h = await WithPoolAsync();
        await h.Clients.CreateAsync(NewClient(Pool), Ct);
        var user = NewUser(Pool, "alice");
        user.PasswordSalt = [1, 2, 3];
        user.PasswordVerifier = [4, 5, 6];
        await h.Users.CreateAsync(user, IdentifiersOf(user), Ct);
        var pkcs8 = RandomNumberGenerator.GetBytes(64);
        await h.SigningKeys.AddAsync(new SigningKeyRecord(Pool, "kid-1", "id", h.Sealer.Seal(pkcs8, SealedSecrets.SigningKeyContext(Pool, "kid-1")), T0, true), Ct);
        var next = new TestSecretSealer(keySeed: 77);

        var result = await MasterKeyRotation.RekeyAsync(h.Database, h.Sealer, next, Ct);

        (result.Total, result.AlreadyCurrent).ShouldBe((3, 0));
        var underNew = h.StoresWith(next);
        (await underNew.Clients.GetAsync("client0000000000000000000a", Ct))!.ClientSecret.ShouldBe("s3cr3t-client-secret-value");
        (await underNew.Users.GetAsync(Pool, "alice", Ct))!.PasswordVerifier.ShouldBe(new byte[] { 4, 5, 6 });
        next.Unseal((await h.SigningKeys.ListAsync(Pool, Ct))[0].EncryptedPrivateKey, SealedSecrets.SigningKeyContext(Pool, "kid-1")).ShouldBe(pkcs8);
        await Should.ThrowAsync<CryptographicException>(async () => await h.Users.GetAsync(Pool, "alice", Ct));

        (await MasterKeyRotation.RekeyAsync(h.Database, h.Sealer, next, Ct)).AlreadyCurrent.ShouldBe(3);
        await Should.ThrowAsync<CryptographicException>(() => MasterKeyRotation.RekeyAsync(h.Database, new TestSecretSealer(5), new TestSecretSealer(6), Ct));
        (await underNew.Users.GetAsync(Pool, "alice", Ct))!.PasswordSalt.ShouldBe(new byte[] { 1, 2, 3 });
    }
}

/// <summary>The storage specification on SQLite (a file in a temp directory).</summary>
public sealed class SqliteStoreSpecificationTests : StoreSpecification
{
    private protected override Task<StoreHarness> OpenAsync(bool migrate = true) => StoreHarness.SqliteAsync(migrate);
}

/// <summary>The storage specification on a real PostgreSQL server (a fresh database per test).</summary>
public sealed class PostgresStoreSpecificationTests : StoreSpecification
{
    private protected override Task<StoreHarness> OpenAsync(bool migrate = true) => StoreHarness.PostgresAsync(migrate);
}
