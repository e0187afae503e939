using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Cognate.Client;
using Cognate.Core.Crypto;
using Cognate.Server.ManagedLogin;
using Cognate.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Triggers;

/// <summary>
/// PreTokenGeneration over the wire (AWS developer guide "Pre token generation Lambda trigger"; reference §10.4): V1, V2 and V3
/// functions registered with the fixture's fake Lambda service, every trigger source, the claim / scope / group rules in the
/// issued tokens, and the failure paths.
/// </summary>
public sealed class PreTokenGenerationTests(ServerFixture f) : IDisposable
{
    const string Password = "Passw0rd!x";
    const string Read = ApiPools.Api + "/read", Write = ApiPools.Api + "/write";
    const string Cb = "https://app.example.com/callback";
    const string Verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    const string Challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    readonly HttpClient http = new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose() => http.Dispose();

    /// <summary>A function that sets <paramref name="response"/> (JSON) as the event's response.</summary>
    static Func<JsonObject, JsonObject> Answer(string response) => e =>
    {
        e["response"] = JsonNode.Parse(response);
        return e;
    };

    /// <summary>LambdaConfig for <paramref name="arn"/>: the legacy key (version null) or PreTokenGenerationConfig.</summary>
    static JsonObject LambdaConfig(string arn, string? version) => version is null
        ? new JsonObject { ["PreTokenGeneration"] = arn }
        : new JsonObject { ["PreTokenGenerationConfig"] = new JsonObject { ["LambdaArn"] = arn, ["LambdaVersion"] = version } };

    sealed record App(string Pool, string ClientId, string? Secret, string Username, string Sub, string Arn);

    /// <summary>An API pool (resource server read/write) with the function, a client and a confirmed user.</summary>
    async Task<App> AppAsync(string arn, string? version, bool secret = false, JsonObject? client = null)
    {
        var pool = await f.CreatePoolAsync(new JsonObject { ["LambdaConfig"] = LambdaConfig(arn, version), ["UserPoolTier"] = "ESSENTIALS" });
        await f.Admin.InvokeAsync("CreateResourceServer", new JsonObject
        {
            ["UserPoolId"] = pool, ["Identifier"] = ApiPools.Api, ["Name"] = "api",
            ["Scopes"] = new JsonArray(new JsonObject { ["ScopeName"] = "read", ["ScopeDescription"] = "r" }, new JsonObject { ["ScopeName"] = "write", ["ScopeDescription"] = "w" }),
        });
        var (clientId, clientSecret) = await f.CreateClientAsync(pool, secret, client);
        var email = ServerFixture.NewEmail();
        var sub = await f.CreateConfirmedUserAsync(clientId, email, Password, email, clientSecret);
        return new App(pool, clientId, clientSecret, email, sub, arn);
    }

    /// <summary>USER_PASSWORD_AUTH; returns the AuthenticationResult.</summary>
    Task<JsonObject> SignInAsync(App app) => f.SignInAsync(app.ClientId, app.Username, Password, app.Secret);

    static JsonObject Id(JsonObject result) => TestJwt.Claims((string)result["IdToken"]!);
    static JsonObject Access(JsonObject result) => TestJwt.Claims((string)result["AccessToken"]!);

    async Task CreateGroupAsync(App app, string name, string? role = null, int? precedence = null)
    {
        var g = new JsonObject { ["UserPoolId"] = app.Pool, ["GroupName"] = name };
        if (role is not null) g["RoleArn"] = role;
        if (precedence is not null) g["Precedence"] = precedence;
        await f.Admin.InvokeAsync("CreateGroup", g);
        await f.Admin.InvokeAsync("AdminAddUserToGroup", new JsonObject { ["UserPoolId"] = app.Pool, ["Username"] = app.Username, ["GroupName"] = name });
    }

    // ---- V1 ---------------------------------------------------------------------------------------------------------------

