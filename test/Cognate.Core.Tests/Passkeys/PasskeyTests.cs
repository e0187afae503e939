using System.Text.Json.Nodes;
using Cognate.Core.Errors;
using Cognate.Core.Passkeys;
using Cognate.Core.Pools;
using Cognate.Core.SignIn;
using Cognate.Core.Tests.SignIn;
using Cognate.Core.Users;
using Cognate.Tests.Shared;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.Passkeys;

/// <summary>Passkey registration and WEB_AUTHN sign-in with a software authenticator (ES256, attestation none / packed).</summary>
public sealed class PasskeyTests : IDisposable
{
    const string Origin = "https://auth.example.com";
    readonly SignInHarness h = new();
    readonly SoftwareAuthenticator authenticator = new();

    public PasskeyTests() => Configure(["PASSWORD", "WEB_AUTHN"], "auth.example.com", "preferred");

    void Configure(List<string> factors, string? rpId, string uv) =>
        h.Pool = h.Pool with
        {
            Config = h.Pool.Config with
            {
                Policies = new UserPoolPolicyType { SignInPolicy = new SignInPolicyType { AllowedFirstAuthFactors = factors } },
                WebAuthnConfiguration = rpId is null ? null : new JsonObject { ["RelyingPartyId"] = rpId, ["UserVerification"] = uv },
            },
        };

    async Task<User> RegisteredAsync(string username = "alice", SoftwareAuthenticator? a = null, string fmt = "none")
    {
        var user = await h.UserStore.GetAsync(h.Pool.Id, username) ?? h.AddUser(username);
        var options = await h.Passkeys.StartRegistrationAsync(h.Pool, user);
        await h.Passkeys.CompleteRegistrationAsync(h.Pool, user, (a ?? authenticator).Create(options, Origin, fmt));
        return user;
    }

    async Task<SignInResult.ChallengeIssued> WebAuthnChallengeAsync(string username = "alice")
    {
        var issued = (await h.Engine.StartAsync(h.Request("USER_AUTH", new() { ["USERNAME"] = username, ["PREFERRED_CHALLENGE"] = "WEB_AUTHN" })))
            .ShouldBeOfType<SignInResult.ChallengeIssued>();
        issued.ChallengeName.ShouldBe("WEB_AUTHN");
        return issued;
    }

    Task<SignInResult> AnswerAsync(SignInResult.ChallengeIssued issued, string credential, string username = "alice") =>
        h.Engine.RespondAsync(h.Request("WEB_AUTHN", new() { ["USERNAME"] = username, ["CREDENTIAL"] = credential }, issued.Session)).AsTask();

    static async Task<CognitoError> Throws(Func<Task> action) => (await Should.ThrowAsync<CognitoException>(action)).Error;

    [Fact]
    public async Task StartRegistration_ReturnsCredentialCreationOptions()
    {
        var user = h.AddUser();
        var o = await h.Passkeys.StartRegistrationAsync(h.Pool, user);
        ((string?)o["rp"]!["id"]).ShouldBe("auth.example.com");
        ((string?)o["user"]!["name"]).ShouldBe("alice");
        ((string?)o["user"]!["id"]).ShouldNotBeNullOrEmpty();
        ((string?)o["challenge"])!.Length.ShouldBeGreaterThanOrEqualTo(22);
        o["pubKeyCredParams"]!.AsArray().Select(p => (int)p!["alg"]!).ShouldBe([-7, -257]);
        ((string?)o["authenticatorSelection"]!["residentKey"]).ShouldBe("required");
        ((string?)o["authenticatorSelection"]!["userVerification"]).ShouldBe("preferred");
        ((int)o["timeout"]!).ShouldBe(60000);
        o["excludeCredentials"]!.AsArray().Count.ShouldBe(0);
    }

