using System.Security.Cryptography;
using Cognate.Core.Stores;
using static Cognate.Storage.Tests.Sqlite.TestDatabase;

namespace Cognate.Storage.Tests.Sqlite;

public sealed class PersistenceTests
{
    private const string Pool = "us-east-1_TestPool1";

    [Fact]
    public async Task Reopen_NewInstancesOnSameFile_SeeAllData()
    {
        await using var db = await CreateAsync();
        await db.SeedPoolAsync();
        await db.SeedClientAsync(Pool);
        var user = NewUser(Pool, "alice", "alice@example.com");
        user.PasswordSalt = RandomNumberGenerator.GetBytes(16);
        user.PasswordVerifier = RandomNumberGenerator.GetBytes(256);
        (await db.Users.CreateAsync(user, IdentifiersOf(user), Ct)).ShouldBe(UserWriteResult.Ok);
        await db.Codes.PutAsync(new StoredCode(Pool, "alice", CodePurpose.SignUp, [1], T0, 2), Ct);
        await db.RefreshTokens.CreateAsync(new RefreshTokenRecord([1], Pool, "client0000000000000000000a", "alice", "jti", T0, T0, false), Ct);
        await db.SigningKeys.AddAsync(new SigningKeyRecord(Pool, "kid", "id", [1], T0, true), Ct);
        await db.Sessions.CreateAsync(new AuthSessionRecord([2], Pool, "client0000000000000000000a", "alice", "X", "{}", T0), Ct);
        await db.Outbox.AddAsync(new OutboxMessage("m", Pool, "alice@example.com", "s", "b", "123", T0), Ct);

        await db.ReopenAsync();

        (await db.Pools.GetAsync(Pool, Ct))!.Config.PoolName.ShouldBe("test pool");
        (await db.Clients.GetAsync("client0000000000000000000a", Ct))!.ClientSecret.ShouldBe("s3cr3t-client-secret-value");
        var read = (await db.Users.FindByIdentifierAsync(Pool, "email", "alice@example.com", Ct))!;
        read.Sub.ShouldBe(user.Sub);
        read.PasswordVerifier.ShouldBe(user.PasswordVerifier);
        (await db.Codes.GetAsync(Pool, "alice", CodePurpose.SignUp, Ct))!.FailedAttempts.ShouldBe(2);
        (await db.RefreshTokens.GetByOriginJtiAsync("jti", Ct)).ShouldNotBeNull();
        (await db.SigningKeys.ListAsync(Pool, Ct)).Count.ShouldBe(1);
        (await db.Sessions.TakeAsync([2], Ct)).ShouldNotBeNull();
        (await db.Outbox.ListAsync(null, 10, Ct)).Count.ShouldBe(1);
    }
}