    [Fact]
    public async Task V1_LegacyKey_EventShape_IdTokenClaimsOnly()
    {
        var arn = f.Lambda.Register(Answer("""
            {"claimsOverrideDetails":{"claimsToAddOrOverride":{"tenant":"acme","email":"override@example.com","sub":"forged"},"claimsToSuppress":["email_verified","aud"]}}
            """));
        var app = await AppAsync(arn, version: null);

        var auth = await SignInAsync(app);

        var e = f.Lambda.Events(arn).ShouldHaveSingleItem();
        ((string?)e["version"], (string?)e["triggerSource"], (string?)e["userPoolId"], (string?)e["userName"])
            .ShouldBe(("1", "TokenGeneration_Authentication", app.Pool, app.Username));
        ((string?)e["callerContext"]!["clientId"]).ShouldBe(app.ClientId);
        var request = e["request"]!.AsObject();
        request.Select(p => p.Key).ShouldBe(["userAttributes", "groupConfiguration"]);
        ((string?)request["userAttributes"]!["sub"]).ShouldBe(app.Sub);
        ((string?)request["userAttributes"]!["cognito:user_status"]).ShouldBe("CONFIRMED");
        request["groupConfiguration"]!.ToJsonString().ShouldBe("""{"groupsToOverride":[],"iamRolesToOverride":[],"preferredRole":null}""");
        e["response"]!.AsObject().Count.ShouldBe(0);

        var id = Id(auth);
        ((string?)id["tenant"]).ShouldBe("acme");
        ((string?)id["email"]).ShouldBe("override@example.com");
        id.ContainsKey("email_verified").ShouldBeFalse();
        ((string?)id["sub"]).ShouldBe(app.Sub);
        ((string?)id["aud"]).ShouldBe(app.ClientId);
        var access = Access(auth);
        access.ContainsKey("tenant").ShouldBeFalse();
        ((string?)access["scope"]).ShouldBe("aws.cognito.signin.user.admin");
    }

    [Fact]
    public async Task V1_GroupsToOverride_ReplacesGroupClaimsInBothTokens()
    {
        const string Role = "arn:aws:iam::123456789012:role/editors";
        var arn = f.Lambda.Register(e =>
        {
            // Echo the request's group configuration, then add one group: the guide's way to keep and extend the groups.
            var groups = e["request"]!["groupConfiguration"]!.DeepClone().AsObject();
            groups["groupsToOverride"]!.AsArray().Add("editors");
            groups["iamRolesToOverride"] = new JsonArray(Role);
            groups["preferredRole"] = Role;
            e["response"] = new JsonObject { ["claimsOverrideDetails"] = new JsonObject { ["groupOverrideDetails"] = groups } };
            return e;
        });
        var app = await AppAsync(arn, version: "V1_0");
        await CreateGroupAsync(app, "staff");

        var auth = await SignInAsync(app);

        f.Lambda.Events(arn).Single()["request"]!["groupConfiguration"]!["groupsToOverride"]!.ToJsonString().ShouldBe("""["staff"]""");
        var id = Id(auth);
        id["cognito:groups"]!.ToJsonString().ShouldBe("""["staff","editors"]""");
        id["cognito:roles"]!.ToJsonString().ShouldBe($"""["{Role}"]""");
        ((string?)id["cognito:preferred_role"]).ShouldBe(Role);
        Access(auth)["cognito:groups"]!.ToJsonString().ShouldBe("""["staff","editors"]""");
    }

    [Fact]
    public async Task V1_EmptyGroupOverride_SuppressesGroups()
    {
        var arn = f.Lambda.Register(Answer("""{"claimsOverrideDetails":{"groupOverrideDetails":{}}}"""));
        var app = await AppAsync(arn, version: "V1_0");
        await CreateGroupAsync(app, "staff");

        var auth = await SignInAsync(app);

        Id(auth).ContainsKey("cognito:groups").ShouldBeFalse();
        Access(auth).ContainsKey("cognito:groups").ShouldBeFalse();
    }

    // ---- V2 ---------------------------------------------------------------------------------------------------------------

