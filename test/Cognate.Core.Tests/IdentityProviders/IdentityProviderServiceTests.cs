using Cognate.Core.Clients;
using Cognate.Core.Errors;
using Cognate.Core.IdentityProviders;
using Cognate.Core.Pools;
using Cognate.Core.Tests.Pools;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.IdentityProviders;

/// <summary>In-memory identity-provider store with per-pool identifier uniqueness.</summary>
internal sealed class FakeIdentityProviderStore : IIdentityProviderStore
{
    public SortedDictionary<string, IdentityProvider> Providers { get; } = new(StringComparer.Ordinal);
    static string Key(string pool, string name) => pool + "\n" + name;

    bool Clash(IdentityProvider p) => Providers.Values.Any(o => o.UserPoolId == p.UserPoolId && o.ProviderName != p.ProviderName && o.IdpIdentifiers.Intersect(p.IdpIdentifiers, StringComparer.Ordinal).Any());

    public ValueTask<IdentityProviderWriteResult> CreateAsync(IdentityProvider p, CancellationToken ct = default)
    {
        if (Providers.ContainsKey(Key(p.UserPoolId, p.ProviderName))) return ValueTask.FromResult(IdentityProviderWriteResult.NameTaken);
        if (Clash(p)) return ValueTask.FromResult(IdentityProviderWriteResult.IdentifierTaken);
        Providers[Key(p.UserPoolId, p.ProviderName)] = p;
        return ValueTask.FromResult(IdentityProviderWriteResult.Ok);
    }
    public ValueTask<IdentityProvider?> GetAsync(string userPoolId, string providerName, CancellationToken ct = default) => ValueTask.FromResult(Providers.GetValueOrDefault(Key(userPoolId, providerName)));
    public ValueTask<IdentityProvider?> GetByIdentifierAsync(string userPoolId, string idpIdentifier, CancellationToken ct = default) =>
        ValueTask.FromResult(Providers.Values.FirstOrDefault(p => p.UserPoolId == userPoolId && p.IdpIdentifiers.Contains(idpIdentifier, StringComparer.Ordinal)));
    public ValueTask<IReadOnlyList<IdentityProvider>> ListAsync(string userPoolId, string? afterName, int limit, CancellationToken ct = default) =>
        ValueTask.FromResult<IReadOnlyList<IdentityProvider>>(Providers.Values.Where(p => p.UserPoolId == userPoolId && (afterName is null || string.CompareOrdinal(p.ProviderName, afterName) > 0))
            .OrderBy(p => p.ProviderName, StringComparer.Ordinal).Take(limit).ToList());
    public ValueTask<IdentityProviderWriteResult> UpdateAsync(IdentityProvider p, CancellationToken ct = default)
    {
        if (!Providers.ContainsKey(Key(p.UserPoolId, p.ProviderName))) return ValueTask.FromResult(IdentityProviderWriteResult.NotFound);
        if (Clash(p)) return ValueTask.FromResult(IdentityProviderWriteResult.IdentifierTaken);
        Providers[Key(p.UserPoolId, p.ProviderName)] = p;
        return ValueTask.FromResult(IdentityProviderWriteResult.Ok);
    }
    public ValueTask<bool> DeleteAsync(string userPoolId, string providerName, CancellationToken ct = default) => ValueTask.FromResult(Providers.Remove(Key(userPoolId, providerName)));
    public ValueTask<int> CountAsync(string userPoolId, CancellationToken ct = default) => ValueTask.FromResult(Providers.Values.Count(p => p.UserPoolId == userPoolId));
}

/// <summary>A completer that records its calls and adds a marker key.</summary>
internal sealed class MarkingCompleter(string type) : IIdentityProviderDetailsCompleter
{
    public int Calls { get; private set; }
    public bool Handles(string providerType) => providerType == type;
    public ValueTask<IReadOnlyDictionary<string, string>> CompleteAsync(UserPool pool, string providerType, IReadOnlyDictionary<string, string> details, CancellationToken ct)
    {
        Calls++;
        return ValueTask.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>(details) { ["completed_by"] = type });
    }
}

