using System.Net;
using System.Text.Json.Nodes;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.ManagedLogin;

/// <summary>The pages go through the same request quotas as the JSON actions (a server of its own with tiny quotas).</summary>
public sealed class ManagedLoginQuotaTests
{
    [Fact]
    public async Task LoginPost_OverUserAuthenticationQuota_ShowsRateExceeded()
    {
        await using var server = await CognateServer.StartAsync(new Dictionary<string, string>
        {
            ["Cognate__RateLimits__Categories__UserAuthentication__RequestsPerSecond"] = "0.2",
            ["Cognate__RateLimits__Categories__UserAuthentication__Burst"] = "2",
        });
        using var admin = server.Client();
        var pool = (string)(await admin.InvokeAsync("CreateUserPool", new JsonObject { ["PoolName"] = "quota" }))["UserPool"]!["Id"]!;
        var client = (string)(await admin.InvokeAsync("CreateUserPoolClient", new JsonObject
        {
            ["UserPoolId"] = pool, ["ClientName"] = "web", ["AllowedOAuthFlows"] = new JsonArray("code"), ["AllowedOAuthScopes"] = new JsonArray("openid"),
            ["CallbackURLs"] = new JsonArray("https://app.example.com/callback"), ["AllowedOAuthFlowsUserPoolClient"] = true,
            ["SupportedIdentityProviders"] = new JsonArray("COGNITO"),
        }))["UserPoolClient"]!["ClientId"]!;
        var query = $"?client_id={client}&response_type=code&redirect_uri={Uri.EscapeDataString("https://app.example.com/callback")}";
        using var b = new LoginBrowser(server.Endpoint);
        var first = await b.GetAsync("/login" + query);
        first.Status.ShouldBe(HttpStatusCode.OK);
        var alerts = new List<string?>();
        for (int i = 0; i < 4; i++)
        {
            alerts.Add((await b.SubmitAsync("Sign in", new Dictionary<string, string> { ["Username"] = "nobody", ["Password"] = "Wrong-pass1!" })).Alert);
        }
        alerts.ShouldContain("Rate exceeded");
    }
}