    [Fact]
    public async Task V2_ClaimsOfEveryJsonType_InBothTokens_Scopes()
    {
        var arn = f.Lambda.Register(Answer("""
            {"claimsAndScopeOverrideDetails":{
              "idTokenGeneration":{"claimsToAddOrOverride":{"str":"s","num":42,"dec":1.5,"bool":true,"arr":["a",1,false],"obj":{"nested":{"k":"v"}}},"claimsToSuppress":["email"]},
              "accessTokenGeneration":{"claimsToAddOrOverride":{"str":"s","num":42,"bool":false,"arr":[1,2],"obj":{"tenant":"acme"}},
                "scopesToAdd":["https://api.example.com/read","https://api.example.com/write","has space"],"scopesToSuppress":["https://api.example.com/write"]}}}
            """));
        var app = await AppAsync(arn, version: "V2_0");

        var auth = await SignInAsync(app);

        var e = f.Lambda.Events(arn).Single();
        ((string?)e["version"]).ShouldBe("2");
        e["request"]!["scopes"]!.ToJsonString().ShouldBe("""["aws.cognito.signin.user.admin"]""");
        var id = Id(auth);
        ((string?)id["str"]).ShouldBe("s");
        id["num"]!.ToJsonString().ShouldBe("42");
        id["dec"]!.ToJsonString().ShouldBe("1.5");
        id["bool"]!.ToJsonString().ShouldBe("true");
        id["arr"]!.ToJsonString().ShouldBe("""["a",1,false]""");
        id["obj"]!.ToJsonString().ShouldBe("""{"nested":{"k":"v"}}""");
        id.ContainsKey("email").ShouldBeFalse();
        var access = Access(auth);
        ((string?)access["str"]).ShouldBe("s");
        access["num"]!.ToJsonString().ShouldBe("42");
        access["bool"]!.ToJsonString().ShouldBe("false");
        access["arr"]!.ToJsonString().ShouldBe("[1,2]");
        access["obj"]!.ToJsonString().ShouldBe("""{"tenant":"acme"}""");
        ((string?)access["scope"]).ShouldBe("aws.cognito.signin.user.admin " + Read);

        // The customised access token still works on the Cognito API (its admin scope was kept).
        var user = await f.Public.InvokeAsync("GetUser", new JsonObject { ["AccessToken"] = (string)auth["AccessToken"]! });
        ((string?)user["Username"]).ShouldBe(app.Username);
    }

    [Fact]
    public async Task V2_ProtectedClaims_IgnoredSilently()
    {
        var arn = f.Lambda.Register(Answer("""
            {"claimsAndScopeOverrideDetails":{
              "idTokenGeneration":{"claimsToAddOrOverride":{"sub":"x","iss":"x","aud":"x","exp":1,"iat":1,"auth_time":1,"token_use":"access","cognito:username":"x","jti":"x","origin_jti":"x","event_id":"x","cognito:groups":["x"],"dev:x":"x","ok":"yes"},
                                   "claimsToSuppress":["sub","iss","aud","exp","token_use","cognito:username"]},
              "accessTokenGeneration":{"claimsToAddOrOverride":{"client_id":"x","scope":"x","username":"x","token_use":"id","ok":"yes"},
                                       "claimsToSuppress":["client_id","scope","username","sub","exp"]}}}
            """));
        var app = await AppAsync(arn, version: "V2_0");

        var auth = await SignInAsync(app);

        var id = Id(auth);
        ((string?)id["ok"]).ShouldBe("yes");
        ((string?)id["sub"], (string?)id["aud"], (string?)id["token_use"], (string?)id["cognito:username"]).ShouldBe((app.Sub, app.ClientId, "id", app.Username));
        ((string)id["iss"]!).ShouldEndWith("/" + app.Pool);
        id.ContainsKey("exp").ShouldBeTrue();
        id.ContainsKey("cognito:groups").ShouldBeFalse();
        id.ContainsKey("dev:x").ShouldBeFalse();
        var access = Access(auth);
        ((string?)access["ok"]).ShouldBe("yes");
        ((string?)access["client_id"], (string?)access["scope"], (string?)access["username"], (string?)access["token_use"], (string?)access["sub"])
            .ShouldBe((app.ClientId, "aws.cognito.signin.user.admin", app.Username, "access", app.Sub));
    }