    [Fact]
    public async Task Registration_NoneAndPacked_StoresKeyCounterTransportsAaguid()
    {
        var user = await RegisteredAsync();
        using var second = new SoftwareAuthenticator();
        await RegisteredAsync(a: second, fmt: "packed");
        var list = await h.Passkeys.ListAsync(user);
        list.Select(c => c.CredentialId).ShouldBe([authenticator.Id, second.Id], ignoreOrder: true);
        var c = list.Single(c => c.CredentialId == authenticator.Id);
        c.RelyingPartyId.ShouldBe("auth.example.com");
        c.Transports.ShouldBe(["internal"]);
        c.Aaguid.ShouldBe(authenticator.Aaguid);
        c.AuthenticatorAttachment.ShouldBe("platform");
        c.FriendlyName.ShouldNotBeNullOrEmpty();
        c.PublicKey.Length.ShouldBeGreaterThan(64);
        var again = await h.Passkeys.StartRegistrationAsync(h.Pool, user);
        again["excludeCredentials"]!.AsArray().Count.ShouldBe(2);
    }

    [Fact]
    public async Task StartRegistration_PoolWithoutWebAuthn_NotEnabled_AndWithoutRelyingParty_ConfigurationMissing()
    {
        var user = h.AddUser();
        Configure(["PASSWORD"], "auth.example.com", "preferred");
        (await Throws(() => h.Passkeys.StartRegistrationAsync(h.Pool, user).AsTask())).Type.ShouldBe("WebAuthnNotEnabledException");
        Configure(["PASSWORD", "WEB_AUTHN"], null, "preferred");
        (await Throws(() => h.Passkeys.StartRegistrationAsync(h.Pool, user).AsTask())).Type.ShouldBe("WebAuthnConfigurationMissingException");
    }

    [Theory]
    [InlineData("https://evil.example.net", null, "webauthn.create", "WebAuthnOriginNotAllowedException")]
    [InlineData(Origin, "other.example.com", "webauthn.create", "WebAuthnRelyingPartyMismatchException")]
    [InlineData(Origin, null, "webauthn.get", "WebAuthnClientMismatchException")]
    public async Task CompleteRegistration_BadCeremony_CognitoError(string origin, string? rpId, string type, string error)
    {
        var user = h.AddUser();
        var options = await h.Passkeys.StartRegistrationAsync(h.Pool, user);
        (await Throws(() => h.Passkeys.CompleteRegistrationAsync(h.Pool, user, authenticator.Create(options, origin, rpIdOverride: rpId, type: type)).AsTask())).Type.ShouldBe(error);
        (await h.Passkeys.ListAsync(user)).ShouldBeEmpty();
    }

    [Fact]
    public async Task CompleteRegistration_Twice_ChallengeNotFound()
    {
        var user = h.AddUser();
        var options = await h.Passkeys.StartRegistrationAsync(h.Pool, user);
        var response = authenticator.Create(options, Origin);
        await h.Passkeys.CompleteRegistrationAsync(h.Pool, user, response);
        (await Throws(() => h.Passkeys.CompleteRegistrationAsync(h.Pool, user, response).AsTask())).Type.ShouldBe("WebAuthnChallengeNotFoundException");
    }

    [Fact]
    public async Task CompleteRegistration_Expired_ChallengeNotFound()
    {
        var user = h.AddUser();
        var options = await h.Passkeys.StartRegistrationAsync(h.Pool, user);
        h.Time.Now += TimeSpan.FromMinutes(6);
        (await Throws(() => h.Passkeys.CompleteRegistrationAsync(h.Pool, user, authenticator.Create(options, Origin)).AsTask())).Type.ShouldBe("WebAuthnChallengeNotFoundException");
    }

    [Fact]
    public async Task UserAuth_PreferredWebAuthn_SignsInWithoutMfa()
    {
        var user = await RegisteredAsync();
        h.PoolMfa("ON", totp: true);
        Configure(["PASSWORD", "WEB_AUTHN"], "auth.example.com", "preferred");
        var issued = await WebAuthnChallengeAsync();
        issued.AvailableChallenges.ShouldBe(["PASSWORD", "PASSWORD_SRP", "WEB_AUTHN"]);
        var options = JsonNode.Parse(issued.Parameters["CREDENTIAL_REQUEST_OPTIONS"])!;
        ((string?)options["rpId"]).ShouldBe("auth.example.com");
        options["allowCredentials"]!.AsArray().Select(c => (string?)c!["id"]).ShouldBe([authenticator.Id]);
        var done = (await AnswerAsync(issued, authenticator.Get(issued.Parameters["CREDENTIAL_REQUEST_OPTIONS"], Origin))).ShouldBeOfType<SignInResult.SignedIn>();
        done.User.Username.ShouldBe(user.Username);
        (await h.Passkeys.ListAsync(user)).Single().SignCount.ShouldBe(1u);
    }

