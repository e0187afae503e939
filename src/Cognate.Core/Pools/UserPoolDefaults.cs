using Cognate.Core.Errors;

namespace Cognate.Core.Pools;

/// <summary>
/// Cognito's defaults for the updatable members of a user pool (reference §2.7) and the semantic
/// checks CreateUserPool and UpdateUserPool share. The service model (lengths, patterns, enums,
/// ranges) has been checked by the dispatcher already; the range checks here repeat it for callers
/// inside the process.
/// </summary>
public static class UserPoolDefaults
{
    /// <summary>Default verification text (SMS and email), with the <c>{####}</c> code placeholder.</summary>
    public const string VerificationMessage = "Your verification code is {####}. ";
    /// <summary>Default verification email subject.</summary>
    public const string VerificationSubject = "Your verification code";
    /// <summary>Default link-verification email body.</summary>
    public const string VerificationMessageByLink = "Please click the link below to verify your email address. {##Verify Email##} ";
    /// <summary>Default link-verification email subject.</summary>
    public const string VerificationSubjectByLink = "Your verification link";
    /// <summary>Default invitation text (AdminCreateUser), SMS and email.</summary>
    public const string InviteMessage = "Your username is {username} and temporary password is {####}. ";
    /// <summary>Default invitation email subject.</summary>
    public const string InviteSubject = "Your temporary password";
    /// <summary>Default temporary-password validity, days.</summary>
    public const int TemporaryPasswordValidityDays = 7;
    /// <summary>Default password minimum length, characters.</summary>
    public const int MinimumPasswordLength = 8;

    static readonly string[] Verifiable = ["email", "phone_number"];

    /// <summary>
    /// <paramref name="request"/>'s updatable members with every omitted one set to its default, validated.
    /// Immutable members (UsernameAttributes, AliasAttributes, SchemaAttributes, UsernameConfiguration)
    /// and PoolName / UserPoolTier / UserPoolTags are copied unchanged; the caller sets them.
    /// </summary>
    /// <exception cref="CognitoException">InvalidParameterException for an invalid password policy,
    /// auto-verified attribute, verification message or attribute-update setting.</exception>
    public static UserPoolConfig ApplyUpdatable(UserPoolConfig request)
    {
        var policy = request.Policies?.PasswordPolicy;
        if (policy?.MinimumLength is { } len && (len < 6 || len > 99))
        {
            throw CognitoErrors.Validation($"Value '{len}' at 'policies.passwordPolicy.minimumLength' failed to satisfy constraint: Member must have value {(len < 6 ? "greater than or equal to 6" : "less than or equal to 99")}");
        }
        if (policy?.TemporaryPasswordValidityDays is { } days && (days < 0 || days > 365))
        {
            throw CognitoErrors.Validation($"Value '{days}' at 'policies.passwordPolicy.temporaryPasswordValidityDays' failed to satisfy constraint: Member must have value {(days < 0 ? "greater than or equal to 0" : "less than or equal to 365")}");
        }
        var passwordPolicy = policy is null
            ? new PasswordPolicyType
            {
                MinimumLength = MinimumPasswordLength, RequireUppercase = true, RequireLowercase = true, RequireNumbers = true,
                RequireSymbols = true, TemporaryPasswordValidityDays = TemporaryPasswordValidityDays,
            }
            : policy with
            {
                MinimumLength = policy.MinimumLength ?? MinimumPasswordLength,
                RequireUppercase = policy.RequireUppercase ?? false,
                RequireLowercase = policy.RequireLowercase ?? false,
                RequireNumbers = policy.RequireNumbers ?? false,
                RequireSymbols = policy.RequireSymbols ?? false,
                TemporaryPasswordValidityDays = policy.TemporaryPasswordValidityDays ?? TemporaryPasswordValidityDays,
            };
        var signIn = request.Policies?.SignInPolicy is { AllowedFirstAuthFactors: { Count: > 0 } } s
            ? s with { AllowedFirstAuthFactors = [.. s.AllowedFirstAuthFactors.Distinct(StringComparer.Ordinal)] }
            : new SignInPolicyType { AllowedFirstAuthFactors = ["PASSWORD"] };

        var autoVerified = request.AutoVerifiedAttributes is { Count: > 0 } av ? av.Distinct(StringComparer.Ordinal).ToList() : null;
        foreach (var a in autoVerified ?? [])
        {
            if (!Verifiable.Contains(a)) throw CognitoErrors.InvalidParameter($"Invalid AutoVerifiedAttributes: {a} cannot be verified automatically.");
        }
        var requireVerification = request.UserAttributeUpdateSettings?.AttributesRequireVerificationBeforeUpdate ?? [];
        foreach (var a in requireVerification)
        {
            if (autoVerified?.Contains(a) != true)
            {
                throw CognitoErrors.InvalidParameter("The attributes in AttributesRequireVerificationBeforeUpdate must also be in AutoVerifiedAttributes.");
            }
        }

        var template = ReconcileVerificationMessages(request);
        var admin = request.AdminCreateUserConfig;
        var invite = admin?.InviteMessageTemplate;
        var email = request.EmailConfiguration;

        return request with
        {
            Policies = new UserPoolPolicyType { PasswordPolicy = passwordPolicy, SignInPolicy = signIn },
            DeletionProtection = request.DeletionProtection ?? "INACTIVE",
            AutoVerifiedAttributes = autoVerified,
            VerificationMessageTemplate = template,
            SmsVerificationMessage = template.SmsMessage,
            EmailVerificationMessage = template.EmailMessage,
            EmailVerificationSubject = template.EmailSubject,
            MfaConfiguration = request.MfaConfiguration ?? "OFF",
            UserAttributeUpdateSettings = new UserAttributeUpdateSettingsType { AttributesRequireVerificationBeforeUpdate = [.. requireVerification.Distinct(StringComparer.Ordinal)] },
            EmailConfiguration = email is null
                ? new EmailConfigurationType { EmailSendingAccount = "COGNITO_DEFAULT" }
                : email with { EmailSendingAccount = email.EmailSendingAccount ?? "COGNITO_DEFAULT" },
            AdminCreateUserConfig = new AdminCreateUserConfigType
            {
                AllowAdminCreateUserOnly = admin?.AllowAdminCreateUserOnly ?? false,
                UnusedAccountValidityDays = admin?.UnusedAccountValidityDays ?? passwordPolicy.TemporaryPasswordValidityDays,
                // Only what the caller set, as Cognito's DescribeUserPool answers (an echoed default makes
                // Terraform plan to remove invite_message_template; docs/design/terraform.md). The invitation
                // falls back to InviteMessage / InviteSubject when sent (MessageTemplates.Invitation).
                InviteMessageTemplate = invite,
            },
        };
    }

