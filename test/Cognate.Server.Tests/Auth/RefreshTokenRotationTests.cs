using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Cognate.Client;
using Cognate.Server.Tests.Infrastructure;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Auth;

/// <summary>
/// GetTokensFromRefreshToken and refresh-token rotation over the wire (reference §3.5): the action on rotating and
/// non-rotating clients, the grace period, replay after it, revocation of the whole family, concurrent rotation, the
/// refresh_token grant of /oauth2/token, and REFRESH_TOKEN_AUTH refused on a rotating client.
/// </summary>
public sealed class RefreshTokenRotationTests(ServerFixture f)
{
    const string Password = "Passw0rd!x";

    static JsonObject Rotation(int grace) => new() { ["Feature"] = "ENABLED", ["RetryGracePeriodSeconds"] = grace };

    /// <summary>A pool, a client (rotating with <paramref name="grace"/> seconds, or not when null), a user and its first tokens.</summary>
    async Task<(string Pool, string Client, string? Secret, string Username, JsonObject Tokens)> SignedInAsync(int? grace, bool secret = false)
    {
        var pool = await f.CreatePoolAsync();
        var extra = new JsonObject();
        if (grace is { } g)
        {
            extra["RefreshTokenRotation"] = Rotation(g);
            extra["ExplicitAuthFlows"] = new JsonArray("ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH");
        }
        var (client, clientSecret) = await f.CreateClientAsync(pool, secret, extra);
        var email = ServerFixture.NewEmail();
        await f.CreateConfirmedUserAsync(client, email, Password, email, clientSecret);
        return (pool, client, clientSecret, email, await f.SignInAsync(client, email, Password, clientSecret));
    }

    Task<JsonObject> GetTokensAsync(string client, string refreshToken, string? secret = null)
    {
        var body = new JsonObject { ["ClientId"] = client, ["RefreshToken"] = refreshToken };
        if (secret is not null) body["ClientSecret"] = secret;
        return f.Public.InvokeAsync("GetTokensFromRefreshToken", body);
    }

    async Task<CognitoServiceException> RefusedAsync(string client, string refreshToken, string? secret = null) =>
        await Should.ThrowAsync<CognitoServiceException>(() => GetTokensAsync(client, refreshToken, secret));

    static JsonObject Result(JsonObject response) => response["AuthenticationResult"]!.AsObject();

    [Fact]
    public async Task GetTokens_NonRotatingClient_NewIdAndAccessTokensOnly()
    {
        var (_, client, _, _, first) = await SignedInAsync(grace: null);
        var refresh = (string)first["RefreshToken"]!;
        var result = Result(await GetTokensAsync(client, refresh));
        result.Select(p => p.Key).Order().ShouldBe(["AccessToken", "ExpiresIn", "IdToken", "TokenType"]);
        ((string?)TestJwt.Claims((string)result["AccessToken"]!)["origin_jti"]).ShouldBe((string?)TestJwt.Claims((string)first["AccessToken"]!)["origin_jti"]);
        // Not rotating: the same refresh token keeps working.
        Result(await GetTokensAsync(client, refresh))["AccessToken"].ShouldNotBeNull();
        (await RefusedAsync(client, refresh + "x")).Message.ShouldBe("Invalid Refresh Token");
    }

    [Fact]
    public async Task GetTokens_RotatingClient_NewRefreshTokenOldOneWithinGraceThenReuse()
    {
        var (_, client, _, _, first) = await SignedInAsync(grace: 1);
        var original = (string)first["RefreshToken"]!;
        var rotated = Result(await GetTokensAsync(client, original));
        var fresh = (string)rotated["RefreshToken"]!;
        fresh.ShouldNotBe(original);
        var claims = TestJwt.Claims((string)rotated["AccessToken"]!);
        ((long)claims["auth_time"]!).ShouldBe((long)TestJwt.Claims((string)first["AccessToken"]!)["auth_time"]!);
        ((string?)TestJwt.Claims((string)rotated["IdToken"]!)["token_use"]).ShouldBe("id");

        // Within the grace period the original still refreshes (a client retry)...
        Result(await GetTokensAsync(client, original))["RefreshToken"].ShouldNotBeNull();
        await Task.Delay(TimeSpan.FromSeconds(1.3));
        // ...after it, presenting it is a reuse; the new token works.
        (await RefusedAsync(client, original)).ErrorType.ShouldBe("RefreshTokenReuseException");
        var next = Result(await GetTokensAsync(client, fresh));
        ((string)next["RefreshToken"]!).ShouldNotBe(fresh);
        // The access token of the rotation works with the user-pool API.
        await f.Public.InvokeAsync("GetUser", new JsonObject { ["AccessToken"] = (string)next["AccessToken"]! });
    }

