using Cognate.Core.Pools;
using Cognate.Core.SignIn;
using Cognate.Core.Users;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.SignIn;

public sealed class AfterFirstFactorTests
{
    [Fact]
    public async Task ForceChangePassword_NewPasswordRequiredWithRequiredAndVisibleAttributes()
    {
        var h = new SignInHarness();
        h.Pool = h.Pool with { Config = h.Pool.Config with { SchemaAttributes = [new SchemaAttributeType { Name = "email", Required = true }, new SchemaAttributeType { Name = "name", Required = true }] } };
        var user = h.AddUser(configure: u =>
        {
            u.Status = UserStatus.ForceChangePassword;
            u.Attributes["sub"] = u.Sub;
            u.Attributes["email"] = "a@example.com";
            u.Attributes["email_verified"] = "true";
        });
        var c = (await h.AfterFirstFactor.NextAsync(h.Request("USER_PASSWORD_AUTH", []), user, default)).ShouldBeOfType<StepResult.Challenge>();
        c.Name.ShouldBe("NEW_PASSWORD_REQUIRED");
        c.Parameters.Keys.ShouldBe(["USER_ID_FOR_SRP", "requiredAttributes", "userAttributes"]);
        c.Parameters["requiredAttributes"].ShouldBe("[\"userAttributes.name\"]");
        c.Parameters["userAttributes"].ShouldBe("{\"email\":\"a@example.com\"}");
        c.State!.Stage.ShouldBe(SignInStages.Password);
    }

    [Fact]
    public async Task TemporaryPasswordExpired_FailNotAuthorized()
    {
        var h = new SignInHarness();
        var user = h.AddUser(configure: u => u.Status = UserStatus.ForceChangePassword);
        h.Time.Now = SignInHarness.T0.AddDays(8);
        var fail = (await h.AfterFirstFactor.NextAsync(h.Request("USER_PASSWORD_AUTH", []), user, default)).ShouldBeOfType<StepResult.Fail>();
        fail.Error.Message.ShouldBe("Temporary password has expired and must be reset by an administrator.");
    }

    [Fact]
    public async Task Disabled_Fail()
    {
        var h = new SignInHarness();
        var user = h.AddUser(configure: u => u.Enabled = false);
        var fail = (await h.AfterFirstFactor.NextAsync(h.Request("USER_PASSWORD_AUTH", []), user, default)).ShouldBeOfType<StepResult.Fail>();
        fail.Error.ShouldBe(new Core.Errors.CognitoError("NotAuthorizedException", "User is disabled."));
    }
}
