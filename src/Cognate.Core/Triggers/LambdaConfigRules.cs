using System.Text.Json.Nodes;
using Cognate.Core.Errors;

namespace Cognate.Core.Triggers;

/// <summary>
/// Rules on a pool's <c>LambdaConfig</c> that the request model cannot express (CreateUserPool, UpdateUserPool). The model already
/// checks each member's shape (ARN pattern, <c>LambdaVersion</c> enum, required <c>LambdaArn</c>).
/// </summary>
public static class LambdaConfigRules
{
    /// <summary>The refusal of a custom sender without a KMS key (wording Cognate's; Cognito answers InvalidParameterException).</summary>
    public const string SenderWithoutKmsKey = "KMSKeyID must be provided when CustomEmailSender or CustomSMSSender is configured.";

    /// <summary>
    /// A CustomEmailSender or CustomSMSSender needs <c>KMSKeyID</c>: Cognito encrypts every code it hands to a sender function under
    /// that key (AWS guide "Custom sender Lambda triggers": "you must configure a symmetric ... key in AWS KMS").
    /// </summary>
    /// <exception cref="CognitoException">InvalidParameterException.</exception>
    public static void Validate(JsonObject? lambdaConfig)
    {
        if (lambdaConfig is null || lambdaConfig.Count == 0) return;
        bool sender = lambdaConfig[TriggerNames.CustomEmailSender] is JsonObject || lambdaConfig[TriggerNames.CustomSMSSender] is JsonObject;
        if (!sender) return;
        if (lambdaConfig[TriggerNames.KMSKeyID] is JsonValue v && v.TryGetValue<string>(out var key) && key.Length > 0) return;
        throw CognitoErrors.InvalidParameter(SenderWithoutKmsKey);
    }
}
