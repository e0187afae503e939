using System.Text.Json.Nodes;
using Cognate.Core.SignIn;
using Cognate.Core.Triggers;
using Cognate.Core.Users;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.Triggers;

/// <summary>UserMigration at sign-in and in ForgotPassword, over a fake Lambda transport.</summary>
public sealed class UserMigrationTests
{
    const string Arn = AuthTriggerHarness.MigrationArn;

    /// <summary>The AWS guide's example: a legacy store that knows bob with "legacy-pw" (weaker than the pool's policy).</summary>
    static JsonObject? Legacy(JsonObject e)
    {
        var source = (string)e["triggerSource"]!;
        if ((string)e["userName"]! != "bob") throw Errors.CognitoErrors.UserLambdaValidation("UserMigration", "Bad password");
        if (source == "UserMigration_Authentication" && (string?)e["request"]!["password"] != "legacy-pw")
        {
            throw Errors.CognitoErrors.UserLambdaValidation("UserMigration", "Bad password");
        }
        e["response"] = new JsonObject
        {
            ["userAttributes"] = new JsonObject { ["email"] = "bob@example.com", ["email_verified"] = "true", ["name"] = "Bob" },
            ["finalUserStatus"] = "CONFIRMED",
            ["messageAction"] = "SUPPRESS",
        };
        return e;
    }

    static AuthTriggerHarness WithMigration(Func<JsonObject, JsonObject?> handler)
    {
        var h = new AuthTriggerHarness();
        h.Triggers((TriggerNames.UserMigration, h.Lambda.Register(Arn, handler)));
        return h;
    }

    [Fact]
    public async Task SignIn_UnknownUser_IsMigratedWithTheTypedPassword_AndSignsIn_Once()
    {
        var h = WithMigration(Legacy);
        var signedIn = (await h.PasswordAsync("bob", "legacy-pw", new() { ["source"] = "app" })).ShouldBeOfType<SignInResult.SignedIn>();
        signedIn.User.Username.ShouldBe("bob");
        signedIn.User.Status.ShouldBe(UserStatus.Confirmed);
        signedIn.User.Get("name").ShouldBe("Bob");
        signedIn.User.IsVerified("email").ShouldBeTrue();

        var e = h.Lambda.Events(Arn).ShouldHaveSingleItem();
        ((string)e["triggerSource"]!).ShouldBe("UserMigration_Authentication");
        ((string)e["userName"]!).ShouldBe("bob");
        ((string)e["callerContext"]!["clientId"]!).ShouldBe(h.Client.ClientId);
        ((string)e["request"]!["password"]!).ShouldBe("legacy-pw");
        ((string)e["request"]!["validationData"]!["source"]!).ShouldBe("app");
        e["request"]!.AsObject().ContainsKey("clientMetadata").ShouldBeFalse();

        // The second sign-in finds the user: no trigger; the migrated password is the user's password now.
        (await h.PasswordAsync("bob", "legacy-pw")).ShouldBeOfType<SignInResult.SignedIn>();
        (await h.PasswordAsync("bob", "other")).ShouldBeOfType<SignInResult.Failed>().Error.Message.ShouldBe("Incorrect username or password.");
        h.Lambda.Events(Arn).Count.ShouldBe(1);
        h.UserStore.Creates.ShouldBe(1);
    }

    [Fact]
    public async Task SignIn_FunctionThrows_NoUser()
    {
        var h = WithMigration(Legacy);
        var failed = (await h.PasswordAsync("bob", "wrong")).ShouldBeOfType<SignInResult.Failed>();
        failed.Error.Type.ShouldBe("UserLambdaValidationException");
        failed.Error.Message.ShouldBe("UserMigration failed with error Bad password.");
        (await h.Users.FindAsync(h.Pool, "bob")).ShouldBeNull();
    }

    [Theory]
    [InlineData("""{"userAttributes":{"email":42}}""", "InvalidLambdaResponseException", "Invalid lambda response from UserMigration.")]
    [InlineData("""{"userAttributes":"bob"}""", "InvalidLambdaResponseException", "Invalid lambda response from UserMigration.")]
    [InlineData("""{}""", "UserNotFoundException", "Exception migrating user in app client triggerclient0000000000001")]
    [InlineData("""{"userAttributes":{"email":"b@example.com"},"finalUserStatus":"FORCE_CHANGE_PASSWORD"}""", "UserNotFoundException", "Invalid finalUserStatus")]
    [InlineData("""{"userAttributes":{"email":"b@example.com"},"messageAction":"RESEND"}""", "UserNotFoundException", "Invalid messageAction")]
    [InlineData("""{"userAttributes":{"email":"b@example.com"},"desiredDeliveryMediums":["PIGEON"]}""", "UserNotFoundException", "Invalid desiredDeliveryMediums")]
    [InlineData("""{"userAttributes":{"shoe_size":"44"}}""", "UserNotFoundException", "Attributes did not conform to the schema: Type for attribute {shoe_size} could not be determined")]
    [InlineData("""{"userAttributes":{"email":"b@example.com"},"forceAliasCreation":"maybe"}""", "InvalidLambdaResponseException", "Invalid lambda response from UserMigration.")]
    public async Task SignIn_BadAnswer_RightError_NoUser(string response, string type, string message)
    {
        var h = WithMigration(e => { e["response"] = JsonNode.Parse(response); return e; });
        var failed = (await h.PasswordAsync("bob", "legacy-pw")).ShouldBeOfType<SignInResult.Failed>();
        failed.Error.Type.ShouldBe(type);
        failed.Error.Message.ShouldBe(message);
        h.UserStore.Creates.ShouldBe(0);
    }

