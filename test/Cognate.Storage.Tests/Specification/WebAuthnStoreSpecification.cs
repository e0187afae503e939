using Cognate.Core.Passkeys;
using Cognate.Core.Stores;
using Cognate.Storage.Stores;
using static Cognate.Storage.Tests.Sqlite.TestDatabase;

namespace Cognate.Storage.Tests.Specification;

/// <summary>
/// The passkey store's contract on every provider (migration 0014): credential ids unique per pool, a round trip of every
/// field, the counter as a compare-and-set, delete only by the owner, one pending registration per user taken once (also
/// under concurrent takers), and rows gone with their user.
/// </summary>
public abstract class WebAuthnStoreSpecification
{
    private const string Pool = "us-east-1_TestPool1";

    private protected abstract Task<StoreHarness> OpenAsync();

    static WebAuthnCredential Credential(string username, string id) => new()
    {
        UserPoolId = Pool, Username = username, CredentialId = id, PublicKey = [1, 2, 3, 4], SignCount = 7, RelyingPartyId = "auth.example.com",
        Aaguid = Guid.Parse("6e1f1b6c-5d7a-4c7e-9f0a-0c0a0f1e2d3c"), FriendlyName = "Passkey", AuthenticatorAttachment = "platform",
        Transports = ["internal", "hybrid"], CreatedAt = T0,
    };

    async Task SeedAsync(StoreHarness h, params string[] usernames)
    {
        (await h.Pools.CreateAsync(NewPool(Pool), Ct)).ShouldBeTrue();
        foreach (var u in usernames)
        {
            var user = NewUser(Pool, u);
            (await h.Users.CreateAsync(user, IdentifiersOf(user), Ct)).ShouldBe(UserWriteResult.Ok);
        }
    }

    [Fact]
    public async Task Credentials_RoundTrip_UniquePerPool_CounterCas_DeleteByOwner()
    {
        await using var h = await OpenAsync();
        await SeedAsync(h, "alice", "bob");
        var store = new SqlWebAuthnCredentialStore(h.Database);
        (await store.AddAsync(Credential("alice", "cred1"), Ct)).ShouldBeTrue();
        (await store.AddAsync(Credential("bob", "cred1"), Ct)).ShouldBeFalse();
        (await store.AddAsync(Credential("nobody", "cred9"), Ct)).ShouldBeFalse();
        (await store.AddAsync(Credential("alice", "cred2") with { CreatedAt = T0.AddMinutes(1), FriendlyName = null, AuthenticatorAttachment = null, Transports = [] }, Ct)).ShouldBeTrue();

        var got = (await store.GetAsync(Pool, "cred1", Ct))!;
        got.Username.ShouldBe("alice");
        got.PublicKey.ShouldBe(new byte[] { 1, 2, 3, 4 });
        got.SignCount.ShouldBe(7u);
        got.RelyingPartyId.ShouldBe("auth.example.com");
        got.Aaguid.ShouldBe(Guid.Parse("6e1f1b6c-5d7a-4c7e-9f0a-0c0a0f1e2d3c"));
        got.FriendlyName.ShouldBe("Passkey");
        got.AuthenticatorAttachment.ShouldBe("platform");
        got.Transports.ShouldBe(["internal", "hybrid"]);
        got.CreatedAt.ShouldBe(T0);
        (await store.ListAsync(Pool, "alice", Ct)).Select(c => c.CredentialId).ShouldBe(["cred1", "cred2"]);
        (await store.ListAsync(Pool, "bob", Ct)).ShouldBeEmpty();

        (await store.UpdateSignCountAsync(Pool, "cred1", 6, 8, Ct)).ShouldBeFalse();
        (await store.UpdateSignCountAsync(Pool, "cred1", 7, 8, Ct)).ShouldBeTrue();
        (await store.GetAsync(Pool, "cred1", Ct))!.SignCount.ShouldBe(8u);

        (await store.DeleteAsync(Pool, "bob", "cred1", Ct)).ShouldBeFalse();
        (await store.DeleteAsync(Pool, "alice", "cred1", Ct)).ShouldBeTrue();
        (await store.GetAsync(Pool, "cred1", Ct)).ShouldBeNull();

        (await h.Users.DeleteAsync(Pool, "alice", Ct)).ShouldBeTrue();
        (await store.GetAsync(Pool, "cred2", Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task Registration_ReplacedThenTakenOnce_EvenConcurrently()
    {
        await using var h = await OpenAsync();
        await SeedAsync(h, "alice");
        var store = new SqlWebAuthnCredentialStore(h.Database);
        (await store.TakeRegistrationAsync(Pool, "alice", Ct)).ShouldBeNull();
        await store.PutRegistrationAsync(new PendingWebAuthnRegistration(Pool, "alice", "{\"a\":1}", T0.AddMinutes(5)), Ct);
        await store.PutRegistrationAsync(new PendingWebAuthnRegistration(Pool, "alice", "{\"a\":2}", T0.AddMinutes(6)), Ct);
        var taken = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => store.TakeRegistrationAsync(Pool, "alice", Ct).AsTask()));
        var one = taken.Where(t => t is not null).ShouldHaveSingleItem()!;
        one.OptionsJson.ShouldBe("{\"a\":2}");
        one.ExpiresAt.ShouldBe(T0.AddMinutes(6));
    }
}

/// <summary>The passkey store specification on SQLite.</summary>
public sealed class SqliteWebAuthnStoreSpecificationTests : WebAuthnStoreSpecification
{
    private protected override Task<StoreHarness> OpenAsync() => StoreHarness.SqliteAsync(migrate: true);
}

/// <summary>The passkey store specification on PostgreSQL.</summary>
public sealed class PostgresWebAuthnStoreSpecificationTests : WebAuthnStoreSpecification
{
    private protected override Task<StoreHarness> OpenAsync() => StoreHarness.PostgresAsync(migrate: true);
}