    [Fact]
    public async Task GetTokens_RotatingNoGrace_ReplayRefusedAtOnce()
    {
        var (_, client, _, _, first) = await SignedInAsync(grace: 0);
        var original = (string)first["RefreshToken"]!;
        Result(await GetTokensAsync(client, original))["RefreshToken"].ShouldNotBeNull();
        (await RefusedAsync(client, original)).ErrorType.ShouldBe("RefreshTokenReuseException");
    }

    [Fact]
    public async Task GetTokens_ClientSecret_SentInClear()
    {
        var (_, client, secret, _, first) = await SignedInAsync(grace: 0, secret: true);
        var refresh = (string)first["RefreshToken"]!;
        var missing = await RefusedAsync(client, refresh);
        missing.ErrorType.ShouldBe("NotAuthorizedException");
        missing.Message.ShouldBe($"Unable to verify secret for client {client}");
        (await RefusedAsync(client, refresh, secret + "x")).ErrorType.ShouldBe("NotAuthorizedException");
        Result(await GetTokensAsync(client, refresh, secret))["RefreshToken"].ShouldNotBeNull();
    }

    [Fact]
    public async Task GetTokens_AnotherClientsToken_InvalidRefreshToken()
    {
        var (pool, _, _, _, first) = await SignedInAsync(grace: 0);
        var (other, _) = await f.CreateClientAsync(pool, extra: new JsonObject { ["RefreshTokenRotation"] = Rotation(0) });
        var ex = await RefusedAsync(other, (string)first["RefreshToken"]!);
        ex.ErrorType.ShouldBe("NotAuthorizedException");
        ex.Message.ShouldBe("Invalid Refresh Token");
        (await Should.ThrowAsync<CognitoServiceException>(() => GetTokensAsync("nosuchclient00000000000001", (string)first["RefreshToken"]!))).ErrorType.ShouldBe("ResourceNotFoundException");
    }

    [Fact]
    public async Task RotatingClient_RefreshTokenAuthNotAvailable_AndNotRequiredInExplicitAuthFlows()
    {
        var (pool, client, _, username, first) = await SignedInAsync(grace: 0);
        var described = (await f.Admin.InvokeAsync("DescribeUserPoolClient", new JsonObject { ["UserPoolId"] = pool, ["ClientId"] = client }))["UserPoolClient"]!;
        ((string)described["RefreshTokenRotation"]!["Feature"]!).ShouldBe("ENABLED");
        var refresh = new JsonObject { ["REFRESH_TOKEN"] = (string)first["RefreshToken"]! };
        var ex = await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("InitiateAuth",
            new JsonObject { ["AuthFlow"] = "REFRESH_TOKEN_AUTH", ["ClientId"] = client, ["AuthParameters"] = refresh }));
        ex.ErrorType.ShouldBe("InvalidParameterException");
        ex.Message.ShouldBe("Auth flow not enabled for this client");

