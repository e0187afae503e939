using Cognate.Core.Branding;
using Cognate.Core.Domains;
using Cognate.Core.ResourceServers;
using Cognate.Storage.Stores;
using static Cognate.Storage.Tests.Sqlite.TestDatabase;

namespace Cognate.Storage.Tests.Specification;

/// <summary>
/// The contract of the managed-login management stores (domains, resource servers, UI customizations, managed login brandings):
/// global domain uniqueness and one style per client decided by the database, cascade with the pool. Subclassed per provider.
/// </summary>
public abstract class ManagementStoreSpecification
{
    private const string Pool = "us-east-1_TestPool1";
    private const string Other = "us-east-1_TestPool2";

    private protected abstract Task<StoreHarness> OpenAsync();

    private async Task<StoreHarness> WithPoolsAsync()
    {
        var h = await OpenAsync();
        (await h.Pools.CreateAsync(NewPool(Pool), Ct)).ShouldBeTrue();
        (await h.Pools.CreateAsync(NewPool(Other), Ct)).ShouldBeTrue();
        return h;
    }

    private static UserPoolDomain Domain(string name, string pool, string? cert = null) => new()
    {
        Domain = name, UserPoolId = pool, CertificateArn = cert, ManagedLoginVersion = 1, CloudFrontDistribution = "d111111abcdef8.cloudfront.net",
        CreatedAt = T0, ModifiedAt = T0,
    };

