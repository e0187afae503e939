using System.Text.Json.Nodes;
using Cognate.Core.Errors;
using Cognate.Core.Messaging;
using Cognate.Core.Pools;
using Cognate.Core.Users;

namespace Cognate.Core.Triggers;

/// <summary>The <c>triggerSource</c> values of the CustomMessage trigger (AWS guide "Custom message Lambda trigger").</summary>
public static class CustomMessageSources
{
    /// <summary>The confirmation code after SignUp.</summary>
    public const string SignUp = "CustomMessage_SignUp";
    /// <summary>The AdminCreateUser invitation (temporary password; <c>usernameParameter</c> is set).</summary>
    public const string AdminCreateUser = "CustomMessage_AdminCreateUser";
    /// <summary>ResendConfirmationCode.</summary>
    public const string ResendCode = "CustomMessage_ResendCode";
    /// <summary>ForgotPassword and AdminResetUserPassword.</summary>
    public const string ForgotPassword = "CustomMessage_ForgotPassword";
    /// <summary>The code sent when UpdateUserAttributes / AdminUpdateUserAttributes change an auto-verified email or phone number.</summary>
    public const string UpdateUserAttribute = "CustomMessage_UpdateUserAttribute";
    /// <summary>GetUserAttributeVerificationCode.</summary>
    public const string VerifyUserAttribute = "CustomMessage_VerifyUserAttribute";
    /// <summary>Sign-in codes: SMS and email MFA, passwordless EMAIL_OTP / SMS_OTP.</summary>
    public const string Authentication = "CustomMessage_Authentication";
}

/// <summary>
/// A CustomMessage function's answer (<c>response</c>, type-checked): replacements for the SMS text, the email body and the email
/// subject; null where the function left the pool's own text.
/// </summary>
public sealed record CustomMessageResult(string? SmsMessage, string? EmailMessage, string? EmailSubject)
{
    /// <summary>
    /// The subject and body template to send by <paramref name="medium"/>: the function's text where it gave one that carries the
    /// <paramref name="codeParameter"/> placeholder (and, for invitations, <paramref name="usernameParameter"/>), otherwise the pool's
    /// (<paramref name="subject"/>, <paramref name="bodyTemplate"/>). A text missing a placeholder is not an error: Cognito then
    /// silently sends its default message (awsdocs/amazon-cognito-developer-guide PR #31: "the default message is used instead and
    /// no warning is given"). The email subject needs no placeholder.
    /// </summary>
    public (string Subject, string BodyTemplate) Apply(string medium, string subject, string bodyTemplate, string codeParameter, string? usernameParameter)
    {
        bool Carries(string? text) => text is { Length: > 0 } && text.Contains(codeParameter, StringComparison.Ordinal)
            && (usernameParameter is null || text.Contains(usernameParameter, StringComparison.Ordinal));
        if (medium == DeliveryMedium.Sms) return (subject, Carries(SmsMessage) ? SmsMessage! : bodyTemplate);
        return (EmailSubject is { Length: > 0 } s ? s : subject, Carries(EmailMessage) ? EmailMessage! : bodyTemplate);
    }
}

public sealed partial class UserPoolTriggers
{
    /// <summary>The code placeholder of every CustomMessage event (<c>request.codeParameter</c>); the code itself never leaves Cognate.</summary>
    public const string CodeParameter = "{####}";
    /// <summary>The username placeholder of <see cref="CustomMessageSources.AdminCreateUser"/> events (<c>request.usernameParameter</c>).</summary>
    public const string UsernameParameter = "{username}";
    /// <summary>Longest accepted <c>emailMessage</c> (guide: 20,000 characters).</summary>
    public const int MaxEmailMessageLength = 20_000;
    /// <summary>Longest accepted <c>smsMessage</c> (guide: 140 characters) and <c>emailSubject</c> (the pool setting's limit, 140).</summary>
    public const int MaxSmsMessageLength = 140;

    /// <summary>
    /// Runs the pool's CustomMessage function before a message to <paramref name="user"/> is sent, with
    /// <c>request { userAttributes, codeParameter: "{####}", usernameParameter, clientMetadata }</c> and
    /// <c>response { smsMessage: null, emailMessage: null, emailSubject: null }</c>, as Cognito sends it. Returns null when the pool
    /// has no CustomMessage trigger (the pool's templates apply).
    /// </summary>
    /// <param name="pool">The pool.</param>
    /// <param name="triggerSource">One of <see cref="CustomMessageSources"/>.</param>
    /// <param name="user">The recipient (its attributes as they will be after the action).</param>
    /// <param name="ct">Cancellation.</param>
    /// <remarks><c>usernameParameter</c> is <c>"{username}"</c> for AdminCreateUser and null otherwise; <c>clientMetadata</c> is left out
    /// for codes sent from InitiateAuth / AdminInitiateAuth (guide: "doesn't include data passed in the ClientMetadata parameter in
    /// AdminInitiateAuth and InitiateAuth").</remarks>
    /// <exception cref="CognitoException">UserLambdaValidationException "CustomMessage failed with error {message}.",
    /// InvalidLambdaResponseException (a member that is not a string, or a text over its length limit), UnexpectedLambdaException.</exception>
    public async ValueTask<CustomMessageResult?> CustomMessageAsync(UserPool pool, string triggerSource, User user, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(user);
        if (!Has(pool, TriggerNames.CustomMessage)) return null;
        var request = new JsonObject
        {
            ["userAttributes"] = AttributesOf(pool, user),
            ["codeParameter"] = CodeParameter,
            ["usernameParameter"] = triggerSource == CustomMessageSources.AdminCreateUser ? UsernameParameter : null,
        };
        var action = TriggerCaller.Current?.Action;
        var ev = CallerEvent(pool, triggerSource, user.Username, request, withClientMetadata: action is not ("InitiateAuth" or "AdminInitiateAuth"));
        ev["response"] = new JsonObject { ["smsMessage"] = null, ["emailMessage"] = null, ["emailSubject"] = null };
        var response = await InvokeAsync(pool, TriggerNames.CustomMessage, ev, ct).ConfigureAwait(false) ?? [];
        return new CustomMessageResult(
            Text(response, "smsMessage", MaxSmsMessageLength),
            Text(response, "emailMessage", MaxEmailMessageLength),
            Text(response, "emailSubject", MaxSmsMessageLength));
    }

    static string? Text(JsonObject response, string name, int maxLength)
    {
        var node = response[name];
        if (node is null) return null;
        if (node is not JsonValue v || !v.TryGetValue<string>(out var s))
        {
            throw CognitoErrors.InvalidLambdaResponse($"Invalid lambda response from {TriggerNames.CustomMessage}: {name} must be a string.");
        }
        if (s.Length > maxLength)
        {
            throw CognitoErrors.InvalidLambdaResponse($"Invalid lambda response from {TriggerNames.CustomMessage}: {name} is longer than {maxLength} characters.");
        }
        return s;
    }
}
