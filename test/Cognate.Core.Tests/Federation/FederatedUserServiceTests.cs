using System.Text.Json.Nodes;
using Cognate.Core.Errors;
using Cognate.Core.Federation;
using Cognate.Core.Groups;
using Cognate.Core.IdentityProviders;
using Cognate.Core.Pools;
using Cognate.Core.Stores;
using Cognate.Core.Tests.Pools;
using Cognate.Core.Tests.Triggers;
using Cognate.Core.Triggers;
using Cognate.Core.Users;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.Federation;

public sealed class FederatedUserServiceTests : IDisposable
{
    static readonly DateTimeOffset T0 = new(2026, 12, 6, 8, 0, 0, TimeSpan.Zero);
    const string ClientId = "fedclient0000000000000001";
    const string InboundArn = "arn:aws:lambda:us-east-1:123456789012:function:inbound";
    const string PreArn = "arn:aws:lambda:us-east-1:123456789012:function:pre-sign-up";

    readonly UniqueUserStore users = new();
    readonly MemoryGroups groups = new();
    readonly MemoryProviders providers = new();
    readonly FakeInvoker invoker = new();
    readonly FederatedUserService service;

    public FederatedUserServiceTests()
    {
        TriggerCaller.Current = null;
        service = new FederatedUserService(users, groups, new FixedTime(T0), new UserPoolTriggers(invoker));
        providers.Items.Add(Oidc);
        providers.Items.Add(Saml);
    }

    public void Dispose() => TriggerCaller.Current = null;

    static UserPool Pool(Action<JsonObject>? lambda = null, bool emailAsUsername = false, bool caseInsensitive = false)
    {
        var config = new JsonObject();
        lambda?.Invoke(config);
        var schema = StandardSchema.Merge([new SchemaAttributeType { Name = "dept", AttributeDataType = "String", Mutable = true }]);
        return new UserPool
        {
            Id = "us-east-1_Federate1", Region = "us-east-1", CreatedAt = T0, ModifiedAt = T0, Version = 0,
            Config = new UserPoolConfig
            {
                LambdaConfig = config, SchemaAttributes = schema, UsernameAttributes = emailAsUsername ? ["email"] : null,
                UsernameConfiguration = caseInsensitive ? new UsernameConfigurationType { CaseSensitive = false } : null,
            },
        };
    }

    static readonly IdentityProvider Oidc = new()
    {
        UserPoolId = "us-east-1_Federate1", ProviderName = "CorpOIDC", ProviderType = IdentityProviderTypes.Oidc,
        ProviderDetails = new Dictionary<string, string> { ["client_id"] = "c", ["oidc_issuer"] = "https://idp.example" },
        AttributeMapping = new Dictionary<string, string> { ["username"] = "sub", ["email"] = "email", ["custom:dept"] = "department", ["name"] = "name" },
        IdpIdentifiers = [], CreatedAt = T0, ModifiedAt = T0,
    };

