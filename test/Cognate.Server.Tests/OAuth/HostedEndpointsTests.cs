using System.Net;
using System.Text.Json.Nodes;
using Cognate.Server.ManagedLogin;
using Cognate.Server.OAuth;
using Cognate.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.OAuth;

/// <summary>
/// Discovery's domain members (reference §6.8), <c>GET /logout</c> (§9.3), Host-header domains (§9.1) and CORS on the
/// endpoints browser apps fetch, over the wire.
/// </summary>
public sealed class HostedEndpointsTests(ServerFixture f) : IDisposable
{
    const string Cb = "https://app.example.com/callback";
    const string SignedOut = "https://app.example.com/signed-out";
    const string Cert = "arn:aws:acm:us-east-1:123456789012:certificate/0b4c1a2e-8f1d-4c6e-9d2a-1a2b3c4d5e6f";

    readonly HttpClient http = new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose() => http.Dispose();

    static string Unique(string stem) => stem + Guid.NewGuid().ToString("N")[..10];

    async Task<(string Pool, string ClientId)> AppAsync()
    {
        var pool = await f.CreatePoolAsync();
        var (client, _) = await f.CreateClientAsync(pool, extra: new JsonObject
        {
            ["AllowedOAuthFlowsUserPoolClient"] = true, ["AllowedOAuthFlows"] = new JsonArray("code"), ["AllowedOAuthScopes"] = new JsonArray("openid", "email"),
            ["CallbackURLs"] = new JsonArray(Cb), ["LogoutURLs"] = new JsonArray(SignedOut), ["SupportedIdentityProviders"] = new JsonArray("COGNITO"),
        });
        return (pool, client);
    }

    async Task<HttpResponseMessage> GetAsync(string pathAndQuery, string? host = null, string? origin = null)
    {
        using var req = new HttpRequestMessage(HttpMethod.Get, new Uri(f.Server.Endpoint, pathAndQuery));
        if (host is not null) req.Headers.Host = host;
        if (origin is not null) req.Headers.Add("Origin", origin);
        return await http.SendAsync(req);
    }

    static async Task ShouldBeErrorPage(HttpResponseMessage r)
    {
        r.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        r.Headers.Location.ShouldBeNull();
        (await r.Content.ReadAsStringAsync()).ShouldContain("role=\"alert\"");
    }

    [Fact]
    public async Task Discovery_DomainMembersOnlyWithADomain_UnderTheServersOwnUrl()
    {
        var (pool, _) = await AppAsync();
        var bare = JsonNode.Parse(await (await GetAsync($"/{pool}/.well-known/openid-configuration")).Content.ReadAsStringAsync())!.AsObject();
        bare.Select(p => p.Key).ShouldNotContain("authorization_endpoint");
        bare.Select(p => p.Key).ShouldNotContain("token_endpoint");

        await f.Admin.InvokeAsync("CreateUserPoolDomain", new JsonObject { ["UserPoolId"] = pool, ["Domain"] = Unique("login") });
        var doc = JsonNode.Parse(await (await GetAsync($"/{pool}/.well-known/openid-configuration")).Content.ReadAsStringAsync())!.AsObject();
        var baseUrl = f.Server.Endpoint.ToString().TrimEnd('/');
        ((string?)doc["issuer"]).ShouldBe(baseUrl + "/" + pool);
        ((string?)doc["authorization_endpoint"]).ShouldBe(baseUrl + "/oauth2/authorize");
        ((string?)doc["token_endpoint"]).ShouldBe(baseUrl + "/oauth2/token");
        ((string?)doc["userinfo_endpoint"]).ShouldBe(baseUrl + "/oauth2/userInfo");
        ((string?)doc["revocation_endpoint"]).ShouldBe(baseUrl + "/oauth2/revoke");
        ((string?)doc["end_session_endpoint"]).ShouldBe(baseUrl + "/logout");
    }

    [Fact]
    public async Task Logout_LogoutUriExactMatch_ClearsCookieAndRedirects()
    {
        var (pool, client) = await AppAsync();
        using var r = await GetAsync($"/logout?client_id={client}&logout_uri={Uri.EscapeDataString(SignedOut)}");
        r.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        r.Headers.Location!.OriginalString.ShouldBe(SignedOut);
        var cleared = r.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(ManagedLoginSessions.CookieName(pool) + "=", StringComparison.Ordinal)).ToLowerInvariant();
        cleared.ShouldContain("expires=thu, 01 jan 1970");
        cleared.ShouldContain("path=/");

