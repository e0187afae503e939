using System.Text;
using System.Text.Json.Nodes;
using Cognate.Client.Srp;
using Cognate.Core.Errors;
using Cognate.Core.SignIn;
using Cognate.Core.SignIn.Steps;
using Cognate.Core.Tests.SignIn;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.Triggers;

/// <summary>CUSTOM_AUTH through the engine with scripted Define / Create / Verify functions (AWS guide "Custom authentication
/// challenge Lambda triggers"): the loop, the events' shapes, failure, issueTokens, the round cap, SRP first.</summary>
public sealed class CustomAuthTests
{
    const string Code = "424242";

    static JsonObject Answer(JsonObject e, Action<JsonObject> fill)
    {
        fill((JsonObject)e["response"]!);
        return e;
    }

    static JsonArray Session(JsonObject e) => e["request"]!["session"]!.AsArray();

    /// <summary>The classic magic-code trio: three tries, then failAuthentication.</summary>
    static (string Define, string Create, string Verify) MagicCode(SignInHarness h)
    {
        var define = h.Lambda.Register(e => Answer(e, r =>
        {
            var session = Session(e);
            if (session.Count > 0 && session[^1]!["challengeName"]!.GetValue<string>() == "CUSTOM_CHALLENGE" && session[^1]!["challengeResult"]!.GetValue<bool>())
            {
                r["issueTokens"] = true;
                r["failAuthentication"] = false;
            }
            else if (session.Count >= 3)
            {
                r["issueTokens"] = false;
                r["failAuthentication"] = true;
            }
            else
            {
                r["issueTokens"] = false;
                r["failAuthentication"] = false;
                r["challengeName"] = "CUSTOM_CHALLENGE";
            }
        }));
        var create = h.Lambda.Register(e => Answer(e, r =>
        {
            r["publicChallengeParameters"] = new JsonObject { ["hint"] = "code sent", ["attempt"] = Session(e).Count + 1 };
            r["privateChallengeParameters"] = new JsonObject { ["code"] = Code };
            r["challengeMetadata"] = $"CODE-{Session(e).Count + 1}";
        }));
        var verify = h.Lambda.Register(e => Answer(e, r =>
            r["answerCorrect"] = e["request"]!["privateChallengeParameters"]!["code"]!.GetValue<string>() == e["request"]!["challengeAnswer"]!.GetValue<string>()));
        Configure(h, define, create, verify);
        return (define, create, verify);
    }

    static void Configure(SignInHarness h, string? define, string? create, string? verify)
    {
        var config = new JsonObject();
        if (define is not null) config["DefineAuthChallenge"] = define;
        if (create is not null) config["CreateAuthChallenge"] = create;
        if (verify is not null) config["VerifyAuthChallengeResponse"] = verify;
        h.Pool = h.Pool with { Config = h.Pool.Config with { LambdaConfig = config } };
    }

    static SignInRequest Start(SignInHarness h, string username = "alice", Dictionary<string, string>? extra = null)
    {
        var parameters = new Dictionary<string, string> { ["USERNAME"] = username };
        foreach (var (k, v) in extra ?? []) parameters[k] = v;
        return h.Request("CUSTOM_AUTH", parameters, door: SignInDoor.ManagedLogin) with { ClientMetadata = new Dictionary<string, string> { ["from"] = "initiate" } };
    }

    static SignInRequest Reply(SignInHarness h, SignInResult.ChallengeIssued c, string answer, string username = "alice") =>
        h.Request("CUSTOM_CHALLENGE", new() { ["USERNAME"] = username, ["ANSWER"] = answer }, c.Session) with
        {
            ClientMetadata = new Dictionary<string, string> { ["from"] = "respond" },
        };

