using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Cognate.Client;
using Cognate.Client.SigV4;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Infrastructure;

/// <summary>
/// Outside Development the issuer never comes from the Host header; in Development the outbox and the operator
/// endpoints are closed to other web origins (CORS and DNS rebinding); <c>GET /</c> is a small HTML page.
/// </summary>
public sealed class EnvironmentSafetyTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    const string Issuer = "https://idp.cognate.test";
    const string AdminId = "AKIAPRODUCTIONKEY000";
    const string AdminSecret = "a-production-secret-of-at-least-32-chars";

    static Task<CognateServer> StartProductionAsync() => CognateServer.StartAsync(new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["Cognate__MasterKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        ["Cognate__Admin__AccessKeyId"] = AdminId,
        ["Cognate__Admin__SecretAccessKey"] = AdminSecret,
        ["Cognate__IssuerBaseUrl"] = Issuer,
    });

    [Fact]
    public async Task InitiateAuth_ForgedHostOutsideDevelopment_IssuerStaysConfigured()
    {
        await using var server = await StartProductionAsync();
        using var admin = new CognitoIdentityProviderClient(server.Endpoint, "us-east-1", new AwsCredentials(AdminId, AdminSecret), server.Http);
        var pool = (string)(await admin.InvokeAsync("CreateUserPool", new JsonObject { ["PoolName"] = "host" }))["UserPool"]!["Id"]!;
        var client = (string)(await admin.InvokeAsync("CreateUserPoolClient", new JsonObject
        {
            ["UserPoolId"] = pool, ["ClientName"] = "c", ["ExplicitAuthFlows"] = new JsonArray("ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"),
        }))["UserPoolClient"]!["ClientId"]!;
        await admin.InvokeAsync("AdminCreateUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "hal", ["MessageAction"] = "SUPPRESS" });
        await admin.InvokeAsync("AdminSetUserPassword", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "hal", ["Password"] = "Passw0rd!", ["Permanent"] = true });

        using var request = new HttpRequestMessage(HttpMethod.Post, server.Endpoint)
        {
            Content = new StringContent(new JsonObject
            {
                ["AuthFlow"] = "USER_PASSWORD_AUTH", ["ClientId"] = client, ["AuthParameters"] = new JsonObject { ["USERNAME"] = "hal", ["PASSWORD"] = "Passw0rd!" },
            }.ToJsonString(), Encoding.UTF8, "application/x-amz-json-1.1"),
        };
        request.Headers.Host = "evil.example";
        request.Headers.Add("X-Amz-Target", "AWSCognitoIdentityProviderService.InitiateAuth");
        request.Headers.Add("X-Forwarded-Host", "evil.example");
        using var response = await server.Http.SendAsync(request, Ct);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToJsonString());

        foreach (var token in new[] { "IdToken", "AccessToken" })
        {
            ((string?)TestJwt.Claims((string)body["AuthenticationResult"]![token]!)["iss"]).ShouldBe($"{Issuer}/{pool}");
        }

        using var discoveryRequest = new HttpRequestMessage(HttpMethod.Get, new Uri(server.Endpoint, $"{pool}/.well-known/openid-configuration"));
        discoveryRequest.Headers.Host = "evil.example";
        using var discovery = await server.Http.SendAsync(discoveryRequest, Ct);
        var config = JsonNode.Parse(await discovery.Content.ReadAsStringAsync(Ct))!;
        ((string?)config["issuer"]).ShouldBe($"{Issuer}/{pool}");
        ((string?)config["jwks_uri"]).ShouldBe($"{Issuer}/{pool}/.well-known/jwks.json");
    }

    [Fact]
    public async Task HomePage_Production_DescribesServerWithoutListingPools()
    {
        await using var server = await StartProductionAsync();
        using var admin = new CognitoIdentityProviderClient(server.Endpoint, "us-east-1", new AwsCredentials(AdminId, AdminSecret), server.Http);
        var pool = (string)(await admin.InvokeAsync("CreateUserPool", new JsonObject { ["PoolName"] = "hidden" }))["UserPool"]!["Id"]!;

        using var home = await server.Http.GetAsync(server.Endpoint, Ct);
        var html = await home.Content.ReadAsStringAsync(Ct);

        home.StatusCode.ShouldBe(HttpStatusCode.OK);
        home.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        string.Join(";", home.Headers.GetValues("Content-Security-Policy")).ShouldContain("default-src 'none'");
        string.Join(";", home.Headers.GetValues("Content-Security-Policy")).ShouldContain("base-uri 'none'");
        html.ShouldContain("Amazon Cognito User Pools API");
        html.ShouldNotContain(pool);
        html.ShouldNotContain("hidden");
        html.ShouldNotContain("_outbox");
    }

    [Fact]
    public async Task HomePage_Development_ListsPoolsWithDiscoveryUrls()
    {
        await using var server = await CognateServer.StartAsync();
        using var admin = server.Client();
        var pool = (string)(await admin.InvokeAsync("CreateUserPool", new JsonObject { ["PoolName"] = "shown-in-development" }))["UserPool"]!["Id"]!;

        var html = await server.Http.GetStringAsync(server.Endpoint, Ct);

        html.ShouldContain($"/{pool}/.well-known/openid-configuration");
        html.ShouldContain("us-east-1_CognateDv");
        html.ShouldContain("shown-in-development");
    }

    [Theory]
    [InlineData("_outbox", "GET")]
    [InlineData("_admin/user-pools/us-east-1_CognateDv/signing-keys/rotate", "POST")]
    public async Task DevelopmentOnlyEndpoint_CrossOriginPreflight_GetsNoCorsGrant(string path, string method)
    {
        await using var server = await CognateServer.StartAsync();
        using var preflight = new HttpRequestMessage(HttpMethod.Options, new Uri(server.Endpoint, path));
        preflight.Headers.Add("Origin", "https://evil.example");
        preflight.Headers.Add("Access-Control-Request-Method", method);
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,x-amz-date");

        using var response = await server.Http.SendAsync(preflight, Ct);

        response.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
        response.Headers.Contains("Access-Control-Allow-Methods").ShouldBeFalse();
    }

    [Theory]
    [InlineData("Origin", "https://evil.example")]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Sec-Fetch-Site", "same-site")]
    [InlineData("Host", "rebind.evil.example")]
    public async Task Outbox_RequestFromAnotherWebOrigin_Returns403WithoutCodes(string header, string value)
    {
        await using var server = await CognateServer.StartAsync();
        using var admin = server.Client();
        await admin.InvokeAsync("AdminCreateUser", new JsonObject
        {
            ["UserPoolId"] = "us-east-1_CognateDv", ["Username"] = "victim@example.com", ["DesiredDeliveryMediums"] = new JsonArray("EMAIL"),
        });
        (await server.LatestMessageAsync("victim@example.com"))["body"].ShouldNotBeNull(); // the outbox works for the developer

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.Endpoint, "_outbox?to=victim@example.com"));
        if (header == "Host") request.Headers.Host = value;
        else request.Headers.Add(header, value);
        using var response = await server.Http.SendAsync(request, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        response.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
        body.ShouldNotContain("victim");
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("cognate")]
    public async Task Outbox_LocalHostNames_Answers(string host)
    {
        await using var server = await CognateServer.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.Endpoint, "_outbox"));
        request.Headers.Host = $"{host}:{server.Port}";
        request.Headers.Add("Origin", $"http://{host}:{server.Port}");

        using var response = await server.Http.SendAsync(request, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Jwks_CrossOrigin_StillAllowedForBrowserApps()
    {
        await using var server = await CognateServer.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.Endpoint, "us-east-1_CognateDv/.well-known/jwks.json"));
        request.Headers.Add("Origin", "http://localhost:3000");

        using var response = await server.Http.SendAsync(request, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.GetValues("Access-Control-Allow-Origin").ShouldContain("*");
    }
}
