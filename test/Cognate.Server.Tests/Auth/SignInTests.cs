using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cognate.Client;
using Cognate.Server.Tests.Infrastructure;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Auth;

public sealed class SignInTests(ServerFixture f)
{
    async Task<(string Pool, string Client, string Email)> UserAsync(string username = "carol", bool secret = false)
    {
        var pool = await f.CreatePoolAsync();
        var (client, sec) = await f.CreateClientAsync(pool, secret);
        var email = ServerFixture.NewEmail();
        await f.CreateConfirmedUserAsync(client, username, "Passw0rd!", email, sec);
        return (pool, client, email);
    }

    [Fact]
    public async Task UserPasswordAuth_ReturnsCognitoShapedTokens()
    {
        var (pool, client, email) = await UserAsync();
        var t = await f.SignInAsync(client, "carol", "Passw0rd!");
        ((string?)t["TokenType"]).ShouldBe("Bearer");
        ((int)t["ExpiresIn"]!).ShouldBe(3600);
        ((string)t["RefreshToken"]!).Split('.').Length.ShouldBe(5);
        var id = TestJwt.Claims((string)t["IdToken"]!);
        ((string?)id["token_use"]).ShouldBe("id");
        ((string?)id["aud"]).ShouldBe(client);
        ((string?)id["cognito:username"]).ShouldBe("carol");
        ((string?)id["email"]).ShouldBe(email);
        id["email_verified"]!.GetValueKind().ShouldBe(JsonValueKind.True);
        ((string?)id["iss"]).ShouldEndWith("/" + pool);
        var access = TestJwt.Claims((string)t["AccessToken"]!);
        ((string?)access["token_use"]).ShouldBe("access");
        ((string?)access["client_id"]).ShouldBe(client);
        ((string?)access["scope"]).ShouldBe("aws.cognito.signin.user.admin");
        ((string?)access["username"]).ShouldBe("carol");
        ((string?)access["origin_jti"]).ShouldBe((string?)id["origin_jti"]);
        access.ContainsKey("aud").ShouldBeFalse();
        ((long)access["exp"]! - (long)access["iat"]!).ShouldBe(3600);
    }

