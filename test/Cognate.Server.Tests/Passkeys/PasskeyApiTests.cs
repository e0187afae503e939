using System.Text.Json.Nodes;
using Cognate.Client;
using Cognate.Server.Tests.Infrastructure;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Passkeys;

/// <summary>
/// The passkey actions over HTTP with a software authenticator: WebAuthnConfiguration through SetUserPoolMfaConfig /
/// GetUserPoolMfaConfig, StartWebAuthnRegistration → CompleteWebAuthnRegistration, ListWebAuthnCredentials (paged),
/// GetUserAuthFactors, USER_AUTH with WEB_AUTHN, DeleteWebAuthnCredential.
/// </summary>
public sealed class PasskeyApiTests(ServerFixture f)
{
    const string Password = "Passw0rd!";
    const string Origin = "http://localhost:5173";

    async Task<(string Pool, string Client)> PoolAsync()
    {
        var pool = await f.CreatePoolAsync(new JsonObject
        {
            ["Policies"] = new JsonObject { ["SignInPolicy"] = new JsonObject { ["AllowedFirstAuthFactors"] = new JsonArray("PASSWORD", "WEB_AUTHN") } },
        });
        var set = await f.Admin.InvokeAsync("SetUserPoolMfaConfig", new JsonObject
        {
            ["UserPoolId"] = pool,
            ["WebAuthnConfiguration"] = new JsonObject { ["RelyingPartyId"] = "localhost", ["UserVerification"] = "required" },
        });
        ((string?)set["WebAuthnConfiguration"]!["RelyingPartyId"]).ShouldBe("localhost");
        var got = await f.Admin.InvokeAsync("GetUserPoolMfaConfig", new JsonObject { ["UserPoolId"] = pool });
        ((string?)got["WebAuthnConfiguration"]!["UserVerification"]).ShouldBe("required");
        var (client, _) = await f.CreateClientAsync(pool, false, new JsonObject { ["ExplicitAuthFlows"] = new JsonArray("ALLOW_USER_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH") });
        return (pool, client);
    }

    async Task<string> AccessTokenAsync(string client, string username)
    {
        await f.CreateConfirmedUserAsync(client, username, Password, ServerFixture.NewEmail());
        return (string)(await f.SignInAsync(client, username, Password))["AccessToken"]!;
    }

    async Task RegisterAsync(string token, SoftwareAuthenticator a)
    {
        var start = await f.Public.InvokeAsync("StartWebAuthnRegistration", new JsonObject { ["AccessToken"] = token });
        var options = start["CredentialCreationOptions"]!.AsObject();
        await f.Public.InvokeAsync("CompleteWebAuthnRegistration", new JsonObject { ["AccessToken"] = token, ["Credential"] = a.Create(options, Origin) });
    }

    static async Task<CognitoServiceException> Fails(Task t, string type)
    {
        var ex = await Should.ThrowAsync<CognitoServiceException>(t);
        ex.ErrorType.ShouldBe(type, ex.Message);
        return ex;
    }

