using Cognate.Core.Errors;
using Cognate.Core.SignIn;
using Cognate.Core.SignIn.Steps;
using Cognate.Core.Users;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.SignIn;

/// <summary>The engine's session handling and door rules, and the password flow's user-existence order.</summary>
public sealed class SignInEngineTests
{
    /// <summary>A challenge whose answer is scripted by the test.</summary>
    sealed class Scripted(string name, Func<SignInState, StepResult> answer) : IChallenge
    {
        public string Name => name;
        public ValueTask<StepResult> RespondAsync(SignInRequest request, SignInState? state, CancellationToken ct) => ValueTask.FromResult(answer(state!));
    }

    static SignInEngine EngineWith(SignInHarness h, IChallenge challenge) => new([], [challenge], h.Sessions);

    [Fact]
    public async Task Retry_PutsBackSameSessionAndExpiry()
    {
        var h = new SignInHarness();
        var engine = EngineWith(h, new Scripted("SMS_MFA", s => new StepResult.Retry(CognitoErrors.CodeMismatch().Error, s with { Attempts = 2 })));
        var session = await h.NewSessionAsync(new SignInState { Username = "alice", ChallengeName = "SMS_MFA" });
        var before = h.SessionStore.ByHash.Values.Single();
        h.Time.Now = h.Time.Now.AddMinutes(1);
        var retry = (await engine.RespondAsync(h.Request("SMS_MFA", [], session))).ShouldBeOfType<SignInResult.Retry>();
        retry.Session.ShouldBe(session);
        var after = h.SessionStore.ByHash.Values.Single();
        after.SessionHash.ShouldBe(before.SessionHash);
        after.ExpiresAt.ShouldBe(before.ExpiresAt);
        (await h.PeekAsync(session))!.State.Attempts.ShouldBe(2);
    }

    [Fact]
    public async Task Challenge_NewSession()
    {
        var h = new SignInHarness();
        var engine = EngineWith(h, new Scripted("SELECT_MFA_TYPE", s => new StepResult.Challenge("SMS_MFA", new Dictionary<string, string>(), new SignInState { Username = s.Username })));
        var session = await h.NewSessionAsync(new SignInState { Username = "alice", ChallengeName = "SELECT_MFA_TYPE" });
        var issued = (await engine.RespondAsync(h.Request("SELECT_MFA_TYPE", [], session))).ShouldBeOfType<SignInResult.ChallengeIssued>();
        issued.Session.ShouldNotBeNull();
        issued.Session.ShouldNotBe(session);
        (await h.PeekAsync(session)).ShouldBeNull();
        var next = (await h.PeekAsync(issued.Session!))!;
        next.State.ChallengeName.ShouldBe("SMS_MFA");
        next.Record.ExpiresAt.ShouldBe(h.Time.Now.AddMinutes(3)); // AuthSessionValidity default
    }

    [Fact]
    public async Task Fail_SessionGone()
    {
        var h = new SignInHarness();
        var engine = EngineWith(h, new Scripted("SMS_MFA", _ => new StepResult.Fail(CognitoErrors.NotAuthorized("User is disabled.").Error)));
        var session = await h.NewSessionAsync(new SignInState { Username = "alice", ChallengeName = "SMS_MFA" });
        (await engine.RespondAsync(h.Request("SMS_MFA", [], session))).ShouldBeOfType<SignInResult.Failed>();
        h.SessionStore.ByHash.ShouldBeEmpty();
    }

    [Fact]
    public async Task EscapedCognitoException_TreatedAsFail()
    {
        var h = new SignInHarness();
        var engine = EngineWith(h, new Scripted("SMS_MFA", _ => throw CognitoErrors.ConcurrentModification()));
        var session = await h.NewSessionAsync(new SignInState { Username = "alice", ChallengeName = "SMS_MFA" });
        (await engine.RespondAsync(h.Request("SMS_MFA", [], session))).ShouldBeOfType<SignInResult.Failed>().Error.Type.ShouldBe("ConcurrentModificationException");
        h.SessionStore.ByHash.ShouldBeEmpty();
    }

    [Fact]
    public async Task UnknownChallenge_UnsupportedOperationMessage()
    {
        var h = new SignInHarness();
        var fail = (await h.Engine.RespondAsync(h.Request("NOT_A_CHALLENGE", [], "x"))).ShouldBeOfType<SignInResult.Failed>();
        fail.Error.ShouldBe(new CognitoError("UnsupportedOperationException", "The NOT_A_CHALLENGE challenge is not supported by Cognate yet."));
        (await h.Engine.StartAsync(h.Request("NOT_A_FLOW", []))).ShouldBeOfType<SignInResult.Failed>()
            .Error.Message.ShouldBe("The NOT_A_FLOW flow is not supported by Cognate yet.");
    }

    [Fact]
    public async Task MissingSession_InvalidParameter_UnknownSession_NotAuthorized()
    {
        var h = new SignInHarness();
        (await h.Engine.RespondAsync(h.Request("SMS_MFA", [], null))).ShouldBeOfType<SignInResult.Failed>()
            .Error.ShouldBe(new CognitoError("InvalidParameterException", "Missing required parameter Session"));
        (await h.Engine.RespondAsync(h.Request("SMS_MFA", [], "unknown"))).ShouldBeOfType<SignInResult.Failed>()
            .Error.ShouldBe(new CognitoError("NotAuthorizedException", "Invalid session for the user, session is expired."));
    }