    [Fact]
    public async Task Domains_SameNameTwoPools_OnlyFirstWins()
    {
        await using var h = await WithPoolsAsync();
        var store = new SqlUserPoolDomainStore(h.Database);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
            await store.CreateAsync(Domain("shared", i % 2 == 0 ? Pool : Other), Ct), Ct)));

        results.Count(r => r).ShouldBe(1);
        (await store.GetAsync("shared", Ct)).ShouldNotBeNull();
    }

    [Fact]
    public async Task Domains_OnePrefixAndOneCustomPerPool_UpdateDeleteCascade()
    {
        await using var h = await WithPoolsAsync();
        var store = new SqlUserPoolDomainStore(h.Database);
        (await store.CreateAsync(Domain("first", Pool), Ct)).ShouldBeTrue();
        (await store.CreateAsync(Domain("second", Pool), Ct)).ShouldBeFalse();
        (await store.CreateAsync(Domain("auth.example.com", Pool, "arn:aws:acm:us-east-1:123456789012:certificate/x"), Ct)).ShouldBeTrue();
        (await store.ListForPoolAsync(Pool, Ct)).Select(d => d.Domain).ShouldBe(["first", "auth.example.com"]);

        var custom = (await store.GetAsync("auth.example.com", Ct))!;
        custom.CertificateArn.ShouldBe("arn:aws:acm:us-east-1:123456789012:certificate/x");
        (await store.UpdateAsync(custom with { ManagedLoginVersion = 2, CertificateArn = "arn:new" }, Ct)).ShouldBeTrue();
        (await store.GetAsync("auth.example.com", Ct))!.ManagedLoginVersion.ShouldBe(2);
        (await store.DeleteAsync(Other, "first", Ct)).ShouldBeFalse();
        (await store.DeleteAsync(Pool, "first", Ct)).ShouldBeTrue();

        (await h.Pools.DeleteAsync(Pool, Ct)).ShouldBeTrue();
        (await store.GetAsync("auth.example.com", Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task ResourceServers_CreateTwiceListPagesUpdateDelete_ByIdentifier()
    {
        await using var h = await WithPoolsAsync();
        var store = new SqlResourceServerStore(h.Database);
        foreach (var id in new[] { "b-api", "a-api", "https://c.example.com" })
        {
            (await store.CreateAsync(new ResourceServer
            {
                UserPoolId = Pool, Identifier = id, Name = "n", Scopes = [new("read", "Read"), new("write", "Write")], CreatedAt = T0, ModifiedAt = T0,
            }, Ct)).ShouldBeTrue();
        }
        (await store.CreateAsync(new ResourceServer { UserPoolId = Pool, Identifier = "a-api", Name = "again", Scopes = [], CreatedAt = T0, ModifiedAt = T0 }, Ct)).ShouldBeFalse();
        (await store.CountAsync(Pool, Ct)).ShouldBe(3);
        (await store.ListAsync(Pool, null, 2, Ct)).Select(s => s.Identifier).ShouldBe(["a-api", "b-api"]);
        (await store.ListAsync(Pool, "b-api", 2, Ct)).Select(s => s.Identifier).ShouldBe(["https://c.example.com"]);

        var a = (await store.GetAsync(Pool, "a-api", Ct))!;
        a.FullScopeNames.ShouldBe(["a-api/read", "a-api/write"]);
        (await store.UpdateAsync(a with { Name = "renamed", Scopes = [new("admin", "Admin")] }, Ct)).ShouldBeTrue();
        (await store.GetAsync(Pool, "a-api", Ct))!.Scopes.ShouldBe([new ResourceServerScope("admin", "Admin")]);
        (await store.DeleteAsync(Pool, "a-api", Ct)).ShouldBeTrue();
        (await store.DeleteAsync(Pool, "a-api", Ct)).ShouldBeFalse();

        (await h.Pools.DeleteAsync(Pool, Ct)).ShouldBeTrue();
        (await store.CountAsync(Pool, Ct)).ShouldBe(0);
    }

    [Fact]
    public async Task UICustomizations_SetTwice_ReplacesAndKeepsCreation()
    {
        await using var h = await WithPoolsAsync();
        var store = new SqlUICustomizationStore(h.Database);
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 1, 2, 3];
        await store.SetAsync(new UICustomization { UserPoolId = Pool, ClientId = "ALL", Css = ".a{}", Image = png, ImageType = "png", CreatedAt = T0, ModifiedAt = T0 }, Ct);
        await store.SetAsync(new UICustomization { UserPoolId = Pool, ClientId = "ALL", Css = ".b{}", CreatedAt = T0.AddDays(1), ModifiedAt = T0.AddDays(1) }, Ct);

        var got = (await store.GetAsync(Pool, "ALL", Ct))!;
        got.Css.ShouldBe(".b{}");
        got.Image.ShouldBeNull();
        got.CreatedAt.ShouldBe(T0);
        got.ModifiedAt.ShouldBe(T0.AddDays(1));
        (await store.GetAsync(Pool, "someclient", Ct)).ShouldBeNull();
        await store.SetAsync(new UICustomization { UserPoolId = Pool, ClientId = "c1", Image = png, ImageType = "png", CreatedAt = T0, ModifiedAt = T0 }, Ct);
        (await store.GetAsync(Pool, "c1", Ct))!.Image.ShouldBe(png);

        (await h.Pools.DeleteAsync(Pool, Ct)).ShouldBeTrue();
        (await store.GetAsync(Pool, "ALL", Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task Brandings_ConcurrentCreatesForOneClient_ExactlyOne()
    {
        await using var h = await WithPoolsAsync();
        var store = new SqlManagedLoginBrandingStore(h.Database);
        ManagedLoginBranding New() => new()
        {
            Id = Guid.NewGuid().ToString(), UserPoolId = Pool, ClientId = "client1", UseCognitoProvidedValues = false,
            SettingsJson = """{"components":{"x":1}}""", Assets = [new("PAGE_HEADER_LOGO", "LIGHT", "PNG", "iVBORw0KGgo=", null)], CreatedAt = T0, ModifiedAt = T0,
        };

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () => await store.CreateAsync(New(), Ct), Ct)));

        results.Count(r => r).ShouldBe(1);
        var b = (await store.GetByClientAsync(Pool, "client1", Ct))!;
        b.SettingsJson.ShouldBe("""{"components":{"x":1}}""");
        b.Assets.Single().Bytes.ShouldBe("iVBORw0KGgo=");
        (await store.GetAsync(Other, b.Id, Ct)).ShouldBeNull();
        (await store.UpdateAsync(b with { UseCognitoProvidedValues = true, SettingsJson = null, Assets = [] }, Ct)).ShouldBeTrue();
        (await store.GetAsync(Pool, b.Id, Ct))!.UseCognitoProvidedValues.ShouldBeTrue();
        (await store.DeleteAsync(Pool, b.Id, Ct)).ShouldBeTrue();
        (await store.GetByClientAsync(Pool, "client1", Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task ClientDelete_RemovesItsCustomizationAndBranding_KeepsPoolWide()
    {
        await using var h = await WithPoolsAsync();
        var client = NewClient(Pool);
        (await h.Clients.CreateAsync(client, Ct)).ShouldBeTrue();
        var ui = new SqlUICustomizationStore(h.Database);
        var brandings = new SqlManagedLoginBrandingStore(h.Database);
        await ui.SetAsync(new UICustomization { UserPoolId = Pool, ClientId = "ALL", Css = ".a{}", CreatedAt = T0, ModifiedAt = T0 }, Ct);
        await ui.SetAsync(new UICustomization { UserPoolId = Pool, ClientId = client.ClientId, Css = ".b{}", CreatedAt = T0, ModifiedAt = T0 }, Ct);
        (await brandings.CreateAsync(new ManagedLoginBranding
        {
            Id = Guid.NewGuid().ToString(), UserPoolId = Pool, ClientId = client.ClientId, UseCognitoProvidedValues = true, Assets = [], CreatedAt = T0, ModifiedAt = T0,
        }, Ct)).ShouldBeTrue();

        (await h.Clients.DeleteAsync(Pool, client.ClientId, Ct)).ShouldBeTrue();

        (await ui.GetAsync(Pool, client.ClientId, Ct)).ShouldBeNull();
        (await brandings.GetByClientAsync(Pool, client.ClientId, Ct)).ShouldBeNull();
        (await ui.GetAsync(Pool, "ALL", Ct)).ShouldNotBeNull();
    }
}

/// <summary>The management-store specification on SQLite.</summary>
public sealed class SqliteManagementStoreSpecificationTests : ManagementStoreSpecification
{
    private protected override Task<StoreHarness> OpenAsync() => StoreHarness.SqliteAsync(migrate: true);
}

/// <summary>The management-store specification on PostgreSQL.</summary>
public sealed class PostgresManagementStoreSpecificationTests : ManagementStoreSpecification
{
    private protected override Task<StoreHarness> OpenAsync() => StoreHarness.PostgresAsync(migrate: true);
}
