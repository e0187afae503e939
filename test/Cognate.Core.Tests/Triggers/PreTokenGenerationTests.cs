using System.Text;
using System.Text.Json.Nodes;
using Cognate.Core.Clients;
using Cognate.Core.Crypto;
using Cognate.Core.Errors;
using Cognate.Core.Groups;
using Cognate.Core.Pools;
using Cognate.Core.Stores;
using Cognate.Core.Tests.Pools;
using Cognate.Core.Tokens;
using Cognate.Core.Triggers;
using Cognate.Core.Users;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.Triggers;

/// <summary>PreTokenGeneration through a real TokenService with in-memory stores and a fake Lambda transport: the event sent and the tokens minted.</summary>
public sealed class PreTokenGenerationTests
{
    static readonly DateTimeOffset T0 = new(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);
    const string Arn = "arn:aws:lambda:us-east-1:123456789012:function:pretoken";
    const string Issuer = "http://localhost/us-east-1_PreToken01";

    /// <summary>Answers every invocation with <see cref="Handler"/> and records the events.</summary>
    sealed class FakeInvoker : ILambdaInvoker
    {
        public Func<JsonObject, JsonObject> Handler { get; set; } = e => e;
        public List<LambdaInvocation> Calls { get; } = [];
        public ValueTask<JsonObject?> InvokeAsync(LambdaInvocation invocation, CancellationToken ct = default)
        {
            Calls.Add(invocation);
            return ValueTask.FromResult<JsonObject?>(Handler(invocation.Event.DeepClone().AsObject()));
        }
    }

    sealed class Keys : ISigningKeyStore
    {
        readonly List<SigningKeyRecord> keys = [];
        public ValueTask<IReadOnlyList<SigningKeyRecord>> ListAsync(string userPoolId, CancellationToken ct = default) =>
            ValueTask.FromResult<IReadOnlyList<SigningKeyRecord>>(keys.Where(k => k.UserPoolId == userPoolId).ToList());
        public ValueTask<bool> AddAsync(SigningKeyRecord key, CancellationToken ct = default) { keys.Add(key); return ValueTask.FromResult(true); }
        public ValueTask<bool> AddInitialAsync(IReadOnlyList<SigningKeyRecord> initial, CancellationToken ct = default)
        {
            if (keys.Any(k => k.UserPoolId == initial[0].UserPoolId)) return ValueTask.FromResult(false);
            keys.AddRange(initial);
            return ValueTask.FromResult(true);
        }
    }

    sealed class RefreshTokens : IRefreshTokenStore
    {
        public List<RefreshTokenRecord> Created { get; } = [];
        public ValueTask CreateAsync(RefreshTokenRecord record, CancellationToken ct = default) { Created.Add(record); return ValueTask.CompletedTask; }
        public ValueTask<RefreshTokenRecord?> GetAsync(byte[] tokenHash, CancellationToken ct = default) => throw new NotSupportedException();
        public ValueTask<RefreshTokenRecord?> GetByOriginJtiAsync(string originJti, CancellationToken ct = default) => throw new NotSupportedException();
        public ValueTask<bool> RevokeAsync(byte[] tokenHash, CancellationToken ct = default) => throw new NotSupportedException();
        public ValueTask<int> RevokeAllForUserAsync(string userPoolId, string username, CancellationToken ct = default) => throw new NotSupportedException();
        public ValueTask<bool> RotateAsync(byte[] presentedHash, RefreshTokenRecord replacement, DateTimeOffset now, DateTimeOffset replacedAfter, CancellationToken ct = default) => throw new NotSupportedException();
    }