public sealed class IdentityProviderServiceTests
{
    readonly FakeUserPoolStore _poolStore = new();
    readonly FakeIdentityProviderStore _store = new();
    readonly FakeAppClientStore _clientStore = new();
    readonly FixedTime _time = new(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));
    readonly UserPoolService _pools;
    readonly MarkingCompleter _oidc = new(IdentityProviderTypes.Oidc);
    readonly IdentityProviderService _svc;
    readonly AppClientService _clients;
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public IdentityProviderServiceTests()
    {
        _pools = new UserPoolService(_poolStore, _time);
        _svc = new IdentityProviderService(_store, _clientStore, _time, [_oidc]);
        _clients = new AppClientService(_clientStore, _pools, _time, null, _svc);
    }

    async Task<UserPool> Pool() => await _pools.CreateAsync("us-east-1", new UserPoolConfig { PoolName = "p" }, [], ct: Ct);

    static Dictionary<string, string> OidcDetails() => new()
    {
        ["client_id"] = "cid", ["client_secret"] = "sec", ["authorize_scopes"] = "openid email", ["oidc_issuer"] = "https://issuer.example.com",
        ["attributes_request_method"] = "GET",
    };
    static Dictionary<string, string> GoogleDetails() => new() { ["client_id"] = "g", ["client_secret"] = "s", ["authorize_scopes"] = "openid email" };
    static Dictionary<string, string> SamlDetails() => new() { ["MetadataFile"] = "<EntityDescriptor/>", ["IDPSignout"] = "true" };

    static async Task<CognitoError> Fails(Func<Task> call) => (await Should.ThrowAsync<CognitoException>(call)).Error;

    [Fact]
    public async Task Create_Oidc_CompletedByItsCompleter_UsernameMappedToSub()
    {
        var pool = await Pool();
        var p = await _svc.CreateAsync(pool, "Corp", "OIDC", OidcDetails(), new Dictionary<string, string> { ["email"] = "email" }, ["corp.example.com"], Ct);

        _oidc.Calls.ShouldBe(1);
        p.ProviderDetails["completed_by"].ShouldBe("OIDC");
        p.ProviderDetails.Keys.ShouldBe(p.ProviderDetails.Keys.Order(StringComparer.Ordinal));
        p.AttributeMapping.ShouldBe(new Dictionary<string, string> { ["email"] = "email", ["username"] = "sub" });
        (p.CreatedAt, p.ModifiedAt).ShouldBe((_time.GetUtcNow(), _time.GetUtcNow()));
        (await _svc.GetByIdentifierAsync(pool, "corp.example.com", Ct)).ProviderName.ShouldBe("Corp");
    }

    [Fact]
    public async Task Create_Saml_NoUsernameDefault_NoCompleterStoresAsGiven()
    {
        var pool = await Pool();
        var p = await _svc.CreateAsync(pool, "Okta", "SAML", SamlDetails(), null, null, Ct);
        p.AttributeMapping.ShouldBeEmpty();
        p.ProviderDetails.ShouldBe(new Dictionary<string, string> { ["IDPSignout"] = "true", ["MetadataFile"] = "<EntityDescriptor/>" });
    }

    [Theory]
    [InlineData("COGNITO", "OIDC", "InvalidParameterException")]
    [InlineData("cognito", "SAML", "InvalidParameterException")]
    [InlineData("MyGoogle", "Google", "InvalidParameterException")]
    [InlineData("Facebook", "OIDC", "InvalidParameterException")]
    [InlineData("_bad", "OIDC", "InvalidParameterException")]
    [InlineData("a b", "OIDC", "InvalidParameterException")]
    [InlineData("x", "OIDC", "InvalidParameterException")]
    [InlineData("Corp", "Okta", "InvalidParameterException")]
    public async Task Create_BadName_Refused(string name, string type, string error)
    {
        var pool = await Pool();
        var details = type == "SAML" ? SamlDetails() : OidcDetails();
        (await Fails(async () => await _svc.CreateAsync(pool, name, type, details, null, null, Ct))).Type.ShouldBe(error);
        _store.Providers.ShouldBeEmpty();
    }

    [Fact]
    public async Task Create_SocialNameMismatch_ObservedMessage()
    {
        var pool = await Pool();
        (await Fails(async () => await _svc.CreateAsync(pool, "NameOfGP", "Google", GoogleDetails(), null, null, Ct))).Message
            .ShouldBe("Provider NameOfGP cannot be of type Google.");
    }

    [Fact]
    public async Task Create_ExistingName_DuplicateProvider()
    {
        var pool = await Pool();
        await _svc.CreateAsync(pool, "Google", "Google", GoogleDetails(), null, null, Ct);
        var e = await Fails(async () => await _svc.CreateAsync(pool, "Google", "Google", GoogleDetails(), null, null, Ct));
        (e.Type, e.Message).ShouldBe(("DuplicateProviderException", $"Google already exists in user pool {pool.Id}"));
    }

    [Fact]
    public async Task Identifiers_TooMany_Malformed_Repeated_Taken()
    {
        var pool = await Pool();
        (await Fails(async () => await _svc.CreateAsync(pool, "A1x", "OIDC", OidcDetails(), null, [.. Enumerable.Range(0, 51).Select(i => "id" + i)], Ct))).Type.ShouldBe("InvalidParameterException");
        (await Fails(async () => await _svc.CreateAsync(pool, "A1x", "OIDC", OidcDetails(), null, ["bad/slash"], Ct))).Type.ShouldBe("InvalidParameterException");
        (await Fails(async () => await _svc.CreateAsync(pool, "A1x", "OIDC", OidcDetails(), null, [new string('a', 41)], Ct))).Type.ShouldBe("InvalidParameterException");
        (await Fails(async () => await _svc.CreateAsync(pool, "A1x", "OIDC", OidcDetails(), null, ["same", "same"], Ct))).Type.ShouldBe("InvalidParameterException");
        await _svc.CreateAsync(pool, "A1x", "OIDC", OidcDetails(), null, ["example.com", "x y+z=@.-_"], Ct);
        var e = await Fails(async () => await _svc.CreateAsync(pool, "B2x", "SAML", SamlDetails(), null, ["example.com"], Ct));
        (e.Type, e.Message).ShouldBe(("DuplicateProviderException", "Identifier example.com is already assigned to identity provider A1x."));
        await _svc.CreateAsync(pool, "B2x", "SAML", SamlDetails(), null, ["b.example.com"], Ct);
        (await Fails(async () => await _svc.UpdateAsync(pool, "B2x", null, null, ["example.com"], Ct))).Type.ShouldBe("DuplicateProviderException");
    }

    [Theory]
    [InlineData("OIDC", "client_id,authorize_scopes", "")]
    [InlineData("OIDC", "client_id,authorize_scopes,oidc_issuer,unknown_key", "")]
    [InlineData("OIDC", "client_id,authorize_scopes,oidc_issuer", "attributes_request_method=PUT")]
    [InlineData("Google", "client_id,client_secret", "")]
    [InlineData("Google", "client_id,client_secret,authorize_scopes,team_id", "")]
    [InlineData("Facebook", "client_id,client_secret,authorize_scopes", "api_version=17")]
    [InlineData("SignInWithApple", "client_id,team_id,key_id,authorize_scopes", "")]
    [InlineData("SAML", "", "")]
    [InlineData("SAML", "", "MetadataURL=https://m,MetadataFile=<x/>")]
    [InlineData("SAML", "", "MetadataURL=https://m,IDPSignout=yes")]
    [InlineData("SAML", "", "MetadataURL=https://m,RequestSigningAlgorithm=rsa-sha1")]
    [InlineData("SAML", "", "MetadataURL=https://m,client_id=x")]
    public async Task Create_BadDetails_InvalidParameter(string type, string keys, string pairs)
    {
        var pool = await Pool();
        var details = keys.Split(',', StringSplitOptions.RemoveEmptyEntries).ToDictionary(k => k, k => "v");
        foreach (var pair in pairs.Split(',', StringSplitOptions.RemoveEmptyEntries)) details[pair[..pair.IndexOf('=')]] = pair[(pair.IndexOf('=') + 1)..];
        var name = IdentityProviderTypes.IsSocial(type) ? type : "Corp";
        (await Fails(async () => await _svc.CreateAsync(pool, name, type, details, null, null, Ct))).Type.ShouldBe("InvalidParameterException");
    }

    [Fact]
    public async Task Create_SocialMissingSecret_ObservedMessage()
    {
        var pool = await Pool();
        (await Fails(async () => await _svc.CreateAsync(pool, "LoginWithAmazon", "LoginWithAmazon", new Dictionary<string, string> { ["client_id"] = "a" }, null, null, Ct))).Message
            .ShouldBe("client_id, client_secret and authorize_scopes are all required idp details.");
    }

    [Fact]
    public async Task Mapping_UnknownSubImmutableOrSamlUsername_Refused_CustomAccepted()
    {
        var pool = await _pools.CreateAsync("us-east-1", new UserPoolConfig { PoolName = "p" },
            [new SchemaAttributeType { Name = "tenant", AttributeDataType = "String", Mutable = true }, new SchemaAttributeType { Name = "fixed", AttributeDataType = "String", Mutable = false }], ct: Ct);
        async Task<string> Bad(string type, string key) =>
            (await Fails(async () => await _svc.CreateAsync(pool, type == "SAML" ? "S1x" : "O1x", type, type == "SAML" ? SamlDetails() : OidcDetails(), new Dictionary<string, string> { [key] = "x" }, null, Ct))).Type;
        (await Bad("OIDC", "nickname2")).ShouldBe("InvalidParameterException");
        (await Bad("OIDC", "sub")).ShouldBe("InvalidParameterException");
        (await Bad("OIDC", "custom:fixed")).ShouldBe("InvalidParameterException");
        (await Bad("OIDC", "custom:nope")).ShouldBe("InvalidParameterException");
        (await Bad("SAML", "username")).ShouldBe("InvalidParameterException");

        var p = await _svc.CreateAsync(pool, "O1x", "OIDC", OidcDetails(), new Dictionary<string, string> { ["custom:tenant"] = "tid", ["email"] = "mail", ["username"] = "oid" }, null, Ct);
        p.AttributeMapping.ShouldBe(new Dictionary<string, string> { ["custom:tenant"] = "tid", ["email"] = "mail", ["username"] = "oid" });
    }

    [Fact]
    public async Task Update_OnlyGivenMembersChange_DetailsReplacedAndCompletedAgain()
    {
        var pool = await Pool();
        await _svc.CreateAsync(pool, "Corp", "OIDC", OidcDetails(), new Dictionary<string, string> { ["email"] = "email" }, ["corp"], Ct);
        _time.Now += TimeSpan.FromMinutes(5);

        var mapped = await _svc.UpdateAsync(pool, "Corp", null, new Dictionary<string, string> { ["name"] = "name" }, null, Ct);
        mapped.AttributeMapping.ShouldBe(new Dictionary<string, string> { ["name"] = "name", ["username"] = "sub" });
        mapped.IdpIdentifiers.ShouldBe(["corp"]);
        mapped.ProviderDetails["client_secret"].ShouldBe("sec");

        var details = OidcDetails();
        details.Remove("client_secret");
        var replaced = await _svc.UpdateAsync(pool, "Corp", details, null, [], Ct);
        replaced.ProviderDetails.ContainsKey("client_secret").ShouldBeFalse();
        replaced.ProviderDetails["completed_by"].ShouldBe("OIDC");
        _oidc.Calls.ShouldBe(2);
        replaced.IdpIdentifiers.ShouldBeEmpty();
        replaced.AttributeMapping["name"].ShouldBe("name");
        (replaced.ModifiedAt - replaced.CreatedAt).ShouldBe(TimeSpan.FromMinutes(5));
        (await Fails(async () => await _svc.UpdateAsync(pool, "Nope", null, null, null, Ct))).Type.ShouldBe("ResourceNotFoundException");
    }

    [Fact]
    public async Task Update_Apple_KeepsPrivateKeyWhenLeftOut()
    {
        var pool = await Pool();
        var apple = new Dictionary<string, string> { ["client_id"] = "c", ["team_id"] = "t", ["key_id"] = "k", ["private_key"] = "PK", ["authorize_scopes"] = "email" };
        await _svc.CreateAsync(pool, "SignInWithApple", "SignInWithApple", apple, null, null, Ct);
        apple.Remove("private_key");
        apple["authorize_scopes"] = "email name";
        var p = await _svc.UpdateAsync(pool, "SignInWithApple", apple, null, null, Ct);
        (p.ProviderDetails["private_key"], p.ProviderDetails["authorize_scopes"]).ShouldBe(("PK", "email name"));
    }

    [Fact]
    public async Task Create_301st_LimitExceeded()
    {
        var pool = await Pool();
        for (int i = 0; i < IdentityProviderService.MaxPerPool; i++) await _svc.CreateAsync(pool, $"idp{i:D3}", "SAML", SamlDetails(), null, null, Ct);
        (await Fails(async () => await _svc.CreateAsync(pool, "one-more", "SAML", SamlDetails(), null, null, Ct))).Type.ShouldBe("LimitExceededException");
    }

    [Fact]
    public async Task List_PagesByName()
    {
        var pool = await Pool();
        foreach (var n in new[] { "ccc", "aaa", "bbb", "Google" })
        {
            if (n == "Google") await _svc.CreateAsync(pool, n, n, GoogleDetails(), null, null, Ct);
            else await _svc.CreateAsync(pool, n, "SAML", SamlDetails(), null, null, Ct);
        }
        var first = await _svc.ListAsync(pool, 3, null, Ct);
        first.Items.Select(p => p.ProviderName).ShouldBe(["Google", "aaa", "bbb"]);
        var second = await _svc.ListAsync(pool, 3, first.NextToken, Ct);
        second.Items.Select(p => p.ProviderName).ShouldBe(["ccc"]);
        second.NextToken.ShouldBeNull();
        (await _svc.ListAsync(pool, null, null, Ct)).Items.Count.ShouldBe(4);
        (await Fails(async () => await _svc.ListAsync(pool, 61, null, Ct))).Type.ShouldBe("InvalidParameterException");
        (await Fails(async () => await _svc.ListAsync(pool, 2, "!!notatoken", Ct))).Type.ShouldBe("InvalidParameterException");
    }

    [Fact]
    public async Task Clients_NameExistingProviders_DeleteRemovesThemFromClients()
    {
        var pool = await Pool();
        var config = new AppClientConfig { ClientName = "web", SupportedIdentityProviders = ["COGNITO", "Corp"] };
        var e = await Fails(async () => await _clients.CreateAsync(pool.Id, config, ct: Ct));
        e.Message.ShouldBe($"The provider Corp does not exist for User Pool {pool.Id}");

        await _svc.CreateAsync(pool, "Corp", "OIDC", OidcDetails(), null, null, Ct);
        await _svc.CreateAsync(pool, "Google", "Google", GoogleDetails(), null, null, Ct);
        var client = await _clients.CreateAsync(pool.Id, config with { SupportedIdentityProviders = ["COGNITO", "Corp", "Google"] }, ct: Ct);
        client.Config.SupportedIdentityProviders.ShouldBe(["COGNITO", "Corp", "Google"]);
        (await Fails(async () => await _clients.UpdateAsync(pool.Id, client.ClientId, config with { SupportedIdentityProviders = ["corp"] }, Ct))).Type.ShouldBe("InvalidParameterException");

        await _svc.DeleteAsync(pool, "Corp", Ct);

        (await _clients.GetAsync(pool.Id, client.ClientId, Ct)).Config.SupportedIdentityProviders.ShouldBe(["COGNITO", "Google"]);
        (await Fails(async () => await _svc.DeleteAsync(pool, "Corp", Ct))).Type.ShouldBe("ResourceNotFoundException");
    }
}