        foreach (var bad in new[] { SignedOut + "/", "https://evil.example/signed-out", Cb })
        {
            await ShouldBeErrorPage(await GetAsync($"/logout?client_id={client}&logout_uri={Uri.EscapeDataString(bad)}"));
        }
        await ShouldBeErrorPage(await GetAsync($"/logout?client_id=nosuchclient0000000000000a&logout_uri={Uri.EscapeDataString(SignedOut)}"));
        await ShouldBeErrorPage(await GetAsync($"/logout?logout_uri={Uri.EscapeDataString(SignedOut)}"));
        await ShouldBeErrorPage(await GetAsync($"/logout?client_id={client}"));
    }

    [Fact]
    public async Task Logout_RedirectUriAndResponseType_ClearsAndGoesToLogin()
    {
        var (pool, client) = await AppAsync();
        var query = QueryHelpers.AddQueryString("", new Dictionary<string, string?> { ["client_id"] = client, ["redirect_uri"] = Cb, ["response_type"] = "code", ["state"] = "s1" });
        using var r = await GetAsync("/logout" + query);
        r.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        r.Headers.Location!.OriginalString.ShouldBe("/login" + query);
        r.Headers.GetValues("Set-Cookie").ShouldContain(c => c.StartsWith(ManagedLoginSessions.CookieName(pool) + "=;", StringComparison.Ordinal));

        await ShouldBeErrorPage(await GetAsync($"/logout?client_id={client}&redirect_uri={Uri.EscapeDataString("https://evil.example/cb")}&response_type=code"));
    }

    [Fact]
    public async Task HostDomains_PrefixAndCustom_ServeOnlyTheirPoolsClients()
    {
        var (pool, client) = await AppAsync();
        var (_, otherClient) = await AppAsync();
        var prefix = Unique("login");
        var custom = Unique("auth") + ".example.com";
        await f.Admin.InvokeAsync("CreateUserPoolDomain", new JsonObject { ["UserPoolId"] = pool, ["Domain"] = prefix });
        await f.Admin.InvokeAsync("CreateUserPoolDomain", new JsonObject { ["UserPoolId"] = pool, ["Domain"] = custom, ["CustomDomainConfig"] = new JsonObject { ["CertificateArn"] = Cert } });

        foreach (var host in new[] { $"{prefix}.auth.us-east-1.localhost", custom, "127.0.0.1", "unknown.auth.us-east-1.localhost" })
        {
            using var ok = await GetAsync($"/oauth2/authorize?client_id={client}&response_type=code&redirect_uri={Uri.EscapeDataString(Cb)}", host);
            ok.StatusCode.ShouldBe(HttpStatusCode.Redirect, host);
            ok.Headers.Location!.OriginalString.ShouldStartWith("/login?");
        }
        foreach (var host in new[] { $"{prefix}.auth.us-east-1.localhost", custom })
        {
            await ShouldBeErrorPage(await GetAsync($"/oauth2/authorize?client_id={otherClient}&response_type=code&redirect_uri={Uri.EscapeDataString(Cb)}", host));
            await ShouldBeErrorPage(await GetAsync($"/logout?client_id={otherClient}&logout_uri={Uri.EscapeDataString(SignedOut)}", host));
            await ShouldBeErrorPage(await GetAsync($"/login?client_id={otherClient}&response_type=code&redirect_uri={Uri.EscapeDataString(Cb)}", host)); // the pages validate too
            using var login = await GetAsync($"/login?client_id={client}&response_type=code&redirect_uri={Uri.EscapeDataString(Cb)}", host);
            login.StatusCode.ShouldBe(HttpStatusCode.OK, host);
        }
        using var otherOnOwnUrl = await GetAsync($"/oauth2/authorize?client_id={otherClient}&response_type=code&redirect_uri={Uri.EscapeDataString(Cb)}");
        otherOnOwnUrl.StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task Cors_TokenRevokeUserInfoDiscoveryJwks_ReadableFromAnyOriginWithoutCredentials()
    {
        var (pool, _) = await AppAsync();
        const string origin = "http://localhost:5173";
        foreach (var (path, method) in new[] { ("/oauth2/token", "POST"), ("/oauth2/revoke", "POST"), ("/oauth2/userInfo", "GET"), ("/oauth2/userInfo", "POST") })
        {
            using var preflight = new HttpRequestMessage(HttpMethod.Options, new Uri(f.Server.Endpoint, path));
            preflight.Headers.Add("Origin", origin);
            preflight.Headers.Add("Access-Control-Request-Method", method);
            preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
            using var r = await http.SendAsync(preflight);
            r.StatusCode.ShouldBe(HttpStatusCode.NoContent, path);
            r.Headers.GetValues("Access-Control-Allow-Origin").Single().ShouldBe(origin);
            string.Join(",", r.Headers.GetValues("Access-Control-Allow-Headers")).ToLowerInvariant().ShouldContain("authorization");
            r.Headers.Contains("Access-Control-Allow-Credentials").ShouldBeFalse();
        }
        using (var token = new HttpRequestMessage(HttpMethod.Post, new Uri(f.Server.Endpoint, "/oauth2/token")) { Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "authorization_code" }) })
        {
            token.Headers.Add("Origin", origin);
            using var r = await http.SendAsync(token);
            r.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            r.Headers.GetValues("Access-Control-Allow-Origin").Single().ShouldBe(origin);
            r.Headers.Vary.ShouldContain("Origin");
            r.Headers.Contains("Access-Control-Allow-Credentials").ShouldBeFalse();
        }
        foreach (var path in new[] { $"/{pool}/.well-known/openid-configuration", $"/{pool}/.well-known/jwks.json" })
        {
            using var r = await GetAsync(path, origin: origin);
            r.Headers.GetValues("Access-Control-Allow-Origin").Single().ShouldBe("*");
        }
        using (var info = await GetAsync("/oauth2/userInfo", origin: origin))
        {
            info.Headers.GetValues("Access-Control-Allow-Origin").Single().ShouldBe(origin);
        }
        using var authorize = await GetAsync($"/oauth2/authorize?client_id=x", origin: origin);
        authorize.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
    }
}