    sealed class OneGroup : IGroupStore
    {
        public ValueTask<bool> CreateAsync(Group group, CancellationToken ct = default) => throw new NotSupportedException();
        public ValueTask<Group?> GetAsync(string userPoolId, string groupName, CancellationToken ct = default) => throw new NotSupportedException();
        public ValueTask<bool> UpdateAsync(Group group, CancellationToken ct = default) => throw new NotSupportedException();
        public ValueTask<bool> DeleteAsync(string userPoolId, string groupName, CancellationToken ct = default) => throw new NotSupportedException();
        public ValueTask<IReadOnlyList<Group>> ListAsync(string userPoolId, string? afterName, int limit, CancellationToken ct = default) => throw new NotSupportedException();
        public ValueTask<bool> AddMemberAsync(string userPoolId, string groupName, string username, CancellationToken ct = default) => throw new NotSupportedException();
        public ValueTask RemoveMemberAsync(string userPoolId, string groupName, string username, CancellationToken ct = default) => throw new NotSupportedException();
        public ValueTask<IReadOnlyList<Group>> ListForUserAsync(string userPoolId, string username, string? afterName, int limit, CancellationToken ct = default) =>
            ValueTask.FromResult<IReadOnlyList<Group>>([new Group { UserPoolId = userPoolId, GroupName = "staff", RoleArn = "arn:aws:iam::123456789012:role/staff", Precedence = 1, CreatedAt = T0, ModifiedAt = T0 }]);
        public ValueTask<IReadOnlyList<string>> ListMembersAsync(string userPoolId, string groupName, string? afterUsername, int limit, CancellationToken ct = default) => throw new NotSupportedException();
    }

    sealed record Rig(TokenService Tokens, FakeInvoker Lambda, RefreshTokens Refresh, UserPool Pool, AppClient Client, User User);

    static Rig Build(string? version, bool withTrigger = true)
    {
        var time = new FixedTime(T0);
        JsonObject? config = !withTrigger ? null
            : version is null ? new JsonObject { ["PreTokenGeneration"] = Arn }
            : new JsonObject { ["PreTokenGenerationConfig"] = new JsonObject { ["LambdaArn"] = Arn, ["LambdaVersion"] = version } };
        var pool = new UserPool { Id = "us-east-1_PreToken01", Region = "us-east-1", CreatedAt = T0, ModifiedAt = T0, Config = new UserPoolConfig { LambdaConfig = config }, Version = 0 };
        var client = new AppClient { ClientId = "pretokenclient0000000000001", UserPoolId = pool.Id, CreatedAt = T0, ModifiedAt = T0, Config = new AppClientConfig() };
        var user = new User { UserPoolId = pool.Id, Username = "alice", Sub = "5b3c0b0e-0000-4000-8000-000000000001", Status = UserStatus.Confirmed, CreatedAt = T0, ModifiedAt = T0 };
        user.Attributes["sub"] = user.Sub;
        user.Attributes["email"] = "alice@example.com";
        user.Attributes["email_verified"] = "true";
        user.Attributes["name"] = "Alice";
        var lambda = new FakeInvoker();
        var refresh = new RefreshTokens();
        var protector = new MasterKeyProtector(Convert.FromBase64String(MasterKeyProtector.DevelopmentMasterKeyBase64));
        var pools = new FakeUserPoolStore();
        pools.Pools[pool.Id] = pool;
        var tokens = new TokenService(new Keys(), refresh, null!, pools, new OneGroup(), protector, time, new UserPoolTriggers(lambda));
        return new Rig(tokens, lambda, refresh, pool, client, user);
    }