    [Fact]
    public async Task V2_ComplexValueForEmailVerified_InvalidLambdaResponse()
    {
        var arn = f.Lambda.Register(Answer("""{"claimsAndScopeOverrideDetails":{"idTokenGeneration":{"claimsToAddOrOverride":{"email_verified":{"v":true}}}}}"""));
        var app = await AppAsync(arn, version: "V2_0");
        var ex = await Should.ThrowAsync<CognitoServiceException>(() => SignInAsync(app));
        ex.ErrorType.ShouldBe("InvalidLambdaResponseException");
    }

    [Fact]
    public async Task V2_GroupsToOverride()
    {
        var arn = f.Lambda.Register(Answer("""{"claimsAndScopeOverrideDetails":{"groupOverrideDetails":{"groupsToOverride":["admins"]}}}"""));
        var app = await AppAsync(arn, version: "V2_0");
        await CreateGroupAsync(app, "staff", "arn:aws:iam::123456789012:role/staff", 1);

        var auth = await SignInAsync(app);

        f.Lambda.Events(arn).Single()["request"]!["groupConfiguration"]!.ToJsonString()
            .ShouldBe("""{"groupsToOverride":["staff"],"iamRolesToOverride":["arn:aws:iam::123456789012:role/staff"],"preferredRole":"arn:aws:iam::123456789012:role/staff"}""");
        var id = Id(auth);
        id["cognito:groups"]!.ToJsonString().ShouldBe("""["admins"]""");
        id.ContainsKey("cognito:roles").ShouldBeFalse();
        id.ContainsKey("cognito:preferred_role").ShouldBeFalse();
        Access(auth)["cognito:groups"]!.ToJsonString().ShouldBe("""["admins"]""");
    }

    // ---- trigger sources --------------------------------------------------------------------------------------------------

    [Fact]
    public async Task RefreshTokenAuth_SourceRefreshTokens_CustomisedAgain()
    {
        var arn = f.Lambda.Register(e =>
        {
            e["response"] = new JsonObject
            {
                ["claimsAndScopeOverrideDetails"] = new JsonObject
                {
                    ["accessTokenGeneration"] = new JsonObject { ["claimsToAddOrOverride"] = new JsonObject { ["source"] = (string?)e["triggerSource"] } },
                },
            };
            return e;
        });
        var app = await AppAsync(arn, version: "V2_0");
        var first = await SignInAsync(app);

        var refreshed = await f.Public.InvokeAsync("InitiateAuth", new JsonObject
        {
            ["ClientId"] = app.ClientId, ["AuthFlow"] = "REFRESH_TOKEN_AUTH",
            ["AuthParameters"] = new JsonObject { ["REFRESH_TOKEN"] = (string)first["RefreshToken"]! },
            ["ClientMetadata"] = new JsonObject { ["not"] = "forwarded" },
        });

        f.Lambda.Events(arn).Select(e => (string?)e["triggerSource"]).ShouldBe(["TokenGeneration_Authentication", "TokenGeneration_RefreshTokens"]);
        // InitiateAuth's ClientMetadata is not given to pre token generation (API reference, InitiateAuth).
        f.Lambda.Events(arn)[1]["request"]!.AsObject().ContainsKey("clientMetadata").ShouldBeFalse();
        ((string?)Access(refreshed["AuthenticationResult"]!.AsObject())["source"]).ShouldBe("TokenGeneration_RefreshTokens");
    }

