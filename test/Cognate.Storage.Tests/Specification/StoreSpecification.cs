using System.Security.Cryptography;
using System.Text;
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

        (await h.CountAsync("SELECT MAX(version) FROM schema_migrations")).ShouldBe(h.Database.KnownSchemaVersion);
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

        (await h.Pools.CountUsersAsync(Pool, Ct)).ShouldBe(1);
        (await h.Pools.DeleteAsync(Pool, Ct)).ShouldBeTrue();
        (await h.Pools.DeleteAsync(Pool, Ct)).ShouldBeFalse();

        foreach (var table in new[] { "app_clients", "users", "user_identifiers", "codes", "refresh_tokens", "signing_keys", "auth_sessions", "outbox" })
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
