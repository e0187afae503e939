namespace Cognate.Core.Triggers;

/// <summary>
/// The trigger keys of a pool's <c>LambdaConfig</c> (Cognito <c>LambdaConfigType</c>), spelled as the API spells them. Each holds a
/// Lambda function ARN, except <see cref="PreTokenGenerationConfig"/>, <see cref="CustomEmailSender"/> and
/// <see cref="CustomSMSSender"/> (objects <c>{ LambdaArn, LambdaVersion }</c>) and <see cref="KMSKeyID"/> (a KMS key ARN).
/// Source: reference §10.1–10.2; API reference "LambdaConfigType".
/// </summary>
public static class TriggerNames
{
    /// <summary>PreSignUp: SignUp, AdminCreateUser, federated first sign-in.</summary>
    public const string PreSignUp = "PreSignUp";
    /// <summary>PostConfirmation: ConfirmSignUp, AdminConfirmSignUp, ConfirmForgotPassword.</summary>
    public const string PostConfirmation = "PostConfirmation";
    /// <summary>PreAuthentication: before the password check of every sign-in.</summary>
    public const string PreAuthentication = "PreAuthentication";
    /// <summary>PostAuthentication: after a successful sign-in, before tokens.</summary>
    public const string PostAuthentication = "PostAuthentication";
    /// <summary>DefineAuthChallenge (CUSTOM_AUTH).</summary>
    public const string DefineAuthChallenge = "DefineAuthChallenge";
    /// <summary>CreateAuthChallenge (CUSTOM_AUTH).</summary>
    public const string CreateAuthChallenge = "CreateAuthChallenge";
    /// <summary>VerifyAuthChallengeResponse (CUSTOM_AUTH).</summary>
    public const string VerifyAuthChallengeResponse = "VerifyAuthChallengeResponse";
    /// <summary>PreTokenGeneration: the V1 ARN (legacy key; <see cref="PreTokenGenerationConfig"/> wins when both are set).</summary>
    public const string PreTokenGeneration = "PreTokenGeneration";
    /// <summary>PreTokenGenerationConfig <c>{ LambdaArn, LambdaVersion: V1_0 | V2_0 | V3_0 }</c>.</summary>
    public const string PreTokenGenerationConfig = "PreTokenGenerationConfig";
    /// <summary>UserMigration: unknown user at sign-in or ForgotPassword.</summary>
    public const string UserMigration = "UserMigration";
    /// <summary>CustomMessage: the text of every code / invitation message.</summary>
    public const string CustomMessage = "CustomMessage";
    /// <summary>CustomEmailSender <c>{ LambdaArn, LambdaVersion: V1_0 }</c> (asynchronous; needs <see cref="KMSKeyID"/>).</summary>
    public const string CustomEmailSender = "CustomEmailSender";
    /// <summary>CustomSMSSender <c>{ LambdaArn, LambdaVersion: V1_0 }</c> (asynchronous; needs <see cref="KMSKeyID"/>).</summary>
    public const string CustomSMSSender = "CustomSMSSender";
    /// <summary>KMSKeyID: the KMS key the custom senders' codes are encrypted under.</summary>
    public const string KMSKeyID = "KMSKeyID";
    /// <summary>InboundFederation (<c>{LambdaVersion: V1_0, LambdaArn}</c>): every federated sign-in, before attribute mapping.</summary>
    public const string InboundFederation = "InboundFederation";
}