    [Fact]
    public async Task NewPasswordRequired_SourceNewPasswordChallenge_ClientMetadataForwarded()
    {
        var arn = f.Lambda.Register(Answer("{}"));
        var pool = await f.CreatePoolAsync(new JsonObject { ["LambdaConfig"] = LambdaConfig(arn, "V2_0") });
        var (clientId, _) = await f.CreateClientAsync(pool);
        await f.Admin.InvokeAsync("AdminCreateUser", new JsonObject
        {
            ["UserPoolId"] = pool, ["Username"] = "newbie", ["TemporaryPassword"] = "Temp0rary!x", ["MessageAction"] = "SUPPRESS",
        });
        var challenge = await f.Public.InvokeAsync("InitiateAuth", new JsonObject
        {
            ["ClientId"] = clientId, ["AuthFlow"] = "USER_PASSWORD_AUTH",
            ["AuthParameters"] = new JsonObject { ["USERNAME"] = "newbie", ["PASSWORD"] = "Temp0rary!x" },
        });
        ((string?)challenge["ChallengeName"]).ShouldBe("NEW_PASSWORD_REQUIRED");

        var auth = await f.Public.InvokeAsync("RespondToAuthChallenge", new JsonObject
        {
            ["ClientId"] = clientId, ["ChallengeName"] = "NEW_PASSWORD_REQUIRED", ["Session"] = (string)challenge["Session"]!,
            ["ChallengeResponses"] = new JsonObject { ["USERNAME"] = "newbie", ["NEW_PASSWORD"] = Password },
            ["ClientMetadata"] = new JsonObject { ["app"] = "onboarding" },
        });

        auth["AuthenticationResult"].ShouldNotBeNull();
        var e = f.Lambda.Events(arn).ShouldHaveSingleItem();
        ((string?)e["triggerSource"]).ShouldBe("TokenGeneration_NewPasswordChallenge");
        e["request"]!["clientMetadata"]!.ToJsonString().ShouldBe("""{"app":"onboarding"}""");
    }

