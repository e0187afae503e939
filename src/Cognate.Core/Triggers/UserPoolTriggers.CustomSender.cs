using System.Text.Json.Nodes;
using Cognate.Core.Messaging;
using Cognate.Core.Pools;
using Cognate.Core.Users;

namespace Cognate.Core.Triggers;

/// <summary>
/// The message events of the custom sender triggers: the part after <c>CustomEmailSender_</c> / <c>CustomSMSSender_</c> in
/// <c>triggerSource</c> (AWS guide "Custom email sender Lambda trigger", "Custom SMS sender Lambda trigger").
/// </summary>
public static class CustomSenderSources
{
    /// <summary>The confirmation code after SignUp.</summary>
    public const string SignUp = "SignUp";
    /// <summary>ResendConfirmationCode.</summary>
    public const string ResendCode = "ResendCode";
    /// <summary>ForgotPassword / AdminResetUserPassword.</summary>
    public const string ForgotPassword = "ForgotPassword";
    /// <summary>The code sent when an update changes an auto-verified email or phone number.</summary>
    public const string UpdateUserAttribute = "UpdateUserAttribute";
    /// <summary>GetUserAttributeVerificationCode.</summary>
    public const string VerifyUserAttribute = "VerifyUserAttribute";
    /// <summary>The AdminCreateUser invitation: <c>request.code</c> is the temporary password.</summary>
    public const string AdminCreateUser = "AdminCreateUser";
    /// <summary>Threat-protection notices (email only; Cognate has no threat protection, so never sent).</summary>
    public const string AccountTakeOverNotification = "AccountTakeOverNotification";
    /// <summary>Sign-in codes: SMS / email MFA, EMAIL_OTP / SMS_OTP.</summary>
    public const string Authentication = "Authentication";

    /// <summary>
    /// The source suffix of <paramref name="source"/>, which may be a bare suffix (<see cref="SignUp"/>), a CustomMessage source
    /// (<c>CustomMessage_SignUp</c>) or a sender source (<c>CustomEmailSender_SignUp</c>): the three name the same message event.
    /// </summary>
    public static string Suffix(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        int underscore = source.IndexOf('_', StringComparison.Ordinal);
        return underscore < 0 ? source : source[(underscore + 1)..];
    }

    /// <summary><c>CustomEmailSender_{suffix}</c> for EMAIL, <c>CustomSMSSender_{suffix}</c> for SMS.</summary>
    public static string TriggerSource(string medium, string source) =>
        (medium == DeliveryMedium.Sms ? TriggerNames.CustomSMSSender : TriggerNames.CustomEmailSender) + "_" + Suffix(source);
}

public sealed partial class UserPoolTriggers
{
    /// <summary><c>request.type</c> of a CustomEmailSender event.</summary>
    public const string CustomEmailSenderRequestType = "customEmailSenderRequestV1";
    /// <summary><c>request.type</c> of a CustomSMSSender event.</summary>
    public const string CustomSmsSenderRequestType = "customSMSSenderRequestV1";

    /// <summary>The sender trigger of a medium: <see cref="TriggerNames.CustomSMSSender"/> for SMS, else <see cref="TriggerNames.CustomEmailSender"/>.</summary>
    public static string SenderTrigger(string medium) => medium == DeliveryMedium.Sms ? TriggerNames.CustomSMSSender : TriggerNames.CustomEmailSender;

    /// <summary>True when the pool hands messages of <paramref name="medium"/> (EMAIL or SMS) to a custom sender function.</summary>
    public static bool HasCustomSender(UserPool pool, string medium) => Has(pool, SenderTrigger(medium));

    /// <summary>
    /// The custom sender event, as Cognito sends it: the common envelope with
    /// <c>request { type: customEmailSenderRequestV1 | customSMSSenderRequestV1, code, clientMetadata, userAttributes }</c> and an
    /// empty <c>response</c>. <c>clientMetadata</c> is null when the action sent none (as in events captured from Cognito).
    /// </summary>
    /// <param name="pool">The pool.</param>
    /// <param name="medium">EMAIL or SMS.</param>
    /// <param name="source">The message event (see <see cref="CustomSenderSources.Suffix"/>).</param>
    /// <param name="user">The recipient.</param>
    /// <param name="encryptedCode">The code, already encrypted (base64 AWS Encryption SDK message).</param>
    /// <param name="clientId">The app client, or null (CLIENT_ID_NOT_APPLICABLE).</param>
    /// <param name="clientMetadata">The action's ClientMetadata, or null.</param>
    public static JsonObject CustomSenderEvent(UserPool pool, string medium, string source, User user, string encryptedCode,
        string? clientId, IReadOnlyDictionary<string, string>? clientMetadata)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(user);
        var request = new JsonObject
        {
            ["type"] = medium == DeliveryMedium.Sms ? CustomSmsSenderRequestType : CustomEmailSenderRequestType,
            ["code"] = encryptedCode,
            ["clientMetadata"] = clientMetadata is { Count: > 0 } ? TriggerEvent.Map(clientMetadata) : null,
            ["userAttributes"] = SenderUserAttributes(pool, user),
        };
        return TriggerEvent.Create(pool, CustomSenderSources.TriggerSource(medium, source), user.Username, clientId, request);
    }

    /// <summary>
    /// Hands the event to the pool's sender function asynchronously (<c>Event</c> invocation: Cognito does not wait for the
    /// function's answer, only for Lambda to accept the event). False when the pool has no sender for <paramref name="medium"/>.
    /// </summary>
    /// <exception cref="Errors.CognitoException">UnexpectedLambdaException when the function cannot be invoked.</exception>
    public ValueTask<bool> CustomSenderAsync(UserPool pool, string medium, JsonObject senderEvent, CancellationToken ct = default) =>
        InvokeEventAsync(pool, SenderTrigger(medium), senderEvent, ct);

    static JsonObject SenderUserAttributes(UserPool pool, User user)
    {
        var o = TriggerEvent.UserAttributes(user.Attributes, user.Status);
        foreach (var alias in (string[])["email", "phone_number"])
        {
            if (pool.IsAliasAttribute(alias) && user.IsVerified(alias) && user.Get(alias) is { Length: > 0 } value) o["cognito:" + alias + "_alias"] = value;
        }
        return o;
    }
}