    static JsonObject Payload(string jwt)
    {
        var s = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        s = s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
        return JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(s)))!.AsObject();
    }

    static ValueTask<AuthenticationResult> SignIn(Rig r, TokenGeneration? generation = null) =>
        r.Tokens.IssueAsync(r.Pool, r.Client, r.User, Issuer, T0, null, issueRefreshToken: true, generation);

    [Fact]
    public async Task NoTrigger_NothingInvoked()
    {
        var r = Build("V2_0", withTrigger: false);
        var t = await SignIn(r);
        r.Lambda.Calls.ShouldBeEmpty();
        Payload(t.IdToken)["email"]!.GetValue<string>().ShouldBe("alice@example.com");
    }

    [Fact]
    public async Task V1_EventShape_AndIdTokenClaims()
    {
        var r = Build(version: null);
        r.Lambda.Handler = e =>
        {
            e["response"] = JsonNode.Parse("""{"claimsOverrideDetails":{"claimsToAddOrOverride":{"tenant":"acme","sub":"forged"},"claimsToSuppress":["email"]}}""");
            return e;
        };
        var t = await SignIn(r, new TokenGeneration(TokenGenerationSources.Authentication, new Dictionary<string, string> { ["k"] = "v" }));

        var call = r.Lambda.Calls.ShouldHaveSingleItem();
        call.FunctionArn.ShouldBe(Arn);
        call.TriggerName.ShouldBe("PreTokenGeneration");
        var e = call.Event;
        e["version"]!.GetValue<string>().ShouldBe("1");
        e["triggerSource"]!.GetValue<string>().ShouldBe("TokenGeneration_Authentication");
        e["userPoolId"]!.GetValue<string>().ShouldBe(r.Pool.Id);
        e["userName"]!.GetValue<string>().ShouldBe("alice");
        e["callerContext"]!["clientId"]!.GetValue<string>().ShouldBe(r.Client.ClientId);
        var request = e["request"]!.AsObject();
        request.Select(p => p.Key).ShouldBe(["userAttributes", "groupConfiguration", "clientMetadata"]); // no scopes in V1
        request["userAttributes"]!["email"]!.GetValue<string>().ShouldBe("alice@example.com");
        request["userAttributes"]!["cognito:user_status"]!.GetValue<string>().ShouldBe("CONFIRMED");
        request["groupConfiguration"]!.ToJsonString().ShouldBe("""{"groupsToOverride":["staff"],"iamRolesToOverride":["arn:aws:iam::123456789012:role/staff"],"preferredRole":"arn:aws:iam::123456789012:role/staff"}""");
        request["clientMetadata"]!.ToJsonString().ShouldBe("""{"k":"v"}""");

        var id = Payload(t.IdToken);
        id["tenant"]!.GetValue<string>().ShouldBe("acme");
        id["sub"]!.GetValue<string>().ShouldBe(r.User.Sub);
        id.ContainsKey("email").ShouldBeFalse();
        id["name"]!.GetValue<string>().ShouldBe("Alice");
        var access = Payload(t.AccessToken);
        access.ContainsKey("tenant").ShouldBeFalse();
        access["scope"]!.GetValue<string>().ShouldBe("aws.cognito.signin.user.admin");
    }

    [Fact]
    public async Task V2_BothTokens_AnyJsonType_Scopes_Groups()
    {
        var r = Build("V2_0");
        r.Lambda.Handler = e =>
        {
            e["response"] = JsonNode.Parse("""
                {"claimsAndScopeOverrideDetails":{
                  "idTokenGeneration":{"claimsToAddOrOverride":{"tier":3,"flags":["a","b"]},"claimsToSuppress":["name"]},
                  "accessTokenGeneration":{"claimsToAddOrOverride":{"tenant":{"id":"acme","paid":true},"client_id":"forged"},
                    "scopesToAdd":["api/read"],"scopesToSuppress":["nothing"]},
                  "groupOverrideDetails":{"groupsToOverride":["admins"],"iamRolesToOverride":[],"preferredRole":null}}}
                """);
            return e;
        };
        var t = await SignIn(r);
        var request = r.Lambda.Calls.Single().Event["request"]!;
        r.Lambda.Calls.Single().Event["version"]!.GetValue<string>().ShouldBe("2");
        request["scopes"]!.ToJsonString().ShouldBe("""["aws.cognito.signin.user.admin"]""");
        request.AsObject().ContainsKey("clientMetadata").ShouldBeFalse();

        var id = Payload(t.IdToken);
        id["tier"]!.ToJsonString().ShouldBe("3");
        id["flags"]!.ToJsonString().ShouldBe("""["a","b"]""");
        id.ContainsKey("name").ShouldBeFalse();
        id["cognito:groups"]!.ToJsonString().ShouldBe("""["admins"]""");
        id.ContainsKey("cognito:roles").ShouldBeFalse();
        id.ContainsKey("cognito:preferred_role").ShouldBeFalse();
        var access = Payload(t.AccessToken);
        access["tenant"]!.ToJsonString().ShouldBe("""{"id":"acme","paid":true}""");
        access["client_id"]!.GetValue<string>().ShouldBe(r.Client.ClientId);
        access["scope"]!.GetValue<string>().ShouldBe("aws.cognito.signin.user.admin api/read");
        access["cognito:groups"]!.ToJsonString().ShouldBe("""["admins"]""");
    }

    [Fact]
    public async Task HostedAuth_ScopesAreTheGrantedOnes_V3VersionThree()
    {
        var r = Build("V3_0");
        r.Lambda.Handler = e =>
        {
            e["response"] = JsonNode.Parse("""{"claimsAndScopeOverrideDetails":{"accessTokenGeneration":{"scopesToSuppress":["email"],"scopesToAdd":["api/write"]}}}""");
            return e;
        };
        var t = await r.Tokens.IssueOAuthAsync(r.Pool, r.Client, r.User, Issuer, T0, new OAuthTokenClaims(["openid", "email"], "n-1"), null, issueRefreshToken: true);
        var e = r.Lambda.Calls.Single().Event;
        e["version"]!.GetValue<string>().ShouldBe("3");
        e["triggerSource"]!.GetValue<string>().ShouldBe("TokenGeneration_HostedAuth");
        e["request"]!["scopes"]!.ToJsonString().ShouldBe("""["openid","email"]""");
        Payload(t.AccessToken)["scope"]!.GetValue<string>().ShouldBe("openid api/write");
        t.IdToken.ShouldNotBeNull();
        r.Refresh.Created.Single().OAuthScopes.ShouldBe(["openid", "email"]); // the grant, not the customisation: it runs again on refresh
    }

    [Theory]
    [InlineData(null)]
    [InlineData("V1_0")]
    [InlineData("V2_0")]
    public async Task ClientCredentials_BelowV3_NotInvoked(string? version)
    {
        var r = Build(version);
        var (token, _) = await r.Tokens.IssueClientAccessTokenAsync(r.Pool, r.Client, ["api/read"], Issuer);
        r.Lambda.Calls.ShouldBeEmpty();
        Payload(token)["scope"]!.GetValue<string>().ShouldBe("api/read");
    }

    [Fact]
    public async Task ClientCredentials_V3_EventAndAccessToken()
    {
        var r = Build("V3_0");
        r.Lambda.Handler = e =>
        {
            e["response"] = JsonNode.Parse("""
                {"claimsAndScopeOverrideDetails":{"idTokenGeneration":{"claimsToAddOrOverride":{"ignored":"x"}},
                 "accessTokenGeneration":{"claimsToAddOrOverride":{"customer":{"id":42}},"scopesToAdd":["api/write"],"scopesToSuppress":["api/read"]}}}
                """);
            return e;
        };
        var (token, _) = await r.Tokens.IssueClientAccessTokenAsync(r.Pool, r.Client, ["api/read"], Issuer, new Dictionary<string, string> { ["onBehalfOf"] = "u1" });
        var e = r.Lambda.Calls.Single().Event;
        e["version"]!.GetValue<string>().ShouldBe("3");
        e["triggerSource"]!.GetValue<string>().ShouldBe("TokenGeneration_ClientCredentials");
        e["userName"]!.GetValue<string>().ShouldBe(r.Client.ClientId);
        e["request"]!.ToJsonString().ShouldBe("""{"userAttributes":{},"groupConfiguration":{"groupsToOverride":[],"iamRolesToOverride":[],"preferredRole":null},"clientMetadata":{"onBehalfOf":"u1"},"scopes":["api/read"]}""");
        var access = Payload(token);
        access["customer"]!.ToJsonString().ShouldBe("""{"id":42}""");
        access["scope"]!.GetValue<string>().ShouldBe("api/write");
        access["sub"]!.GetValue<string>().ShouldBe(r.Client.ClientId);
        access.ContainsKey("ignored").ShouldBeFalse();
    }

    [Fact]
    public async Task FunctionError_Propagates_NoRefreshTokenStored()
    {
        var r = Build("V2_0");
        r.Lambda.Handler = _ => throw CognitoErrors.UserLambdaValidation("PreTokenGeneration", "nope");
        var ex = await Should.ThrowAsync<CognitoException>(async () => await SignIn(r));
        ex.Error.Type.ShouldBe("UserLambdaValidationException");
        ex.Error.Message.ShouldBe("PreTokenGeneration failed with error nope.");
        r.Refresh.Created.ShouldBeEmpty();
    }

    [Fact]
    public async Task MalformedAnswer_InvalidLambdaResponse_NoRefreshTokenStored()
    {
        var r = Build("V2_0");
        r.Lambda.Handler = e => { e["response"] = JsonNode.Parse("""{"claimsAndScopeOverrideDetails":{"accessTokenGeneration":{"scopesToAdd":"x"}}}"""); return e; };
        (await Should.ThrowAsync<CognitoException>(async () => await SignIn(r))).Error.Type.ShouldBe("InvalidLambdaResponseException");
        r.Refresh.Created.ShouldBeEmpty();
    }
}
