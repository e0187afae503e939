using System.Text.Json.Nodes;
using Cognate.Client;
using Cognate.Server.Tests.Infrastructure;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Sessions;

/// <summary>
/// The session actions over the wire: configuration (defaults, validation, tracking required), sessions listed from real
/// sign-ins, revocation refusing the session's refresh and access tokens, MaxPerUser eviction, and the attack cases (another
/// user's session id, the caller's own session).
/// </summary>
public sealed class UserSessionTests(ServerFixture f)
{
    const string Password = "Passw0rd!x";

    Task<JsonObject> EnableAsync(string pool, int maxPerUser = 20) =>
        f.Admin.InvokeAsync("SetUserPoolSessionConfiguration", new JsonObject
        {
            ["UserPoolId"] = pool, ["UserSessionTracking"] = "ENABLED", ["TokenSession"] = new JsonObject { ["MaxPerUser"] = maxPerUser },
        });

    async Task<(string Pool, string Client, string User)> PoolWithUserAsync(bool enable = true, int maxPerUser = 20)
    {
        var pool = await f.CreatePoolAsync();
        var (client, _) = await f.CreateClientAsync(pool);
        var email = ServerFixture.NewEmail();
        await f.CreateConfirmedUserAsync(client, email, Password, email);
        if (enable) await EnableAsync(pool, maxPerUser);
        return (pool, client, email);
    }

    async Task<JsonArray> ListAsync(string accessToken) =>
        (await f.Public.InvokeAsync("ListUserSessions", new JsonObject { ["AccessToken"] = accessToken }))["Sessions"]!.AsArray();

    async Task<JsonArray> AdminListAsync(string pool, string user) =>
        (await f.Admin.InvokeAsync("AdminListUserSessions", new JsonObject { ["UserPoolId"] = pool, ["Username"] = user }))["Sessions"]!.AsArray();

    Task<JsonObject> RefreshAsync(string client, string refreshToken) =>
        f.Public.InvokeAsync("InitiateAuth", new JsonObject
        {
            ["AuthFlow"] = "REFRESH_TOKEN_AUTH", ["ClientId"] = client, ["AuthParameters"] = new JsonObject { ["REFRESH_TOKEN"] = refreshToken },
        });

