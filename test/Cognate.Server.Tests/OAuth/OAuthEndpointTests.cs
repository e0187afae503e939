using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Cognate.Server.Tests.Infrastructure;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.OAuth;

/// <summary>/oauth2/token, /oauth2/revoke and /oauth2/userInfo over the wire (reference §9.4–§9.6): every error path.</summary>
public sealed class OAuthEndpointTests(ServerFixture f)
{
    const string Scope = "https://api.example.com/read", Scope2 = "https://api.example.com/write";

    Task<JsonObject> Invoke(string action, JsonObject body) => f.Admin.InvokeAsync(action, body);

    async Task<(string Pool, string ClientId, string Secret)> M2mAsync(JsonObject? extra = null)
    {
        var pool = await f.CreateApiPoolAsync();
        var req = extra ?? [];
        req["UserPoolId"] = pool;
        req["ClientName"] ??= "m2m";
        req["GenerateSecret"] ??= true;
        req["AllowedOAuthFlowsUserPoolClient"] ??= true;
        req["AllowedOAuthFlows"] ??= new JsonArray("client_credentials");
        req["AllowedOAuthScopes"] ??= new JsonArray(Scope, Scope2);
        var c = (await Invoke("CreateUserPoolClient", req))["UserPoolClient"]!;
        return (pool, (string)c["ClientId"]!, (string?)c["ClientSecret"] ?? "");
    }

