using System.Text.Json.Nodes;
using Cognate.Client;
using Cognate.Server.Tests.Infrastructure;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Triggers;

/// <summary>CustomEmailSender / CustomSMSSender: configuration rules and the refusal to send a code when KMS cannot encrypt it.</summary>
public sealed class CustomSenderTests(ServerFixture f)
{
    const string SenderArn = "arn:aws:lambda:us-east-1:123456789012:function:custom-email-sender";

    static JsonObject SenderConfig(bool kms = true, string trigger = "CustomEmailSender")
    {
        var o = new JsonObject { [trigger] = new JsonObject { ["LambdaVersion"] = "V1_0", ["LambdaArn"] = SenderArn } };
        if (kms) o["KMSKeyID"] = FakeKms.KeyArn;
        return o;
    }

    [Theory]
    [InlineData("CustomEmailSender")]
    [InlineData("CustomSMSSender")]
    public async Task CreateUserPool_SenderWithoutKmsKeyId_InvalidParameter(string trigger)
    {
        var ex = await Should.ThrowAsync<CognitoServiceException>(() => f.CreatePoolAsync(new JsonObject { ["LambdaConfig"] = SenderConfig(kms: false, trigger) }));
        ex.ErrorType.ShouldBe("InvalidParameterException");
        ex.Message.ShouldContain("KMSKeyID");
    }

    [Fact]
    public async Task UpdateUserPool_SenderWithoutKmsKeyId_InvalidParameter_AndThePoolKeepsItsConfig()
    {
        var pool = await f.CreatePoolAsync(new JsonObject { ["LambdaConfig"] = SenderConfig() });
        var ex = await Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("UpdateUserPool",
            new JsonObject { ["UserPoolId"] = pool, ["LambdaConfig"] = SenderConfig(kms: false) }));
        ex.ErrorType.ShouldBe("InvalidParameterException");
        var d = await f.Admin.InvokeAsync("DescribeUserPool", new JsonObject { ["UserPoolId"] = pool });
        ((string?)d["UserPool"]!["LambdaConfig"]!["KMSKeyID"]).ShouldBe(FakeKms.KeyArn);
        ((string?)d["UserPool"]!["LambdaConfig"]!["CustomEmailSender"]!["LambdaArn"]).ShouldBe(SenderArn);
    }

    [Fact]
    public async Task SignUp_SenderButNoKmsConfigured_UnexpectedLambda_NoUserWritten_NothingInTheOutbox()
    {
        var pool = await f.CreatePoolAsync(new JsonObject { ["LambdaConfig"] = SenderConfig() });
        var (client, _) = await f.CreateClientAsync(pool);
        var email = ServerFixture.NewEmail();
        var ex = await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("SignUp", new JsonObject
        {
            ["ClientId"] = client, ["Username"] = "kim", ["Password"] = "Sender-Passw0rd!",
            ["UserAttributes"] = new JsonArray(new JsonObject { ["Name"] = "email", ["Value"] = email }),
        }));
        ex.ErrorType.ShouldBe("UnexpectedLambdaException");
        ex.Message.ShouldContain("KMS");
        (await Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("AdminGetUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "kim" })))
            .ErrorType.ShouldBe("UserNotFoundException");
        await Should.ThrowAsync<InvalidOperationException>(() => f.Server.LatestMessageAsync(email));
    }

    [Fact]
    public async Task SignUp_SmsSenderOnly_EmailStillGoesToTheOutbox()
    {
        var pool = await f.CreatePoolAsync(new JsonObject { ["LambdaConfig"] = SenderConfig(trigger: "CustomSMSSender") });
        var (client, _) = await f.CreateClientAsync(pool);
        var email = ServerFixture.NewEmail();
        await f.Public.InvokeAsync("SignUp", new JsonObject
        {
            ["ClientId"] = client, ["Username"] = "lee", ["Password"] = "Sender-Passw0rd!",
            ["UserAttributes"] = new JsonArray(new JsonObject { ["Name"] = "email", ["Value"] = email }),
        });
        ((string?)(await f.Server.LatestMessageAsync(email))["code"]).ShouldNotBeNullOrEmpty();
    }
}
