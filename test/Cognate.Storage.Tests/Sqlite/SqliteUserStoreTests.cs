using System.Security.Cryptography;
using Cognate.Core.Stores;
using Cognate.Core.Users;
using static Cognate.Storage.Tests.Sqlite.TestDatabase;

namespace Cognate.Storage.Tests.Sqlite;

public sealed class SqliteUserStoreTests
{
    private const string Pool = "us-east-1_TestPool1";

    [Fact]
    public async Task CreateAsync_UserWithPassword_RoundTripsEverything()
    {
        await using var db = await CreateAsync();
        await db.SeedPoolAsync();
        var user = NewUser(Pool, "alice", "alice@example.com");
        user.Attributes["custom:team"] = "blue";
        user.Enabled = false;
        user.Status = UserStatus.ForceChangePassword;
        user.PasswordSalt = RandomNumberGenerator.GetBytes(16);
        user.PasswordVerifier = RandomNumberGenerator.GetBytes(384);
        user.PasswordSetAt = T0.AddHours(1);

        (await db.Users.CreateAsync(user, IdentifiersOf(user), Ct)).ShouldBe(UserWriteResult.Ok);
        var read = await db.Users.GetAsync(Pool, "alice", Ct);

        read.ShouldNotBeNull();
        read.Sub.ShouldBe(user.Sub);
        read.Status.ShouldBe(UserStatus.ForceChangePassword);
        read.Enabled.ShouldBeFalse();
        read.CreatedAt.ShouldBe(T0);
        read.ModifiedAt.ShouldBe(T0);
        read.Attributes.ShouldBe(user.Attributes);
        read.Attributes.Comparer.ShouldBe(StringComparer.Ordinal);
        read.PasswordSalt.ShouldBe(user.PasswordSalt);
        read.PasswordVerifier.ShouldBe(user.PasswordVerifier);
        read.PasswordSetAt.ShouldBe(T0.AddHours(1));
        read.Version.ShouldBe(0);
    }

