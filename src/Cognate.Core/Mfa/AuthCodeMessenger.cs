using Cognate.Core.Messaging;
using Cognate.Core.Pools;

namespace Cognate.Core.Mfa;

/// <summary>
/// Sends sign-in codes (SMS_MFA, email MFA, passwordless EMAIL_OTP / SMS_OTP) through the same
/// <see cref="IMessageSender"/> as every other message, with the pool's templates: SmsAuthenticationMessage
/// for texts, EmailMfaConfiguration's Message / Subject for emails.
/// </summary>
public sealed class AuthCodeMessenger(IMessageSender sender)
{
    /// <summary>Cognito's default SMS authentication text.</summary>
    public const string DefaultSmsMessage = "Your authentication code is {####}. ";
    /// <summary>Default email body.</summary>
    public const string DefaultEmailMessage = "Your authentication code is {####}.";
    /// <summary>Default email subject.</summary>
    public const string DefaultEmailSubject = "Your authentication code";

    /// <summary>Sends <paramref name="code"/> to <paramref name="destination"/> by <paramref name="medium"/> (EMAIL or SMS); returns the masked destination.</summary>
    /// <exception cref="Errors.CognitoException">CodeDeliveryFailureException.</exception>
    public async ValueTask<string> SendAsync(UserPool pool, string medium, string destination, string code, CancellationToken ct = default)
    {
        string subject = "", body;
        if (medium == DeliveryMedium.Sms)
        {
            body = (pool.Config.SmsMfaConfiguration?.SmsAuthenticationMessage ?? pool.Config.SmsAuthenticationMessage ?? DefaultSmsMessage).Replace("{####}", code, StringComparison.Ordinal);
        }
        else
        {
            var template = pool.Config.EmailMfaConfiguration;
            subject = template?.Subject ?? DefaultEmailSubject;
            body = (template?.Message ?? DefaultEmailMessage).Replace("{####}", code, StringComparison.Ordinal);
        }
        await sender.SendAsync(new OutgoingMessage(pool.Id, medium, destination, subject, body, code), ct).ConfigureAwait(false);
        return DestinationMask.Mask(medium, destination);
    }
}