    /// <summary>
    /// The effective verification template: <c>VerificationMessageTemplate</c> members win, the legacy
    /// <c>SmsVerificationMessage</c> / <c>EmailVerificationMessage</c> / <c>EmailVerificationSubject</c>
    /// fill what it omits, defaults fill the rest. Code messages must contain <c>{####}</c>; with
    /// CONFIRM_WITH_LINK the link body must contain a <c>{##text##}</c> placeholder.
    /// </summary>
    /// <exception cref="CognitoException">InvalidParameterException "The message is invalid." otherwise.</exception>
    public static VerificationMessageTemplateType ReconcileVerificationMessages(UserPoolConfig request)
    {
        var t = request.VerificationMessageTemplate;
        var result = new VerificationMessageTemplateType
        {
            SmsMessage = t?.SmsMessage ?? request.SmsVerificationMessage ?? VerificationMessage,
            EmailMessage = t?.EmailMessage ?? request.EmailVerificationMessage ?? VerificationMessage,
            EmailSubject = t?.EmailSubject ?? request.EmailVerificationSubject ?? VerificationSubject,
            EmailMessageByLink = t?.EmailMessageByLink ?? VerificationMessageByLink,
            EmailSubjectByLink = t?.EmailSubjectByLink ?? VerificationSubjectByLink,
            DefaultEmailOption = t?.DefaultEmailOption ?? "CONFIRM_WITH_CODE",
        };
        if (!result.SmsMessage.Contains("{####}", StringComparison.Ordinal) || !result.EmailMessage.Contains("{####}", StringComparison.Ordinal))
        {
            throw CognitoErrors.InvalidParameter("The message is invalid.");
        }
        if (result.DefaultEmailOption == "CONFIRM_WITH_LINK" && !HasLinkPlaceholder(result.EmailMessageByLink))
        {
            throw CognitoErrors.InvalidParameter("The message is invalid.");
        }
        return result;
    }

    static bool HasLinkPlaceholder(string text)
    {
        int start = text.IndexOf("{##", StringComparison.Ordinal);
        return start >= 0 && text.IndexOf("##}", start + 3, StringComparison.Ordinal) > start + 3;
    }
}