    async Task<HttpResponseMessage> PostAsync(string path, Dictionary<string, string> form, string? basicId = null, string? basicSecret = null)
    {
        using var req = new HttpRequestMessage(HttpMethod.Post, new Uri(f.Server.Endpoint, path)) { Content = new FormUrlEncodedContent(form) };
        if (basicId is not null)
        {
            var raw = Uri.EscapeDataString(basicId) + ":" + Uri.EscapeDataString(basicSecret ?? "");
            req.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(raw)));
        }
        return await f.Server.Http.SendAsync(req);
    }

    static async Task<string> ErrorOf(HttpResponseMessage r, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        r.StatusCode.ShouldBe(status);
        r.Headers.CacheControl!.NoStore.ShouldBeTrue();
        var body = JsonNode.Parse(await r.Content.ReadAsStringAsync())!.AsObject();
        body.Count.ShouldBe(1); // {"error":"..."} only, as Cognito
        return (string)body["error"]!;
    }

    [Fact]
    public async Task ClientCredentials_Basic_AccessTokenWithCustomScopes()
    {
        var (pool, id, secret) = await M2mAsync();
        using var r = await PostAsync("/oauth2/token", new() { ["grant_type"] = "client_credentials", ["scope"] = Scope }, id, secret);
        r.StatusCode.ShouldBe(HttpStatusCode.OK);
        r.Headers.CacheControl!.NoStore.ShouldBeTrue();
        r.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        var body = JsonNode.Parse(await r.Content.ReadAsStringAsync())!.AsObject();
        body.Select(p => p.Key).Order().ShouldBe(["access_token", "expires_in", "token_type"]);
        ((string?)body["token_type"], (int?)body["expires_in"]).ShouldBe(("Bearer", 3600));
        var claims = TestJwt.Claims((string)body["access_token"]!);
        ((string?)claims["sub"], (string?)claims["client_id"], (string?)claims["token_use"], (string?)claims["scope"]).ShouldBe((id, id, "access", Scope));
        ((int?)claims["version"]).ShouldBe(2);
        ((string?)claims["iss"]!).ShouldEndWith("/" + pool);
        claims["username"].ShouldBeNull();
        claims["origin_jti"].ShouldBeNull();
        ((long)claims["exp"]! - (long)claims["iat"]!).ShouldBe(3600);
        ((long?)claims["auth_time"]).ShouldBe((long?)claims["iat"]);
        ((string?)claims["jti"]).ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task ClientCredentials_PostNoScope_AllClientScopesAndClientValidity()
    {
        var (_, id, secret) = await M2mAsync(new JsonObject
        {
            ["AccessTokenValidity"] = 10, ["TokenValidityUnits"] = new JsonObject { ["AccessToken"] = "minutes" },
        });
        using var r = await PostAsync("/oauth2/token", new() { ["grant_type"] = "client_credentials", ["client_id"] = id, ["client_secret"] = secret });
        r.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = JsonNode.Parse(await r.Content.ReadAsStringAsync())!;
        ((int?)body["expires_in"]).ShouldBe(600);
        ((string?)TestJwt.Claims((string)body["access_token"]!)["scope"]).ShouldBe(Scope + " " + Scope2);
    }

    [Fact]
    public async Task ClientCredentials_AccessTokenRefusedByUserApis()
    {
        var (_, id, secret) = await M2mAsync();
        using var r = await PostAsync("/oauth2/token", new() { ["grant_type"] = "client_credentials" }, id, secret);
        var token = (string)JsonNode.Parse(await r.Content.ReadAsStringAsync())!["access_token"]!;
        var ex = await Should.ThrowAsync<Cognate.Client.CognitoServiceException>(() => f.Public.InvokeAsync("GetUser", new JsonObject { ["AccessToken"] = token }));
        ex.ErrorType.ShouldBe("NotAuthorizedException");
    }

    [Fact]
    public async Task Token_ErrorPaths()
    {
        var (pool, id, secret) = await M2mAsync();
        var cc = new Dictionary<string, string> { ["grant_type"] = "client_credentials" };

        (await ErrorOf(await PostAsync("/oauth2/token", cc, id, secret + "x"))).ShouldBe("invalid_client"); // wrong secret
        (await ErrorOf(await PostAsync("/oauth2/token", cc, id, ""))).ShouldBe("invalid_client"); // no secret
        (await ErrorOf(await PostAsync("/oauth2/token", cc, "nosuchclient00000000000000", secret))).ShouldBe("invalid_client"); // unknown client
        (await ErrorOf(await PostAsync("/oauth2/token", new() { ["grant_type"] = "client_credentials", ["client_id"] = id, ["client_secret"] = "wrong" }))).ShouldBe("invalid_client");
        // A client id no client can have (a NUL: an error in PostgreSQL's text type) is a 400, never a 500.
        (await ErrorOf(await PostAsync("/oauth2/token", new() { ["grant_type"] = "client_credentials", ["client_id"] = "a\u0000b", ["client_secret"] = "x" }))).ShouldBeOneOf("invalid_request", "invalid_client");
        (await ErrorOf(await PostAsync("/oauth2/token", new() { ["grant_type"] = "client_credentials" }, "a\u0000b", "x"))).ShouldBeOneOf("invalid_request", "invalid_client");
        (await ErrorOf(await PostAsync("/oauth2/token", new() { ["grant_type"] = "client_credentials", ["client_id"] = "other00000000000000000000a" }, id, secret))).ShouldBe("invalid_client");
        (await ErrorOf(await PostAsync("/oauth2/token", new() { ["grant_type"] = "client_credentials", ["scope"] = "https://api.example.com/admin" }, id, secret))).ShouldBe("invalid_scope");
        (await ErrorOf(await PostAsync("/oauth2/token", new() { ["grant_type"] = "client_credentials", ["scope"] = "openid" }, id, secret))).ShouldBe("invalid_scope");
        (await ErrorOf(await PostAsync("/oauth2/token", new() { ["grant_type"] = "password" }, id, secret))).ShouldBe("unsupported_grant_type");
        (await ErrorOf(await PostAsync("/oauth2/token", new(), id, secret))).ShouldBe("invalid_request"); // no grant_type
        (await ErrorOf(await PostAsync("/oauth2/token", new() { ["grant_type"] = "authorization_code", ["code"] = "x", ["redirect_uri"] = "https://a.example/cb" }, id, secret))).ShouldBe("unauthorized_client"); // no code flow
        (await ErrorOf(await PostAsync("/oauth2/token", new() { ["grant_type"] = "refresh_token" }, id, secret))).ShouldBe("invalid_request");

        // Wrong content type.
        using (var json = new HttpRequestMessage(HttpMethod.Post, new Uri(f.Server.Endpoint, "/oauth2/token")) { Content = new StringContent("{\"grant_type\":\"client_credentials\"}", Encoding.UTF8, "application/json") })
        {
            (await ErrorOf(await f.Server.Http.SendAsync(json))).ShouldBe("invalid_request");
        }
        // A parameter sent twice (RFC 6749 §3.2).
        using (var twice = new HttpRequestMessage(HttpMethod.Post, new Uri(f.Server.Endpoint, "/oauth2/token"))
        {
            Content = new StringContent("grant_type=client_credentials&scope=a&scope=b&client_id=" + id + "&client_secret=" + Uri.EscapeDataString(secret), Encoding.UTF8, "application/x-www-form-urlencoded"),
        })
        {
            (await ErrorOf(await f.Server.Http.SendAsync(twice))).ShouldBe("invalid_request");
        }

        // Grant not allowed: a confidential client without client_credentials; a public client.
        var (codeClient, codeSecret) = await f.CreateClientAsync(pool, secret: true);
        (await ErrorOf(await PostAsync("/oauth2/token", cc, codeClient, codeSecret))).ShouldBe("unauthorized_client");
        var (publicClient, _) = await f.CreateClientAsync(pool);
        (await ErrorOf(await PostAsync("/oauth2/token", new() { ["grant_type"] = "client_credentials", ["client_id"] = publicClient }))).ShouldBe("unauthorized_client");
        (await ErrorOf(await PostAsync("/oauth2/token", cc, publicClient, "made-up-secret"))).ShouldBe("invalid_client");
    }

    [Fact]
    public async Task Token_ErrorsNeverEchoTheSecret()
    {
        var (_, id, secret) = await M2mAsync();
        using var r = await PostAsync("/oauth2/token", new() { ["grant_type"] = "client_credentials", ["scope"] = "bad/scope" }, id, secret + "leak");
        var text = await r.Content.ReadAsStringAsync();
        text.ShouldNotContain("leak");
        text.ShouldNotContain(secret);
    }

    [Fact]
    public async Task RefreshGrant_ConfidentialClient_NewTokensUntilRevoked()
    {
        var pool = await f.CreatePoolAsync();
        var (client, secret) = await f.CreateClientAsync(pool, secret: true);
        var email = ServerFixture.NewEmail();
        await f.CreateConfirmedUserAsync(client, email, "Passw0rd!x", email, secret);
        var signedIn = await f.SignInAsync(client, email, "Passw0rd!x", secret);
        var refresh = (string)signedIn["RefreshToken"]!;

        using (var r = await PostAsync("/oauth2/token", new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refresh }, client, secret))
        {
            r.StatusCode.ShouldBe(HttpStatusCode.OK);
            var body = JsonNode.Parse(await r.Content.ReadAsStringAsync())!.AsObject();
            body.Select(p => p.Key).Order().ShouldBe(["access_token", "expires_in", "id_token", "token_type"]);
            ((string?)TestJwt.Claims((string)body["id_token"]!)["email"]).ShouldBe(email);
            ((string?)TestJwt.Claims((string)body["access_token"]!)["origin_jti"]).ShouldBe((string?)TestJwt.Claims((string)signedIn["AccessToken"]!)["origin_jti"]);
        }
        (await ErrorOf(await PostAsync("/oauth2/token", new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refresh }, client, "wrong"))).ShouldBe("invalid_client");
        (await ErrorOf(await PostAsync("/oauth2/token", new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refresh + "x" }, client, secret))).ShouldBe("invalid_grant");
        var (other, otherSecret) = await f.CreateClientAsync(pool, secret: true);
        (await ErrorOf(await PostAsync("/oauth2/token", new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refresh }, other, otherSecret))).ShouldBe("invalid_grant");

        // Revocation: an access token is the wrong type; the refresh token revokes; a second revoke still answers 200.
        (await ErrorOf(await PostAsync("/oauth2/revoke", new() { ["token"] = (string)signedIn["AccessToken"]! }, client, secret))).ShouldBe("unsupported_token_type");
        (await ErrorOf(await PostAsync("/oauth2/revoke", new() { ["token"] = refresh }, client, "wrong"), HttpStatusCode.Unauthorized)).ShouldBe("invalid_client");
        (await ErrorOf(await PostAsync("/oauth2/revoke", new() { ["token"] = refresh }, other, otherSecret))).ShouldBe("unauthorized_client");
        (await ErrorOf(await PostAsync("/oauth2/revoke", new(), client, secret))).ShouldBe("invalid_request");
        for (int i = 0; i < 2; i++)
        {
            using var ok = await PostAsync("/oauth2/revoke", new() { ["token"] = refresh }, client, secret);
            ok.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await ok.Content.ReadAsStringAsync()).ShouldBeEmpty();
        }
        (await ErrorOf(await PostAsync("/oauth2/token", new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refresh }, client, secret))).ShouldBe("invalid_grant");
        var ex = await Should.ThrowAsync<Cognate.Client.CognitoServiceException>(() => f.Public.InvokeAsync("GetUser", new JsonObject { ["AccessToken"] = (string)signedIn["AccessToken"]! }));
        ex.ErrorType.ShouldBe("NotAuthorizedException");
    }

    [Fact]
    public async Task RefreshGrant_PublicClient_ClientIdOnly()
    {
        var pool = await f.CreatePoolAsync();
        var (client, _) = await f.CreateClientAsync(pool);
        var email = ServerFixture.NewEmail();
        await f.CreateConfirmedUserAsync(client, email, "Passw0rd!x", email);
        var refresh = (string)(await f.SignInAsync(client, email, "Passw0rd!x"))["RefreshToken"]!;
        using var r = await PostAsync("/oauth2/token", new() { ["grant_type"] = "refresh_token", ["client_id"] = client, ["refresh_token"] = refresh });
        r.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var revoked = await PostAsync("/oauth2/revoke", new() { ["client_id"] = client, ["token"] = refresh });
        revoked.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ErrorOf(await PostAsync("/oauth2/token", new() { ["grant_type"] = "refresh_token", ["client_id"] = client, ["refresh_token"] = refresh }))).ShouldBe("invalid_grant");
    }

    [Fact]
    public async Task UserInfo_ApiAndM2mTokens_RefusedWithCognitoChallenge()
    {
        var (_, id, secret) = await M2mAsync();
        using var cc = await PostAsync("/oauth2/token", new() { ["grant_type"] = "client_credentials" }, id, secret);
        var token = (string)JsonNode.Parse(await cc.Content.ReadAsStringAsync())!["access_token"]!;
        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Post })
        {
            using var req = new HttpRequestMessage(method, new Uri(f.Server.Endpoint, "/oauth2/userInfo"));
            req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var r = await f.Server.Http.SendAsync(req);
            r.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            r.Headers.WwwAuthenticate.ToString().ShouldContain("error=\"invalid_token\"");
        }
        using var none = await f.Server.Http.GetAsync(new Uri(f.Server.Endpoint, "/oauth2/userInfo"));
        none.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        none.Headers.WwwAuthenticate.ToString().ShouldContain("Bad OAuth2 request at UserInfo Endpoint");
    }
}