    [Fact]
    public async Task HostedAuth_CodeExchange_SourceHostedAuth_GrantedScopes()
    {
        var arn = f.Lambda.Register(Answer("""
            {"claimsAndScopeOverrideDetails":{"idTokenGeneration":{"claimsToAddOrOverride":{"hosted":true}},
              "accessTokenGeneration":{"scopesToAdd":["https://api.example.com/write"],"scopesToSuppress":["email"]}}}
            """));
        var app = await AppAsync(arn, "V2_0", client: new JsonObject
        {
            ["AllowedOAuthFlowsUserPoolClient"] = true, ["AllowedOAuthFlows"] = new JsonArray("code"),
            ["AllowedOAuthScopes"] = new JsonArray("openid", "email"), ["CallbackURLs"] = new JsonArray(Cb),
            ["SupportedIdentityProviders"] = new JsonArray("COGNITO"),
        });

        var code = await CodeAsync(app, "openid email");
        using var r = await TokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = app.ClientId, ["code"] = code, ["redirect_uri"] = Cb, ["code_verifier"] = Verifier,
        });
        var body = JsonNode.Parse(await r.Content.ReadAsStringAsync())!.AsObject();
        r.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToJsonString());

        var e = f.Lambda.Events(arn)[^1];
        ((string?)e["triggerSource"]).ShouldBe("TokenGeneration_HostedAuth");
        e["request"]!["scopes"]!.ToJsonString().ShouldBe("""["openid","email"]""");
        ((string?)TestJwt.Claims((string)body["access_token"]!)["scope"]).ShouldBe("openid " + Write);
        TestJwt.Claims((string)body["id_token"]!)["hosted"]!.ToJsonString().ShouldBe("true");

        // /oauth2/token refresh: TokenGeneration_RefreshTokens with the granted scopes again.
        using var rr = await TokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["client_id"] = app.ClientId, ["refresh_token"] = (string)body["refresh_token"]!,
        });
        rr.StatusCode.ShouldBe(HttpStatusCode.OK);
        var last = f.Lambda.Events(arn)[^1];
        ((string?)last["triggerSource"]).ShouldBe("TokenGeneration_RefreshTokens");
        last["request"]!["scopes"]!.ToJsonString().ShouldBe("""["openid","email"]""");
    }

    [Fact]
    public async Task HostedAuth_FunctionFails_TokenEndpointInvalidRequest()
    {
        var arn = f.Lambda.RegisterError("no tokens today");
        var app = await AppAsync(arn, "V2_0", client: new JsonObject
        {
            ["AllowedOAuthFlowsUserPoolClient"] = true, ["AllowedOAuthFlows"] = new JsonArray("code"),
            ["AllowedOAuthScopes"] = new JsonArray("openid"), ["CallbackURLs"] = new JsonArray(Cb),
            ["SupportedIdentityProviders"] = new JsonArray("COGNITO"),
        });
        var code = await CodeAsync(app, "openid");
        using var r = await TokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = app.ClientId, ["code"] = code, ["redirect_uri"] = Cb, ["code_verifier"] = Verifier,
        });
        r.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await r.Content.ReadAsStringAsync()).ShouldBe("""{"error":"invalid_request"}""");
    }

    // ---- V3: client_credentials -------------------------------------------------------------------------------------------

    async Task<(string Pool, string ClientId, string Secret)> M2mAsync(string arn, string version)
    {
        var pool = await f.CreatePoolAsync(new JsonObject { ["LambdaConfig"] = LambdaConfig(arn, version), ["UserPoolTier"] = "ESSENTIALS" });
        await f.Admin.InvokeAsync("CreateResourceServer", new JsonObject
        {
            ["UserPoolId"] = pool, ["Identifier"] = ApiPools.Api, ["Name"] = "api",
            ["Scopes"] = new JsonArray(new JsonObject { ["ScopeName"] = "read", ["ScopeDescription"] = "r" }, new JsonObject { ["ScopeName"] = "write", ["ScopeDescription"] = "w" }),
        });
        var c = (await f.Admin.InvokeAsync("CreateUserPoolClient", new JsonObject
        {
            ["UserPoolId"] = pool, ["ClientName"] = "m2m", ["GenerateSecret"] = true,
            ["AllowedOAuthFlowsUserPoolClient"] = true, ["AllowedOAuthFlows"] = new JsonArray("client_credentials"),
            ["AllowedOAuthScopes"] = new JsonArray(Read, Write),
        }))["UserPoolClient"]!;
        return (pool, (string)c["ClientId"]!, (string)c["ClientSecret"]!);
    }

    Task<HttpResponseMessage> ClientCredentialsAsync(string clientId, string secret, string scope, string? metadata = null)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = scope };
        if (metadata is not null) form["aws_client_metadata"] = metadata;
        return TokenAsync(form, clientId, secret);
    }

    [Fact]
    public async Task V3_ClientCredentials_EventAndToken()
    {
        var arn = f.Lambda.Register(Answer("""
            {"claimsAndScopeOverrideDetails":{"accessTokenGeneration":{"claimsToAddOrOverride":{"customer":{"id":7,"tier":"gold"}},
              "scopesToAdd":["https://api.example.com/write"],"scopesToSuppress":["https://api.example.com/read"]}}}
            """));
        var (pool, id, secret) = await M2mAsync(arn, "V3_0");

        using var r = await ClientCredentialsAsync(id, secret, Read, """{"onBehalfOf":"user-1"}""");
        var body = JsonNode.Parse(await r.Content.ReadAsStringAsync())!.AsObject();
        r.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToJsonString());

        var e = f.Lambda.Events(arn).ShouldHaveSingleItem();
        ((string?)e["version"], (string?)e["triggerSource"], (string?)e["userPoolId"], (string?)e["callerContext"]!["clientId"])
            .ShouldBe(("3", "TokenGeneration_ClientCredentials", pool, id));
        e["request"]!["scopes"]!.ToJsonString().ShouldBe($"""["{Read}"]""");
        e["request"]!["clientMetadata"]!.ToJsonString().ShouldBe("""{"onBehalfOf":"user-1"}""");
        var claims = TestJwt.Claims((string)body["access_token"]!);
        claims["customer"]!.ToJsonString().ShouldBe("""{"id":7,"tier":"gold"}""");
        ((string?)claims["scope"], (string?)claims["sub"], (string?)claims["client_id"]).ShouldBe((Write, id, id));
    }

    [Fact]
    public async Task V3_GetClientToken_ClientMetadataForwarded()
    {
        var arn = f.Lambda.Register(Answer("""{"claimsAndScopeOverrideDetails":{"accessTokenGeneration":{"claimsToAddOrOverride":{"m2m":true}}}}"""));
        var pool = await f.CreateApiPoolAsync();
        await f.Admin.InvokeAsync("UpdateUserPool", new JsonObject { ["UserPoolId"] = pool, ["LambdaConfig"] = LambdaConfig(arn, "V3_0"), ["UserPoolTier"] = "ESSENTIALS" });
        var c = (await f.Admin.InvokeAsync("CreateUserPoolClient", new JsonObject
        {
            ["UserPoolId"] = pool, ["ClientName"] = "m2m", ["GenerateSecret"] = true,
            ["ExplicitAuthFlows"] = new JsonArray("ALLOW_CLIENT_TOKEN_AUTH"), ["AllowedOAuthScopes"] = new JsonArray(Read),
        }))["UserPoolClient"]!;

        var r = await f.Public.InvokeAsync("GetClientToken", new JsonObject
        {
            ["ClientId"] = (string)c["ClientId"]!, ["Secret"] = (string)c["ClientSecret"]!, ["ClientMetadata"] = new JsonObject { ["k"] = "v" },
        });

        TestJwt.Claims((string)r["ClientAuthenticationResult"]!["AccessToken"]!)["m2m"]!.ToJsonString().ShouldBe("true");
        var e = f.Lambda.Events(arn).ShouldHaveSingleItem();
        ((string?)e["triggerSource"]).ShouldBe("TokenGeneration_ClientCredentials");
        e["request"]!["clientMetadata"]!.ToJsonString().ShouldBe("""{"k":"v"}""");
    }

    [Fact]
    public async Task V2_ClientCredentials_NotInvoked()
    {
        var arn = f.Lambda.Register(Answer("""{"claimsAndScopeOverrideDetails":{"accessTokenGeneration":{"claimsToAddOrOverride":{"x":"y"}}}}"""));
        var (_, id, secret) = await M2mAsync(arn, "V2_0");
        using var r = await ClientCredentialsAsync(id, secret, Read);
        r.StatusCode.ShouldBe(HttpStatusCode.OK);
        f.Lambda.Events(arn).ShouldBeEmpty();
    }

    [Fact]
    public async Task V3_ClientCredentials_MalformedClientMetadata_InvalidRequest()
    {
        var arn = f.Lambda.Register(Answer("{}"));
        var (_, id, secret) = await M2mAsync(arn, "V3_0");
        using var r = await ClientCredentialsAsync(id, secret, Read, """{"n":1}""");
        r.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await r.Content.ReadAsStringAsync()).ShouldBe("""{"error":"invalid_request"}""");
        f.Lambda.Events(arn).ShouldBeEmpty();
    }

    // ---- failure paths ----------------------------------------------------------------------------------------------------

    [Fact]
    public async Task FunctionThrows_UserLambdaValidation_NoTokens()
    {
        var arn = f.Lambda.RegisterError("account on hold");
        var app = await AppAsync(arn, "V2_0");
        var ex = await Should.ThrowAsync<CognitoServiceException>(() => SignInAsync(app));
        ex.ErrorType.ShouldBe("UserLambdaValidationException");
        ex.Message.ShouldContain("PreTokenGeneration failed with error account on hold.");
    }

    [Fact]
    public async Task FunctionReturnsGarbage_InvalidLambdaResponse()
    {
        var arn = f.Lambda.Register(e => { e["response"] = JsonValue.Create("not an object"); return e; });
        var app = await AppAsync(arn, "V1_0");
        (await Should.ThrowAsync<CognitoServiceException>(() => SignInAsync(app))).ErrorType.ShouldBe("InvalidLambdaResponseException");
    }

    [Fact]
    public async Task FunctionReturnsWrongTypes_InvalidLambdaResponse()
    {
        var arn = f.Lambda.Register(Answer("""{"claimsOverrideDetails":{"claimsToSuppress":"email"}}"""));
        var app = await AppAsync(arn, "V1_0");
        (await Should.ThrowAsync<CognitoServiceException>(() => SignInAsync(app))).ErrorType.ShouldBe("InvalidLambdaResponseException");
    }

    [Fact]
    public async Task FunctionUnknownToLambda_UnexpectedLambda()
    {
        var app = await AppAsync("arn:aws:lambda:us-east-1:123456789012:function:no-such-function-" + Guid.NewGuid().ToString("N")[..8], "V2_0");
        (await Should.ThrowAsync<CognitoServiceException>(() => SignInAsync(app))).ErrorType.ShouldBe("UnexpectedLambdaException");
    }

    [Fact]
    public async Task PerPool_AnotherPoolsTriggerNeverFires()
    {
        var arn = f.Lambda.Register(Answer("""{"claimsOverrideDetails":{"claimsToAddOrOverride":{"mine":"yes"}}}"""));
        var withTrigger = await AppAsync(arn, "V1_0");
        var other = await f.CreatePoolAsync();
        var (otherClient, _) = await f.CreateClientAsync(other);
        var email = ServerFixture.NewEmail();
        await f.CreateConfirmedUserAsync(otherClient, email, Password, email);

        var plain = await f.SignInAsync(otherClient, email, Password);

        Id(plain).ContainsKey("mine").ShouldBeFalse();
        f.Lambda.Events(arn).ShouldBeEmpty();
        ((string?)Id(await SignInAsync(withTrigger))["mine"]).ShouldBe("yes");
    }

    // ---- hosted helpers ---------------------------------------------------------------------------------------------------

    string SessionCookie(App app)
    {
        using var protector = MasterKeyProtector.FromBase64(MasterKeyProtector.DevelopmentMasterKeyBase64);
        var authTime = DateTimeOffset.UtcNow.AddMinutes(-2);
        var value = ManagedLoginSessions.Seal(protector, new ManagedLoginSession(app.Pool, app.Sub, authTime, authTime + ManagedLoginSessions.Lifetime));
        return ManagedLoginSessions.CookieName(app.Pool) + "=" + value;
    }

    async Task<string> CodeAsync(App app, string scope)
    {
        var q = QueryHelpers.AddQueryString("", new Dictionary<string, string?>
        {
            ["client_id"] = app.ClientId, ["response_type"] = "code", ["redirect_uri"] = Cb, ["state"] = "s", ["scope"] = scope,
            ["code_challenge"] = Challenge, ["code_challenge_method"] = "S256",
        });
        using var req = new HttpRequestMessage(HttpMethod.Get, new Uri(f.Server.Endpoint, "/oauth2/authorize" + q));
        req.Headers.Add("Cookie", SessionCookie(app));
        using var r = await http.SendAsync(req);
        r.StatusCode.ShouldBe(HttpStatusCode.Redirect, await r.Content.ReadAsStringAsync());
        var location = r.Headers.Location!.OriginalString;
        return QueryHelpers.ParseQuery(location[(location.IndexOf('?') + 1)..])["code"].ToString();
    }

    async Task<HttpResponseMessage> TokenAsync(Dictionary<string, string> form, string? basicId = null, string? basicSecret = null)
    {
        using var req = new HttpRequestMessage(HttpMethod.Post, new Uri(f.Server.Endpoint, "/oauth2/token")) { Content = new FormUrlEncodedContent(form) };
        if (basicId is not null)
        {
            req.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.EscapeDataString(basicId) + ":" + Uri.EscapeDataString(basicSecret ?? ""))));
        }
        return await http.SendAsync(req);
    }
}
