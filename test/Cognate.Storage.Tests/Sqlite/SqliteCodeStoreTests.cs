using Cognate.Core.Stores;
using static Cognate.Storage.Tests.Sqlite.TestDatabase;

namespace Cognate.Storage.Tests.Sqlite;

public sealed class SqliteCodeStoreTests
{
    private const string Pool = "us-east-1_TestPool1";

    private static async Task<TestDatabase> WithUserAsync()
    {
        var db = await CreateAsync();
        await db.SeedPoolAsync();
        await db.SeedUserAsync(Pool, "alice");
        return db;
    }

    [Fact]
    public async Task PutAsync_ThenGet_RoundTrips()
    {
        await using var db = await WithUserAsync();

        await db.Codes.PutAsync(new StoredCode(Pool, "alice", CodePurpose.SignUp, [1, 2, 3], T0.AddDays(1), 0), Ct);
        var read = await db.Codes.GetAsync(Pool, "alice", CodePurpose.SignUp, Ct);

        read.ShouldNotBeNull();
        read.CodeHash.ShouldBe(new byte[] { 1, 2, 3 });
        read.ExpiresAt.ShouldBe(T0.AddDays(1));
        read.FailedAttempts.ShouldBe(0);
        (await db.Codes.GetAsync(Pool, "alice", CodePurpose.ForgotPassword, Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task PutAsync_SamePurpose_ReplacesPreviousCode()
    {
        await using var db = await WithUserAsync();
        await db.Codes.PutAsync(new StoredCode(Pool, "alice", CodePurpose.SignUp, [1], T0, 0), Ct);
        await db.Codes.IncrementFailedAttemptsAsync(Pool, "alice", CodePurpose.SignUp, Ct);

        await db.Codes.PutAsync(new StoredCode(Pool, "alice", CodePurpose.SignUp, [2], T0.AddHours(1), 0), Ct);

        var read = (await db.Codes.GetAsync(Pool, "alice", CodePurpose.SignUp, Ct))!;
        read.CodeHash.ShouldBe(new byte[] { 2 });
        read.FailedAttempts.ShouldBe(0);
        (await db.CountAsync("SELECT COUNT(*) FROM codes")).ShouldBe(1);
    }

    [Fact]
    public async Task IncrementFailedAttemptsAsync_Concurrent_CountsEveryAttempt()
    {
        await using var db = await WithUserAsync();
        await db.Codes.PutAsync(new StoredCode(Pool, "alice", CodePurpose.SignUp, [1], T0, 0), Ct);
        var store = db.Codes;

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
            await store.IncrementFailedAttemptsAsync(Pool, "alice", CodePurpose.SignUp, Ct), Ct)));

        results.Order().ShouldBe(Enumerable.Range(1, 20));
        (await db.Codes.GetAsync(Pool, "alice", CodePurpose.SignUp, Ct))!.FailedAttempts.ShouldBe(20);
    }

    [Fact]
    public async Task IncrementFailedAttemptsAsync_NoCode_ReturnsZero()
    {
        await using var db = await WithUserAsync();

        (await db.Codes.IncrementFailedAttemptsAsync(Pool, "alice", CodePurpose.SignUp, Ct)).ShouldBe(0);
    }

    [Fact]
    public async Task DeleteAsync_Twice_SecondReturnsFalse()
    {
        await using var db = await WithUserAsync();
        await db.Codes.PutAsync(new StoredCode(Pool, "alice", CodePurpose.VerifyEmail, [1], T0, 0), Ct);

        (await db.Codes.DeleteAsync(Pool, "alice", CodePurpose.VerifyEmail, Ct)).ShouldBeTrue();
        (await db.Codes.DeleteAsync(Pool, "alice", CodePurpose.VerifyEmail, Ct)).ShouldBeFalse();
        (await db.Codes.GetAsync(Pool, "alice", CodePurpose.VerifyEmail, Ct)).ShouldBeNull();
    }
}
