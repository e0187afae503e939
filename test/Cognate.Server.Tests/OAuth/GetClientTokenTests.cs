using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Cognate.Client;
using Cognate.Client.SigV4;
using Cognate.Server.Tests.Infrastructure;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.OAuth;

/// <summary>
/// GetClientToken over the wire: an unsigned call with the client id and secret returns the same access token as the
/// client_credentials grant; every refusal as a Cognito error.
/// </summary>
public sealed class GetClientTokenTests(ServerFixture f)
{
    const string Read = "https://api.example.com/read", Write = "https://api.example.com/write";

    /// <summary>A pool with a resource server (read, write) and a client configured as the developer guide's example: secret, ALLOW_CLIENT_TOKEN_AUTH only, scopes, no OAuth flows.</summary>
    async Task<(string Pool, string ClientId, string Secret)> M2mAsync(JsonObject? extra = null)
    {
        var pool = await f.CreateApiPoolAsync();
        var req = extra ?? [];
        req["UserPoolId"] = pool;
        req["ClientName"] ??= "m2m";
        req["GenerateSecret"] ??= true;
        req["ExplicitAuthFlows"] ??= new JsonArray("ALLOW_CLIENT_TOKEN_AUTH");
        req["AllowedOAuthScopes"] ??= new JsonArray(Read, Write, "openid");
        var c = (await f.Admin.InvokeAsync("CreateUserPoolClient", req))["UserPoolClient"]!;
        return (pool, (string)c["ClientId"]!, (string?)c["ClientSecret"] ?? "");
    }

    Task<JsonObject> GetClientTokenAsync(string clientId, string secret, params string[] scopes)
    {
        var body = new JsonObject { ["ClientId"] = clientId, ["Secret"] = secret };
        if (scopes.Length > 0) body["Scopes"] = new JsonArray([.. scopes.Select(s => JsonValue.Create(s))]);
        return f.Public.InvokeAsync("GetClientToken", body);
    }

    async Task<CognitoServiceException> FailsAsync(Func<Task> call) => await Should.ThrowAsync<CognitoServiceException>(call);

    [Fact]
    public async Task GetClientToken_Unsigned_AccessTokenWithRequestedScope()
    {
        var (pool, id, secret) = await M2mAsync();

        var r = await GetClientTokenAsync(id, secret, Read);

        r.Select(p => p.Key).ShouldBe(["ClientAuthenticationResult"]);
        var result = r["ClientAuthenticationResult"]!.AsObject();
        result.Select(p => p.Key).Order().ShouldBe(["AccessToken", "ExpiresIn", "TokenType"]);
        ((string?)result["TokenType"], (int?)result["ExpiresIn"]).ShouldBe(("Bearer", 3600));
        var claims = TestJwt.Claims((string)result["AccessToken"]!);
        ((string?)claims["sub"], (string?)claims["client_id"], (string?)claims["token_use"], (string?)claims["scope"]).ShouldBe((id, id, "access", Read));
        ((string)claims["iss"]!).ShouldEndWith("/" + pool);
        claims["username"].ShouldBeNull();
    }

    [Fact]
    public async Task GetClientToken_NoScopes_AllCustomScopesOfClient()
    {
        var (_, id, secret) = await M2mAsync();
        var r = await GetClientTokenAsync(id, secret);
        ((string?)TestJwt.Claims((string)r["ClientAuthenticationResult"]!["AccessToken"]!)["scope"]).ShouldBe($"{Read} {Write}");
    }

    [Fact]
    public async Task GetClientToken_AccessTokenValidity_FromClient()
    {
        var (_, id, secret) = await M2mAsync(new JsonObject { ["AccessTokenValidity"] = 10, ["TokenValidityUnits"] = new JsonObject { ["AccessToken"] = "minutes" } });
        var r = await GetClientTokenAsync(id, secret, Write);
        ((int?)r["ClientAuthenticationResult"]!["ExpiresIn"]).ShouldBe(600);
    }