    [Fact]
    public async Task MagicCode_RightAnswer_SignedIn_EventsAsCognito()
    {
        var h = new SignInHarness();
        h.AddUser(configure: u => u.Attributes["email"] = "alice@example.com");
        var (define, create, verify) = MagicCode(h);

        var c = (await h.Engine.StartAsync(Start(h))).ShouldBeOfType<SignInResult.ChallengeIssued>();
        c.ChallengeName.ShouldBe("CUSTOM_CHALLENGE");
        c.Session.ShouldNotBeNull();
        c.Parameters.ShouldBe(new Dictionary<string, string> { ["hint"] = "code sent", ["attempt"] = "1", ["USERNAME"] = "alice" }, ignoreOrder: true);

        (await h.Engine.RespondAsync(Reply(h, c, Code))).ShouldBeOfType<SignInResult.SignedIn>().User.Username.ShouldBe("alice");
        h.Lambda.Order.ShouldBe(["DefineAuthChallenge_Authentication", "CreateAuthChallenge_Authentication", "VerifyAuthChallengeResponse_Authentication", "DefineAuthChallenge_Authentication"]);

        var first = h.Lambda.Events(define)[0];
        first["version"]!.GetValue<string>().ShouldBe("1");
        first["userName"]!.GetValue<string>().ShouldBe("alice");
        first["userPoolId"]!.GetValue<string>().ShouldBe(h.Pool.Id);
        first["callerContext"]!["clientId"]!.GetValue<string>().ShouldBe(h.Client.ClientId);
        first["request"]!["userAttributes"]!["email"]!.GetValue<string>().ShouldBe("alice@example.com");
        first["request"]!["userAttributes"]!["cognito:user_status"]!.GetValue<string>().ShouldBe("CONFIRMED");
        Session(first).Count.ShouldBe(0);
        first["request"]!.AsObject().ContainsKey("clientMetadata").ShouldBeFalse(); // Cognito does not pass InitiateAuth's
        first["request"]!.AsObject().ContainsKey("userNotFound").ShouldBeFalse();    // only with PreventUserExistenceErrors

        var created = h.Lambda.Events(create)[0]["request"]!;
        created["challengeName"]!.GetValue<string>().ShouldBe("CUSTOM_CHALLENGE");
        created["session"]!.AsArray().Count.ShouldBe(0);

        var verified = h.Lambda.Events(verify)[0]["request"]!;
        verified["privateChallengeParameters"]!.ToJsonString().ShouldBe("{\"code\":\"424242\"}");
        verified["challengeAnswer"]!.GetValue<string>().ShouldBe(Code);
        verified["clientMetadata"]!.ToJsonString().ShouldBe("{\"from\":\"respond\"}");

        var second = h.Lambda.Events(define)[1]["request"]!;
        second["session"]!.ToJsonString().ShouldBe("[{\"challengeName\":\"CUSTOM_CHALLENGE\",\"challengeResult\":true,\"challengeMetadata\":\"CODE-1\"}]");
        second["clientMetadata"]!.ToJsonString().ShouldBe("{\"from\":\"respond\"}");
        h.SessionStore.ByHash.ShouldBeEmpty();
    }

    [Fact]
    public async Task WrongAnswers_NewChallengeEachTime_ThirdWrongFails()
    {
        var h = new SignInHarness();
        h.AddUser();
        var (define, create, _) = MagicCode(h);
        var c = (await h.Engine.StartAsync(Start(h))).ShouldBeOfType<SignInResult.ChallengeIssued>();
        var c2 = (await h.Engine.RespondAsync(Reply(h, c, "000000"))).ShouldBeOfType<SignInResult.ChallengeIssued>();
        c2.ChallengeName.ShouldBe("CUSTOM_CHALLENGE");
        c2.Session.ShouldNotBe(c.Session);
        c2.Parameters["attempt"].ShouldBe("2");
        (await h.Engine.RespondAsync(Reply(h, c, Code))).ShouldBeOfType<SignInResult.Failed>() // the first session was used
            .Error.Message.ShouldBe("Invalid session for the user, session is expired.");
        var c3 = (await h.Engine.RespondAsync(Reply(h, c2, "111111"))).ShouldBeOfType<SignInResult.ChallengeIssued>();
        Session(h.Lambda.Events(create)[2]).ToJsonString().ShouldBe(
            "[{\"challengeName\":\"CUSTOM_CHALLENGE\",\"challengeResult\":false,\"challengeMetadata\":\"CODE-1\"},"
            + "{\"challengeName\":\"CUSTOM_CHALLENGE\",\"challengeResult\":false,\"challengeMetadata\":\"CODE-2\"}]");
        var failed = (await h.Engine.RespondAsync(Reply(h, c3, "222222"))).ShouldBeOfType<SignInResult.Failed>();
        failed.Error.ShouldBe(new CognitoError("NotAuthorizedException", "Incorrect username or password."));
        Session(h.Lambda.Events(define)[^1]).Count.ShouldBe(3);
        h.SessionStore.ByHash.ShouldBeEmpty();
    }

