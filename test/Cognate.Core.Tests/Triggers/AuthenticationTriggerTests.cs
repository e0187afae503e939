using System.Text.Json.Nodes;
using Cognate.Client.Srp;
using Cognate.Core.SignIn;
using Cognate.Core.Triggers;
using Cognate.Core.Users;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.Triggers;

/// <summary>PreAuthentication and PostAuthentication as steps of the sign-in engine, over a fake Lambda transport.</summary>
public sealed class AuthenticationTriggerTests
{
    const string Pre = AuthTriggerHarness.PreAuthArn;
    const string Post = AuthTriggerHarness.PostAuthArn;

    [Fact]
    public async Task PreAuthentication_PasswordFlow_EventShape_AndRunsBeforeThePasswordCheck()
    {
        var h = new AuthTriggerHarness();
        h.AddUser();
        h.Triggers((TriggerNames.PreAuthentication, h.Lambda.Register(Pre, AuthTriggerHarness.Echo)));

        var wrong = await h.PasswordAsync("alice", "not-the-password", new() { ["app"] = "web" });
        wrong.ShouldBeOfType<SignInResult.Failed>().Error.Message.ShouldBe("Incorrect username or password.");

        var e = h.Lambda.Events(Pre).ShouldHaveSingleItem(); // invoked although the password is wrong: it runs before the check
        ((string)e["version"]!).ShouldBe("1");
        ((string)e["triggerSource"]!).ShouldBe("PreAuthentication_Authentication");
        ((string)e["region"]!).ShouldBe("us-east-1");
        ((string)e["userPoolId"]!).ShouldBe(h.Pool.Id);
        ((string)e["userName"]!).ShouldBe("alice");
        ((string)e["callerContext"]!["clientId"]!).ShouldBe(h.Client.ClientId);
        var request = e["request"]!.AsObject();
        ((string)request["userAttributes"]!["email"]!).ShouldBe("alice@example.com");
        ((string)request["userAttributes"]!["cognito:user_status"]!).ShouldBe("CONFIRMED");
        ((string)request["validationData"]!["app"]!).ShouldBe("web"); // InitiateAuth ClientMetadata → validationData (API reference)
        request.ContainsKey("userNotFound").ShouldBeFalse(); // LEGACY: not populated
        request.ContainsKey("clientMetadata").ShouldBeFalse();
        e["response"].ShouldBeOfType<JsonObject>().Count.ShouldBe(0);
    }

    [Fact]
    public async Task PreAuthentication_Throws_DeniesSignIn_WithCognitoMessage()
    {
        var h = new AuthTriggerHarness();
        h.AddUser();
        h.Triggers((TriggerNames.PreAuthentication, h.Lambda.RegisterError(Pre, "Cannot authenticate users from this user pool app client")));
        var failed = (await h.PasswordAsync("alice", "Passw0rd!")).ShouldBeOfType<SignInResult.Failed>();
        failed.Error.Type.ShouldBe("UserLambdaValidationException");
        failed.Error.Message.ShouldBe("PreAuthentication failed with error Cannot authenticate users from this user pool app client.");
    }

    [Fact]
    public async Task PreAuthentication_UnknownUser_OnlyWithPreventUserExistenceErrors()
    {
        var h = new AuthTriggerHarness();
        h.Triggers((TriggerNames.PreAuthentication, h.Lambda.Register(Pre, AuthTriggerHarness.Echo)));

        (await h.PasswordAsync("nobody", "Passw0rd!")).ShouldBeOfType<SignInResult.Failed>().Error.Type.ShouldBe("UserNotFoundException");
        h.Lambda.Calls.ShouldBeEmpty(); // LEGACY: the trigger doesn't activate for an unknown user

        h.HideUsers();
        (await h.PasswordAsync("Nobody", "Passw0rd!")).ShouldBeOfType<SignInResult.Failed>().Error.Message.ShouldBe("Incorrect username or password.");
        var e = h.Lambda.Events(Pre).ShouldHaveSingleItem();
        ((string)e["userName"]!).ShouldBe("Nobody"); // the typed name
        ((bool)e["request"]!["userNotFound"]!).ShouldBeTrue();
        e["request"]!["userAttributes"].ShouldBeOfType<JsonObject>().Count.ShouldBe(0);

        h.AddUser();
        await h.PasswordAsync("alice", "Passw0rd!");
        ((bool)h.Lambda.Events(Pre)[^1]["request"]!["userNotFound"]!).ShouldBeFalse();
    }

    [Fact]
    public async Task PreAuthentication_Srp_RunsAtSrpA_DenialIssuesNoPasswordVerifier()
    {
        var h = new AuthTriggerHarness();
        h.AddUser();
        h.Triggers((TriggerNames.PreAuthentication, h.Lambda.RegisterError(Pre, "blocked")));
        var a = new SrpSignIn.Ephemeral();
        var result = await h.Engine.StartAsync(h.Request("USER_SRP_AUTH", new() { ["USERNAME"] = "alice", ["SRP_A"] = a.SrpA }, clientMetadata: new() { ["k"] = "v" }));
        result.ShouldBeOfType<SignInResult.Failed>().Error.Message.ShouldBe("PreAuthentication failed with error blocked.");
        ((string)h.Lambda.Events(Pre).ShouldHaveSingleItem()["request"]!["validationData"]!["k"]!).ShouldBe("v");
        h.SessionStore.ByHash.ShouldBeEmpty(); // no SECRET_BLOCK was issued
    }