    static readonly IdentityProvider Saml = new()
    {
        UserPoolId = "us-east-1_Federate1", ProviderName = "CorpSAML", ProviderType = IdentityProviderTypes.Saml,
        ProviderDetails = new Dictionary<string, string> { ["MetadataFile"] = "<x/>" },
        AttributeMapping = new Dictionary<string, string> { ["email"] = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress" },
        IdpIdentifiers = [], CreatedAt = T0, ModifiedAt = T0,
    };

    static FederatedProfile Profile(string sub, params (string, string)[] claims) =>
        new(sub, claims.ToDictionary(c => c.Item1, c => c.Item2, StringComparer.Ordinal));

    [Fact]
    public async Task FirstSignIn_CreatesTheFederatedUser_WithMappedAttributes_Identities_AndTheProviderGroup()
    {
        var pool = Pool();
        var result = await service.SignInAsync(pool, Oidc, Profile("abc123", ("email", "ann@example.com"), ("department", "R&D"), ("unmapped", "x")), ClientId);

        result.Created.ShouldBeTrue();
        var user = result.User;
        user.Username.ShouldBe("CorpOIDC_abc123");
        user.Status.ShouldBe(UserStatus.ExternalProvider);
        user.PasswordVerifier.ShouldBeNull();
        user.Get("email").ShouldBe("ann@example.com");
        user.Get("custom:dept").ShouldBe("R&D");
        user.Attributes.ShouldNotContainKey("unmapped");
        user.Get("sub").ShouldBe(user.Sub);
        var identity = FederatedIdentity.Parse(user.Get("identities")).ShouldHaveSingleItem();
        identity.ShouldBe(new FederatedIdentity("abc123", "CorpOIDC", "OIDC", null, true, T0));
        // Cognito's attribute shape: primary a boolean, dateCreated epoch milliseconds.
        var json = JsonNode.Parse(user.Get("identities")!)!.AsArray()[0]!;
        json["primary"]!.GetValue<bool>().ShouldBeTrue();
        json["dateCreated"]!.GetValue<long>().ShouldBe(T0.ToUnixTimeMilliseconds());

        groups.Members.ShouldContain(("us-east-1_Federate1_CorpOIDC", "CorpOIDC_abc123"));
        groups.Groups["us-east-1_Federate1_CorpOIDC"].Description!.ShouldContain("CorpOIDC");
    }

    [Fact]
    public async Task SecondSignIn_FindsTheSameUser_AndRefreshesMappedAttributes()
    {
        var pool = Pool();
        var first = await service.SignInAsync(pool, Oidc, Profile("abc123", ("email", "ann@example.com")), ClientId);
        var second = await service.SignInAsync(pool, Oidc, Profile("abc123", ("email", "ann@corp.example")), ClientId);

        second.Created.ShouldBeFalse();
        second.User.Sub.ShouldBe(first.User.Sub);
        users.Users.Count.ShouldBe(1);
        users.Users["CorpOIDC_abc123"].Get("email").ShouldBe("ann@corp.example");
    }

    [Fact]
    public async Task SubjectsCompareExactly_AndProvidersAreSeparate()
    {
        var pool = Pool();
        await service.SignInAsync(pool, Oidc, Profile("Subject"), ClientId);
        await service.SignInAsync(pool, Saml, Profile("Subject"), ClientId);
        users.Users.Keys.Order().ShouldBe(["CorpOIDC_Subject", "CorpSAML_Subject"]);
    }

    [Fact]
    public async Task CaseInsensitivePool_StoresTheFederatedUsernameInLowercase_TheIdentityKeepsTheSubjectsCase()
    {
        var pool = Pool(caseInsensitive: true);
        var user = (await service.SignInAsync(pool, Oidc, Profile("AbC123"), ClientId)).User;
        user.Username.ShouldBe("corpoidc_abc123");
        FederatedIdentity.Parse(user.Get("identities")).ShouldHaveSingleItem().UserId.ShouldBe("AbC123");
        (await service.SignInAsync(pool, Oidc, Profile("AbC123"), ClientId)).Created.ShouldBeFalse();
    }

    [Fact]
    public async Task EmailAsUsernamePool_FederatedUserKeepsTheProviderUsername_AndItsEmailClaimsNoAlias()
    {
        var pool = Pool(emailAsUsername: true);
        var native = new User { UserPoolId = pool.Id, Username = "native-sub", Sub = "native-sub", Status = UserStatus.Confirmed, CreatedAt = T0, ModifiedAt = T0 };
        native.Attributes["email"] = "ann@example.com";
        (await users.CreateAsync(native, UserIdentifiers.For(pool, native))).ShouldBe(UserWriteResult.Ok);

        var result = await service.SignInAsync(pool, Oidc, Profile("abc123", ("email", "ann@example.com")), ClientId);
        result.User.Username.ShouldBe("CorpOIDC_abc123");
        result.User.Get("email").ShouldBe("ann@example.com");
    }

    [Fact]
    public async Task DisabledFederatedUser_IsRefused()
    {
        var pool = Pool();
        await service.SignInAsync(pool, Oidc, Profile("abc123"), ClientId);
        users.Users["CorpOIDC_abc123"].Enabled = false;
        var ex = await Should.ThrowAsync<CognitoException>(async () => await service.SignInAsync(pool, Oidc, Profile("abc123"), ClientId));
        ex.Error.Type.ShouldBe("NotAuthorizedException");
        ex.Error.Message.ShouldBe("User is disabled.");
    }

    [Fact]
    public async Task MappedValueThatBreaksTheSchema_IsInvalidParameter_AndNoUserIsWritten()
    {
        var pool = Pool();
        var ex = await Should.ThrowAsync<CognitoException>(async () =>
            await service.SignInAsync(pool, Oidc, Profile("abc123", ("name", new string('n', 2049))), ClientId));
        ex.Error.Type.ShouldBe("InvalidParameterException");
        users.Users.ShouldBeEmpty();
    }

    [Fact]
    public async Task Link_ThenSignIn_SignsInAsTheNativeUser_WhoKeepsItsAttributes()
    {
        var pool = Pool();
        var native = new User { UserPoolId = pool.Id, Username = "ann", Sub = "ann-sub", Status = UserStatus.Confirmed, CreatedAt = T0, ModifiedAt = T0 };
        native.Attributes["email"] = "ann@native.example";
        await users.CreateAsync(native, UserIdentifiers.For(pool, native));

        await service.LinkAsync(pool, providers, new ProviderUser("Cognito", null, "ann"), new ProviderUser("CorpOIDC", "Cognito_Subject", "abc123"));
        var identity = FederatedIdentity.Parse(users.Users["ann"].Get("identities")).ShouldHaveSingleItem();
        identity.Primary.ShouldBeFalse();
        identity.ProviderName.ShouldBe("CorpOIDC");

        var result = await service.SignInAsync(pool, Oidc, Profile("abc123", ("email", "ann@upstream.example")), ClientId);
        result.Created.ShouldBeFalse();
        result.User.Username.ShouldBe("ann");
        result.User.Get("email").ShouldBe("ann@native.example");
        users.Users.Count.ShouldBe(1);
        groups.Members.ShouldBeEmpty(); // linked users do not join the provider group
    }

    [Fact]
    public async Task Link_OfAnIdentityThatAlreadySignedUp_IsRefused_AsCognitoDoes()
    {
        var pool = Pool();
        await service.SignInAsync(pool, Oidc, Profile("abc123"), ClientId);
        var native = new User { UserPoolId = pool.Id, Username = "ann", Sub = "ann-sub", Status = UserStatus.Confirmed, CreatedAt = T0, ModifiedAt = T0 };
        await users.CreateAsync(native, UserIdentifiers.For(pool, native));

        var ex = await Should.ThrowAsync<CognitoException>(async () =>
            await service.LinkAsync(pool, providers, new ProviderUser("Cognito", null, "ann"), new ProviderUser("CorpOIDC", "Cognito_Subject", "abc123")));
        ex.Error.Type.ShouldBe("InvalidParameterException");
        ex.Error.Message.ShouldStartWith("Merging is not currently supported");
    }

    [Fact]
    public async Task Link_Errors_UnknownDestination_UnknownProvider_SocialByAttribute_AndTheLimitOfFive()
    {
        var pool = Pool();
        var native = new User { UserPoolId = pool.Id, Username = "ann", Sub = "ann-sub", Status = UserStatus.Confirmed, CreatedAt = T0, ModifiedAt = T0 };
        await users.CreateAsync(native, UserIdentifiers.For(pool, native));

        (await Should.ThrowAsync<CognitoException>(async () => await service.LinkAsync(pool, providers,
            new ProviderUser("Cognito", null, "nobody"), new ProviderUser("CorpOIDC", "Cognito_Subject", "s")))).Error.Type.ShouldBe("UserNotFoundException");
        (await Should.ThrowAsync<CognitoException>(async () => await service.LinkAsync(pool, providers,
            new ProviderUser("Cognito", null, "ann"), new ProviderUser("Nope", "Cognito_Subject", "s")))).Error.Type.ShouldBe("InvalidParameterException");
        (await Should.ThrowAsync<CognitoException>(async () => await service.LinkAsync(pool, providers,
            new ProviderUser("Cognito", null, "ann"), new ProviderUser("CorpOIDC", "email", "a@b.c")))).Error.Type.ShouldBe("InvalidParameterException");

        for (int i = 0; i < FederatedUserService.MaxLinkedIdentities; i++)
        {
            await service.LinkAsync(pool, providers, new ProviderUser("Cognito", null, "ann"), new ProviderUser("CorpOIDC", "Cognito_Subject", "s" + i));
        }
        (await Should.ThrowAsync<CognitoException>(async () => await service.LinkAsync(pool, providers,
            new ProviderUser("Cognito", null, "ann"), new ProviderUser("CorpOIDC", "Cognito_Subject", "s9")))).Error.Type.ShouldBe("LimitExceededException");
    }

    [Fact]
    public async Task SamlLinkByAttribute_IsUsedAtTheFirstMatchingSignIn_AndRekeyedToTheSubject()
    {
        var pool = Pool();
        var native = new User { UserPoolId = pool.Id, Username = "ann", Sub = "ann-sub", Status = UserStatus.Confirmed, CreatedAt = T0, ModifiedAt = T0 };
        await users.CreateAsync(native, UserIdentifiers.For(pool, native));
        await service.LinkAsync(pool, providers, new ProviderUser("Cognito", null, "ann"), new ProviderUser("CorpSAML", "email", "ann@corp.example"));

        var result = await service.SignInAsync(pool, Saml, Profile("ANN-NAMEID", ("email", "ann@corp.example")) with { Issuer = "urn:idp" }, ClientId);
        result.User.Username.ShouldBe("ann");
        var identity = FederatedIdentity.Parse(users.Users["ann"].Get("identities")).ShouldHaveSingleItem();
        identity.UserId.ShouldBe("ANN-NAMEID");
        identity.Issuer.ShouldBe("urn:idp");
        // The next sign-in finds the user by subject.
        (await service.SignInAsync(pool, Saml, Profile("ANN-NAMEID"), ClientId)).User.Username.ShouldBe("ann");
    }

    [Fact]
    public async Task DisableProvider_UnlinksALinkedIdentity_AndDisablesAFederatedUser()
    {
        var pool = Pool();
        var native = new User { UserPoolId = pool.Id, Username = "ann", Sub = "ann-sub", Status = UserStatus.Confirmed, CreatedAt = T0, ModifiedAt = T0 };
        await users.CreateAsync(native, UserIdentifiers.For(pool, native));
        await service.LinkAsync(pool, providers, new ProviderUser("Cognito", null, "ann"), new ProviderUser("CorpOIDC", "Cognito_Subject", "linked"));
        await service.DisableAsync(pool, new ProviderUser("CorpOIDC", "Cognito_Subject", "linked"));
        users.Users["ann"].Get("identities").ShouldBeNull();
        // The identity now signs up as its own federated user.
        (await service.SignInAsync(pool, Oidc, Profile("linked"), ClientId)).User.Username.ShouldBe("CorpOIDC_linked");

        await service.DisableAsync(pool, new ProviderUser("CorpOIDC", "Cognito_Subject", "linked"));
        users.Users["CorpOIDC_linked"].Enabled.ShouldBeFalse();
        (await Should.ThrowAsync<CognitoException>(async () => await service.DisableAsync(pool, new ProviderUser("CorpOIDC", "Cognito_Subject", "nobody"))))
            .Error.Type.ShouldBe("UserNotFoundException");
    }

    [Fact]
    public async Task InboundFederation_SeesTheProviderAttributes_AndItsAnswerIsWhatGetsMapped()
    {
        var pool = Pool(l => l["InboundFederation"] = new JsonObject { ["LambdaVersion"] = "V1_0", ["LambdaArn"] = InboundArn });
        invoker.Handler = FakeInvoker.Respond(r => r["userAttributesToMap"] = new JsonObject { ["email"] = "rewritten@example.com" });
        var profile = Profile("abc123", ("email", "ann@example.com"), ("department", "R&D")) with
        {
            IdToken = new JsonObject { ["sub"] = "abc123", ["email"] = "ann@example.com" },
            TokenResponse = new JsonObject { ["token_type"] = "Bearer" },
        };
        var user = (await service.SignInAsync(pool, Oidc, profile, ClientId)).User;

        var ev = invoker.Calls.ShouldHaveSingleItem().Event;
        ev["triggerSource"]!.GetValue<string>().ShouldBe("InboundFederation_ExternalProvider");
        ev["userName"]!.GetValue<string>().ShouldBe("CorpOIDC_abc123");
        ev["callerContext"]!["clientId"]!.GetValue<string>().ShouldBe(ClientId);
        ev["request"]!["providerName"]!.GetValue<string>().ShouldBe("CorpOIDC");
        ev["request"]!["providerType"]!.GetValue<string>().ShouldBe("OIDC");
        ev["request"]!["attributes"]!["idToken"]!["email"]!.GetValue<string>().ShouldBe("ann@example.com");
        user.Get("email").ShouldBe("rewritten@example.com");
        user.Get("custom:dept").ShouldBeNull(); // omitted by the function: dropped
    }

    [Fact]
    public async Task PreSignUpExternalProvider_RunsOnce_OnCreation_AndItsErrorLeavesNoUser()
    {
        var pool = Pool(l => l["PreSignUp"] = PreArn);
        await service.SignInAsync(pool, Oidc, Profile("abc123"), ClientId);
        await service.SignInAsync(pool, Oidc, Profile("abc123"), ClientId);
        var call = invoker.Calls.ShouldHaveSingleItem();
        call.Event["triggerSource"]!.GetValue<string>().ShouldBe("PreSignUp_ExternalProvider");
        call.Event["userName"]!.GetValue<string>().ShouldBe("CorpOIDC_abc123");

        invoker.Handler = _ => throw CognitoErrors.UserLambdaValidation("PreSignUp", "no");
        await Should.ThrowAsync<CognitoException>(async () => await service.SignInAsync(pool, Oidc, Profile("other"), ClientId));
        users.Users.ShouldNotContainKey("CorpOIDC_other");
    }

    [Fact]
    public void IdTokenClaim_HasStringPrimaryAndDateCreated()
    {
        var claim = FederatedIdentity.ToClaim([new FederatedIdentity("abc", "CorpOIDC", "OIDC", null, true, T0)]);
        var o = claim.ShouldHaveSingleItem()!.AsObject();
        o["primary"]!.GetValue<string>().ShouldBe("true");
        o["dateCreated"]!.GetValue<string>().ShouldBe(T0.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        o["issuer"].ShouldBeNull();
        FederatedIdentity.Parse("not json").ShouldBeEmpty();
    }

    /// <summary>Users with database-like unique identifiers on create and update.</summary>
    sealed class UniqueUserStore : IUserStore
    {
        public Dictionary<string, User> Users { get; } = new(StringComparer.Ordinal);
        readonly Dictionary<(string Kind, string Value), string> ids = new();

        public ValueTask<UserWriteResult> CreateAsync(User user, IReadOnlyCollection<UserIdentifier> identifiers, CancellationToken ct = default)
        {
            if (identifiers.Any(i => ids.ContainsKey((i.Kind, i.Value)))) return ValueTask.FromResult(UserWriteResult.IdentifierTaken);
            Users[user.Username] = Copy(user);
            foreach (var i in identifiers) ids[(i.Kind, i.Value)] = user.Username;
            return ValueTask.FromResult(UserWriteResult.Ok);
        }

        public ValueTask<User?> FindByIdentifierAsync(string userPoolId, string kind, string value, CancellationToken ct = default) =>
            ValueTask.FromResult(ids.TryGetValue((kind, value), out var name) && Users.TryGetValue(name, out var u) ? Copy(u) : null);
        public ValueTask<User?> GetAsync(string userPoolId, string username, CancellationToken ct = default) =>
            ValueTask.FromResult(Users.TryGetValue(username, out var u) ? Copy(u) : null);
        public ValueTask<(User? User, bool Revoked)> GetForAccessTokenAsync(string userPoolId, string username, string? originJti, CancellationToken ct = default) =>
            ValueTask.FromResult((Users.GetValueOrDefault(username), false));

        public ValueTask<UserWriteResult> UpdateAsync(User user, IReadOnlyCollection<UserIdentifier>? identifiers, CancellationToken ct = default)
        {
            if (!Users.TryGetValue(user.Username, out var stored) || stored.Version != user.Version) return ValueTask.FromResult(UserWriteResult.Conflict);
            if (identifiers is not null)
            {
                if (identifiers.Any(i => ids.TryGetValue((i.Kind, i.Value), out var owner) && owner != user.Username)) return ValueTask.FromResult(UserWriteResult.IdentifierTaken);
                foreach (var key in ids.Where(p => p.Value == user.Username).Select(p => p.Key).ToList()) ids.Remove(key);
                foreach (var i in identifiers) ids[(i.Kind, i.Value)] = user.Username;
            }
            user.Version++;
            Users[user.Username] = Copy(user);
            return ValueTask.FromResult(UserWriteResult.Ok);
        }

        public ValueTask<bool> DeleteAsync(string userPoolId, string username, CancellationToken ct = default) => ValueTask.FromResult(Users.Remove(username));

        static User Copy(User u)
        {
            var c = new User
            {
                UserPoolId = u.UserPoolId, Username = u.Username, Sub = u.Sub, Status = u.Status, Enabled = u.Enabled, CreatedAt = u.CreatedAt,
                ModifiedAt = u.ModifiedAt, PasswordSalt = u.PasswordSalt, PasswordVerifier = u.PasswordVerifier, Version = u.Version,
            };
            foreach (var (k, v) in u.Attributes) c.Attributes[k] = v;
            return c;
        }
    }

    sealed class MemoryGroups : IGroupStore
    {
        public Dictionary<string, Group> Groups { get; } = new(StringComparer.Ordinal);
        public List<(string Group, string User)> Members { get; } = [];
        public ValueTask<bool> CreateAsync(Group group, CancellationToken ct = default) => ValueTask.FromResult(Groups.TryAdd(group.GroupName, group));
        public ValueTask<Group?> GetAsync(string userPoolId, string groupName, CancellationToken ct = default) => ValueTask.FromResult(Groups.GetValueOrDefault(groupName));
        public ValueTask<bool> UpdateAsync(Group group, CancellationToken ct = default) => ValueTask.FromResult(true);
        public ValueTask<bool> DeleteAsync(string userPoolId, string groupName, CancellationToken ct = default) => ValueTask.FromResult(Groups.Remove(groupName));
        public ValueTask<IReadOnlyList<Group>> ListAsync(string userPoolId, string? afterName, int limit, CancellationToken ct = default) => ValueTask.FromResult<IReadOnlyList<Group>>([.. Groups.Values]);
        public ValueTask<bool> AddMemberAsync(string userPoolId, string groupName, string username, CancellationToken ct = default)
        {
            if (!Groups.ContainsKey(groupName)) return ValueTask.FromResult(false);
            if (!Members.Contains((groupName, username))) Members.Add((groupName, username));
            return ValueTask.FromResult(true);
        }
        public ValueTask RemoveMemberAsync(string userPoolId, string groupName, string username, CancellationToken ct = default) { Members.Remove((groupName, username)); return ValueTask.CompletedTask; }
        public ValueTask<IReadOnlyList<Group>> ListForUserAsync(string userPoolId, string username, string? afterName, int limit, CancellationToken ct = default) =>
            ValueTask.FromResult<IReadOnlyList<Group>>([.. Members.Where(m => m.User == username).Select(m => Groups[m.Group])]);
        public ValueTask<IReadOnlyList<string>> ListMembersAsync(string userPoolId, string groupName, string? afterUsername, int limit, CancellationToken ct = default) =>
            ValueTask.FromResult<IReadOnlyList<string>>([.. Members.Where(m => m.Group == groupName).Select(m => m.User)]);
    }

    sealed class MemoryProviders : IIdentityProviderStore
    {
        public List<IdentityProvider> Items { get; } = [];
        public ValueTask<IdentityProviderWriteResult> CreateAsync(IdentityProvider provider, CancellationToken ct = default) { Items.Add(provider); return ValueTask.FromResult(IdentityProviderWriteResult.Ok); }
        public ValueTask<IdentityProvider?> GetAsync(string userPoolId, string providerName, CancellationToken ct = default) => ValueTask.FromResult(Items.FirstOrDefault(p => p.ProviderName == providerName));
        public ValueTask<IdentityProvider?> GetByIdentifierAsync(string userPoolId, string idpIdentifier, CancellationToken ct = default) => ValueTask.FromResult(Items.FirstOrDefault(p => p.IdpIdentifiers.Contains(idpIdentifier)));
        public ValueTask<IReadOnlyList<IdentityProvider>> ListAsync(string userPoolId, string? afterName, int limit, CancellationToken ct = default) => ValueTask.FromResult<IReadOnlyList<IdentityProvider>>(Items);
        public ValueTask<IdentityProviderWriteResult> UpdateAsync(IdentityProvider provider, CancellationToken ct = default) => ValueTask.FromResult(IdentityProviderWriteResult.Ok);
        public ValueTask<bool> DeleteAsync(string userPoolId, string providerName, CancellationToken ct = default) => ValueTask.FromResult(Items.RemoveAll(p => p.ProviderName == providerName) > 0);
        public ValueTask<int> CountAsync(string userPoolId, CancellationToken ct = default) => ValueTask.FromResult(Items.Count);
    }
}
