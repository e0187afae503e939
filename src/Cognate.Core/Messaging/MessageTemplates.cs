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
        var (subject, template) = VerificationTemplate(pool, medium);
        return (subject, Render(template, code));
    }

    /// <summary>The pool's verification subject (empty for SMS) and body template, placeholders not yet replaced.</summary>
    public static (string Subject, string Template) VerificationTemplate(UserPool pool, string medium)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var c = pool.Config;
        var t = c.VerificationMessageTemplate;
        if (medium == DeliveryMedium.Sms) return ("", t?.SmsMessage ?? c.SmsVerificationMessage ?? DefaultVerificationMessage);
        return (t?.EmailSubject ?? c.EmailVerificationSubject ?? DefaultVerificationSubject, t?.EmailMessage ?? c.EmailVerificationMessage ?? DefaultVerificationMessage);
    }

    /// <summary>Invitation message of AdminCreateUser.</summary>
    public static (string Subject, string Body) Invitation(UserPool pool, string medium, string username, string temporaryPassword)
    {
        var (subject, template) = InvitationTemplate(pool, medium);
        return (subject, Render(template, temporaryPassword, username));
    }

    /// <summary>The pool's invitation subject (empty for SMS) and body template, placeholders not yet replaced.</summary>
    public static (string Subject, string Template) InvitationTemplate(UserPool pool, string medium)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var t = pool.Config.AdminCreateUserConfig?.InviteMessageTemplate;
        if (medium == DeliveryMedium.Sms) return ("", t?.SMSMessage ?? DefaultInviteMessage);
        return (t?.EmailSubject ?? DefaultInviteSubject, t?.EmailMessage ?? DefaultInviteMessage);
    }
}
