using System.Security.Cryptography;
using System.Text;
using Cognate.Core.IdentityProviders;
using Cognate.Storage.Secrets;
using Cognate.Storage.Stores;
using static Cognate.Storage.Tests.Sqlite.TestDatabase;

namespace Cognate.Storage.Tests.Specification;

/// <summary>
/// The contract of <see cref="SqlIdentityProviderStore"/>: names unique per pool, IdpIdentifiers unique per pool decided by the
/// database (also between concurrent writers), secrets sealed at rest, pages by name, cascade with the pool. Subclassed per provider.
/// </summary>
public abstract class IdentityProviderStoreSpecification
{
    private const string Pool = "us-east-1_TestPool1";
    private const string Other = "us-east-1_TestPool2";

    private protected abstract Task<StoreHarness> OpenAsync();

    private async Task<(StoreHarness, SqlIdentityProviderStore)> WithPoolsAsync()
    {
        var h = await OpenAsync();
        (await h.Pools.CreateAsync(NewPool(Pool), Ct)).ShouldBeTrue();
        (await h.Pools.CreateAsync(NewPool(Other), Ct)).ShouldBeTrue();
        return (h, new SqlIdentityProviderStore(h.Database, h.Sealer));
    }

    private static IdentityProvider Oidc(string name, string pool = Pool, params string[] identifiers) => new()
    {
        UserPoolId = pool, ProviderName = name, ProviderType = IdentityProviderTypes.Oidc,
        ProviderDetails = new Dictionary<string, string>
        {
            ["client_id"] = "cid", ["client_secret"] = "very-secret-value", ["oidc_issuer"] = "https://issuer.example.com",
            ["authorize_scopes"] = "openid email", ["attributes_request_method"] = "GET",
        },
        AttributeMapping = new Dictionary<string, string> { ["email"] = "email", ["username"] = "sub" },
        IdpIdentifiers = identifiers,
        CreatedAt = T0, ModifiedAt = T0,
    };

    [Fact]
    public async Task Create_SameNameTwice_NameTaken_OtherPoolFine()
    {
        var (h, store) = await WithPoolsAsync();
        await using var _ = h;
        (await store.CreateAsync(Oidc("Corp"), Ct)).ShouldBe(IdentityProviderWriteResult.Ok);
        (await store.CreateAsync(Oidc("Corp"), Ct)).ShouldBe(IdentityProviderWriteResult.NameTaken);
        (await store.CreateAsync(Oidc("Corp", Other), Ct)).ShouldBe(IdentityProviderWriteResult.Ok);
        (await store.CountAsync(Pool, Ct)).ShouldBe(1);
    }