        // Even with ALLOW_REFRESH_TOKEN_AUTH listed, a rotating client has no REFRESH_TOKEN_AUTH (admin door too).
        var (listed, _) = await f.CreateClientAsync(pool, extra: new JsonObject { ["RefreshTokenRotation"] = Rotation(0) });
        var tokens = await f.SignInAsync(listed, username, Password);
        var admin = await Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("AdminInitiateAuth", new JsonObject
        {
            ["UserPoolId"] = pool, ["ClientId"] = listed, ["AuthFlow"] = "REFRESH_TOKEN_AUTH",
            ["AuthParameters"] = new JsonObject { ["REFRESH_TOKEN"] = (string)tokens["RefreshToken"]! },
        }));
        admin.ErrorType.ShouldBe("InvalidParameterException");

        // Without rotation, ALLOW_REFRESH_TOKEN_AUTH stays mandatory.
        var refused = await Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("CreateUserPoolClient", new JsonObject
        {
            ["UserPoolId"] = pool, ["ClientName"] = "no-refresh", ["ExplicitAuthFlows"] = new JsonArray("ALLOW_USER_PASSWORD_AUTH"),
        }));
        refused.Message.ShouldBe("REFRESH_TOKEN_AUTH should always be allowed.");
    }

    [Fact]
    public async Task RevokeToken_KillsTheWholeFamily()
    {
        var (_, client, _, _, first) = await SignedInAsync(grace: 60);
        var original = (string)first["RefreshToken"]!;
        var child = Result(await GetTokensAsync(client, original));
        var grandchild = Result(await GetTokensAsync(client, (string)child["RefreshToken"]!));
        await f.Public.InvokeAsync("RevokeToken", new JsonObject { ["ClientId"] = client, ["Token"] = original });
        foreach (var token in new[] { original, (string)child["RefreshToken"]!, (string)grandchild["RefreshToken"]! })
        {
            (await RefusedAsync(client, token)).Message.ShouldBe("Refresh Token has been revoked");
        }
        foreach (var access in new[] { (string)first["AccessToken"]!, (string)grandchild["AccessToken"]! })
        {
            (await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("GetUser", new JsonObject { ["AccessToken"] = access }))).ErrorType.ShouldBe("NotAuthorizedException");
        }
    }

    [Fact]
    public async Task GlobalSignOut_AndAdminUserGlobalSignOut_RevokeRotatedTokens()
    {
        var (pool, client, _, username, first) = await SignedInAsync(grace: 60);
        var rotated = Result(await GetTokensAsync(client, (string)first["RefreshToken"]!));
        await f.Public.InvokeAsync("GlobalSignOut", new JsonObject { ["AccessToken"] = (string)rotated["AccessToken"]! });
        (await RefusedAsync(client, (string)rotated["RefreshToken"]!)).Message.ShouldBe("Refresh Token has been revoked");
        (await RefusedAsync(client, (string)first["RefreshToken"]!)).Message.ShouldBe("Refresh Token has been revoked");

        var again = await f.SignInAsync(client, username, Password);
        var next = Result(await GetTokensAsync(client, (string)again["RefreshToken"]!));
        await f.Admin.InvokeAsync("AdminUserGlobalSignOut", new JsonObject { ["UserPoolId"] = pool, ["Username"] = username });
        (await RefusedAsync(client, (string)next["RefreshToken"]!)).Message.ShouldBe("Refresh Token has been revoked");
    }

    [Fact]
    public async Task ConcurrentRotation_NoGrace_OneWinsTheOthersAreReuse()
    {
        var (_, client, _, _, first) = await SignedInAsync(grace: 0);
        var original = (string)first["RefreshToken"]!;
        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            try { return (Ok: true, Type: (string?)null, Token: (string?)Result(await GetTokensAsync(client, original))["RefreshToken"]!.ToString()); }
            catch (CognitoServiceException ex) { return (Ok: false, Type: (string?)ex.ErrorType, Token: (string?)null); }
        }));
        attempts.Count(a => a.Ok).ShouldBe(1);
        attempts.Where(a => !a.Ok).ShouldAllBe(a => a.Type == "RefreshTokenReuseException");
        Result(await GetTokensAsync(client, attempts.Single(a => a.Ok).Token!))["RefreshToken"].ShouldNotBeNull();
    }

    [Fact]
    public async Task ConcurrentRotation_WithinGrace_AllSucceed()
    {
        var (_, client, _, _, first) = await SignedInAsync(grace: 60);
        var original = (string)first["RefreshToken"]!;
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => GetTokensAsync(client, original)));
        results.Select(r => (string)Result(r)["RefreshToken"]!).Distinct().Count().ShouldBe(6);
    }

    async Task<HttpResponseMessage> TokenEndpointAsync(Dictionary<string, string> form, string client, string secret)
    {
        using var req = new HttpRequestMessage(HttpMethod.Post, new Uri(f.Server.Endpoint, "/oauth2/token")) { Content = new FormUrlEncodedContent(form) };
        req.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(client + ":" + secret)));
        return await f.Server.Http.SendAsync(req);
    }

    static async Task<JsonObject> BodyOf(HttpResponseMessage r, HttpStatusCode status)
    {
        r.StatusCode.ShouldBe(status);
        return JsonNode.Parse(await r.Content.ReadAsStringAsync())!.AsObject();
    }

    [Fact]
    public async Task OAuthRefreshGrant_RotatingClient_NewRefreshTokenReplayInvalidGrantRevokeKillsFamily()
    {
        var (_, client, secret, _, first) = await SignedInAsync(grace: 0, secret: true);
        var original = (string)first["RefreshToken"]!;
        var body = await BodyOf(await TokenEndpointAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = original }, client, secret!), HttpStatusCode.OK);
        body.Select(p => p.Key).Order().ShouldBe(["access_token", "expires_in", "id_token", "refresh_token", "token_type"]);
        var fresh = (string)body["refresh_token"]!;
        fresh.ShouldNotBe(original);
        ((string?)(await BodyOf(await TokenEndpointAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = original }, client, secret!), HttpStatusCode.BadRequest))["error"]).ShouldBe("invalid_grant");
        var next = await BodyOf(await TokenEndpointAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = fresh }, client, secret!), HttpStatusCode.OK);

        using (var req = new HttpRequestMessage(HttpMethod.Post, new Uri(f.Server.Endpoint, "/oauth2/revoke")) { Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = original }) })
        {
            req.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(client + ":" + secret)));
            using var revoked = await f.Server.Http.SendAsync(req);
            revoked.StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        ((string?)(await BodyOf(await TokenEndpointAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = (string)next["refresh_token"]! }, client, secret!), HttpStatusCode.BadRequest))["error"]).ShouldBe("invalid_grant");
    }

    [Fact]
    public async Task OAuthRefreshGrant_NonRotatingClient_NoRefreshToken()
    {
        var (_, client, secret, _, first) = await SignedInAsync(grace: null, secret: true);
        var body = await BodyOf(await TokenEndpointAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = (string)first["RefreshToken"]! }, client, secret!), HttpStatusCode.OK);
        body.ContainsKey("refresh_token").ShouldBeFalse();
    }
}