    [Fact]
    public async Task OtherClientsSession_FailStale()
    {
        var h = new SignInHarness();
        var session = await h.NewSessionAsync(new SignInState { Username = "alice", ChallengeName = "SMS_MFA" });
        h.Client = h.Client with { ClientId = "otherclient000000000000001" };
        (await h.Engine.RespondAsync(h.Request("SMS_MFA", new() { ["USERNAME"] = "alice", ["SMS_MFA_CODE"] = "123456" }, session)))
            .ShouldBeOfType<SignInResult.Failed>().Error.Message.ShouldBe("Invalid session for the user, session is expired.");
    }

    [Fact]
    public async Task ExpiredSession_FailStale()
    {
        var h = new SignInHarness();
        var session = await h.NewSessionAsync(new SignInState { Username = "alice", ChallengeName = "SMS_MFA" });
        h.Time.Now = h.Time.Now.AddMinutes(4);
        (await h.Engine.RespondAsync(h.Request("SMS_MFA", [], session))).ShouldBeOfType<SignInResult.Failed>()
            .Error.Message.ShouldBe("Invalid session for the user, session is expired.");
    }

    [Fact]
    public async Task ManagedLoginDoor_SignedInWithoutTokens_ExplicitAuthFlowsNotChecked()
    {
        var h = new SignInHarness();
        h.Client = h.Client with { Config = h.Client.Config with { ExplicitAuthFlows = ["ALLOW_REFRESH_TOKEN_AUTH"] } };
        h.AddUser();
        var signedIn = (await h.Engine.StartAsync(h.Request("USER_PASSWORD_AUTH", new() { ["USERNAME"] = "alice", ["PASSWORD"] = "Passw0rd!" })))
            .ShouldBeOfType<SignInResult.SignedIn>();
        signedIn.Tokens.ShouldBeNull();
        signedIn.AuthTime.ShouldBe(SignInHarness.T0);
        signedIn.User.Username.ShouldBe("alice");
        h.Events.Events.ShouldHaveSingleItem().EventResponse.ShouldBe("Pass");
    }

    [Fact]
    public async Task JsonDoor_FlowDisabled_InvalidParameterWithFlowMessage()
    {
        var h = new SignInHarness();
        h.Client = h.Client with { Config = h.Client.Config with { ExplicitAuthFlows = ["ALLOW_REFRESH_TOKEN_AUTH"] } };
        (await h.Engine.StartAsync(h.Request("USER_PASSWORD_AUTH", [], door: SignInDoor.JsonApi))).ShouldBeOfType<SignInResult.Failed>()
            .Error.ShouldBe(new CognitoError("InvalidParameterException", "USER_PASSWORD_AUTH flow not enabled for this client"));
        (await h.Engine.StartAsync(h.Request("USER_AUTH", [], door: SignInDoor.JsonApi))).ShouldBeOfType<SignInResult.Failed>()
            .Error.Message.ShouldBe("Auth flow not enabled for this client");
    }

    [Theory]
    [InlineData(SignInDoor.JsonApi, "ADMIN_USER_PASSWORD_AUTH")]
    [InlineData(SignInDoor.ManagedLogin, "ADMIN_NO_SRP_AUTH")]
    [InlineData(SignInDoor.JsonAdminApi, "USER_PASSWORD_AUTH")]
    public async Task FlowOnWrongDoor_Refused(SignInDoor door, string flow)
    {
        var h = new SignInHarness();
        (await h.Engine.StartAsync(h.Request(flow, [], door: door))).ShouldBeOfType<SignInResult.Failed>()
            .Error.ShouldBe(new CognitoError("InvalidParameterException", "Initiate Auth method not supported."));
    }

    // ---- UserPasswordAuth / UserLookup ----

    static SignInRequest Password(SignInHarness h, string username, string password) =>
        h.Request("USER_PASSWORD_AUTH", new() { ["USERNAME"] = username, ["PASSWORD"] = password });

    static void Prevent(SignInHarness h) => h.Client = h.Client with { Config = h.Client.Config with { PreventUserExistenceErrors = "ENABLED" } };

    [Fact]
    public async Task UserPasswordAuth_UnknownUser_Legacy_UserNotFound()
    {
        var h = new SignInHarness();
        (await h.PasswordFlow.StartAsync(Password(h, "nobody", "x"), default)).ShouldBeOfType<StepResult.Fail>().Error.Type.ShouldBe("UserNotFoundException");
    }

    [Fact]
    public async Task UserPasswordAuth_UnknownUser_Prevented_Incorrect()
    {
        var h = new SignInHarness();
        Prevent(h);
        (await h.PasswordFlow.StartAsync(Password(h, "nobody", "x"), default)).ShouldBeOfType<StepResult.Fail>().Error.Message.ShouldBe("Incorrect username or password.");
    }