    [Fact]
    public async Task SelectChallenge_WebAuthnAnswer_IssuesWebAuthnChallenge()
    {
        await RegisteredAsync();
        var select = (await h.Engine.StartAsync(h.Request("USER_AUTH", new() { ["USERNAME"] = "alice" }))).ShouldBeOfType<SignInResult.ChallengeIssued>();
        select.ChallengeName.ShouldBe("SELECT_CHALLENGE");
        select.AvailableChallenges.ShouldBe(["PASSWORD", "PASSWORD_SRP", "WEB_AUTHN"]);
        var issued = (await h.Engine.RespondAsync(h.Request("SELECT_CHALLENGE", new() { ["USERNAME"] = "alice", ["ANSWER"] = "WEB_AUTHN" }, select.Session)))
            .ShouldBeOfType<SignInResult.ChallengeIssued>();
        issued.ChallengeName.ShouldBe("WEB_AUTHN");
        (await AnswerAsync(issued, authenticator.Get(issued.Parameters["CREDENTIAL_REQUEST_OPTIONS"], Origin))).ShouldBeOfType<SignInResult.SignedIn>();
    }

    [Fact]
    public async Task UserAuth_NoPasskey_WebAuthnNotOffered()
    {
        h.AddUser();
        var select = (await h.Engine.StartAsync(h.Request("USER_AUTH", new() { ["USERNAME"] = "alice", ["PREFERRED_CHALLENGE"] = "WEB_AUTHN" }))).ShouldBeOfType<SignInResult.ChallengeIssued>();
        select.ChallengeName.ShouldBe("SELECT_CHALLENGE");
        select.AvailableChallenges.ShouldBe(["PASSWORD", "PASSWORD_SRP"]);
    }

    [Fact]
    public async Task Assertion_Replayed_Refused()
    {
        await RegisteredAsync();
        var first = await WebAuthnChallengeAsync();
        var assertion = authenticator.Get(first.Parameters["CREDENTIAL_REQUEST_OPTIONS"], Origin);
        (await AnswerAsync(first, assertion)).ShouldBeOfType<SignInResult.SignedIn>();
        (await AnswerAsync(first, assertion)).ShouldBeOfType<SignInResult.Failed>().Error.Type.ShouldBe("NotAuthorizedException");
        var second = await WebAuthnChallengeAsync();
        (await AnswerAsync(second, assertion)).ShouldBeOfType<SignInResult.Failed>().Error.Message.ShouldBe("Incorrect username or password.");
    }

    [Fact]
    public async Task Assertion_AnotherUsersCredential_Refused()
    {
        await RegisteredAsync("alice");
        using var bobs = new SoftwareAuthenticator();
        await RegisteredAsync("bob", bobs);
        var issued = await WebAuthnChallengeAsync("alice");
        (await AnswerAsync(issued, bobs.Get(issued.Parameters["CREDENTIAL_REQUEST_OPTIONS"], Origin))).ShouldBeOfType<SignInResult.Failed>()
            .Error.Type.ShouldBe("NotAuthorizedException");
    }

    [Fact]
    public async Task Assertion_WrongOrigin_Refused()
    {
        await RegisteredAsync();
        var issued = await WebAuthnChallengeAsync();
        (await AnswerAsync(issued, authenticator.Get(issued.Parameters["CREDENTIAL_REQUEST_OPTIONS"], "https://evil.example.net"))).ShouldBeOfType<SignInResult.Failed>()
            .Error.Type.ShouldBe("WebAuthnOriginNotAllowedException");
    }

    [Fact]
    public async Task Assertion_WrongRpIdHash_Refused()
    {
        await RegisteredAsync();
        var issued = await WebAuthnChallengeAsync();
        (await AnswerAsync(issued, authenticator.Get(issued.Parameters["CREDENTIAL_REQUEST_OPTIONS"], Origin, rpIdOverride: "example.com"))).ShouldBeOfType<SignInResult.Failed>()
            .Error.Type.ShouldBe("NotAuthorizedException");
    }