    [Fact]
    public async Task Jwks_VerifiesBothTokens_WithDistinctKids()
    {
        var (pool, client, _) = await UserAsync();
        var t = await f.SignInAsync(client, "carol", "Passw0rd!");
        var jwks = JsonNode.Parse(await f.Server.Http.GetStringAsync(new Uri(f.Server.Endpoint, $"{pool}/.well-known/jwks.json")))!["keys"]!.AsArray();
        jwks.Count.ShouldBe(2);
        foreach (var token in new[] { (string)t["IdToken"]!, (string)t["AccessToken"]! })
        {
            var parts = token.Split('.');
            var header = JsonNode.Parse(Encoding.UTF8.GetString(Base64Url(parts[0])))!;
            ((string?)header["alg"]).ShouldBe("RS256");
            var jwk = jwks.Single(k => (string?)k!["kid"] == (string?)header["kid"])!;
            using var rsa = System.Security.Cryptography.RSA.Create(new System.Security.Cryptography.RSAParameters { Modulus = Base64Url((string)jwk["n"]!), Exponent = Base64Url((string)jwk["e"]!) });
            rsa.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url(parts[2]), System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1).ShouldBeTrue();
        }
        var config = JsonNode.Parse(await f.Server.Http.GetStringAsync(new Uri(f.Server.Endpoint, $"{pool}/.well-known/openid-configuration")))!;
        ((string?)config["issuer"]).ShouldBe((string?)TestJwt.Claims((string)t["IdToken"]!)["iss"]);
    }

    static byte[] Base64Url(string s)
    {
        s = s.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }

    [Fact]
    public async Task WrongPassword_ReturnsNotAuthorized()
    {
        var (_, client, _) = await UserAsync();
        var ex = await Should.ThrowAsync<CognitoServiceException>(() => f.SignInAsync(client, "carol", "Wrong-Passw0rd"));
        ex.ErrorType.ShouldBe("NotAuthorizedException");
        ex.Message.ShouldBe("Incorrect username or password.");
    }

    [Fact]
    public async Task UnknownUser_ReturnsUserNotFound_OrNotAuthorizedWhenPrevented()
    {
        var pool = await f.CreatePoolAsync();
        var (legacy, _) = await f.CreateClientAsync(pool);
        (await Should.ThrowAsync<CognitoServiceException>(() => f.SignInAsync(legacy, "ghost", "Passw0rd!"))).ErrorType.ShouldBe("UserNotFoundException");
        var (hiding, _) = await f.CreateClientAsync(pool, extra: new JsonObject { ["PreventUserExistenceErrors"] = "ENABLED" });
        (await Should.ThrowAsync<CognitoServiceException>(() => f.SignInAsync(hiding, "ghost", "Passw0rd!"))).ErrorType.ShouldBe("NotAuthorizedException");
    }

    [Fact]
    public async Task UnconfirmedUser_ReturnsUserNotConfirmed()
    {
        var pool = await f.CreatePoolAsync();
        var (client, _) = await f.CreateClientAsync(pool);
        await f.Public.InvokeAsync("SignUp", new JsonObject { ["ClientId"] = client, ["Username"] = "pending", ["Password"] = "Passw0rd!", ["UserAttributes"] = new JsonArray(new JsonObject { ["Name"] = "email", ["Value"] = ServerFixture.NewEmail() }) });
        (await Should.ThrowAsync<CognitoServiceException>(() => f.SignInAsync(client, "pending", "Passw0rd!"))).ErrorType.ShouldBe("UserNotConfirmedException");
    }

    [Fact]
    public async Task FlowNotEnabled_ReturnsInvalidParameter()
    {
        var pool = await f.CreatePoolAsync();
        var (client, _) = await f.CreateClientAsync(pool, extra: new JsonObject { ["ExplicitAuthFlows"] = new JsonArray("ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH") });
        var ex = await Should.ThrowAsync<CognitoServiceException>(() => f.SignInAsync(client, "x", "Passw0rd!"));
        ex.ErrorType.ShouldBe("InvalidParameterException");
        ex.Message.ShouldBe("USER_PASSWORD_AUTH flow not enabled for this client");
    }

    [Fact]
    public async Task SecretHash_CheckedOnInitiateAuth()
    {
        var (_, client, _) = await UserAsync(secret: true);
        var ex = await Should.ThrowAsync<CognitoServiceException>(() => f.SignInAsync(client, "carol", "Passw0rd!"));
        ex.ErrorType.ShouldBe("NotAuthorizedException");
        ex.Message.ShouldContain("is configured for secret but secret was not received");
    }

    [Fact]
    public async Task Refresh_IssuesNewTokens_SameOriginJti_NoNewRefreshToken()
    {
        var (_, client, _) = await UserAsync();
        var t = await f.SignInAsync(client, "carol", "Passw0rd!");
        var r = await f.Public.InvokeAsync("InitiateAuth", new JsonObject { ["AuthFlow"] = "REFRESH_TOKEN_AUTH", ["ClientId"] = client, ["AuthParameters"] = new JsonObject { ["REFRESH_TOKEN"] = (string)t["RefreshToken"]! } });
        var a = r["AuthenticationResult"]!;
        a["RefreshToken"].ShouldBeNull();
        ((string?)TestJwt.Claims((string)a["AccessToken"]!)["origin_jti"]).ShouldBe((string?)TestJwt.Claims((string)t["AccessToken"]!)["origin_jti"]);
        var bad = await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("InitiateAuth", new JsonObject { ["AuthFlow"] = "REFRESH_TOKEN", ["ClientId"] = client, ["AuthParameters"] = new JsonObject { ["REFRESH_TOKEN"] = "garbage.token" } }));
        bad.ErrorType.ShouldBe("NotAuthorizedException");
        bad.Message.ShouldBe("Invalid Refresh Token");
    }

    [Fact]
    public async Task GetUser_UpdateAttributes_VerifyNewEmail()
    {
        var (_, client, _) = await UserAsync();
        var t = await f.SignInAsync(client, "carol", "Passw0rd!");
        var at = (string)t["AccessToken"]!;
        var u = await f.Public.InvokeAsync("GetUser", new JsonObject { ["AccessToken"] = at });
        ((string?)u["Username"]).ShouldBe("carol");
        var newEmail = ServerFixture.NewEmail();
        var upd = await f.Public.InvokeAsync("UpdateUserAttributes", new JsonObject { ["AccessToken"] = at, ["UserAttributes"] = new JsonArray(new JsonObject { ["Name"] = "email", ["Value"] = newEmail }, new JsonObject { ["Name"] = "given_name", ["Value"] = "Caz" }) });
        upd["CodeDeliveryDetailsList"]!.AsArray().Count.ShouldBe(1);
        u = await f.Public.InvokeAsync("GetUser", new JsonObject { ["AccessToken"] = at });
        u["UserAttributes"]!.AsArray().ShouldContain(a => (string?)a!["Name"] == "email_verified" && (string?)a["Value"] == "false");
        var code = (string)(await f.Server.LatestMessageAsync(newEmail))["code"]!;
        await f.Public.InvokeAsync("VerifyUserAttribute", new JsonObject { ["AccessToken"] = at, ["AttributeName"] = "email", ["Code"] = code });
        u = await f.Public.InvokeAsync("GetUser", new JsonObject { ["AccessToken"] = at });
        u["UserAttributes"]!.AsArray().ShouldContain(a => (string?)a!["Name"] == "email_verified" && (string?)a["Value"] == "true");
        var resend = await f.Public.InvokeAsync("GetUserAttributeVerificationCode", new JsonObject { ["AccessToken"] = at, ["AttributeName"] = "email" });
        ((string?)resend["CodeDeliveryDetails"]!["DeliveryMedium"]).ShouldBe("EMAIL");
        var ex = await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("UpdateUserAttributes", new JsonObject { ["AccessToken"] = at, ["UserAttributes"] = new JsonArray(new JsonObject { ["Name"] = "email_verified", ["Value"] = "true" }) }));
        ex.ErrorType.ShouldBe("NotAuthorizedException");
        await f.Public.InvokeAsync("DeleteUserAttributes", new JsonObject { ["AccessToken"] = at, ["UserAttributeNames"] = new JsonArray("given_name") });
        u = await f.Public.InvokeAsync("GetUser", new JsonObject { ["AccessToken"] = at });
        u["UserAttributes"]!.AsArray().ShouldNotContain(a => (string?)a!["Name"] == "given_name");
    }

    [Fact]
    public async Task GetUser_TamperedOrGarbageToken_ReturnsNotAuthorized()
    {
        var (_, client, _) = await UserAsync();
        var t = await f.SignInAsync(client, "carol", "Passw0rd!");
        var at = (string)t["AccessToken"]!;
        var parts = at.Split('.');
        var claims = TestJwt.Claims(at);
        claims["username"] = "mallory";
        var forged = parts[0] + "." + Convert.ToBase64String(Encoding.UTF8.GetBytes(claims.ToJsonString())).TrimEnd('=').Replace('+', '-').Replace('/', '_') + "." + parts[2];
        (await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("GetUser", new JsonObject { ["AccessToken"] = forged }))).Message.ShouldBe("Invalid Access Token");
        (await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("GetUser", new JsonObject { ["AccessToken"] = "not-a-token" }))).ErrorType.ShouldBe("NotAuthorizedException");
        (await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("GetUser", new JsonObject { ["AccessToken"] = (string)t["IdToken"]! }))).ErrorType.ShouldBe("NotAuthorizedException");
    }

    [Fact]
    public async Task AccessToken_AlreadyVerified_TamperedCopiesRefusedAndUserStateStillChecked()
    {
        var (pool, client, _) = await UserAsync();
        var t = await f.SignInAsync(client, "carol", "Passw0rd!");
        var at = (string)t["AccessToken"]!;
        Task<JsonObject> GetUser(string token) => f.Public.InvokeAsync("GetUser", new JsonObject { ["AccessToken"] = token });
        ((string)(await GetUser(at))["Username"]!).ShouldBe("carol"); // now remembered as verified by this node

        var parts = at.Split('.');
        var claims = TestJwt.Claims(at);
        claims["username"] = "mallory";
        var forgedPayload = parts[0] + "." + Convert.ToBase64String(Encoding.UTF8.GetBytes(claims.ToJsonString())).TrimEnd('=').Replace('+', '-').Replace('/', '_') + "." + parts[2];
        var flipped = parts[2][..^2] + (parts[2][^2] == 'A' ? 'B' : 'A') + parts[2][^1];
        (await Should.ThrowAsync<CognitoServiceException>(() => GetUser(forgedPayload))).Message.ShouldBe("Invalid Access Token");
        (await Should.ThrowAsync<CognitoServiceException>(() => GetUser(parts[0] + "." + parts[1] + "." + flipped))).Message.ShouldBe("Invalid Access Token");
        (await Should.ThrowAsync<CognitoServiceException>(() => GetUser(at + "."))).ErrorType.ShouldBe("NotAuthorizedException");
        ((string)(await GetUser(at))["Username"]!).ShouldBe("carol");

        await f.Admin.InvokeAsync("AdminDisableUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "carol" });
        (await Should.ThrowAsync<CognitoServiceException>(() => GetUser(at))).ErrorType.ShouldBe("NotAuthorizedException");
        await f.Admin.InvokeAsync("AdminEnableUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "carol" });
        (await Should.ThrowAsync<CognitoServiceException>(() => GetUser(at))).Message.ShouldBe("Access Token has been revoked");

        var fresh = (string)(await f.SignInAsync(client, "carol", "Passw0rd!"))["AccessToken"]!;
        ((string)(await GetUser(fresh))["Username"]!).ShouldBe("carol");
        await f.Admin.InvokeAsync("AdminDeleteUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "carol" });
        (await Should.ThrowAsync<CognitoServiceException>(() => GetUser(fresh))).ErrorType.ShouldBe("UserNotFoundException");
    }

    [Fact]
    public async Task GlobalSignOut_RevokesAccessAndRefreshTokens()
    {
        var (_, client, _) = await UserAsync();
        var t = await f.SignInAsync(client, "carol", "Passw0rd!");
        await f.Public.InvokeAsync("GlobalSignOut", new JsonObject { ["AccessToken"] = (string)t["AccessToken"]! });
        (await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("GetUser", new JsonObject { ["AccessToken"] = (string)t["AccessToken"]! }))).Message.ShouldBe("Access Token has been revoked");
        (await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("InitiateAuth", new JsonObject { ["AuthFlow"] = "REFRESH_TOKEN_AUTH", ["ClientId"] = client, ["AuthParameters"] = new JsonObject { ["REFRESH_TOKEN"] = (string)t["RefreshToken"]! } }))).ErrorType.ShouldBe("NotAuthorizedException");
        var fresh = await f.SignInAsync(client, "carol", "Passw0rd!");
        await f.Public.InvokeAsync("GetUser", new JsonObject { ["AccessToken"] = (string)fresh["AccessToken"]! });
    }

    [Fact]
    public async Task RevokeToken_RevokesOnlyThatSession()
    {
        var (_, client, _) = await UserAsync();
        var one = await f.SignInAsync(client, "carol", "Passw0rd!");
        var two = await f.SignInAsync(client, "carol", "Passw0rd!");
        await f.Public.InvokeAsync("RevokeToken", new JsonObject { ["ClientId"] = client, ["Token"] = (string)one["RefreshToken"]! });
        (await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("GetUser", new JsonObject { ["AccessToken"] = (string)one["AccessToken"]! }))).ErrorType.ShouldBe("NotAuthorizedException");
        await f.Public.InvokeAsync("GetUser", new JsonObject { ["AccessToken"] = (string)two["AccessToken"]! });
        (await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("RevokeToken", new JsonObject { ["ClientId"] = client, ["Token"] = (string)two["AccessToken"]! }))).ErrorType.ShouldBe("UnsupportedTokenTypeException");
    }

    [Fact]
    public async Task ChangePassword_OldPasswordStopsWorking()
    {
        var (_, client, _) = await UserAsync();
        var t = await f.SignInAsync(client, "carol", "Passw0rd!");
        var wrong = await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("ChangePassword", new JsonObject { ["AccessToken"] = (string)t["AccessToken"]!, ["PreviousPassword"] = "Nope-Passw0rd", ["ProposedPassword"] = "N3w-Passw0rd" }));
        wrong.ErrorType.ShouldBe("NotAuthorizedException");
        var weak = await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("ChangePassword", new JsonObject { ["AccessToken"] = (string)t["AccessToken"]!, ["PreviousPassword"] = "Passw0rd!", ["ProposedPassword"] = "weak" }));
        weak.ErrorType.ShouldBe("InvalidPasswordException");
        await f.Public.InvokeAsync("ChangePassword", new JsonObject { ["AccessToken"] = (string)t["AccessToken"]!, ["PreviousPassword"] = "Passw0rd!", ["ProposedPassword"] = "N3w-Passw0rd" });
        (await Should.ThrowAsync<CognitoServiceException>(() => f.SignInAsync(client, "carol", "Passw0rd!"))).ErrorType.ShouldBe("NotAuthorizedException");
        await f.SignInAsync(client, "carol", "N3w-Passw0rd");
    }

    [Fact]
    public async Task ForgotPassword_ConfirmWithCode_SetsNewPassword()
    {
        var (_, client, email) = await UserAsync();
        var r = await f.Public.InvokeAsync("ForgotPassword", new JsonObject { ["ClientId"] = client, ["Username"] = "carol" });
        ((string?)r["CodeDeliveryDetails"]!["DeliveryMedium"]).ShouldBe("EMAIL");
        var code = (string)(await f.Server.LatestMessageAsync(email))["code"]!;
        var bad = await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("ConfirmForgotPassword", new JsonObject { ["ClientId"] = client, ["Username"] = "carol", ["ConfirmationCode"] = code == "000000" ? "111111" : "000000", ["Password"] = "Res3t-Passw0rd" }));
        bad.ErrorType.ShouldBe("CodeMismatchException");
        await f.Public.InvokeAsync("ConfirmForgotPassword", new JsonObject { ["ClientId"] = client, ["Username"] = "carol", ["ConfirmationCode"] = code, ["Password"] = "Res3t-Passw0rd" });
        await f.SignInAsync(client, "carol", "Res3t-Passw0rd");
        (await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("ForgotPassword", new JsonObject { ["ClientId"] = client, ["Username"] = "ghost" }))).ErrorType.ShouldBe("UserNotFoundException");
    }

    [Fact]
    public async Task DeleteUser_ThenTokenAndSignInFail()
    {
        var (_, client, _) = await UserAsync();
        var t = await f.SignInAsync(client, "carol", "Passw0rd!");
        await f.Public.InvokeAsync("DeleteUser", new JsonObject { ["AccessToken"] = (string)t["AccessToken"]! });
        (await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("GetUser", new JsonObject { ["AccessToken"] = (string)t["AccessToken"]! }))).ErrorType.ShouldBe("UserNotFoundException");
        (await Should.ThrowAsync<CognitoServiceException>(() => f.SignInAsync(client, "carol", "Passw0rd!"))).ErrorType.ShouldBe("UserNotFoundException");
    }
}

public sealed class TokenReuseTests(ServerFixture f)
{
    [Fact]
    public async Task DeletedUser_TokenDoesNotWorkForRecreatedUsername()
    {
        var pool = await f.CreatePoolAsync();
        var (client, _) = await f.CreateClientAsync(pool);
        await f.CreateConfirmedUserAsync(client, "victim", "Passw0rd!", ServerFixture.NewEmail());
        var old = await f.SignInAsync(client, "victim", "Passw0rd!");
        await f.Admin.InvokeAsync("AdminDeleteUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "victim" });
        await f.CreateConfirmedUserAsync(client, "victim", "Other-Passw0rd", ServerFixture.NewEmail());
        var ex = await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("GetUser", new JsonObject { ["AccessToken"] = (string)old["AccessToken"]! }));
        ex.ErrorType.ShouldBe("UserNotFoundException");
    }
}
