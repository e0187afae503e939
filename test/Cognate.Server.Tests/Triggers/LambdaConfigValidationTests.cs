using System.Text.Json.Nodes;
using Cognate.Client;
using Cognate.Server.Tests.Infrastructure;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Triggers;

/// <summary>CreateUserPool / UpdateUserPool refuse a LambdaConfig Cognito refuses (model constraints + the semantic rules).</summary>
public sealed class LambdaConfigValidationTests(ServerFixture f)
{
    const string Fn = "arn:aws:lambda:us-east-1:123456789012:function:pre-signup";
    const string Kms = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    Task<CognitoServiceException> CreateRefused(JsonObject lambdaConfig) =>
        Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("CreateUserPool", new JsonObject { ["PoolName"] = "lambda-bad", ["LambdaConfig"] = lambdaConfig }));

    [Fact]
    public async Task CreateUserPool_ArnOutsideModelPattern_InvalidParameterWithModelMessage()
    {
        var ex = await CreateRefused(new JsonObject { ["PreSignUp"] = "not-an-arn-at-all-here" });
        ex.ErrorType.ShouldBe("InvalidParameterException");
        ex.Message.ShouldContain("at 'lambdaConfig.preSignUp' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:");
    }

    [Fact]
    public async Task CreateUserPool_UnknownLambdaVersion_InvalidParameterEnum()
    {
        var ex = await CreateRefused(new JsonObject { ["PreTokenGenerationConfig"] = new JsonObject { ["LambdaArn"] = Fn, ["LambdaVersion"] = "V9_0" } });
        ex.ErrorType.ShouldBe("InvalidParameterException");
        ex.Message.ShouldContain("Value 'V9_0' at 'lambdaConfig.preTokenGenerationConfig.lambdaVersion' failed to satisfy constraint: Member must satisfy enum value set: [V1_0, V2_0, V3_0]");
    }

    [Fact]
    public async Task CreateUserPool_VersionConfigWithoutVersion_InvalidParameterRequired()
    {
        var ex = await CreateRefused(new JsonObject { ["CustomEmailSender"] = new JsonObject { ["LambdaArn"] = Fn }, ["KMSKeyID"] = Kms });
        ex.ErrorType.ShouldBe("InvalidParameterException");
        ex.Message.ShouldContain("Value null at 'lambdaConfig.customEmailSender.lambdaVersion' failed to satisfy constraint: Member must not be null");
    }

    [Fact]
    public async Task CreateUserPool_NotALambdaArn_InvalidParameter()
    {
        var ex = await CreateRefused(new JsonObject { ["PreAuthentication"] = "arn:aws:sns:us-east-1:123456789012:topic-name" });
        ex.ErrorType.ShouldBe("InvalidParameterException");
        ex.Message.ShouldStartWith("LambdaConfig.PreAuthentication must be the ARN of a Lambda function");
    }

    [Fact]
    public async Task CreateUserPool_CustomSenderWithoutKmsKey_InvalidParameter()
    {
        var ex = await CreateRefused(new JsonObject { ["CustomSMSSender"] = new JsonObject { ["LambdaArn"] = Fn, ["LambdaVersion"] = "V1_0" } });
        ex.ErrorType.ShouldBe("InvalidParameterException");
        ex.Message.ShouldBe("KMSKeyID must be provided when CustomEmailSender or CustomSMSSender is configured.");
    }

    [Fact]
    public async Task CreateUserPool_ValidLambdaConfig_StoredAndDescribed()
    {
        var config = new JsonObject
        {
            ["PreSignUp"] = Fn,
            ["PreTokenGenerationConfig"] = new JsonObject { ["LambdaArn"] = Fn + ":live", ["LambdaVersion"] = "V2_0" },
            ["CustomEmailSender"] = new JsonObject { ["LambdaArn"] = Fn, ["LambdaVersion"] = "V1_0" },
            ["KMSKeyID"] = Kms,
        };
        var id = await f.CreatePoolAsync(new JsonObject { ["LambdaConfig"] = config });
        var d = (await f.Admin.InvokeAsync("DescribeUserPool", new JsonObject { ["UserPoolId"] = id }))["UserPool"]!;
        ((string?)d["LambdaConfig"]!["PreSignUp"]).ShouldBe(Fn);
        ((string?)d["LambdaConfig"]!["PreTokenGenerationConfig"]!["LambdaVersion"]).ShouldBe("V2_0");
        ((string?)d["LambdaConfig"]!["KMSKeyID"]).ShouldBe(Kms);
    }

    [Fact]
    public async Task UpdateUserPool_LegacyAndConfigArnsDiffer_InvalidParameter_AndConfigUnchanged()
    {
        var id = await f.CreatePoolAsync(new JsonObject { ["LambdaConfig"] = new JsonObject { ["PreSignUp"] = Fn } });
        var ex = await Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("UpdateUserPool", new JsonObject
        {
            ["UserPoolId"] = id,
            ["LambdaConfig"] = new JsonObject
            {
                ["PreTokenGeneration"] = Fn,
                ["PreTokenGenerationConfig"] = new JsonObject { ["LambdaArn"] = Fn + "-other", ["LambdaVersion"] = "V2_0" },
            },
        }));
        ex.ErrorType.ShouldBe("InvalidParameterException");
        ex.Message.ShouldBe("LambdaConfig.PreTokenGeneration and LambdaConfig.PreTokenGenerationConfig.LambdaArn must be identical when both are set.");
        var d = (await f.Admin.InvokeAsync("DescribeUserPool", new JsonObject { ["UserPoolId"] = id }))["UserPool"]!;
        ((string?)d["LambdaConfig"]!["PreSignUp"]).ShouldBe(Fn);
        d["LambdaConfig"]!["PreTokenGenerationConfig"].ShouldBeNull();
    }
}
