using System.Text.Json.Nodes;
using Cognate.Client;
using Cognate.Server.Tests.Infrastructure;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Triggers;

/// <summary>
/// A PreSignUp / CustomMessage / PostConfirmation function that cannot be invoked (no Lambda service answers for its ARN):
/// <c>UnexpectedLambdaException</c>, nothing half-written, and a pool without triggers unaffected.
/// </summary>
public sealed class SignUpTriggersUnreachableTests(ServerFixture f)
{
    const string Password = "Passw0rd!";
    const string Unreachable = "arn:aws:lambda:us-east-1:000000000000:function:cognate-nobody-home";

    async Task<(string Pool, string Client)> PoolAsync(JsonObject lambdaConfig)
    {
        var id = await f.CreatePoolAsync(new JsonObject { ["LambdaConfig"] = lambdaConfig });
        var (client, _) = await f.CreateClientAsync(id);
        return (id, client);
    }

    static JsonObject SignUpBody(string client, string username, string email) => new()
    {
        ["ClientId"] = client, ["Username"] = username, ["Password"] = Password,
        ["UserAttributes"] = new JsonArray(new JsonObject { ["Name"] = "email", ["Value"] = email }),
    };

    async Task UserAbsentAsync(string pool, string username)
    {
        var ex = await Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("AdminGetUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = username }));
        ex.ErrorType.ShouldBe("UserNotFoundException");
    }

    [Theory]
    [InlineData("PreSignUp")]
    [InlineData("CustomMessage")]
    public async Task SignUp_TriggerUnreachable_UnexpectedLambdaAndNoUserWritten(string trigger)
    {
        var (pool, client) = await PoolAsync(new JsonObject { [trigger] = Unreachable });
        var email = ServerFixture.NewEmail();
        var ex = await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("SignUp", SignUpBody(client, "uma", email)));
        ex.ErrorType.ShouldBe("UnexpectedLambdaException");
        await UserAbsentAsync(pool, "uma");
        await Should.ThrowAsync<InvalidOperationException>(() => f.Server.LatestMessageAsync(email)); // nothing sent
    }

    [Fact]
    public async Task AdminCreateUser_PreSignUpUnreachable_NoUserWritten()
    {
        var (pool, _) = await PoolAsync(new JsonObject { ["PreSignUp"] = Unreachable });
        var ex = await Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("AdminCreateUser", new JsonObject
        {
            ["UserPoolId"] = pool, ["Username"] = "carol",
            ["UserAttributes"] = new JsonArray(new JsonObject { ["Name"] = "email", ["Value"] = ServerFixture.NewEmail() }),
        }));
        ex.ErrorType.ShouldBe("UnexpectedLambdaException");
        await UserAbsentAsync(pool, "carol");
    }

    [Fact]
    public async Task ConfirmSignUp_PostConfirmationUnreachable_ErrorReturnedButUserStaysConfirmed()
    {
        var (pool, client) = await PoolAsync(new JsonObject { ["PostConfirmation"] = Unreachable });
        var email = ServerFixture.NewEmail();
        await f.Public.InvokeAsync("SignUp", SignUpBody(client, "pat", email));
        var code = (string)(await f.Server.LatestMessageAsync(email))["code"]!;
        var ex = await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("ConfirmSignUp", new JsonObject
        {
            ["ClientId"] = client, ["Username"] = "pat", ["ConfirmationCode"] = code,
        }));
        ex.ErrorType.ShouldBe("UnexpectedLambdaException");
        var user = await f.Admin.InvokeAsync("AdminGetUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "pat" });
        ((string?)user["UserStatus"]).ShouldBe("CONFIRMED");
    }

    [Fact]
    public async Task PoolWithoutTriggers_BesideAPoolWithThem_IsUnaffected()
    {
        await PoolAsync(new JsonObject { ["PreSignUp"] = Unreachable, ["CustomMessage"] = Unreachable });
        var plain = await f.CreatePoolAsync();
        var (client, _) = await f.CreateClientAsync(plain);
        var email = ServerFixture.NewEmail();
        var r = await f.Public.InvokeAsync("SignUp", SignUpBody(client, "olga", email));
        ((bool)r["UserConfirmed"]!).ShouldBeFalse();
        var message = await f.Server.LatestMessageAsync(email);
        ((string)message["body"]!).ShouldBe($"Your verification code is {(string)message["code"]!}. ");
    }
}