    [Fact]
    public async Task CreateAsync_ConcurrentSameUsername_TheLoserFindsTheWinnerWhenRefused()
    {
        // Concurrent creates of one username share a group-commit batch: the loser is refused by the winner's uncommitted
        // insert, and must hear so only once that insert is committed (a migration then signs in the user it finds).
        await using var db = await CreateAsync();
        await db.SeedPoolAsync();
        for (var round = 0; round < 20; round++)
        {
            var name = $"lena{round}";
            var found = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
            {
                var user = NewUser(Pool, name, $"{name}@example.com");
                var result = await db.Users.CreateAsync(user, IdentifiersOf(user), Ct);
                return (result, visible: await db.Users.GetAsync(Pool, name, Ct) is not null);
            }));
            found.Count(r => r.result == UserWriteResult.Ok).ShouldBe(1);
            found.ShouldAllBe(r => r.visible);
        }
    }

    [Fact]
    public async Task CreateAsync_UserWithoutPassword_StoresNulls()
    {
        await using var db = await CreateAsync();
        await db.SeedPoolAsync();
        await db.SeedUserAsync(Pool, "alice");

        var read = (await db.Users.GetAsync(Pool, "alice", Ct))!;

        read.PasswordSalt.ShouldBeNull();
        read.PasswordVerifier.ShouldBeNull();
        read.PasswordSetAt.ShouldBeNull();
        (await db.ScalarAsync("SELECT password_sealed FROM users")).ShouldBeNull();
    }

    [Fact]
    public async Task CreateAsync_Password_IsNotStoredInPlaintext()
    {
        await using var db = await CreateAsync();
        await db.SeedPoolAsync();
        var user = NewUser(Pool, "alice");
        user.PasswordSalt = RandomNumberGenerator.GetBytes(16);
        user.PasswordVerifier = RandomNumberGenerator.GetBytes(384);
        (await db.Users.CreateAsync(user, IdentifiersOf(user), Ct)).ShouldBe(UserWriteResult.Ok);

        var raw = (byte[])(await db.ScalarAsync("SELECT password_sealed FROM users"))!;

        raw.AsSpan().IndexOf(user.PasswordSalt).ShouldBe(-1);
        raw.AsSpan().IndexOf(user.PasswordVerifier.AsSpan(0, 32)).ShouldBe(-1);
    }

    [Fact]
    public async Task GetAsync_OtherKey_FailsToUnsealPassword()
    {
        await using var db = await CreateAsync();
        await db.SeedPoolAsync();
        var user = NewUser(Pool, "alice");
        user.PasswordSalt = [1, 2, 3];
        user.PasswordVerifier = [4, 5, 6];
        (await db.Users.CreateAsync(user, IdentifiersOf(user), Ct)).ShouldBe(UserWriteResult.Ok);

        var otherKey = new Cognate.Storage.Stores.SqlUserStore(db.Database, new TestSecretSealer(keySeed: 7));

        await Should.ThrowAsync<CryptographicException>(async () => await otherKey.GetAsync(Pool, "alice", Ct));
    }

    [Fact]
    public async Task CreateAsync_TakenUsername_ReturnsIdentifierTakenAndWritesNothing()
    {
        await using var db = await CreateAsync();
        await db.SeedPoolAsync();
        var alice = await db.SeedUserAsync(Pool, "alice", "alice@example.com");

        var again = NewUser(Pool, "alice", "other@example.com");
        (await db.Users.CreateAsync(again, IdentifiersOf(again), Ct)).ShouldBe(UserWriteResult.IdentifierTaken);

        (await db.Users.GetAsync(Pool, "alice", Ct))!.Sub.ShouldBe(alice.Sub);
        (await db.Users.FindByIdentifierAsync(Pool, "email", "other@example.com", Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task CreateAsync_TakenAlias_ReturnsIdentifierTakenAndWritesNothing()
    {
        await using var db = await CreateAsync();
        await db.SeedPoolAsync();
        await db.SeedUserAsync(Pool, "alice", "shared@example.com");

        var bob = NewUser(Pool, "bob", "shared@example.com");
        (await db.Users.CreateAsync(bob, IdentifiersOf(bob), Ct)).ShouldBe(UserWriteResult.IdentifierTaken);

        (await db.Users.GetAsync(Pool, "bob", Ct)).ShouldBeNull();
        (await db.Users.FindByIdentifierAsync(Pool, "username", "bob", Ct)).ShouldBeNull();
        (await db.Pools.CountUsersAsync(Pool, Ct)).ShouldBe(1);
    }

    [Fact]
    public async Task CreateAsync_SameUsernameInOtherPool_Succeeds()
    {
        await using var db = await CreateAsync();
        await db.SeedPoolAsync("us-east-1_A");
        await db.SeedPoolAsync("us-east-1_B");
        await db.SeedUserAsync("us-east-1_A", "alice", "alice@example.com");

        var other = NewUser("us-east-1_B", "alice", "alice@example.com");
        (await db.Users.CreateAsync(other, IdentifiersOf(other), Ct)).ShouldBe(UserWriteResult.Ok);
    }

    [Fact]
    public async Task CreateAsync_100ConcurrentSameUsername_ExactlyOneOk()
    {
        await using var db = await CreateAsync();
        await db.SeedPoolAsync();
        var store = db.Users;
        using var start = new ManualResetEventSlim();

        var tasks = Enumerable.Range(0, 100).Select(i => Task.Run(async () =>
        {
            start.Wait(Ct);
            var user = NewUser(Pool, "alice", $"alice{i}@example.com");
            return await store.CreateAsync(user, IdentifiersOf(user), Ct);
        }, Ct)).ToList();
        start.Set();
        var results = await Task.WhenAll(tasks);

        results.Count(r => r == UserWriteResult.Ok).ShouldBe(1);
        results.Count(r => r == UserWriteResult.IdentifierTaken).ShouldBe(99);
        (await db.CountAsync("SELECT COUNT(*) FROM users")).ShouldBe(1);
        (await db.CountAsync("SELECT COUNT(*) FROM user_identifiers")).ShouldBe(2);
    }

    [Fact]
    public async Task FindByIdentifierAsync_AliasAndUsername_FindTheOwner()
    {
        await using var db = await CreateAsync();
        await db.SeedPoolAsync();
        var alice = await db.SeedUserAsync(Pool, "alice", "alice@example.com");
        await db.SeedUserAsync(Pool, "bob", "bob@example.com");

        (await db.Users.FindByIdentifierAsync(Pool, "email", "alice@example.com", Ct))!.Sub.ShouldBe(alice.Sub);
        (await db.Users.FindByIdentifierAsync(Pool, "username", "alice", Ct))!.Username.ShouldBe("alice");
        (await db.Users.FindByIdentifierAsync(Pool, "email", "nobody@example.com", Ct)).ShouldBeNull();
        (await db.Users.FindByIdentifierAsync("us-east-1_Other", "username", "alice", Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task UpdateAsync_CurrentVersion_WritesAndIncrementsVersionOnObject()
    {
        await using var db = await CreateAsync();
        await db.SeedPoolAsync();
        await db.SeedUserAsync(Pool, "alice", "alice@example.com");
        var user = (await db.Users.GetAsync(Pool, "alice", Ct))!;
        user.Attributes["name"] = "Alice";
        user.Status = UserStatus.ResetRequired;
        user.PasswordSalt = [1];
        user.PasswordVerifier = [2, 3];
        user.ModifiedAt = T0.AddDays(1);

        (await db.Users.UpdateAsync(user, null, Ct)).ShouldBe(UserWriteResult.Ok);

        user.Version.ShouldBe(1);
        var read = (await db.Users.GetAsync(Pool, "alice", Ct))!;
        read.Version.ShouldBe(1);
        read.Get("name").ShouldBe("Alice");
        read.Status.ShouldBe(UserStatus.ResetRequired);
        read.PasswordVerifier.ShouldBe(new byte[] { 2, 3 });
        read.ModifiedAt.ShouldBe(T0.AddDays(1));
        (await db.Users.FindByIdentifierAsync(Pool, "email", "alice@example.com", Ct)).ShouldNotBeNull();
    }

    [Fact]
    public async Task UpdateAsync_StaleVersion_ReturnsConflictAndKeepsRow()
    {
        await using var db = await CreateAsync();
        await db.SeedPoolAsync();
        await db.SeedUserAsync(Pool, "alice");
        var first = (await db.Users.GetAsync(Pool, "alice", Ct))!;
        var second = (await db.Users.GetAsync(Pool, "alice", Ct))!;
        first.Attributes["name"] = "first";
        second.Attributes["name"] = "second";

        (await db.Users.UpdateAsync(first, null, Ct)).ShouldBe(UserWriteResult.Ok);
        (await db.Users.UpdateAsync(second, [new UserIdentifier("username", "alice"), new UserIdentifier("email", "x@example.com")], Ct))
            .ShouldBe(UserWriteResult.Conflict);

        second.Version.ShouldBe(0);
        (await db.Users.GetAsync(Pool, "alice", Ct))!.Get("name").ShouldBe("first");
        (await db.Users.FindByIdentifierAsync(Pool, "email", "x@example.com", Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task UpdateAsync_MissingUser_ReturnsConflict()
    {
        await using var db = await CreateAsync();
        await db.SeedPoolAsync();

        (await db.Users.UpdateAsync(NewUser(Pool, "ghost"), null, Ct)).ShouldBe(UserWriteResult.Conflict);
    }

    [Fact]
    public async Task UpdateAsync_NewIdentifiers_ReplacesOldOnes()
    {
        await using var db = await CreateAsync();
        await db.SeedPoolAsync();
        var alice = await db.SeedUserAsync(Pool, "alice", "old@example.com");
        alice.Attributes["email"] = "new@example.com";

        (await db.Users.UpdateAsync(alice, IdentifiersOf(alice), Ct)).ShouldBe(UserWriteResult.Ok);

        (await db.Users.FindByIdentifierAsync(Pool, "email", "old@example.com", Ct)).ShouldBeNull();
        (await db.Users.FindByIdentifierAsync(Pool, "email", "new@example.com", Ct))!.Username.ShouldBe("alice");
        (await db.CountAsync("SELECT COUNT(*) FROM user_identifiers")).ShouldBe(2);
    }

    [Fact]
    public async Task UpdateAsync_StealsOtherUsersIdentifier_ReturnsIdentifierTakenAndChangesNothing()
    {
        await using var db = await CreateAsync();
        await db.SeedPoolAsync();
        var alice = await db.SeedUserAsync(Pool, "alice", "alice@example.com");
        await db.SeedUserAsync(Pool, "bob", "bob@example.com");
        var bob = (await db.Users.GetAsync(Pool, "bob", Ct))!;
        bob.Attributes["email"] = "alice@example.com";
        bob.Attributes["name"] = "Bob";

        (await db.Users.UpdateAsync(bob, IdentifiersOf(bob), Ct)).ShouldBe(UserWriteResult.IdentifierTaken);

        bob.Version.ShouldBe(0);
        var stored = (await db.Users.GetAsync(Pool, "bob", Ct))!;
        stored.Version.ShouldBe(0);
        stored.Get("email").ShouldBe("bob@example.com");
        stored.Get("name").ShouldBeNull();
        (await db.Users.FindByIdentifierAsync(Pool, "email", "bob@example.com", Ct))!.Username.ShouldBe("bob");
        (await db.Users.FindByIdentifierAsync(Pool, "email", "alice@example.com", Ct))!.Sub.ShouldBe(alice.Sub);
        (await db.Users.FindByIdentifierAsync(Pool, "username", "bob", Ct)).ShouldNotBeNull();
    }

    [Fact]
    public async Task DeleteAsync_UserWithData_RemovesIdentifiersCodesTokensAndSessions()
    {
        await using var db = await CreateAsync();
        await db.SeedPoolAsync();
        var client = await db.SeedClientAsync(Pool);
        await db.SeedUserAsync(Pool, "alice", "alice@example.com");
        await db.SeedUserAsync(Pool, "bob", "bob@example.com");
        foreach (var name in new[] { "alice", "bob" })
        {
            await db.Codes.PutAsync(new StoredCode(Pool, name, CodePurpose.ForgotPassword, [1], T0, 0), Ct);
            await db.RefreshTokens.CreateAsync(new RefreshTokenRecord(SqliteUserPoolStoreTests.Hash(name), Pool, client.ClientId, name, "jti-" + name, T0, T0, false), Ct);
            await db.Sessions.CreateAsync(new AuthSessionRecord(SqliteUserPoolStoreTests.Hash("s" + name), Pool, client.ClientId, name, "X", "{}", T0), Ct);
        }

        (await db.Users.DeleteAsync(Pool, "alice", Ct)).ShouldBeTrue();

        (await db.Users.GetAsync(Pool, "alice", Ct)).ShouldBeNull();
        foreach (var table in new[] { "user_identifiers", "codes", "refresh_tokens", "auth_sessions" })
        {
            (await db.CountAsync($"SELECT COUNT(*) FROM {table} WHERE username = 'alice'")).ShouldBe(0, table);
            (await db.CountAsync($"SELECT COUNT(*) FROM {table} WHERE username = 'bob'")).ShouldBeGreaterThan(0, table);
        }

        (await db.Users.DeleteAsync(Pool, "alice", Ct)).ShouldBeFalse();
    }
}
