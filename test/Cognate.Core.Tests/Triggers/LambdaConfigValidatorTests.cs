using System.Text.Json.Nodes;
using Cognate.Core.Errors;
using Cognate.Core.Triggers;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.Triggers;

public sealed class LambdaConfigValidatorTests
{
    const string Fn = "arn:aws:lambda:us-east-1:123456789012:function:pre-signup";
    const string Kms = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    static CognitoException Invalid(JsonObject config)
    {
        var ex = Should.Throw<CognitoException>(() => LambdaConfigValidator.Validate(config));
        ex.Error.Type.ShouldBe("InvalidParameterException");
        return ex;
    }

    [Theory]
    [InlineData(Fn)]
    [InlineData("arn:aws:lambda:eu-west-3:123456789012:function:my_fn:prod")]
    [InlineData("arn:aws:lambda:us-east-1:123456789012:function:my-fn:$LATEST")]
    [InlineData("arn:aws:lambda:us-east-1:123456789012:function:my-fn:7")]
    [InlineData("arn:aws-cn:lambda:cn-north-1:123456789012:function:fn")]
    [InlineData("arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:fn")]
    public void Validate_FunctionArns_Accepted(string arn)
    {
        LambdaConfigValidator.Validate(new JsonObject { ["PreSignUp"] = arn, ["UserMigration"] = arn });
        LambdaConfigValidator.IsFunctionArn(arn).ShouldBeTrue();
    }

    [Theory]
    [InlineData("arn:aws:sns:us-east-1:123456789012:my-topic")]
    [InlineData("arn:aws:lambda:us-east-1:123456789012:layer:my-layer:1")]
    [InlineData("arn:aws:lambda:us-east-1:12345:function:short-account")]
    [InlineData("arn:aws:lambda:us-east-1:123456789012:function:has space")]
    public void Validate_NotAFunction_InvalidParameterNamingTheKey(string arn)
    {
        Invalid(new JsonObject { ["PostAuthentication"] = arn }).Error.Message.ShouldStartWith("LambdaConfig.PostAuthentication must be the ARN of a Lambda function");
    }

    [Fact]
    public void Validate_EmptyOrNull_Accepted()
    {
        LambdaConfigValidator.Validate(null);
        LambdaConfigValidator.Validate([]);
    }

    [Fact]
    public void Validate_PreTokenGenerationConfigArn_Checked()
    {
        Invalid(new JsonObject { ["PreTokenGenerationConfig"] = new JsonObject { ["LambdaArn"] = "arn:aws:s3:::bucket-name-goes-here", ["LambdaVersion"] = "V2_0" } })
            .Error.Message.ShouldStartWith("LambdaConfig.PreTokenGenerationConfig.LambdaArn must be the ARN of a Lambda function");
    }

    [Fact]
    public void Validate_LegacyAndConfigArnsDiffer_InvalidParameter()
    {
        Invalid(new JsonObject
        {
            ["PreTokenGeneration"] = Fn,
            ["PreTokenGenerationConfig"] = new JsonObject { ["LambdaArn"] = Fn + "-v2", ["LambdaVersion"] = "V2_0" },
        }).Error.Message.ShouldBe("LambdaConfig.PreTokenGeneration and LambdaConfig.PreTokenGenerationConfig.LambdaArn must be identical when both are set.");
        LambdaConfigValidator.Validate(new JsonObject
        {
            ["PreTokenGeneration"] = Fn,
            ["PreTokenGenerationConfig"] = new JsonObject { ["LambdaArn"] = Fn, ["LambdaVersion"] = "V2_0" },
        });
    }

    [Fact]
    public void Validate_CustomSenderWithoutKmsKey_InvalidParameter()
    {
        Invalid(new JsonObject { ["CustomEmailSender"] = new JsonObject { ["LambdaArn"] = Fn, ["LambdaVersion"] = "V1_0" } })
            .Error.Message.ShouldBe("KMSKeyID must be provided when CustomEmailSender or CustomSMSSender is configured.");
        Invalid(new JsonObject { ["CustomSMSSender"] = new JsonObject { ["LambdaArn"] = Fn, ["LambdaVersion"] = "V1_0" } });
        LambdaConfigValidator.Validate(new JsonObject
        {
            ["CustomSMSSender"] = new JsonObject { ["LambdaArn"] = Fn, ["LambdaVersion"] = "V1_0" },
            ["KMSKeyID"] = Kms,
        });
    }

    [Theory]
    [InlineData("arn:aws:lambda:us-east-1:123456789012:function:not-a-key")]
    [InlineData("1234abcd-12ab-34cd-56ef-1234567890ab")]
    public void Validate_KmsKeyIdNotAKeyArn_InvalidParameter(string kms)
    {
        Invalid(new JsonObject { ["KMSKeyID"] = kms }).Error.Message.ShouldStartWith("LambdaConfig.KMSKeyID must be the ARN of a KMS key");
    }

    [Fact]
    public void Validate_KmsAliasArn_Accepted() =>
        LambdaConfigValidator.Validate(new JsonObject { ["KMSKeyID"] = "arn:aws:kms:us-east-1:123456789012:alias/cognito-codes" });
}
