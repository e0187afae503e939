using Cognate.Core.LogDelivery;
using Cognate.Core.Terms;
using Cognate.Storage.Stores;
using static Cognate.Storage.Tests.Sqlite.TestDatabase;

namespace Cognate.Storage.Tests.Specification;

/// <summary>
/// Migration 0017 on every provider: terms documents are unique per (client, name) also under concurrent creates and renames,
/// listed per pool by id, and gone with their client or pool; a pool's log delivery configuration is one upserted row, gone with the pool.
/// </summary>
public abstract class TermsLogDeliveryStoreSpecification
{
    private const string Pool = "us-east-1_TestPool1";
    private const string ClientA = "client0000000000000000000a";
    private const string ClientB = "client0000000000000000000b";

    private protected abstract Task<StoreHarness> OpenAsync();

    static TermsDocument Terms(string client, string name, string? id = null) =>
        new(id ?? Guid.NewGuid().ToString(), Pool, client, name, "LINK", "NONE",
            new Dictionary<string, string> { ["cognito:default"] = "https://example.com/" + name }, T0, T0);

    async Task SeedAsync(StoreHarness h)
    {
        (await h.Pools.CreateAsync(NewPool(Pool), Ct)).ShouldBeTrue();
        (await h.Clients.CreateAsync(NewClient(Pool, ClientA), Ct)).ShouldBeTrue();
        (await h.Clients.CreateAsync(NewClient(Pool, ClientB), Ct)).ShouldBeTrue();
    }

    [Fact]
    public async Task Terms_UniquePerClientAndName_ListedById_RenamesChecked_GoneWithClientAndPool()
    {
        await using var h = await OpenAsync();
        await SeedAsync(h);
        var store = new SqlTermsStore(h.Database);

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => store.CreateAsync(Terms(ClientA, "terms-of-use"), Ct).AsTask()));
        results.Count(r => r).ShouldBe(1);
        var privacy = Terms(ClientA, "privacy-policy");
        (await store.CreateAsync(privacy, Ct)).ShouldBeTrue();
        (await store.CreateAsync(Terms(ClientB, "terms-of-use"), Ct)).ShouldBeTrue();

        var got = (await store.GetAsync(Pool, privacy.TermsId, Ct))!;
        got.Links["cognito:default"].ShouldBe("https://example.com/privacy-policy");
        (got.CreatedAt, got.ModifiedAt, got.ClientId, got.TermsName).ShouldBe((T0, T0, ClientA, "privacy-policy"));
        (await store.GetAsync("us-east-1_OtherPool", privacy.TermsId, Ct)).ShouldBeNull();
        (await store.GetByClientAsync(Pool, ClientA, "privacy-policy", Ct))!.TermsId.ShouldBe(privacy.TermsId);

        var all = await store.ListAsync(Pool, null, 10, Ct);
        all.Count.ShouldBe(3);
        all.Select(t => t.TermsId).ShouldBe(all.Select(t => t.TermsId).Order(StringComparer.Ordinal));
        (await store.ListAsync(Pool, all[0].TermsId, 10, Ct)).Count.ShouldBe(2);

        (await store.UpdateAsync(privacy with { TermsName = "terms-of-use" }, Ct)).ShouldBe(TermsWriteResult.Duplicate);
        (await store.UpdateAsync(privacy with { Links = new Dictionary<string, string> { ["cognito:german"] = "https://example.com/de" }, ModifiedAt = T0.AddMinutes(1) }, Ct))
            .ShouldBe(TermsWriteResult.Ok);
        (await store.GetAsync(Pool, privacy.TermsId, Ct))!.Links.Keys.ShouldBe(["cognito:german"]);
        (await store.UpdateAsync(Terms(ClientA, "terms-of-use"), Ct)).ShouldBe(TermsWriteResult.NotFound);

        (await h.Clients.DeleteAsync(Pool, ClientA, Ct)).ShouldBeTrue();
        (await store.ListAsync(Pool, null, 10, Ct)).Select(t => t.ClientId).ShouldBe([ClientB]);
        (await store.DeleteAsync(Pool, privacy.TermsId, Ct)).ShouldBeFalse();
        (await h.Pools.DeleteAsync(Pool, Ct)).ShouldBeTrue();
        (await h.CountAsync("SELECT COUNT(*) FROM terms")).ShouldBe(0);
    }

    [Fact]
    public async Task LogDelivery_UpsertPerPool_GoneWithPool()
    {
        await using var h = await OpenAsync();
        await SeedAsync(h);
        var store = new SqlLogDeliveryStore(h.Database);
        (await store.GetAsync(Pool, Ct)).ShouldBeEmpty();
        LogConfiguration[] two =
        [
            new("ERROR", "userNotification", "arn:aws:logs:us-east-1:123456789012:log-group:g", null, null),
            new("INFO", "userAuthEvents", null, "arn:aws:s3:::bucket", null),
        ];
        await store.SetAsync(Pool, two, T0, Ct);
        (await store.GetAsync(Pool, Ct)).ShouldBe(two);
        await store.SetAsync(Pool, [two[1] with { BucketArn = null, StreamArn = "arn:aws:firehose:us-east-1:123456789012:deliverystream/s" }], T0.AddMinutes(1), Ct);
        (await store.GetAsync(Pool, Ct)).Single().StreamArn.ShouldBe("arn:aws:firehose:us-east-1:123456789012:deliverystream/s");
        await store.SetAsync(Pool, [], T0, Ct);
        (await store.GetAsync(Pool, Ct)).ShouldBeEmpty();
        await store.SetAsync(Pool, two, T0, Ct);
        (await h.Pools.DeleteAsync(Pool, Ct)).ShouldBeTrue();
        (await h.CountAsync("SELECT COUNT(*) FROM log_delivery_configurations")).ShouldBe(0);
    }
}

/// <summary>The terms and log delivery specification on SQLite.</summary>
public sealed class SqliteTermsLogDeliveryStoreSpecificationTests : TermsLogDeliveryStoreSpecification
{
    private protected override Task<StoreHarness> OpenAsync() => StoreHarness.SqliteAsync(migrate: true);
}

/// <summary>The terms and log delivery specification on PostgreSQL.</summary>
public sealed class PostgresTermsLogDeliveryStoreSpecificationTests : TermsLogDeliveryStoreSpecification
{
    private protected override Task<StoreHarness> OpenAsync() => StoreHarness.PostgresAsync(migrate: true);
}
