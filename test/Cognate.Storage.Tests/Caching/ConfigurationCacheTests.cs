using Cognate.Storage.Caching;
using Cognate.Storage.Tests.Sqlite;
using static Cognate.Storage.Tests.Sqlite.TestDatabase;

namespace Cognate.Storage.Tests.Caching;

public sealed class ConfigurationCacheTests
{
    /// <summary>A clock whose monotonic timestamp moves only when told (1 tick = 1 ms).</summary>
    sealed class ManualClock : TimeProvider
    {
        public long Milliseconds { get; set; }
        public override long TimestampFrequency => 1000;
        public override long GetTimestamp() => Milliseconds;
    }

    static (CachingUserPoolStore Pools, CachingAppClientStore Clients, ManualClock Clock) Cached(TestDatabase db)
    {
        var clock = new ManualClock();
        var clients = new CachingAppClientStore(db.Clients, clock);
        return (new CachingUserPoolStore(db.Pools, clock, clients), clients, clock);
    }

    [Fact]
    public async Task GetAsync_ChangedByAnotherNode_ServesPreviousUntilTtlThenFresh()
    {
        await using var db = await CreateAsync();
        var pool = await db.SeedPoolAsync();
        var (pools, _, clock) = Cached(db);
        (await pools.GetAsync(pool.Id, Ct))!.Config.PoolName.ShouldBe("test pool");

        // Another node (the uncached store) renames the pool.
        (await db.Pools.UpdateAsync(pool with { Config = pool.Config with { PoolName = "renamed" } }, Ct)).ShouldBeTrue();

        clock.Milliseconds = 999;
        (await pools.GetAsync(pool.Id, Ct))!.Config.PoolName.ShouldBe("test pool");
        clock.Milliseconds = 1000;
        (await pools.GetAsync(pool.Id, Ct))!.Config.PoolName.ShouldBe("renamed");
    }

    [Fact]
    public async Task UpdateAsync_ThroughThisNode_VisibleAtOnce()
    {
        await using var db = await CreateAsync();
        var pool = await db.SeedPoolAsync();
        var (pools, _, _) = Cached(db);
        var read = (await pools.GetAsync(pool.Id, Ct))!;

        (await pools.UpdateAsync(read with { Config = read.Config with { PoolName = "renamed" } }, Ct)).ShouldBeTrue();

        var after = (await pools.GetAsync(pool.Id, Ct))!;
        after.Config.PoolName.ShouldBe("renamed");
        after.Version.ShouldBe(read.Version + 1);
    }

    [Fact]
    public async Task UpdateAsync_StaleVersion_FailsAndRetryReadsFreshRow()
    {
        await using var db = await CreateAsync();
        var pool = await db.SeedPoolAsync();
        var (pools, _, _) = Cached(db);
        var stale = (await pools.GetAsync(pool.Id, Ct))!;
        (await db.Pools.UpdateAsync(pool with { Config = pool.Config with { PoolName = "elsewhere" } }, Ct)).ShouldBeTrue();

        (await pools.UpdateAsync(stale with { Config = stale.Config with { PoolName = "mine" } }, Ct)).ShouldBeFalse();

        var fresh = (await pools.GetAsync(pool.Id, Ct))!;
        fresh.Config.PoolName.ShouldBe("elsewhere");
        (await pools.UpdateAsync(fresh with { Config = fresh.Config with { PoolName = "mine" } }, Ct)).ShouldBeTrue();
    }

    [Fact]
    public async Task DeleteAsync_Pool_EvictsPoolAndItsClients()
    {
        await using var db = await CreateAsync();
        var pool = await db.SeedPoolAsync();
        var client = await db.SeedClientAsync(pool.Id);
        var (pools, clients, _) = Cached(db);
        (await pools.GetAsync(pool.Id, Ct)).ShouldNotBeNull();
        (await clients.GetAsync(client.ClientId, Ct)).ShouldNotBeNull();

        (await pools.DeleteAsync(pool.Id, Ct)).ShouldBeTrue();

        (await pools.GetAsync(pool.Id, Ct)).ShouldBeNull();
        (await clients.GetAsync(client.ClientId, Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task DeleteAsync_Client_VisibleAtOnce()
    {
        await using var db = await CreateAsync();
        var pool = await db.SeedPoolAsync();
        var client = await db.SeedClientAsync(pool.Id);
        var (_, clients, _) = Cached(db);
        (await clients.GetAsync(client.ClientId, Ct)).ShouldNotBeNull();

        (await clients.DeleteAsync(pool.Id, client.ClientId, Ct)).ShouldBeTrue();

        (await clients.GetAsync(client.ClientId, Ct)).ShouldBeNull();
    }
}