    [Fact]
    public async Task Create_GetRoundTrip_SecretsSealedAtRest()
    {
        var (h, store) = await WithPoolsAsync();
        await using var _ = h;
        var apple = new IdentityProvider
        {
            UserPoolId = Pool, ProviderName = "SignInWithApple", ProviderType = IdentityProviderTypes.SignInWithApple,
            ProviderDetails = new Dictionary<string, string> { ["client_id"] = "com.example", ["team_id"] = "T", ["key_id"] = "K", ["private_key"] = "-----BEGIN PRIVATE KEY-----\nMIGT\n-----END PRIVATE KEY-----", ["authorize_scopes"] = "email name" },
            AttributeMapping = new Dictionary<string, string>(), IdpIdentifiers = [], CreatedAt = T0, ModifiedAt = T0.AddSeconds(5),
        };
        (await store.CreateAsync(Oidc("Corp", Pool, "corp.example.com", "Corp2"), Ct)).ShouldBe(IdentityProviderWriteResult.Ok);
        (await store.CreateAsync(apple, Ct)).ShouldBe(IdentityProviderWriteResult.Ok);

        var corp = (await store.GetAsync(Pool, "Corp", Ct))!;
        corp.ProviderType.ShouldBe("OIDC");
        corp.ProviderDetails["client_secret"].ShouldBe("very-secret-value");
        corp.ProviderDetails.Keys.ShouldBe(["attributes_request_method", "authorize_scopes", "client_id", "client_secret", "oidc_issuer"]);
        corp.AttributeMapping["username"].ShouldBe("sub");
        corp.IdpIdentifiers.ShouldBe(["corp.example.com", "Corp2"]);
        corp.CreatedAt.ShouldBe(T0);
        (await store.GetAsync(Pool, "corp", Ct)).ShouldBeNull();
        (await store.GetAsync(Other, "Corp", Ct)).ShouldBeNull();
        (await store.GetAsync(Pool, "SignInWithApple", Ct))!.ProviderDetails["private_key"].ShouldContain("MIGT");

        (await h.CountAsync("SELECT COUNT(*) FROM identity_providers WHERE details_json LIKE '%very-secret%' OR details_json LIKE '%MIGT%'")).ShouldBe(0);
        var blob = await h.ScalarAsync<byte[]>("SELECT secrets_sealed FROM identity_providers WHERE provider_name = 'Corp'");
        Encoding.UTF8.GetString(h.Sealer.Unseal(blob!, SealedSecrets.IdentityProviderSecretsContext(Pool, "Corp"))).ShouldContain("very-secret-value");
        Should.Throw<CryptographicException>(() => h.Sealer.Unseal(blob!, SealedSecrets.IdentityProviderSecretsContext(Pool, "SignInWithApple")));
    }

    [Fact]
    public async Task Identifiers_UniquePerPool_ByIdentifierLookup()
    {
        var (h, store) = await WithPoolsAsync();
        await using var _ = h;
        (await store.CreateAsync(Oidc("A", Pool, "example.com"), Ct)).ShouldBe(IdentityProviderWriteResult.Ok);
        (await store.CreateAsync(Oidc("B", Pool, "other.com", "example.com"), Ct)).ShouldBe(IdentityProviderWriteResult.IdentifierTaken);
        (await store.GetAsync(Pool, "B", Ct)).ShouldBeNull();
        (await store.CreateAsync(Oidc("B", Other, "example.com"), Ct)).ShouldBe(IdentityProviderWriteResult.Ok);
        (await store.CreateAsync(Oidc("B", Pool, "other.com"), Ct)).ShouldBe(IdentityProviderWriteResult.Ok);

        (await store.GetByIdentifierAsync(Pool, "example.com", Ct))!.ProviderName.ShouldBe("A");
        (await store.GetByIdentifierAsync(Pool, "EXAMPLE.com", Ct)).ShouldBeNull();
        (await store.GetByIdentifierAsync(Pool, "nope", Ct)).ShouldBeNull();

        var b = (await store.GetAsync(Pool, "B", Ct))!;
        (await store.UpdateAsync(b with { IdpIdentifiers = ["example.com"] }, Ct)).ShouldBe(IdentityProviderWriteResult.IdentifierTaken);
        (await store.GetAsync(Pool, "B", Ct))!.IdpIdentifiers.ShouldBe(["other.com"]);
        (await store.UpdateAsync(b with { IdpIdentifiers = ["b1", "other.com"], ModifiedAt = T0.AddDays(1) }, Ct)).ShouldBe(IdentityProviderWriteResult.Ok);
        (await store.GetByIdentifierAsync(Pool, "b1", Ct))!.ProviderName.ShouldBe("B");
        (await store.UpdateAsync(Oidc("Missing"), Ct)).ShouldBe(IdentityProviderWriteResult.NotFound);
    }