    [Fact]
    public async Task UserPasswordAuth_Unconfirmed_Legacy_BeforePassword()
    {
        var h = new SignInHarness();
        h.AddUser(configure: u => u.Status = UserStatus.Unconfirmed);
        (await h.PasswordFlow.StartAsync(Password(h, "alice", "wrong"), default)).ShouldBeOfType<StepResult.Fail>().Error.Type.ShouldBe("UserNotConfirmedException");
        h.Events.Events.ShouldBeEmpty(); // the password was never checked
    }

    [Fact]
    public async Task UserPasswordAuth_Unconfirmed_Prevented_AfterPassword()
    {
        var h = new SignInHarness();
        Prevent(h);
        h.AddUser(configure: u => u.Status = UserStatus.Unconfirmed);
        (await h.PasswordFlow.StartAsync(Password(h, "alice", "wrong"), default)).ShouldBeOfType<StepResult.Fail>().Error.Message.ShouldBe("Incorrect username or password.");
        (await h.PasswordFlow.StartAsync(Password(h, "alice", "Passw0rd!"), default)).ShouldBeOfType<StepResult.Fail>().Error.Type.ShouldBe("UserNotConfirmedException");
    }

    [Fact]
    public async Task UserPasswordAuth_Locked_FailPasswordAttemptsExceeded()
    {
        var h = new SignInHarness();
        h.AddUser();
        for (int i = 0; i < 5; i++) await h.PasswordFlow.StartAsync(Password(h, "alice", "wrong"), default);
        (await h.PasswordFlow.StartAsync(Password(h, "alice", "Passw0rd!"), default)).ShouldBeOfType<StepResult.Fail>().Error.Message.ShouldBe("Password attempts exceeded");
    }

    [Fact]
    public void UserLookup_SecretHash_MissingAndWrong()
    {
        var h = new SignInHarness();
        var client = h.Client with { ClientSecret = "s3cr3t" };
        UserLookup.SecretHashError(h.Client, null, "alice").ShouldBeNull();
        UserLookup.SecretHashError(client, null, "alice")!.Message.ShouldBe($"Client {client.ClientId} is configured for secret but secret was not received");
        UserLookup.SecretHashError(client, "bad", "alice")!.Message.ShouldBe($"Unable to verify secret hash for client {client.ClientId}");
        UserLookup.SecretHashError(client, Cognate.Core.Crypto.SecretHash.Compute("s3cr3t", "alice", client.ClientId), "x", "alice").ShouldBeNull();
    }

    // ---- UserAuth ----

    [Fact]
    public async Task UserAuth_SinglePasswordlessFactor_StartedDirectly()
    {
        var h = new SignInHarness();
        h.Pool = h.Pool with { Config = h.Pool.Config with { Policies = new Cognate.Core.Pools.UserPoolPolicyType { SignInPolicy = new Cognate.Core.Pools.SignInPolicyType { AllowedFirstAuthFactors = ["EMAIL_OTP"] } } } };
        h.AddUser(password: null, configure: u => { u.Attributes["email"] = "a@example.com"; u.Attributes["email_verified"] = "true"; });
        var issued = (await h.Engine.StartAsync(h.Request("USER_AUTH", new() { ["USERNAME"] = "alice" }))).ShouldBeOfType<SignInResult.ChallengeIssued>();
        issued.ChallengeName.ShouldBe("EMAIL_OTP");
        issued.AvailableChallenges.ShouldBe(["EMAIL_OTP"]);
        (await h.PeekAsync(issued.Session!))!.State.Stage.ShouldBe(SignInStages.First);
    }

    [Fact]
    public async Task UserAuth_None_FailNotAuthorized()
    {
        var h = new SignInHarness();
        h.AddUser(password: null);
        (await h.Engine.StartAsync(h.Request("USER_AUTH", new() { ["USERNAME"] = "alice" }))).ShouldBeOfType<SignInResult.Failed>()
            .Error.Message.ShouldBe("No sign-in method the user pool allows is available for this user.");
    }

    [Fact]
    public async Task UserAuth_SignUpSession_SignedInOnce()
    {
        var h = new SignInHarness();
        var user = h.AddUser();
        var flow = new Core.SignIn.Flows.UserAuth(h.Users, h.Sessions, null!, null!, new Completion(null!, h.Time));
        var signUp = (await flow.NewSignUpSessionAsync(h.Pool, h.Client, "alice"))!;
        var confirmed = (await flow.ExchangeSignUpSessionAsync(h.Pool, h.Client, user, signUp))!;
        (await flow.ExchangeSignUpSessionAsync(h.Pool, h.Client, user, signUp)).ShouldBeNull(); // single use
        (await flow.StartAsync(h.Request("USER_AUTH", new() { ["USERNAME"] = "alice" }, confirmed), default)).ShouldBeOfType<StepResult.SignedIn>();
        (await flow.StartAsync(h.Request("USER_AUTH", new() { ["USERNAME"] = "alice" }, confirmed), default)).ShouldBeOfType<StepResult.Fail>()
            .Error.Message.ShouldBe("Invalid session for the user, session is expired.");
    }
}
