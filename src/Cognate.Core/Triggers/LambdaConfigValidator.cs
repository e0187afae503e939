using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cognate.Core.Errors;

namespace Cognate.Core.Triggers;

/// <summary>
/// The checks CreateUserPool and UpdateUserPool make on <c>LambdaConfig</c> beyond the service model (the model's ArnType
/// pattern, the <c>LambdaVersion</c> enums and the required members of the version configs are checked by the request
/// validator before this runs). Source: API reference <c>LambdaConfigType</c>, <c>PreTokenGenerationVersionConfigType</c>,
/// <c>CustomEmailLambdaVersionConfigType</c>; developer guide "Custom sender Lambda triggers".
/// </summary>
/// <remarks>
/// Every check answers <c>InvalidParameterException</c>. Cognito documents the rules but not the wording of these messages;
/// ours name the member and what it must be:
/// <list type="bullet">
/// <item>each trigger key, <c>PreTokenGenerationConfig.LambdaArn</c> and the custom senders' <c>LambdaArn</c>: a Lambda function ARN
/// <c>arn:{partition}:lambda:{region}:{account}:function:{name}[:{version or alias}]</c>;</item>
/// <item><c>KMSKeyID</c>: a KMS key ARN (<c>arn:{partition}:kms:{region}:{account}:key/{id}</c>, or an <c>alias/…</c> ARN);</item>
/// <item><c>CustomEmailSender</c> / <c>CustomSMSSender</c> need <c>KMSKeyID</c> (Cognito encrypts the codes with it);</item>
/// <item>when both <c>PreTokenGeneration</c> and <c>PreTokenGenerationConfig.LambdaArn</c> are set they must be identical.</item>
/// </list>
/// </remarks>
public static partial class LambdaConfigValidator
{
    /// <summary>The refusal of a custom sender without a KMS key (wording Cognate's; Cognito answers InvalidParameterException).</summary>
    public const string SenderWithoutKmsKey = "KMSKeyID must be provided when CustomEmailSender or CustomSMSSender is configured.";

    static readonly string[] FunctionKeys =
    [
        TriggerNames.PreSignUp, TriggerNames.CustomMessage, TriggerNames.PostConfirmation, TriggerNames.PreAuthentication,
        TriggerNames.PostAuthentication, TriggerNames.DefineAuthChallenge, TriggerNames.CreateAuthChallenge,
        TriggerNames.VerifyAuthChallengeResponse, TriggerNames.PreTokenGeneration, TriggerNames.UserMigration,
    ];

    /// <summary>Validates <paramref name="config"/> (null or empty: nothing to check).</summary>
    /// <exception cref="CognitoException">InvalidParameterException naming the first member that breaks a rule.</exception>
    public static void Validate(JsonObject? config)
    {
        if (config is null || config.Count == 0) return;
        foreach (var key in FunctionKeys)
        {
            if (Text(config[key]) is { } arn) RequireFunction($"LambdaConfig.{key}", arn);
        }
        var preTokenArn = ObjectArn(config, TriggerNames.PreTokenGenerationConfig);
        if (preTokenArn is not null) RequireFunction($"LambdaConfig.{TriggerNames.PreTokenGenerationConfig}.LambdaArn", preTokenArn);
        if (preTokenArn is not null && Text(config[TriggerNames.PreTokenGeneration]) is { } legacy && !string.Equals(legacy, preTokenArn, StringComparison.Ordinal))
        {
            throw CognitoErrors.InvalidParameter("LambdaConfig.PreTokenGeneration and LambdaConfig.PreTokenGenerationConfig.LambdaArn must be identical when both are set.");
        }
        var senders = 0;
        foreach (var key in (ReadOnlySpan<string>)[TriggerNames.CustomEmailSender, TriggerNames.CustomSMSSender])
        {
            if (ObjectArn(config, key) is not { } arn) continue;
            RequireFunction($"LambdaConfig.{key}.LambdaArn", arn);
            senders++;
        }
        if (ObjectArn(config, TriggerNames.InboundFederation) is { } inbound) RequireFunction($"LambdaConfig.{TriggerNames.InboundFederation}.LambdaArn", inbound);
        var kms = Text(config[TriggerNames.KMSKeyID]);
        if (kms is not null && !KmsKeyArn().IsMatch(kms))
        {
            throw CognitoErrors.InvalidParameter("LambdaConfig.KMSKeyID must be the ARN of a KMS key, e.g. arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab.");
        }
        if (senders > 0 && kms is null)
        {
            throw CognitoErrors.InvalidParameter(SenderWithoutKmsKey);
        }
    }

    /// <summary>True when <paramref name="arn"/> names a Lambda function (with or without a version or alias).</summary>
    public static bool IsFunctionArn(string arn) => FunctionArn().IsMatch(arn);

    static void RequireFunction(string member, string arn)
    {
        if (!IsFunctionArn(arn))
        {
            throw CognitoErrors.InvalidParameter($"{member} must be the ARN of a Lambda function, e.g. arn:aws:lambda:us-east-1:123456789012:function:my-function.");
        }
    }

    static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;

    static string? ObjectArn(JsonObject config, string key) => config[key] is JsonObject o ? Text(o["LambdaArn"]) : null;

    [GeneratedRegex(@"^arn:aws[a-z-]*:lambda:[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d:\d{12}:function:[A-Za-z0-9_-]{1,140}(:(\$LATEST|[A-Za-z0-9_-]{1,128}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex FunctionArn();

    [GeneratedRegex(@"^arn:aws[a-z-]*:kms:[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d:\d{12}:(key/[A-Za-z0-9-]{1,128}|alias/[A-Za-z0-9/_-]{1,256})$", RegexOptions.CultureInvariant)]
    private static partial Regex KmsKeyArn();
}