    [Fact]
    public async Task GetClientToken_TokenVerifiesAgainstJwksAndIsRefusedByUserApis()
    {
        var (pool, id, secret) = await M2mAsync();
        var token = (string)(await GetClientTokenAsync(id, secret))["ClientAuthenticationResult"]!["AccessToken"]!;
        var jwks = JsonNode.Parse(await f.Server.Http.GetStringAsync(new Uri(f.Server.Endpoint, $"{pool}/.well-known/jwks.json"), TestContext.Current.CancellationToken))!;
        var kid = (string)JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(Pad(token.Split('.')[0]))))!["kid"]!;
        var key = jwks["keys"]!.AsArray().Single(k => (string?)k!["kid"] == kid)!;
        using var rsa = System.Security.Cryptography.RSA.Create(new System.Security.Cryptography.RSAParameters
        {
            Modulus = Convert.FromBase64String(Pad((string)key["n"]!)), Exponent = Convert.FromBase64String(Pad((string)key["e"]!)),
        });
        var parts = token.Split('.');
        rsa.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Convert.FromBase64String(Pad(parts[2])),
            System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1).ShouldBeTrue();

        (await FailsAsync(() => f.Public.InvokeAsync("GetUser", new JsonObject { ["AccessToken"] = token }))).ErrorType.ShouldBe("NotAuthorizedException");
    }

    static string Pad(string b64url)
    {
        var s = b64url.Replace('-', '+').Replace('_', '/');
        return s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
    }

    [Fact]
    public async Task GetClientToken_WrongSecret_NotAuthorized()
    {
        var (_, id, secret) = await M2mAsync();
        var wrong = secret[..^1] + (secret[^1] == 'a' ? 'b' : 'a');
        var ex = await FailsAsync(() => GetClientTokenAsync(id, wrong));
        ex.ErrorType.ShouldBe("NotAuthorizedException");
        ex.Message.ShouldNotContain(wrong);
        ex.Message.ShouldNotContain(secret);
    }

    [Fact]
    public async Task GetClientToken_UnknownClient_ResourceNotFound() =>
        (await FailsAsync(() => GetClientTokenAsync("abcdefghijklmnopqrstuvwxyz", "s3cretS3cretS3cretS3cretS3cret"))).ErrorType.ShouldBe("ResourceNotFoundException");

    [Fact]
    public async Task GetClientToken_PublicClient_NotAuthorized()
    {
        var (_, id, _) = await M2mAsync(new JsonObject { ["GenerateSecret"] = false });
        (await FailsAsync(() => GetClientTokenAsync(id, "s3cretS3cretS3cretS3cretS3cret"))).ErrorType.ShouldBe("NotAuthorizedException");
    }

    [Fact]
    public async Task GetClientToken_FlowNotEnabled_InvalidParameterEvenWithClientCredentialsFlow()
    {
        var (_, id, secret) = await M2mAsync(new JsonObject
        {
            ["ExplicitAuthFlows"] = new JsonArray("ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"),
            ["AllowedOAuthFlowsUserPoolClient"] = true, ["AllowedOAuthFlows"] = new JsonArray("client_credentials"), ["AllowedOAuthScopes"] = new JsonArray(Read),
        });
        var ex = await FailsAsync(() => GetClientTokenAsync(id, secret, Read));
        ex.ErrorType.ShouldBe("InvalidParameterException");
        ex.Message.ShouldContain("ALLOW_CLIENT_TOKEN_AUTH");
    }

    [Theory]
    [InlineData("https://api.example.com/admin")] // not the client's
    [InlineData("openid")] // the client's, but not a custom scope
    [InlineData("aws.cognito.signin.user.admin")]
    public async Task GetClientToken_ScopeNotGrantable_InvalidParameter(string scope)
    {
        var (_, id, secret) = await M2mAsync();
        (await FailsAsync(() => GetClientTokenAsync(id, secret, Read, scope))).ErrorType.ShouldBe("InvalidParameterException");
    }

    [Fact]
    public async Task GetClientToken_ClientWithoutCustomScopes_InvalidParameter()
    {
        var (_, id, secret) = await M2mAsync(new JsonObject { ["AllowedOAuthScopes"] = new JsonArray("openid") });
        (await FailsAsync(() => GetClientTokenAsync(id, secret))).ErrorType.ShouldBe("InvalidParameterException");
    }

    [Fact]
    public async Task GetClientToken_MissingSecret_ModelValidationError()
    {
        var (_, id, _) = await M2mAsync();
        var ex = await FailsAsync(() => f.Public.InvokeAsync("GetClientToken", new JsonObject { ["ClientId"] = id }));
        ex.ErrorType.ShouldBe("InvalidParameterException");
        ex.Message.ShouldContain("secret");
    }

    [Fact]
    public async Task CreateUserPoolClient_ClientTokenAuthWithUserFlows_InvalidParameter()
    {
        var pool = await f.CreatePoolAsync();
        var ex = await FailsAsync(() => f.Admin.InvokeAsync("CreateUserPoolClient", new JsonObject
        {
            ["UserPoolId"] = pool, ["ClientName"] = "mixed", ["GenerateSecret"] = true,
            ["ExplicitAuthFlows"] = new JsonArray("ALLOW_CLIENT_TOKEN_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"),
        }));
        ex.ErrorType.ShouldBe("InvalidParameterException");
    }

    [Fact]
    public async Task GetClientToken_SignedBySdk_SignatureIgnored()
    {
        // The AWS SDKs sign every call they do not mark anonymous, this one included; Cognito evaluates no IAM policy for it.
        var (_, id, secret) = await M2mAsync();
        using var foreign = new CognitoIdentityProviderClient(f.Server.Endpoint, "us-east-1", new AwsCredentials("AKIAFOREIGNKEY000000", "not-a-key-cognate-knows-0123456789abcdef"), f.Server.Http);
        var r = await foreign.InvokeAsync("GetClientToken", new JsonObject { ["ClientId"] = id, ["Secret"] = secret });
        r["ClientAuthenticationResult"]!["AccessToken"].ShouldNotBeNull();
    }
}