    [Fact]
    public async Task PreAuthentication_UserAuth_RunsBeforeTheFactorChoice()
    {
        var h = new AuthTriggerHarness();
        h.AddUser();
        h.Triggers((TriggerNames.PreAuthentication, h.Lambda.RegisterError(Pre, "no")));
        var result = await h.Engine.StartAsync(h.Request("USER_AUTH", new() { ["USERNAME"] = "alice" }));
        result.ShouldBeOfType<SignInResult.Failed>().Error.Type.ShouldBe("UserLambdaValidationException");
        h.SessionStore.ByHash.ShouldBeEmpty(); // no SELECT_CHALLENGE session
    }

    [Fact]
    public async Task PostAuthentication_AfterSuccess_EventShape_AndThrowMeansNoSignIn()
    {
        var h = new AuthTriggerHarness();
        h.AddUser();
        h.Triggers((TriggerNames.PostAuthentication, h.Lambda.Register(Post, AuthTriggerHarness.Echo)));

        (await h.PasswordAsync("alice", "wrong-password")).ShouldBeOfType<SignInResult.Failed>();
        h.Lambda.Calls.ShouldBeEmpty(); // only after a successful sign-in

        (await h.PasswordAsync("alice", "Passw0rd!", new() { ["x"] = "y" })).ShouldBeOfType<SignInResult.SignedIn>();
        var e = h.Lambda.Events(Post).ShouldHaveSingleItem();
        ((string)e["triggerSource"]!).ShouldBe("PostAuthentication_Authentication");
        ((string)e["userName"]!).ShouldBe("alice");
        ((bool)e["request"]!["newDeviceUsed"]!).ShouldBeFalse();
        ((string)e["request"]!["userAttributes"]!["email"]!).ShouldBe("alice@example.com");
        e["request"]!.AsObject().ContainsKey("clientMetadata").ShouldBeFalse(); // InitiateAuth's ClientMetadata is not given to it

        h.Lambda.RegisterError(Post, "audit store down");
        var failed = (await h.PasswordAsync("alice", "Passw0rd!")).ShouldBeOfType<SignInResult.Failed>();
        failed.Error.Type.ShouldBe("UserLambdaValidationException");
        failed.Error.Message.ShouldBe("PostAuthentication failed with error audit store down.");
    }

    [Fact]
    public async Task PostAuthentication_AfterMfa_WithTheChallengeResponsesClientMetadata()
    {
        var h = new AuthTriggerHarness();
        h.AddUser(configure: u => u.Attributes["phone_number"] = "+15555550100");
        h.Pool = h.Pool with { Config = h.Pool.Config with { MfaConfiguration = "ON", SmsMfaConfiguration = new Core.Pools.SmsMfaConfigType() } };
        h.Triggers((TriggerNames.PostAuthentication, h.Lambda.RegisterError(Post, "denied")));

        var challenge = (await h.Engine.StartAsync(h.Request("USER_PASSWORD_AUTH", new() { ["USERNAME"] = "alice", ["PASSWORD"] = "Passw0rd!" }, door: SignInDoor.JsonApi)))
            .ShouldBeOfType<SignInResult.ChallengeIssued>();
        challenge.ChallengeName.ShouldBe("SMS_MFA");
        h.Lambda.Calls.ShouldBeEmpty(); // not before MFA

        var code = h.Sender.Messages[^1].Code!;
        var result = await h.Engine.RespondAsync(h.Request("SMS_MFA", new() { ["USERNAME"] = "alice", ["SMS_MFA_CODE"] = code }, challenge.Session,
            SignInDoor.JsonApi, new() { ["device"] = "kiosk" }));
        result.ShouldBeOfType<SignInResult.Failed>().Error.Message.ShouldBe("PostAuthentication failed with error denied.");
        ((string)h.Lambda.Events(Post).ShouldHaveSingleItem()["request"]!["clientMetadata"]!["device"]!).ShouldBe("kiosk");
    }

    [Fact]
    public async Task PoolWithoutTriggers_InvokesNothing_PerPool()
    {
        var h = new AuthTriggerHarness();
        h.AddUser();
        h.Lambda.Register(Pre, AuthTriggerHarness.Echo);
        h.Lambda.Register(Post, AuthTriggerHarness.Echo);
        (await h.PasswordAsync("alice", "Passw0rd!")).ShouldBeOfType<SignInResult.SignedIn>();
        h.Lambda.Calls.ShouldBeEmpty();
        // Another pool's LambdaConfig is not this pool's: configure a different pool id's config object and check nothing leaks.
        h.Triggers(("PreSignUp", Pre));
        (await h.PasswordAsync("alice", "Passw0rd!")).ShouldBeOfType<SignInResult.SignedIn>();
        h.Lambda.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task GarbageAnswer_IsInvalidLambdaResponse()
    {
        var h = new AuthTriggerHarness();
        h.AddUser();
        h.Triggers((TriggerNames.PreAuthentication, h.Lambda.Register(Pre, e => { e["response"] = "nope"; return e; })));
        (await h.PasswordAsync("alice", "Passw0rd!")).ShouldBeOfType<SignInResult.Failed>().Error.Type.ShouldBe("InvalidLambdaResponseException");
    }
}
