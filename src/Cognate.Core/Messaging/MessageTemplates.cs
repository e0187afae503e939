using Cognate.Core.Pools;

namespace Cognate.Core.Messaging;

/// <summary>
/// Cognito's message templates with their placeholders: <c>{####}</c> (the code) and
/// <c>{username}</c> (invitations). Defaults are Cognito's own texts.
/// </summary>
public static class MessageTemplates
{
    /// <summary>Default verification text.</summary>
    public const string DefaultVerificationMessage = "Your verification code is {####}. ";
    /// <summary>Default verification subject.</summary>
    public const string DefaultVerificationSubject = "Your verification code";
    /// <summary>Default invitation text.</summary>
    public const string DefaultInviteMessage = "Your username is {username} and temporary password is {####}. ";
    /// <summary>Default invitation subject.</summary>
    public const string DefaultInviteSubject = "Your temporary password";
    /// <summary>Default password-reset text (Cognito reuses the verification template).</summary>
    public const string DefaultResetSubject = "Your password reset code";

    /// <summary>Replaces <c>{####}</c> and <c>{username}</c>.</summary>
    public static string Render(string template, string code, string? username = null) =>
        template.Replace("{####}", code, StringComparison.Ordinal).Replace("{username}", username ?? "", StringComparison.Ordinal);

    /// <summary>Verification message (sign-up, resend, forgot password, attribute verification) for a medium.</summary>
    public static (string Subject, string Body) Verification(UserPool pool, string medium, string code)
    {
        var c = pool.Config;
        var t = c.VerificationMessageTemplate;
        if (medium == DeliveryMedium.Sms)
        {
            return ("", Render(t?.SmsMessage ?? c.SmsVerificationMessage ?? DefaultVerificationMessage, code));
        }
        return (t?.EmailSubject ?? c.EmailVerificationSubject ?? DefaultVerificationSubject,
                Render(t?.EmailMessage ?? c.EmailVerificationMessage ?? DefaultVerificationMessage, code));
    }

    /// <summary>Invitation message of AdminCreateUser.</summary>
    public static (string Subject, string Body) Invitation(UserPool pool, string medium, string username, string temporaryPassword)
    {
        var t = pool.Config.AdminCreateUserConfig?.InviteMessageTemplate;
        if (medium == DeliveryMedium.Sms) return ("", Render(t?.SMSMessage ?? DefaultInviteMessage, temporaryPassword, username));
        return (t?.EmailSubject ?? DefaultInviteSubject, Render(t?.EmailMessage ?? DefaultInviteMessage, temporaryPassword, username));
    }
}