    [Fact]
    public async Task Assertion_ClonedCounter_Refused()
    {
        await RegisteredAsync();
        var first = await WebAuthnChallengeAsync();
        (await AnswerAsync(first, authenticator.Get(first.Parameters["CREDENTIAL_REQUEST_OPTIONS"], Origin))).ShouldBeOfType<SignInResult.SignedIn>();
        authenticator.Counter = 0; // a clone starts from an older counter
        var second = await WebAuthnChallengeAsync();
        (await AnswerAsync(second, authenticator.Get(second.Parameters["CREDENTIAL_REQUEST_OPTIONS"], Origin))).ShouldBeOfType<SignInResult.Failed>()
            .Error.Type.ShouldBe("NotAuthorizedException");
    }

    [Fact]
    public async Task Assertion_UserVerificationRequired_UnverifiedRefused()
    {
        Configure(["PASSWORD", "WEB_AUTHN"], "auth.example.com", "required");
        await RegisteredAsync();
        var issued = await WebAuthnChallengeAsync();
        (await AnswerAsync(issued, authenticator.Get(issued.Parameters["CREDENTIAL_REQUEST_OPTIONS"], Origin, userVerified: false))).ShouldBeOfType<SignInResult.Failed>()
            .Error.Type.ShouldBe("NotAuthorizedException");
    }

    [Fact]
    public async Task Assertion_DeletedCredential_Refused()
    {
        var user = await RegisteredAsync();
        using var other = new SoftwareAuthenticator();
        await RegisteredAsync(a: other);
        var issued = await WebAuthnChallengeAsync();
        (await h.Passkeys.DeleteAsync(user, authenticator.Id)).ShouldBeTrue();
        (await h.Passkeys.DeleteAsync(user, authenticator.Id)).ShouldBeFalse();
        (await AnswerAsync(issued, authenticator.Get(issued.Parameters["CREDENTIAL_REQUEST_OPTIONS"], Origin))).ShouldBeOfType<SignInResult.Failed>()
            .Error.Type.ShouldBe("NotAuthorizedException");
    }

    [Fact]
    public async Task Assertion_MissingCredential_RetryKeepsSession()
    {
        await RegisteredAsync();
        var issued = await WebAuthnChallengeAsync();
        (await h.Engine.RespondAsync(h.Request("WEB_AUTHN", new() { ["USERNAME"] = "alice" }, issued.Session))).ShouldBeOfType<SignInResult.Retry>();
        (await AnswerAsync(issued, authenticator.Get(issued.Parameters["CREDENTIAL_REQUEST_OPTIONS"], Origin))).ShouldBeOfType<SignInResult.SignedIn>();
    }

    [Theory]
    [InlineData("auth.example.com", "https://auth.example.com", true)]
    [InlineData("example.com", "https://login.example.com", true)]
    [InlineData("auth.example.com", "http://auth.example.com", false)]
    [InlineData("auth.example.com", "https://example.com", false)]
    [InlineData("auth.example.com", "https://evilauth.example.com", false)]
    [InlineData("localhost", "http://localhost:5173", true)]
    [InlineData("localhost", "http://127.0.0.1:5173", false)]
    [InlineData("localhost", null, false)]
    public void OriginAllowed_Rules(string rpId, string? origin, bool allowed) => PasskeyService.OriginAllowed(rpId, origin).ShouldBe(allowed);

    [Theory]
    [InlineData("auth.example.com", "preferred", false, true)]
    [InlineData("myprefix.auth.us-east-1.amazoncognito.com", "required", false, true)]
    [InlineData("localhost", "required", true, true)]
    [InlineData("localhost", "required", false, false)]
    [InlineData("https://auth.example.com", "preferred", false, false)]
    [InlineData("auth.example.com:443", "preferred", false, false)]
    [InlineData("auth.example.com", "sometimes", false, false)]
    public void CheckConfiguration_Rules(string rpId, string uv, bool development, bool valid) =>
        (PasskeyService.CheckConfiguration(new JsonObject { ["RelyingPartyId"] = rpId, ["UserVerification"] = uv }, development) is null).ShouldBe(valid);

    public void Dispose() => authenticator.Dispose();
}