    [Fact]
    public async Task PrivateParameters_NotStoredInTheClear()
    {
        var h = new SignInHarness();
        h.AddUser();
        MagicCode(h);
        (await h.Engine.StartAsync(Start(h))).ShouldBeOfType<SignInResult.ChallengeIssued>();
        var stored = h.SessionStore.ByHash.Values.Single();
        stored.ChallengeName.ShouldBe("CUSTOM_CHALLENGE");
        stored.Data.ShouldNotContain(Code);
        stored.Data.ShouldNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(Code)));
    }

    [Fact]
    public async Task IssueTokensAtOnce_SignedInWithoutChallenge()
    {
        var h = new SignInHarness();
        h.AddUser();
        Configure(h, h.Lambda.Register(e => Answer(e, r => r["issueTokens"] = true)), h.Lambda.Register(e => e), null);
        (await h.Engine.StartAsync(Start(h))).ShouldBeOfType<SignInResult.SignedIn>();
    }

    [Fact]
    public async Task FailAuthentication_NotAuthorized()
    {
        var h = new SignInHarness();
        h.AddUser();
        Configure(h, h.Lambda.Register(e => Answer(e, r => { r["failAuthentication"] = true; r["issueTokens"] = true; })), h.Lambda.Register(e => e), null);
        (await h.Engine.StartAsync(Start(h))).ShouldBeOfType<SignInResult.Failed>().Error
            .ShouldBe(new CognitoError("NotAuthorizedException", "Incorrect username or password."));
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public async Task TriggersMissing_InvalidParameter(bool withDefine, bool withCreate)
    {
        var h = new SignInHarness();
        h.AddUser();
        Configure(h, withDefine ? h.Lambda.Register(e => e) : null, withCreate ? h.Lambda.Register(e => e) : null, null);
        (await h.Engine.StartAsync(Start(h))).ShouldBeOfType<SignInResult.Failed>().Error
            .ShouldBe(new CognitoError("InvalidParameterException", "Custom auth lambda trigger is not configured for the user pool."));
        h.Lambda.Order.ShouldBeEmpty();
    }

    [Fact]
    public async Task VerifyMissing_AnswerFailsInvalidParameter()
    {
        var h = new SignInHarness();
        h.AddUser();
        var (define, create, _) = MagicCode(h);
        Configure(h, define, create, null);
        var c = (await h.Engine.StartAsync(Start(h))).ShouldBeOfType<SignInResult.ChallengeIssued>();
        (await h.Engine.RespondAsync(Reply(h, c, Code))).ShouldBeOfType<SignInResult.Failed>().Error.Type.ShouldBe("InvalidParameterException");
    }

    [Fact]
    public async Task RoundCap_DefineNeverDecides_FailsAfterMaxRounds()
    {
        var h = new SignInHarness();
        h.AddUser();
        var define = h.Lambda.Register(e => Answer(e, r => r["challengeName"] = "CUSTOM_CHALLENGE"));
        Configure(h, define, h.Lambda.Register(e => Answer(e, r => r["privateChallengeParameters"] = new JsonObject { ["a"] = "b" })),
            h.Lambda.Register(e => Answer(e, r => r["answerCorrect"] = false)));
        var result = await h.Engine.StartAsync(Start(h));
        int rounds = 0;
        while (result is SignInResult.ChallengeIssued c)
        {
            rounds++;
            result = await h.Engine.RespondAsync(Reply(h, c, "x"));
        }
        rounds.ShouldBe(CustomChallengeLoop.MaxRounds);
        result.ShouldBeOfType<SignInResult.Failed>().Error.Message.ShouldBe("Incorrect username or password.");
        h.Lambda.Events(define).Count.ShouldBe(CustomChallengeLoop.MaxRounds); // the call after the cap is not made
    }

    [Fact]
    public async Task DefineThrows_UserLambdaValidation_SessionGone()
    {
        var h = new SignInHarness();
        h.AddUser();
        var (define, create, verify) = MagicCode(h);
        var c = (await h.Engine.StartAsync(Start(h))).ShouldBeOfType<SignInResult.ChallengeIssued>();
        Configure(h, h.Lambda.RegisterError("boom"), create, verify);
        (await h.Engine.RespondAsync(Reply(h, c, Code))).ShouldBeOfType<SignInResult.Failed>().Error
            .ShouldBe(new CognitoError("UserLambdaValidationException", "DefineAuthChallenge failed with error boom."));
        h.SessionStore.ByHash.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("{\"publicChallengeParameters\":[1,2]}")]
    [InlineData("{\"privateChallengeParameters\":{\"a\":{\"nested\":true}}}")]
    [InlineData("{\"challengeMetadata\":42}")]
    [InlineData("\"not an object\"")]
    public async Task CreateGarbage_InvalidLambdaResponse_NoSession(string response)
    {
        var h = new SignInHarness();
        h.AddUser();
        var (define, _, verify) = MagicCode(h);
        Configure(h, define, h.Lambda.Register(e => { e["response"] = JsonNode.Parse(response); return e; }), verify);
        (await h.Engine.StartAsync(Start(h))).ShouldBeOfType<SignInResult.Failed>().Error.Type.ShouldBe("InvalidLambdaResponseException");
        h.SessionStore.ByHash.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("{\"issueTokens\":\"yes\"}", "InvalidLambdaResponseException")]
    [InlineData("{\"challengeName\":\"NOT_A_CHALLENGE\"}", "InvalidLambdaResponseException")]
    [InlineData("{}", "InvalidLambdaResponseException")]
    [InlineData("{\"challengeName\":\"PASSWORD_VERIFIER\"}", "InvalidLambdaResponseException")]
    [InlineData("{\"challengeName\":\"SMS_MFA\"}", "UnsupportedOperationException")]
    public async Task DefineBadDecision_Error(string response, string type)
    {
        var h = new SignInHarness();
        h.AddUser();
        Configure(h, h.Lambda.Register(e => { e["response"] = JsonNode.Parse(response); return e; }), h.Lambda.Register(e => e), null);
        (await h.Engine.StartAsync(Start(h))).ShouldBeOfType<SignInResult.Failed>().Error.Type.ShouldBe(type);
    }

    [Fact]
    public async Task Unreachable_UnexpectedLambda()
    {
        var h = new SignInHarness();
        h.AddUser();
        Configure(h, "arn:aws:lambda:us-east-1:000000000000:function:nowhere", "arn:aws:lambda:us-east-1:000000000000:function:nowhere", null);
        (await h.Engine.StartAsync(Start(h))).ShouldBeOfType<SignInResult.Failed>().Error.Type.ShouldBe("UnexpectedLambdaException");
    }

    [Fact]
    public async Task UnknownUser_Legacy_UserNotFound_NoTrigger()
    {
        var h = new SignInHarness();
        MagicCode(h);
        (await h.Engine.StartAsync(Start(h, "nobody"))).ShouldBeOfType<SignInResult.Failed>().Error.Type.ShouldBe("UserNotFoundException");
        h.Lambda.Order.ShouldBeEmpty();
    }

    [Fact]
    public async Task UnknownUser_PreventUserExistenceErrors_TriggersSeeUserNotFound_NeverSignedIn()
    {
        var h = new SignInHarness();
        h.Client = h.Client with { Config = h.Client.Config with { PreventUserExistenceErrors = "ENABLED" } };
        var (define, _, verify) = MagicCode(h);
        var c = (await h.Engine.StartAsync(Start(h, "nobody"))).ShouldBeOfType<SignInResult.ChallengeIssued>();
        c.Parameters["USERNAME"].ShouldBe("nobody");
        var first = h.Lambda.Events(define)[0];
        first["userName"]!.GetValue<string>().ShouldBe("nobody");
        first["request"]!["userNotFound"]!.GetValue<bool>().ShouldBeTrue();
        first["request"]!["userAttributes"]!.AsObject().Count.ShouldBe(0);
        (await h.Engine.RespondAsync(Reply(h, c, Code, "nobody"))).ShouldBeOfType<SignInResult.Failed>().Error.Message.ShouldBe("Incorrect username or password.");
        h.Lambda.Events(verify)[0]["request"]!["userNotFound"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task KnownUser_PreventUserExistenceErrors_UserNotFoundFalse()
    {
        var h = new SignInHarness();
        h.Client = h.Client with { Config = h.Client.Config with { PreventUserExistenceErrors = "ENABLED" } };
        h.AddUser();
        var (define, _, _) = MagicCode(h);
        (await h.Engine.StartAsync(Start(h))).ShouldBeOfType<SignInResult.ChallengeIssued>();
        h.Lambda.Events(define)[0]["request"]!["userNotFound"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Fact]
    public async Task DisabledUser_Legacy_FailsBeforeTriggers()
    {
        var h = new SignInHarness();
        h.AddUser(configure: u => u.Enabled = false);
        MagicCode(h);
        (await h.Engine.StartAsync(Start(h))).ShouldBeOfType<SignInResult.Failed>().Error.Message.ShouldBe("User is disabled.");
        h.Lambda.Order.ShouldBeEmpty();
    }

    [Fact]
    public async Task MissingAnswer_KeepsSession_OtherUser_EndsIt()
    {
        var h = new SignInHarness();
        h.AddUser();
        h.AddUser("bob");
        MagicCode(h);
        var c = (await h.Engine.StartAsync(Start(h))).ShouldBeOfType<SignInResult.ChallengeIssued>();
        var retry = (await h.Engine.RespondAsync(h.Request("CUSTOM_CHALLENGE", new() { ["USERNAME"] = "alice" }, c.Session))).ShouldBeOfType<SignInResult.Retry>();
        retry.Error.ShouldBe(new CognitoError("InvalidParameterException", "Missing required parameter ANSWER"));
        (await h.Engine.RespondAsync(Reply(h, c, Code, "bob"))).ShouldBeOfType<SignInResult.Failed>().Error.Message.ShouldBe("Invalid session for the user.");
    }

    [Fact]
    public async Task SrpFirst_PasswordVerifierThenCustomChallenge_SignedIn()
    {
        var h = new SignInHarness();
        h.AddUser();
        var define = h.Lambda.Register(e => Answer(e, r =>
        {
            var s = Session(e);
            if (s.Count == 1 && s[0]!["challengeName"]!.GetValue<string>() == "SRP_A") r["challengeName"] = "PASSWORD_VERIFIER";
            else if (s.Count == 2 && s[1]!["challengeName"]!.GetValue<string>() == "PASSWORD_VERIFIER" && s[1]!["challengeResult"]!.GetValue<bool>()) r["challengeName"] = "CUSTOM_CHALLENGE";
            else if (s.Count == 3 && s[2]!["challengeResult"]!.GetValue<bool>()) r["issueTokens"] = true;
            else r["failAuthentication"] = true;
        }));
        var (_, create, verify) = MagicCode(h);
        Configure(h, define, create, verify);
        var a = new SrpSignIn.Ephemeral();
        var pv = (await h.Engine.StartAsync(Start(h, extra: new() { ["CHALLENGE_NAME"] = "SRP_A", ["SRP_A"] = a.SrpA }))).ShouldBeOfType<SignInResult.ChallengeIssued>();
        pv.ChallengeName.ShouldBe("PASSWORD_VERIFIER");
        Session(h.Lambda.Events(define)[0]).ToJsonString().ShouldBe("[{\"challengeName\":\"SRP_A\",\"challengeResult\":true,\"challengeMetadata\":null}]");

        var parameters = new JsonObject();
        foreach (var (k, v) in pv.Parameters) parameters[k] = v;
        var proof = SrpSignIn.Answer(h.Pool.Id, h.Client.ClientId, null, "Passw0rd!", a, parameters, h.Time.Now);
        var c = (await h.Engine.RespondAsync(h.Request("PASSWORD_VERIFIER", proof.ToDictionary(p => p.Key, p => (string)p.Value!))))
            .ShouldBeOfType<SignInResult.ChallengeIssued>();
        c.ChallengeName.ShouldBe("CUSTOM_CHALLENGE");
        Session(h.Lambda.Events(define)[1]).Count.ShouldBe(2);
        (await h.Engine.RespondAsync(Reply(h, c, Code))).ShouldBeOfType<SignInResult.SignedIn>();
    }

    [Fact]
    public async Task SrpFirst_WrongPassword_Incorrect()
    {
        var h = new SignInHarness();
        h.AddUser();
        var define = h.Lambda.Register(e => Answer(e, r => r["challengeName"] = Session(e).Count == 1 ? "PASSWORD_VERIFIER" : "CUSTOM_CHALLENGE"));
        Configure(h, define, h.Lambda.Register(e => e), null);
        var a = new SrpSignIn.Ephemeral();
        var pv = (await h.Engine.StartAsync(Start(h, extra: new() { ["CHALLENGE_NAME"] = "SRP_A", ["SRP_A"] = a.SrpA }))).ShouldBeOfType<SignInResult.ChallengeIssued>();
        var parameters = new JsonObject();
        foreach (var (k, v) in pv.Parameters) parameters[k] = v;
        var proof = SrpSignIn.Answer(h.Pool.Id, h.Client.ClientId, null, "Wrong-pass1", a, parameters, h.Time.Now);
        (await h.Engine.RespondAsync(h.Request("PASSWORD_VERIFIER", proof.ToDictionary(p => p.Key, p => (string)p.Value!))))
            .ShouldBeOfType<SignInResult.Failed>().Error.Message.ShouldBe("Incorrect username or password.");
        h.Lambda.Events(define).Count.ShouldBe(1);
    }

    [Fact]
    public async Task PlainSrpBlock_StillGoesToAfterFirstFactor()
    {
        // A USER_SRP_AUTH block (no custom flag) is unaffected by the triggers.
        var h = new SignInHarness();
        h.AddUser();
        MagicCode(h);
        var a = new SrpSignIn.Ephemeral();
        var pv = (await h.Engine.StartAsync(h.Request("USER_SRP_AUTH", new() { ["USERNAME"] = "alice", ["SRP_A"] = a.SrpA }))).ShouldBeOfType<SignInResult.ChallengeIssued>();
        var parameters = new JsonObject();
        foreach (var (k, v) in pv.Parameters) parameters[k] = v;
        var proof = SrpSignIn.Answer(h.Pool.Id, h.Client.ClientId, null, "Passw0rd!", a, parameters, h.Time.Now);
        (await h.Engine.RespondAsync(h.Request("PASSWORD_VERIFIER", proof.ToDictionary(p => p.Key, p => (string)p.Value!)))).ShouldBeOfType<SignInResult.SignedIn>();
        h.Lambda.Order.ShouldBeEmpty();
    }
}