    [Fact]
    public async Task RegisterListSignInDelete_EndToEnd()
    {
        var (_, client) = await PoolAsync();
        var username = "pk" + Guid.NewGuid().ToString("N")[..8];
        var token = await AccessTokenAsync(client, username);
        using var a = new SoftwareAuthenticator();
        using var b = new SoftwareAuthenticator();

        var start = await f.Public.InvokeAsync("StartWebAuthnRegistration", new JsonObject { ["AccessToken"] = token });
        var options = start["CredentialCreationOptions"]!.AsObject();
        ((string?)options["rp"]!["id"]).ShouldBe("localhost");
        ((string?)options["authenticatorSelection"]!["userVerification"]).ShouldBe("required");
        await Fails(f.Public.InvokeAsync("CompleteWebAuthnRegistration", new JsonObject { ["AccessToken"] = token, ["Credential"] = a.Create(options, "http://127.0.0.1:5173") }),
            "WebAuthnOriginNotAllowedException");
        await RegisterAsync(token, a);
        await RegisterAsync(token, b);

        var page1 = await f.Public.InvokeAsync("ListWebAuthnCredentials", new JsonObject { ["AccessToken"] = token, ["MaxResults"] = 1 });
        var first = page1["Credentials"]!.AsArray().Single()!;
        ((string?)first["RelyingPartyId"]).ShouldBe("localhost");
        ((string?)first["AuthenticatorAttachment"]).ShouldBe("platform");
        first["AuthenticatorTransports"]!.AsArray().Select(t => (string?)t).ShouldBe(["internal"]);
        first["CreatedAt"]!.GetValueKind().ShouldBe(System.Text.Json.JsonValueKind.Number);
        var page2 = await f.Public.InvokeAsync("ListWebAuthnCredentials", new JsonObject { ["AccessToken"] = token, ["MaxResults"] = 1, ["NextToken"] = (string)page1["NextToken"]! });
        page2["Credentials"]!.AsArray().Count.ShouldBe(1);
        page2["NextToken"].ShouldBeNull();
        new[] { (string?)first["CredentialId"], (string?)page2["Credentials"]![0]!["CredentialId"] }.ShouldBe([a.Id, b.Id], ignoreOrder: true);

        var factors = await f.Public.InvokeAsync("GetUserAuthFactors", new JsonObject { ["AccessToken"] = token });
        factors["ConfiguredUserAuthFactors"]!.AsArray().Select(n => (string?)n).ShouldBe(["PASSWORD", "WEB_AUTHN"]);

        var c = await f.Public.InvokeAsync("InitiateAuth", new JsonObject
        {
            ["ClientId"] = client, ["AuthFlow"] = "USER_AUTH", ["AuthParameters"] = new JsonObject { ["USERNAME"] = username, ["PREFERRED_CHALLENGE"] = "WEB_AUTHN" },
        });
        ((string?)c["ChallengeName"]).ShouldBe("WEB_AUTHN");
        c["AvailableChallenges"]!.AsArray().Select(n => (string?)n).ShouldBe(["PASSWORD", "PASSWORD_SRP", "WEB_AUTHN"]);
        var requestOptions = (string)c["ChallengeParameters"]!["CREDENTIAL_REQUEST_OPTIONS"]!;
        var assertion = a.Get(requestOptions, Origin);
        var done = await f.Public.InvokeAsync("RespondToAuthChallenge", new JsonObject
        {
            ["ClientId"] = client, ["ChallengeName"] = "WEB_AUTHN", ["Session"] = c["Session"]!.DeepClone(),
            ["ChallengeResponses"] = new JsonObject { ["USERNAME"] = username, ["CREDENTIAL"] = assertion },
        });
        var access = (string)done["AuthenticationResult"]!["AccessToken"]!;
        ((string?)TestJwt.Claims(access)["username"]).ShouldBe(username);

        await f.Public.InvokeAsync("DeleteWebAuthnCredential", new JsonObject { ["AccessToken"] = token, ["CredentialId"] = a.Id });
        await Fails(f.Public.InvokeAsync("DeleteWebAuthnCredential", new JsonObject { ["AccessToken"] = token, ["CredentialId"] = a.Id }), "ResourceNotFoundException");
        var c2 = await f.Public.InvokeAsync("InitiateAuth", new JsonObject
        {
            ["ClientId"] = client, ["AuthFlow"] = "USER_AUTH", ["AuthParameters"] = new JsonObject { ["USERNAME"] = username, ["PREFERRED_CHALLENGE"] = "WEB_AUTHN" },
        });
        await Fails(f.Public.InvokeAsync("RespondToAuthChallenge", new JsonObject
        {
            ["ClientId"] = client, ["ChallengeName"] = "WEB_AUTHN", ["Session"] = c2["Session"]!.DeepClone(),
            ["ChallengeResponses"] = new JsonObject { ["USERNAME"] = username, ["CREDENTIAL"] = a.Get((string)c2["ChallengeParameters"]!["CREDENTIAL_REQUEST_OPTIONS"]!, Origin) },
        }), "NotAuthorizedException");
    }

    [Fact]
    public async Task StartWebAuthnRegistration_PoolWithoutPasskeys_WebAuthnNotEnabled()
    {
        var pool = await f.CreatePoolAsync();
        var (client, _) = await f.CreateClientAsync(pool, false, new JsonObject { ["ExplicitAuthFlows"] = new JsonArray("ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH") });
        var token = await AccessTokenAsync(client, "nopk" + Guid.NewGuid().ToString("N")[..8]);
        await Fails(f.Public.InvokeAsync("StartWebAuthnRegistration", new JsonObject { ["AccessToken"] = token }), "WebAuthnNotEnabledException");
    }
}