    [Fact]
    public async Task Identifiers_ConcurrentClaims_ExactlyOneWins()
    {
        var (h, store) = await WithPoolsAsync();
        await using var _ = h;
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
            await store.CreateAsync(Oidc("P" + i, Pool, "shared.example.com"), Ct), Ct)));

        results.Count(r => r == IdentityProviderWriteResult.Ok).ShouldBe(1);
        results.Count(r => r == IdentityProviderWriteResult.IdentifierTaken).ShouldBe(7);
        (await store.CountAsync(Pool, Ct)).ShouldBe(1);
    }

    [Fact]
    public async Task List_PagesByName_UpdateReplaces_DeleteAndPoolCascade()
    {
        var (h, store) = await WithPoolsAsync();
        await using var _ = h;
        foreach (var name in new[] { "b", "Google", "a", "Z" })
        {
            (await store.CreateAsync(Oidc(name, Pool, name + ".id"), Ct)).ShouldBe(IdentityProviderWriteResult.Ok);
        }
        (await store.ListAsync(Pool, null, 3, Ct)).Select(p => p.ProviderName).ShouldBe(["Google", "Z", "a"]);
        var rest = await store.ListAsync(Pool, "a", 3, Ct);
        rest.Select(p => p.ProviderName).ShouldBe(["b"]);
        rest[0].IdpIdentifiers.ShouldBe(["b.id"]);

        var a = (await store.GetAsync(Pool, "a", Ct))!;
        var details = new Dictionary<string, string>(a.ProviderDetails) { ["client_secret"] = "rotated" };
        details.Remove("authorize_scopes");
        (await store.UpdateAsync(a with { ProviderDetails = details, AttributeMapping = new Dictionary<string, string>(), ModifiedAt = T0.AddHours(1) }, Ct))
            .ShouldBe(IdentityProviderWriteResult.Ok);
        var updated = (await store.GetAsync(Pool, "a", Ct))!;
        updated.ProviderDetails["client_secret"].ShouldBe("rotated");
        updated.ProviderDetails.ContainsKey("authorize_scopes").ShouldBeFalse();
        updated.AttributeMapping.ShouldBeEmpty();
        (updated.CreatedAt, updated.ModifiedAt).ShouldBe((T0, T0.AddHours(1)));

        (await store.DeleteAsync(Pool, "a", Ct)).ShouldBeTrue();
        (await store.DeleteAsync(Pool, "a", Ct)).ShouldBeFalse();
        (await store.GetByIdentifierAsync(Pool, "a.id", Ct)).ShouldBeNull();
        (await store.CreateAsync(Oidc("a2", Pool, "a.id"), Ct)).ShouldBe(IdentityProviderWriteResult.Ok);

        (await h.Pools.DeleteAsync(Pool, Ct)).ShouldBeTrue();
        (await store.CountAsync(Pool, Ct)).ShouldBe(0);
        (await h.CountAsync("SELECT COUNT(*) FROM identity_provider_identifiers WHERE user_pool_id = @Pool", new { Pool })).ShouldBe(0);
    }

    [Fact]
    public async Task Rekey_IdentityProviderSecrets_MoveToNewKey()
    {
        var (h, store) = await WithPoolsAsync();
        await using var _ = h;
        (await store.CreateAsync(Oidc("Corp"), Ct)).ShouldBe(IdentityProviderWriteResult.Ok);
        var next = new TestSecretSealer(keySeed: 91);

        var result = await MasterKeyRotation.RekeyAsync(h.Database, h.Sealer, next, Ct);

        result.Resealed["identity_providers"].ShouldBe(1);
        (await new SqlIdentityProviderStore(h.Database, next).GetAsync(Pool, "Corp", Ct))!.ProviderDetails["client_secret"].ShouldBe("very-secret-value");
    }
}

/// <summary>The identity-provider store specification on SQLite.</summary>
public sealed class SqliteIdentityProviderStoreSpecificationTests : IdentityProviderStoreSpecification
{
    private protected override Task<StoreHarness> OpenAsync() => StoreHarness.SqliteAsync(migrate: true);
}

/// <summary>The identity-provider store specification on PostgreSQL.</summary>
public sealed class PostgresIdentityProviderStoreSpecificationTests : IdentityProviderStoreSpecification
{
    private protected override Task<StoreHarness> OpenAsync() => StoreHarness.PostgresAsync(migrate: true);
}
