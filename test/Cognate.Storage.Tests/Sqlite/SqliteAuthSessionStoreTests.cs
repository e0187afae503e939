using Cognate.Core.Stores;
using static Cognate.Storage.Tests.Sqlite.TestDatabase;

namespace Cognate.Storage.Tests.Sqlite;

public sealed class SqliteAuthSessionStoreTests
{
    private const string Pool = "us-east-1_TestPool1";

    private static async Task<TestDatabase> SeededAsync()
    {
        var db = await CreateAsync();
        await db.SeedPoolAsync();
        await db.SeedClientAsync(Pool);
        return db;
    }

    [Fact]
    public async Task TakeAsync_AfterCreate_ReturnsSessionOnce()
    {
        await using var db = await SeededAsync();
        var session = new AuthSessionRecord(SqliteUserPoolStoreTests.Hash("s"), Pool, "client0000000000000000000a", "alice", "NEW_PASSWORD_REQUIRED", "{\"a\":1}", T0.AddMinutes(3));
        await db.Sessions.CreateAsync(session, Ct);

        var taken = await db.Sessions.TakeAsync(session.SessionHash, Ct);

        taken.ShouldNotBeNull();
        taken.SessionHash.ShouldBe(session.SessionHash);
        taken.Username.ShouldBe("alice");
        taken.ChallengeName.ShouldBe("NEW_PASSWORD_REQUIRED");
        taken.Data.ShouldBe("{\"a\":1}");
        taken.ExpiresAt.ShouldBe(T0.AddMinutes(3));
        (await db.Sessions.TakeAsync(session.SessionHash, Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task TakeAsync_ExpiredSession_IsStillReturned()
    {
        await using var db = await SeededAsync();
        var session = new AuthSessionRecord([7], Pool, "client0000000000000000000a", "alice", "X", "{}", DateTimeOffset.UnixEpoch);
        await db.Sessions.CreateAsync(session, Ct);

        (await db.Sessions.TakeAsync([7], Ct))!.ExpiresAt.ShouldBe(DateTimeOffset.UnixEpoch);
    }

    [Fact]
    public async Task TakeAsync_20ParallelTakers_ExactlyOneGetsTheSession()
    {
        await using var db = await SeededAsync();
        var hash = SqliteUserPoolStoreTests.Hash("contended");
        await db.Sessions.CreateAsync(new AuthSessionRecord(hash, Pool, "client0000000000000000000a", "alice", "X", "{}", T0), Ct);
        var store = db.Sessions;
        using var start = new ManualResetEventSlim();

        var tasks = Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            start.Wait(Ct);
            return await store.TakeAsync(hash, Ct);
        }, Ct)).ToList();
        start.Set();
        var results = await Task.WhenAll(tasks);

        results.Count(r => r is not null).ShouldBe(1);
        (await db.CountAsync("SELECT COUNT(*) FROM auth_sessions")).ShouldBe(0);
    }
}
