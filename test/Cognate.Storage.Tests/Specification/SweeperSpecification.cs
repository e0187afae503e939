using Cognate.Core.Stores;
using Cognate.Storage.Maintenance;
using static Cognate.Storage.Tests.Sqlite.TestDatabase;

namespace Cognate.Storage.Tests.Specification;

/// <summary>The sweeper's contract on every provider: expired rows go in bounded batches, live rows stay.</summary>
public abstract class SweeperSpecification
{
    private const string Pool = "us-east-1_TestPool1";
    private const string Client = "client0000000000000000000a";

    private protected abstract Task<StoreHarness> OpenAsync();

    [Fact]
    public async Task Sweep_ExpiredAndLiveRows_DeletesOnlyExpiredInBatches()
    {
        await using var h = await OpenAsync();
        (await h.Pools.CreateAsync(NewPool(Pool), Ct)).ShouldBeTrue();
        await h.Clients.CreateAsync(NewClient(Pool), Ct);
        var now = T0.AddDays(200);
        for (int i = 0; i < 7; i++)
        {
            var user = NewUser(Pool, "u" + i);
            (await h.Users.CreateAsync(user, IdentifiersOf(user), Ct)).ShouldBe(UserWriteResult.Ok);
            bool expired = i < 5;
            await h.Codes.PutAsync(new StoredCode(Pool, "u" + i, CodePurpose.SignUp, [1], expired ? now.AddSeconds(-1) : now.AddMinutes(5), 0), Ct);
            await h.Sessions.CreateAsync(new AuthSessionRecord([(byte)i], Pool, Client, "u" + i, "EMAIL_OTP", "{}", expired ? now.AddSeconds(-1) : now.AddMinutes(3)), Ct);
            await h.AuthEvents.AddAsync(new AuthEventRecord("e" + i, Pool, "u" + i, "SignIn", "Pass", null, null, expired ? now.AddDays(-91) : now.AddDays(-89)), now.AddDays(-1000), Ct);
        }
        // Refresh tokens: expired 2 days ago (gone, revoked or not), expired an hour ago and revoked (kept: access tokens
        // minted from it may still be presented), live and revoked (kept), live (kept).
        await h.RefreshTokens.CreateAsync(new RefreshTokenRecord([1], Pool, Client, "u0", "jti-old", T0, now.AddDays(-2), false), Ct);
        await h.RefreshTokens.CreateAsync(new RefreshTokenRecord([2], Pool, Client, "u0", "jti-old-revoked", T0, now.AddDays(-2), true), Ct);
        await h.RefreshTokens.CreateAsync(new RefreshTokenRecord([3], Pool, Client, "u0", "jti-recent-revoked", T0, now.AddHours(-1), true), Ct);
        await h.RefreshTokens.CreateAsync(new RefreshTokenRecord([4], Pool, Client, "u0", "jti-live-revoked", T0, now.AddDays(10), true), Ct);
        await h.RefreshTokens.CreateAsync(new RefreshTokenRecord([5], Pool, Client, "u0", "jti-live", T0, now.AddDays(10), false), Ct);

        var sweeper = new SqlSweeper(h.Database, new SweeperOptions { BatchSize = 2, BatchPauseMilliseconds = 0 });
        var result = await sweeper.SweepAsync(now, Ct);

        result.ShouldBe(new SweepResult(AuthSessions: 5, Codes: 5, RefreshTokens: 2, AuthEvents: 5));
        (await h.CountAsync("SELECT COUNT(*) FROM codes")).ShouldBe(2);
        (await h.CountAsync("SELECT COUNT(*) FROM auth_sessions")).ShouldBe(2);
        (await h.CountAsync("SELECT COUNT(*) FROM auth_events")).ShouldBe(2);
        (await h.RefreshTokens.GetByOriginJtiAsync("jti-old", Ct)).ShouldBeNull();
        (await h.RefreshTokens.GetByOriginJtiAsync("jti-old-revoked", Ct)).ShouldBeNull();
        (await h.RefreshTokens.GetByOriginJtiAsync("jti-recent-revoked", Ct))!.Revoked.ShouldBeTrue();
        (await h.RefreshTokens.GetByOriginJtiAsync("jti-live-revoked", Ct))!.Revoked.ShouldBeTrue();
        (await h.RefreshTokens.GetByOriginJtiAsync("jti-live", Ct)).ShouldNotBeNull();

        (await sweeper.SweepAsync(now, Ct)).Total.ShouldBe(0); // idempotent
    }

    [Fact]
    public async Task Sweep_ConcurrentSweepers_DeleteEachRowOnce()
    {
        await using var h = await OpenAsync();
        (await h.Pools.CreateAsync(NewPool(Pool), Ct)).ShouldBeTrue();
        await h.Clients.CreateAsync(NewClient(Pool), Ct);
        var now = T0.AddDays(1);
        for (int i = 0; i < 50; i++)
        {
            await h.Sessions.CreateAsync(new AuthSessionRecord(BitConverter.GetBytes(i), Pool, Client, "u" + i, "PASSWORD_VERIFIER", "{}", T0), Ct);
        }
        var sweeper = new SqlSweeper(h.Database, new SweeperOptions { BatchSize = 7, BatchPauseMilliseconds = 0 });

        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => sweeper.SweepAsync(now, Ct), Ct)));

        results.Sum(r => r.AuthSessions).ShouldBe(50);
        (await h.CountAsync("SELECT COUNT(*) FROM auth_sessions")).ShouldBe(0);
    }
}

/// <summary>The sweeper specification on SQLite.</summary>
public sealed class SqliteSweeperSpecificationTests : SweeperSpecification
{
    private protected override Task<StoreHarness> OpenAsync() => StoreHarness.SqliteAsync(migrate: true);
}

/// <summary>The sweeper specification on PostgreSQL.</summary>
public sealed class PostgresSweeperSpecificationTests : SweeperSpecification
{
    private protected override Task<StoreHarness> OpenAsync() => StoreHarness.PostgresAsync(migrate: true);
}