    [Fact]
    public async Task PoolConfiguration_DefaultsSetAndValidated()
    {
        var pool = await f.CreatePoolAsync();
        var got = await f.Admin.InvokeAsync("GetUserPoolSessionConfiguration", new JsonObject { ["UserPoolId"] = pool });
        ((string?)got["UserSessionTracking"]).ShouldBe("DISABLED");
        ((int)got["TokenSession"]!["MaxPerUser"]!).ShouldBe(20);
        ((string?)got["UserPoolId"]).ShouldBe(pool);

        var set = await EnableAsync(pool, 7);
        ((string?)set["UserSessionTracking"]).ShouldBe("ENABLED");
        ((int)set["TokenSession"]!["MaxPerUser"]!).ShouldBe(7);
        got = await f.Admin.InvokeAsync("GetUserPoolSessionConfiguration", new JsonObject { ["UserPoolId"] = pool });
        ((int)got["TokenSession"]!["MaxPerUser"]!).ShouldBe(7);

        (await Should.ThrowAsync<CognitoServiceException>(() => EnableAsync(pool, 0))).ErrorType.ShouldBe("InvalidParameterException");
        (await Should.ThrowAsync<CognitoServiceException>(() => EnableAsync(pool, 101))).ErrorType.ShouldBe("InvalidParameterException");
        (await Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("SetUserPoolSessionConfiguration", new JsonObject
        {
            ["UserPoolId"] = pool, ["UserSessionTracking"] = "SOMETIMES", ["TokenSession"] = new JsonObject { ["MaxPerUser"] = 5 },
        }))).ErrorType.ShouldBe("InvalidParameterException");
        (await Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("GetUserPoolSessionConfiguration",
            new JsonObject { ["UserPoolId"] = "us-east-1_nopool" }))).ErrorType.ShouldBe("ResourceNotFoundException");
    }

    [Fact]
    public async Task ClientConfiguration_DefaultRequiresTrackingAndRoundTrips()
    {
        var pool = await f.CreatePoolAsync();
        var (client, _) = await f.CreateClientAsync(pool);
        JsonObject Set(int minutes) => new() { ["UserPoolId"] = pool, ["ClientId"] = client, ["SSOSession"] = new JsonObject { ["MaxValidityMinutes"] = minutes } };
        var got = await f.Admin.InvokeAsync("GetUserPoolClientSessionConfiguration", new JsonObject { ["UserPoolId"] = pool, ["ClientId"] = client });
        ((int)got["SSOSession"]!["MaxValidityMinutes"]!).ShouldBe(60);
        (await Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("SetUserPoolClientSessionConfiguration", Set(120))))
            .ErrorType.ShouldBe("InvalidParameterException");
        await EnableAsync(pool);
        var set = await f.Admin.InvokeAsync("SetUserPoolClientSessionConfiguration", Set(120));
        ((int)set["SSOSession"]!["MaxValidityMinutes"]!).ShouldBe(120);
        ((string?)set["ClientId"]).ShouldBe(client);
        got = await f.Admin.InvokeAsync("GetUserPoolClientSessionConfiguration", new JsonObject { ["UserPoolId"] = pool, ["ClientId"] = client });
        ((int)got["SSOSession"]!["MaxValidityMinutes"]!).ShouldBe(120);
        (await Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("SetUserPoolClientSessionConfiguration", Set(129601))))
            .ErrorType.ShouldBe("InvalidParameterException");
        var other = await f.CreatePoolAsync();
        (await Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("GetUserPoolClientSessionConfiguration",
            new JsonObject { ["UserPoolId"] = other, ["ClientId"] = client }))).ErrorType.ShouldBe("ResourceNotFoundException");
    }

    [Fact]
    public async Task List_TrackingDisabled_OperationNotEnabled()
    {
        var (pool, client, user) = await PoolWithUserAsync(enable: false);
        var tokens = await f.SignInAsync(client, user, Password);
        (await Should.ThrowAsync<CognitoServiceException>(() => ListAsync((string)tokens["AccessToken"]!))).ErrorType.ShouldBe("OperationNotEnabledException");
        (await Should.ThrowAsync<CognitoServiceException>(() => AdminListAsync(pool, user))).ErrorType.ShouldBe("OperationNotEnabledException");
    }

    [Fact]
    public async Task ListAndRevoke_TwoSignIns_RevokedSessionsRefreshAndAccessTokensRefused()
    {
        var (pool, client, user) = await PoolWithUserAsync();
        var phone = await f.SignInAsync(client, user, Password);
        var laptop = await f.SignInAsync(client, user, Password);

        var sessions = await ListAsync((string)laptop["AccessToken"]!);
        sessions.Count.ShouldBe(2);
        foreach (var s in sessions)
        {
            var id = (string)s!["SessionId"]!;
            id.Length.ShouldBe(28);
            id.ShouldStartWith("tkn");
            id.ShouldMatch("^[a-z0-9]+$");
            ((string?)s["SessionType"]).ShouldBe("TOKEN");
            ((string?)s["ClientId"]).ShouldBe(client);
            s["CreateDate"].ShouldNotBeNull();
            s["LastActiveDate"].ShouldNotBeNull();
        }
        sessions.Count(s => (bool)s!["IsCurrentSession"]!).ShouldBe(1);
        var current = (string)sessions.Single(s => (bool)s!["IsCurrentSession"]!)!["SessionId"]!;
        var phoneSession = (string)sessions.Single(s => !(bool)s!["IsCurrentSession"]!)!["SessionId"]!;
        (await AdminListAsync(pool, user)).ShouldAllBe(s => !(bool)s!["IsCurrentSession"]!);

        // The caller's own session cannot be revoked through the public action.
        (await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("RevokeUserSession",
            new JsonObject { ["AccessToken"] = laptop["AccessToken"]!.DeepClone(), ["SessionId"] = current }))).ErrorType.ShouldBe("InvalidParameterException");

        // The phone refreshes before; not after its session is revoked.
        (await RefreshAsync(client, (string)phone["RefreshToken"]!))["AuthenticationResult"].ShouldNotBeNull();
        await f.Public.InvokeAsync("RevokeUserSession", new JsonObject { ["AccessToken"] = laptop["AccessToken"]!.DeepClone(), ["SessionId"] = phoneSession });
        var refused = await Should.ThrowAsync<CognitoServiceException>(() => RefreshAsync(client, (string)phone["RefreshToken"]!));
        refused.ErrorType.ShouldBe("NotAuthorizedException");
        (await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("GetUser",
            new JsonObject { ["AccessToken"] = phone["AccessToken"]!.DeepClone() }))).ErrorType.ShouldBe("NotAuthorizedException");

        // The laptop is untouched; only its session is listed now; revoking the phone again is not found.
        (await RefreshAsync(client, (string)laptop["RefreshToken"]!))["AuthenticationResult"].ShouldNotBeNull();
        (await ListAsync((string)laptop["AccessToken"]!)).Select(s => (string)s!["SessionId"]!).ShouldBe([current]);
        (await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("RevokeUserSession",
            new JsonObject { ["AccessToken"] = laptop["AccessToken"]!.DeepClone(), ["SessionId"] = phoneSession }))).ErrorType.ShouldBe("ResourceNotFoundException");
    }

    [Fact]
    public async Task RevokeUserSession_AnotherUsersSession_NotFoundAndStillValid()
    {
        var (pool, client, alice) = await PoolWithUserAsync();
        var bob = ServerFixture.NewEmail();
        await f.CreateConfirmedUserAsync(client, bob, Password, bob);
        var aliceTokens = await f.SignInAsync(client, alice, Password);
        var bobTokens = await f.SignInAsync(client, bob, Password);
        var bobSession = (string)(await ListAsync((string)bobTokens["AccessToken"]!))[0]!["SessionId"]!;

        var e = await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("RevokeUserSession",
            new JsonObject { ["AccessToken"] = aliceTokens["AccessToken"]!.DeepClone(), ["SessionId"] = bobSession }));
        e.ErrorType.ShouldBe("ResourceNotFoundException");
        // Nor through the admin action under the wrong username.
        (await Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("AdminRevokeUserSession",
            new JsonObject { ["UserPoolId"] = pool, ["Username"] = alice, ["SessionId"] = bobSession }))).ErrorType.ShouldBe("ResourceNotFoundException");
        (await RefreshAsync(client, (string)bobTokens["RefreshToken"]!))["AuthenticationResult"].ShouldNotBeNull();
        (await f.Public.InvokeAsync("GetUser", new JsonObject { ["AccessToken"] = bobTokens["AccessToken"]!.DeepClone() }))["Username"].ShouldNotBeNull();
    }

    [Fact]
    public async Task AdminRevokeUserSession_RefreshRefused()
    {
        var (pool, client, user) = await PoolWithUserAsync();
        var tokens = await f.SignInAsync(client, user, Password);
        var sessionId = (string)(await AdminListAsync(pool, user))[0]!["SessionId"]!;
        await f.Admin.InvokeAsync("AdminRevokeUserSession", new JsonObject
        {
            ["UserPoolId"] = pool, ["Username"] = user, ["SessionId"] = sessionId, ["RevokeAssociatedSessions"] = "LINKED",
        });
        (await Should.ThrowAsync<CognitoServiceException>(() => RefreshAsync(client, (string)tokens["RefreshToken"]!))).ErrorType.ShouldBe("NotAuthorizedException");
        (await AdminListAsync(pool, user)).Count.ShouldBe(0);
    }

    [Fact]
    public async Task MaxPerUser_ThirdSignIn_EvictsLeastRecentlyUsed()
    {
        var (pool, client, user) = await PoolWithUserAsync(maxPerUser: 2);
        var first = await f.SignInAsync(client, user, Password);
        var second = await f.SignInAsync(client, user, Password);
        await Task.Delay(20);
        (await RefreshAsync(client, (string)first["RefreshToken"]!))["AuthenticationResult"].ShouldNotBeNull(); // first is now more recent
        await Task.Delay(20);
        var third = await f.SignInAsync(client, user, Password);
        (await AdminListAsync(pool, user)).Count.ShouldBe(2);
        (await Should.ThrowAsync<CognitoServiceException>(() => RefreshAsync(client, (string)second["RefreshToken"]!))).ErrorType.ShouldBe("NotAuthorizedException");
        (await RefreshAsync(client, (string)first["RefreshToken"]!))["AuthenticationResult"].ShouldNotBeNull();
        (await RefreshAsync(client, (string)third["RefreshToken"]!))["AuthenticationResult"].ShouldNotBeNull();
    }

    const string ChromeOnWindows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    const string JsSdkOnLinux = "aws-sdk-js/3.1169.0 ua/2.1 os/linux#6.1.0 lang/js md/nodejs#20.19.2 api/cognito-identity-provider#3.1169.0";
    const string SafariOnIPhone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

    /// <summary>An unsigned action sent with <paramref name="userAgent"/> (the test client sends its own otherwise).</summary>
    async Task<JsonObject> PublicAsAsync(string userAgent, string action, JsonObject body)
    {
        using var req = new HttpRequestMessage(HttpMethod.Post, f.Server.Endpoint) { Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8) };
        req.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-amz-json-1.1");
        req.Headers.TryAddWithoutValidation("X-Amz-Target", "AWSCognitoIdentityProviderService." + action);
        req.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        using var resp = await f.Server.Http.SendAsync(req, TestContext.Current.CancellationToken);
        var text = await resp.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        resp.IsSuccessStatusCode.ShouldBeTrue(text);
        return JsonNode.Parse(text)!.AsObject();
    }

    [Fact]
    public async Task List_SignInThenRefresh_RecordsIpAndDeviceTypeOfLatestRequest()
    {
        var (pool, client, user) = await PoolWithUserAsync();
        var signedIn = (await PublicAsAsync(ChromeOnWindows, "InitiateAuth", new JsonObject
        {
            ["AuthFlow"] = "USER_PASSWORD_AUTH", ["ClientId"] = client, ["AuthParameters"] = new JsonObject { ["USERNAME"] = user, ["PASSWORD"] = Password },
        }))["AuthenticationResult"]!;
        var session = (await AdminListAsync(pool, user)).Single()!;
        ((string?)session["DeviceType"]).ShouldBe("Chrome on Windows");
        ((string?)session["LastIPAddress"]).ShouldBe("127.0.0.1");
        session["LastLocation"].ShouldBeNull();
        session["OriginSessionId"].ShouldBeNull();
        var signInActive = (double)session["LastActiveDate"]!;

        await Task.Delay(50);
        await PublicAsAsync(JsSdkOnLinux, "InitiateAuth", new JsonObject
        {
            ["AuthFlow"] = "REFRESH_TOKEN_AUTH", ["ClientId"] = client, ["AuthParameters"] = new JsonObject { ["REFRESH_TOKEN"] = signedIn["RefreshToken"]!.DeepClone() },
        });
        session = (await ListAsync((string)signedIn["AccessToken"]!)).Single()!;
        ((string?)session["DeviceType"]).ShouldBe("aws-sdk-js on Linux");
        ((string?)session["LastIPAddress"]).ShouldBe("127.0.0.1");
        ((double)session["LastActiveDate"]!).ShouldBeGreaterThan(signInActive);
        ((double)session["CreateDate"]!).ShouldBeLessThan((double)session["LastActiveDate"]!);
    }

    [Fact]
    public async Task AdminInitiateAuth_ContextData_RecordsTheEndUsersIpAndUserAgent()
    {
        var (pool, client, user) = await PoolWithUserAsync();
        await f.Admin.InvokeAsync("AdminInitiateAuth", new JsonObject
        {
            ["UserPoolId"] = pool, ["ClientId"] = client, ["AuthFlow"] = "ADMIN_USER_PASSWORD_AUTH",
            ["AuthParameters"] = new JsonObject { ["USERNAME"] = user, ["PASSWORD"] = Password },
            ["ContextData"] = new JsonObject
            {
                ["IpAddress"] = "203.0.113.7", ["ServerName"] = "app.example.com", ["ServerPath"] = "/login",
                ["HttpHeaders"] = new JsonArray(new JsonObject { ["headerName"] = "user-agent", ["headerValue"] = SafariOnIPhone }),
            },
        });
        var session = (await AdminListAsync(pool, user)).Single()!;
        ((string?)session["DeviceType"]).ShouldBe("Safari on iOS");
        ((string?)session["LastIPAddress"]).ShouldBe("203.0.113.7");
    }

    [Fact]
    public async Task List_126Sessions_TwoPagesJoinedByNextToken_ForeignOrForgedTokenRefused()
    {
        // Tracking off while signing in, so MaxPerUser (at most 100) evicts nothing: 126 sessions, one more than a page.
        var (pool, client, user) = await PoolWithUserAsync(enable: false);
        JsonObject last = [];
        for (int i = 0; i < 126; i++)
        {
            last = (await f.Admin.InvokeAsync("AdminInitiateAuth", new JsonObject
            {
                ["UserPoolId"] = pool, ["ClientId"] = client, ["AuthFlow"] = "ADMIN_USER_PASSWORD_AUTH",
                ["AuthParameters"] = new JsonObject { ["USERNAME"] = user, ["PASSWORD"] = Password },
            }))["AuthenticationResult"]!.AsObject();
        }
        await EnableAsync(pool, 100);
        JsonObject AdminPage(string? token) => token is null
            ? new JsonObject { ["UserPoolId"] = pool, ["Username"] = user }
            : new JsonObject { ["UserPoolId"] = pool, ["Username"] = user, ["NextToken"] = token };

        var first = await f.Admin.InvokeAsync("AdminListUserSessions", AdminPage(null));
        first["Sessions"]!.AsArray().Count.ShouldBe(125);
        var token = (string)first["NextToken"]!;
        var second = await f.Admin.InvokeAsync("AdminListUserSessions", AdminPage(token));
        second["Sessions"]!.AsArray().Count.ShouldBe(1);
        second["NextToken"].ShouldBeNull();
        var ids = first["Sessions"]!.AsArray().Concat(second["Sessions"]!.AsArray()).Select(s => (string)s!["SessionId"]!).ToList();
        ids.Distinct().Count().ShouldBe(126);

        // The user's own listing pages the same way, and marks the current session on whichever page it falls.
        var own = await f.Public.InvokeAsync("ListUserSessions", new JsonObject { ["AccessToken"] = last["AccessToken"]!.DeepClone() });
        var ownNext = await f.Public.InvokeAsync("ListUserSessions", new JsonObject { ["AccessToken"] = last["AccessToken"]!.DeepClone(), ["NextToken"] = (string)own["NextToken"]! });
        own["Sessions"]!.AsArray().Concat(ownNext["Sessions"]!.AsArray()).Count(s => (bool)s!["IsCurrentSession"]!).ShouldBe(1);

        // Another user's token, a forged one and garbage: InvalidParameterException, never a restart or a 500.
        var (otherPool, otherClient, other) = await PoolWithUserAsync();
        var otherTokens = await f.SignInAsync(otherClient, other, Password);
        var foreign = await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("ListUserSessions",
            new JsonObject { ["AccessToken"] = otherTokens["AccessToken"]!.DeepClone(), ["NextToken"] = token }));
        foreign.ErrorType.ShouldBe("InvalidParameterException");
        (await Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("AdminListUserSessions",
            new JsonObject { ["UserPoolId"] = otherPool, ["Username"] = other, ["NextToken"] = token }))).ErrorType.ShouldBe("InvalidParameterException");
        var forged = Cognate.Core.Pools.PageToken.Encode("0000000000000000.1.tkn" + new string('a', 25));
        foreach (var bad in new[] { forged, "not-a-token", token[..^2], "%%%" })
        {
            (await Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("AdminListUserSessions", AdminPage(bad))))
                .ErrorType.ShouldBe("InvalidParameterException");
        }
    }
}