    [Fact]
    public async Task SignIn_Unreachable_UnexpectedLambda_NoUser()
    {
        var h = new AuthTriggerHarness();
        h.Triggers((TriggerNames.UserMigration, "arn:aws:lambda:us-east-1:000000000000:function:not-registered"));
        (await h.PasswordAsync("bob", "legacy-pw")).ShouldBeOfType<SignInResult.Failed>().Error.Type.ShouldBe("UnexpectedLambdaException");
        h.UserStore.Creates.ShouldBe(0);
    }

    [Fact]
    public async Task SignIn_ResetRequired_CreatesUser_AndAsksForAReset()
    {
        var h = WithMigration(e =>
        {
            e["response"] = new JsonObject { ["userAttributes"] = new JsonObject { ["email"] = "bob@example.com" }, ["finalUserStatus"] = "RESET_REQUIRED" };
            return e;
        });
        (await h.PasswordAsync("bob", "legacy-pw")).ShouldBeOfType<SignInResult.Failed>().Error.Type.ShouldBe("PasswordResetRequiredException");
        (await h.Users.FindAsync(h.Pool, "bob"))!.Status.ShouldBe(UserStatus.ResetRequired);
    }

    [Fact]
    public async Task SignIn_EnableSmsMfa_TurnsSmsMfaOn()
    {
        var h = WithMigration(e =>
        {
            e["response"] = new JsonObject
            {
                ["userAttributes"] = new JsonObject { ["email"] = "bob@example.com", ["phone_number"] = "+15555550100", ["phone_number_verified"] = "true" },
                ["enableSMSMFA"] = true,
            };
            return e;
        });
        h.Pool = h.Pool with { Config = h.Pool.Config with { MfaConfiguration = "OPTIONAL", SmsMfaConfiguration = new Core.Pools.SmsMfaConfigType() } };
        (await h.PasswordAsync("bob", "legacy-pw")).ShouldBeOfType<SignInResult.ChallengeIssued>().ChallengeName.ShouldBe("SMS_MFA");
    }

    [Fact]
    public async Task SignIn_ConcurrentMigration_OneUser_BothSignIn()
    {
        // The function answers after another first sign-in of bob has already created him (the race, made deterministic).
        AuthTriggerHarness? h = null;
        h = WithMigration(e =>
        {
            if (h!.Lambda.Calls.Count == 1)
            {
                var other = h.Users.CreateMigratedAsync(h.Pool, "bob", [new("email", "bob@example.com")], "legacy-pw", UserStatus.Confirmed, false);
                other.IsCompleted.ShouldBeTrue(); // the fake store answers synchronously
                other.Result.ShouldNotBeNull();
            }
            return Legacy(e);
        });
        (await h.PasswordAsync("bob", "legacy-pw")).ShouldBeOfType<SignInResult.SignedIn>().User.Username.ShouldBe("bob");
        h.UserStore.Creates.ShouldBe(1);
    }

    [Fact]
    public async Task UserAuth_Password_Migrates_PasswordlessDoesNot()
    {
        var h = WithMigration(Legacy);
        (await h.Engine.StartAsync(h.Request("USER_AUTH", new() { ["USERNAME"] = "bob", ["PREFERRED_CHALLENGE"] = "EMAIL_OTP" })))
            .ShouldBeOfType<SignInResult.Failed>().Error.Type.ShouldBe("UserNotFoundException");
        h.Lambda.Calls.ShouldBeEmpty();
        (await h.Engine.StartAsync(h.Request("USER_AUTH", new() { ["USERNAME"] = "bob", ["PREFERRED_CHALLENGE"] = "PASSWORD", ["PASSWORD"] = "legacy-pw" })))
            .ShouldBeOfType<SignInResult.SignedIn>();
    }

    [Fact]
    public async Task Srp_DoesNotMigrate()
    {
        var h = WithMigration(Legacy);
        var a = new Client.Srp.SrpSignIn.Ephemeral();
        (await h.Engine.StartAsync(h.Request("USER_SRP_AUTH", new() { ["USERNAME"] = "bob", ["SRP_A"] = a.SrpA })))
            .ShouldBeOfType<SignInResult.Failed>().Error.Type.ShouldBe("UserNotFoundException");
        h.Lambda.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task ForgotPassword_CreatesResetRequiredUserWithoutPassword()
    {
        var h = WithMigration(Legacy);
        var user = (await h.Migration.OnForgotPasswordAsync(h.Pool, h.Client, "bob", new Dictionary<string, string> { ["k"] = "v" }))!;
        user.Status.ShouldBe(UserStatus.ResetRequired); // finalUserStatus CONFIRMED is not honoured without a password
        user.PasswordVerifier.ShouldBeNull();
        var e = h.Lambda.Events(Arn).ShouldHaveSingleItem();
        ((string)e["triggerSource"]!).ShouldBe("UserMigration_ForgotPassword");
        var request = e["request"]!.AsObject();
        request.ContainsKey("password").ShouldBeFalse();
        request.ContainsKey("validationData").ShouldBeFalse();
        ((string)request["clientMetadata"]!["k"]!).ShouldBe("v");
    }

    [Fact]
    public async Task PoolWithoutTheTrigger_UnknownUserIsUnknown()
    {
        var h = new AuthTriggerHarness();
        h.Lambda.Register(Arn, Legacy);
        (await h.PasswordAsync("bob", "legacy-pw")).ShouldBeOfType<SignInResult.Failed>().Error.Type.ShouldBe("UserNotFoundException");
        (await h.Migration.OnForgotPasswordAsync(h.Pool, h.Client, "bob", null)).ShouldBeNull();
        h.Lambda.Calls.ShouldBeEmpty();
    }
}
