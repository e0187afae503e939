using Cognate.Core.Limits;
using Cognate.Core.Pools.Replicas;
using Cognate.Storage.Stores;
using static Cognate.Storage.Tests.Sqlite.TestDatabase;

namespace Cognate.Storage.Tests.Specification;

/// <summary>
/// Migration 0020 on every provider: provisioned limits upsert per category; replicas are unique per (pool, Region), capped
/// per pool even under concurrent creates, found by the pool store under their id only while ACTIVE, and gone with the pool.
/// </summary>
public abstract class LimitsReplicasStoreSpecification
{
    private const string Pool = "us-east-1_TestPool1";

    private protected abstract Task<StoreHarness> OpenAsync();

    static UserPoolReplica Replica(string region, string status = "ACTIVE") =>
        new(Pool, region, region + "_TestPool1", status, T0, T0);

    [Fact]
    public async Task ProvisionedLimits_UpsertPerCategory()
    {
        await using var h = await OpenAsync();
        var limits = new SqlProvisionedLimitStore(h.Database);
        (await limits.ListAsync(Ct)).ShouldBeEmpty();
        await limits.PutAsync(new ProvisionedLimit("UserRead", 500, T0), Ct);
        await limits.PutAsync(new ProvisionedLimit("UserCreation", 60, T0), Ct);
        await limits.PutAsync(new ProvisionedLimit("UserRead", 700, T0.AddMinutes(1)), Ct);
        var all = await limits.ListAsync(Ct);
        all.Select(l => (l.Category, l.RequestsPerSecond)).ShouldBe([("UserCreation", 60), ("UserRead", 700)]);
        all[1].ModifiedAt.ShouldBe(T0.AddMinutes(1));
        await Task.WhenAll(Enumerable.Range(1, 8).Select(i => limits.PutAsync(new ProvisionedLimit("UserList", 100 + i, T0), Ct).AsTask()));
        (await limits.ListAsync(Ct)).Count(l => l.Category == "UserList").ShouldBe(1);
    }

    [Fact]
    public async Task Replicas_UniquePerRegion_LimitHoldsUnderConcurrency_ResolvedWhileActive_GoneWithPool()
    {
        await using var h = await OpenAsync();
        (await h.Pools.CreateAsync(NewPool(Pool), Ct)).ShouldBeTrue();
        var replicas = new SqlUserPoolReplicaStore(h.Database);

        (await replicas.CreateAsync(Replica("eu-west-1"), 3, Ct)).ShouldBe(ReplicaWriteResult.Ok);
        (await replicas.CreateAsync(Replica("eu-west-1"), 3, Ct)).ShouldBe(ReplicaWriteResult.Duplicate);
        (await replicas.CreateAsync(Replica("eu-west-1") with { UserPoolId = "us-east-1_NoSuchPool" }, 3, Ct)).ShouldBe(ReplicaWriteResult.PoolGone);
        string[] regions = ["ap-south-1", "ca-central-1", "sa-east-1", "eu-north-1", "me-south-1", "af-south-1"];
        var results = await Task.WhenAll(regions.Select(r => replicas.CreateAsync(Replica(r), 3, Ct).AsTask()));
        results.Count(r => r == ReplicaWriteResult.Ok).ShouldBe(2);
        results.Where(r => r != ReplicaWriteResult.Ok).ShouldAllBe(r => r == ReplicaWriteResult.LimitReached);
        var list = await replicas.ListAsync(Pool, Ct);
        list.Count.ShouldBe(3);
        list.Select(r => r.RegionName).ShouldBe(list.Select(r => r.RegionName).Order(StringComparer.Ordinal));

        var resolved = (await h.Pools.GetAsync("eu-west-1_TestPool1", Ct))!;
        (resolved.Id, resolved.ReplicaId, resolved.ServedRegion).ShouldBe((Pool, "eu-west-1_TestPool1", "eu-west-1"));
        (await h.Pools.GetAsync(Pool, Ct))!.ReplicaId.ShouldBeNull();

        (await replicas.SetStatusAsync(Pool, "eu-west-1", "INACTIVE", T0.AddMinutes(1), Ct)).ShouldBeTrue();
        (await replicas.SetStatusAsync(Pool, "xx-none-1", "INACTIVE", T0, Ct)).ShouldBeFalse();
        (await h.Pools.GetAsync("eu-west-1_TestPool1", Ct)).ShouldBeNull();
        (await replicas.DeleteAsync(Pool, "eu-west-1", "ACTIVE", Ct)).ShouldBeFalse();
        (await replicas.DeleteAsync(Pool, "eu-west-1", "INACTIVE", Ct)).ShouldBeTrue();
        (await replicas.ListAsync(Pool, Ct)).Count.ShouldBe(2);

        (await h.Pools.DeleteAsync(Pool, Ct)).ShouldBeTrue();
        (await replicas.ListAsync(Pool, Ct)).ShouldBeEmpty();
        (await h.CountAsync("SELECT COUNT(*) FROM user_pool_replicas")).ShouldBe(0);
    }
}

/// <summary>The limits and replicas specification on SQLite.</summary>
public sealed class SqliteLimitsReplicasStoreSpecificationTests : LimitsReplicasStoreSpecification
{
    private protected override Task<StoreHarness> OpenAsync() => StoreHarness.SqliteAsync(migrate: true);
}

/// <summary>The limits and replicas specification on PostgreSQL.</summary>
public sealed class PostgresLimitsReplicasStoreSpecificationTests : LimitsReplicasStoreSpecification
{
    private protected override Task<StoreHarness> OpenAsync() => StoreHarness.PostgresAsync(migrate: true);
}
