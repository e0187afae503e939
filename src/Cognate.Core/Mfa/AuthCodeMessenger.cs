using Cognate.Core.Messaging;
using Cognate.Core.Pools;
using Cognate.Core.Triggers;
using Cognate.Core.Users;

namespace Cognate.Core.Mfa;

/// <summary>
/// Sends sign-in codes (SMS_MFA, email MFA, passwordless EMAIL_OTP / SMS_OTP) through the same
/// <see cref="IMessageSender"/> as every other message, with the pool's templates: SmsAuthenticationMessage
/// for texts, EmailMfaConfiguration's Message / Subject for emails; a pool's CustomMessage trigger (CustomMessage_Authentication)
/// may replace them. A pool with a custom sender trigger for the medium gets the code delivered by the function instead
/// (<c>Custom{Email,SMS}Sender_Authentication</c>).
/// </summary>
public sealed class AuthCodeMessenger(IMessageSender sender, UserPoolTriggers? triggers = null, CustomSenders? customSenders = null)
{
    /// <summary>Cognito's default SMS authentication text.</summary>
    public const string DefaultSmsMessage = "Your authentication code is {####}. ";
    /// <summary>Default email body.</summary>
    public const string DefaultEmailMessage = "Your authentication code is {####}.";
    /// <summary>Default email subject.</summary>
    public const string DefaultEmailSubject = "Your authentication code";

    /// <summary>Sends <paramref name="code"/> to <paramref name="destination"/> by <paramref name="medium"/> (EMAIL or SMS); returns the masked destination.</summary>
    /// <param name="pool">The pool (templates, triggers).</param>
    /// <param name="user">The user signing in (the trigger event's <c>userName</c> and <c>userAttributes</c>).</param>
    /// <param name="medium">EMAIL or SMS.</param>
    /// <param name="destination">Address or phone number.</param>
    /// <param name="code">The one-time code.</param>
    /// <param name="ct">Cancellation.</param>
    /// <exception cref="Errors.CognitoException">CodeDeliveryFailureException; the CustomMessage trigger's errors; UnexpectedLambdaException
    /// from a custom sender.</exception>
    public async ValueTask<string> SendAsync(UserPool pool, User user, string medium, string destination, string code, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (customSenders is not null && await customSenders.TrySendAsync(pool, medium, CustomSenderSources.Authentication, user, code, ct: ct).ConfigureAwait(false))
        {
            return DestinationMask.Mask(medium, destination);
        }
        string subject = "", template;
        if (medium == DeliveryMedium.Sms)
        {
            template = pool.Config.SmsMfaConfiguration?.SmsAuthenticationMessage ?? pool.Config.SmsAuthenticationMessage ?? DefaultSmsMessage;
        }
        else
        {
            var t = pool.Config.EmailMfaConfiguration;
            subject = t?.Subject ?? DefaultEmailSubject;
            template = t?.Message ?? DefaultEmailMessage;
        }
        if (triggers is not null && await triggers.CustomMessageAsync(pool, CustomMessageSources.Authentication, user, ct).ConfigureAwait(false) is { } custom)
        {
            (subject, template) = custom.Apply(medium, subject, template, UserPoolTriggers.CodeParameter, null);
        }
        var body = template.Replace("{####}", code, StringComparison.Ordinal);
        await sender.SendAsync(new OutgoingMessage(pool.Id, medium, destination, subject, body, code), ct).ConfigureAwait(false);
        return DestinationMask.Mask(medium, destination);
    }
}
