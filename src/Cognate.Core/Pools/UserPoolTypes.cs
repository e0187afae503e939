namespace Cognate.Core.Pools;

// Wire-and-storage shapes of a user pool's settings, named exactly as the Cognito API names them
// (CreateUserPool / DescribeUserPool, "Data Types" in the API reference). Properties are nullable where
// the API lets a caller omit them; defaults are filled by UserPoolDefaults.

/// <summary>Cognito <c>PasswordPolicyType</c>. MinimumLength 6..99 characters; TemporaryPasswordValidityDays 0..365 days.</summary>
public sealed record PasswordPolicyType
{
    /// <summary>Minimum length in characters (6..99, default 8).</summary>
    public int? MinimumLength { get; init; }
    /// <summary>Require an uppercase Basic Latin letter.</summary>
    public bool? RequireUppercase { get; init; }
    /// <summary>Require a lowercase Basic Latin letter.</summary>
    public bool? RequireLowercase { get; init; }
    /// <summary>Require a digit.</summary>
    public bool? RequireNumbers { get; init; }
    /// <summary>Require one of Cognito's symbol characters (space counts).</summary>
    public bool? RequireSymbols { get; init; }
    /// <summary>Previous passwords a user may not reuse (0..24). Stored, not yet enforced.</summary>
    public int? PasswordHistorySize { get; init; }
    /// <summary>Days a temporary password (AdminCreateUser) stays valid (default 7).</summary>
    public int? TemporaryPasswordValidityDays { get; init; }
}

/// <summary>Cognito <c>SignInPolicyType</c>: the first factors USER_AUTH may offer.</summary>
public sealed record SignInPolicyType
{
    /// <summary>PASSWORD, EMAIL_OTP, SMS_OTP, WEB_AUTHN.</summary>
    public List<string>? AllowedFirstAuthFactors { get; init; }
}

/// <summary>Cognito <c>UserPoolPolicyType</c>.</summary>
public sealed record UserPoolPolicyType
{
    /// <summary>The password policy.</summary>
    public PasswordPolicyType? PasswordPolicy { get; init; }
    /// <summary>The sign-in policy.</summary>
    public SignInPolicyType? SignInPolicy { get; init; }
}

/// <summary>Cognito <c>StringAttributeConstraintsType</c>; lengths are decimal strings, as on the wire.</summary>
public sealed record StringAttributeConstraintsType
{
    /// <summary>Minimum length, as a string.</summary>
    public string? MinLength { get; init; }
    /// <summary>Maximum length, as a string (at most 2048).</summary>
    public string? MaxLength { get; init; }
}

/// <summary>Cognito <c>NumberAttributeConstraintsType</c>; bounds are decimal strings, as on the wire.</summary>
public sealed record NumberAttributeConstraintsType
{
    /// <summary>Minimum value, as a string.</summary>
    public string? MinValue { get; init; }
    /// <summary>Maximum value, as a string.</summary>
    public string? MaxValue { get; init; }
}

/// <summary>Cognito <c>SchemaAttributeType</c>: one attribute of the pool's schema.</summary>
public sealed record SchemaAttributeType
{
    /// <summary>Name without the <c>custom:</c> prefix for custom attributes in requests; with it in DescribeUserPool output.</summary>
    public string? Name { get; init; }
    /// <summary>String, Number, DateTime or Boolean.</summary>
    public string? AttributeDataType { get; init; }
    /// <summary>Writable only through admin (SigV4) actions; stored as <c>dev:custom:name</c>.</summary>
    public bool? DeveloperOnlyAttribute { get; init; }
    /// <summary>False: settable only when the user is created.</summary>
    public bool? Mutable { get; init; }
    /// <summary>Required at sign-up.</summary>
    public bool? Required { get; init; }
    /// <summary>Number constraints.</summary>
    public NumberAttributeConstraintsType? NumberAttributeConstraints { get; init; }
    /// <summary>String constraints.</summary>
    public StringAttributeConstraintsType? StringAttributeConstraints { get; init; }
}

/// <summary>Cognito <c>VerificationMessageTemplateType</c>. <c>{####}</c> stands for the code.</summary>
public sealed record VerificationMessageTemplateType
{
    /// <summary>SMS text.</summary>
    public string? SmsMessage { get; init; }
    /// <summary>Email body.</summary>
    public string? EmailMessage { get; init; }
    /// <summary>Email subject.</summary>
    public string? EmailSubject { get; init; }
    /// <summary>Email body for link confirmation.</summary>
    public string? EmailMessageByLink { get; init; }
    /// <summary>Email subject for link confirmation.</summary>
    public string? EmailSubjectByLink { get; init; }
    /// <summary>CONFIRM_WITH_CODE or CONFIRM_WITH_LINK.</summary>
    public string? DefaultEmailOption { get; init; }
}

/// <summary>Cognito <c>MessageTemplateType</c> (invitation).</summary>
public sealed record MessageTemplateType
{
    /// <summary>SMS text with <c>{username}</c> and <c>{####}</c>.</summary>
    public string? SMSMessage { get; init; }
    /// <summary>Email body with <c>{username}</c> and <c>{####}</c>.</summary>
    public string? EmailMessage { get; init; }
    /// <summary>Email subject.</summary>
    public string? EmailSubject { get; init; }
}

/// <summary>Cognito <c>AdminCreateUserConfigType</c>.</summary>
public sealed record AdminCreateUserConfigType
{
    /// <summary>Only administrators may create users (SignUp refused).</summary>
    public bool? AllowAdminCreateUserOnly { get; init; }
    /// <summary>Legacy: days an unused account stays valid.</summary>
    public int? UnusedAccountValidityDays { get; init; }
    /// <summary>Invitation template.</summary>
    public MessageTemplateType? InviteMessageTemplate { get; init; }
}

/// <summary>Cognito <c>UsernameConfigurationType</c>.</summary>
public sealed record UsernameConfigurationType
{
    /// <summary>Whether usernames (and email/preferred_username aliases) compare case-sensitively.</summary>
    public bool? CaseSensitive { get; init; }
}

/// <summary>Cognito <c>UserAttributeUpdateSettingsType</c>.</summary>
public sealed record UserAttributeUpdateSettingsType
{
    /// <summary>email and/or phone_number: keep the old value until the new one is verified.</summary>
    public List<string>? AttributesRequireVerificationBeforeUpdate { get; init; }
}

/// <summary>Cognito <c>RecoveryOptionType</c>.</summary>
public sealed record RecoveryOptionType
{
    /// <summary>1 or 2.</summary>
    public int? Priority { get; init; }
    /// <summary>verified_email, verified_phone_number or admin_only.</summary>
    public string? Name { get; init; }
}

/// <summary>Cognito <c>AccountRecoverySettingType</c>.</summary>
public sealed record AccountRecoverySettingType
{
    /// <summary>Recovery mechanisms by priority.</summary>
    public List<RecoveryOptionType>? RecoveryMechanisms { get; init; }
}

/// <summary>Cognito <c>EmailConfigurationType</c> (stored and echoed; delivery goes through Cognate's SMTP settings).</summary>
public sealed record EmailConfigurationType
{
    /// <summary>SES identity ARN (echoed only).</summary>
    public string? SourceArn { get; init; }
    /// <summary>Reply-to address.</summary>
    public string? ReplyToEmailAddress { get; init; }
    /// <summary>COGNITO_DEFAULT or DEVELOPER.</summary>
    public string? EmailSendingAccount { get; init; }
    /// <summary>From address, e.g. <c>Name &lt;no-reply@example.com&gt;</c>.</summary>
    public string? From { get; init; }
    /// <summary>SES configuration set (echoed only).</summary>
    public string? ConfigurationSet { get; init; }
}

/// <summary>Cognito <c>DeviceConfigurationType</c> (stored and echoed; devices come in a later issue).</summary>
public sealed record DeviceConfigurationType
{
    /// <summary>Challenge on new devices.</summary>
    public bool? ChallengeRequiredOnNewDevice { get; init; }
    /// <summary>Remember devices only when the user asks.</summary>
    public bool? DeviceOnlyRememberedOnUserPrompt { get; init; }
}

/// <summary>
/// The stored, caller-settable configuration of a user pool: the members of CreateUserPool /
/// UpdateUserPool that Cognate keeps. Unknown-to-us structures (LambdaConfig, SmsConfiguration,
/// UserPoolAddOns, ...) are kept verbatim as JSON so DescribeUserPool echoes them.
/// </summary>
public sealed record UserPoolConfig
{
    /// <summary>Pool name (1..128).</summary>
    public string? PoolName { get; init; }
    /// <summary>Policies.</summary>
    public UserPoolPolicyType? Policies { get; init; }
    /// <summary>ACTIVE or INACTIVE.</summary>
    public string? DeletionProtection { get; init; }
    /// <summary>Lambda triggers (stored, not invoked).</summary>
    public System.Text.Json.Nodes.JsonObject? LambdaConfig { get; init; }
    /// <summary>email and/or phone_number: verified automatically by a code at sign-up.</summary>
    public List<string>? AutoVerifiedAttributes { get; init; }
    /// <summary>email, phone_number, preferred_username: sign-in aliases.</summary>
    public List<string>? AliasAttributes { get; init; }
    /// <summary>email and/or phone_number used as the username.</summary>
    public List<string>? UsernameAttributes { get; init; }
    /// <summary>Legacy SMS verification text.</summary>
    public string? SmsVerificationMessage { get; init; }
    /// <summary>Legacy email verification body.</summary>
    public string? EmailVerificationMessage { get; init; }
    /// <summary>Legacy email verification subject.</summary>
    public string? EmailVerificationSubject { get; init; }
    /// <summary>Verification templates.</summary>
    public VerificationMessageTemplateType? VerificationMessageTemplate { get; init; }
    /// <summary>SMS MFA text.</summary>
    public string? SmsAuthenticationMessage { get; init; }
    /// <summary>OFF, ON or OPTIONAL.</summary>
    public string? MfaConfiguration { get; init; }
    /// <summary>Attribute update settings.</summary>
    public UserAttributeUpdateSettingsType? UserAttributeUpdateSettings { get; init; }
    /// <summary>Device settings.</summary>
    public DeviceConfigurationType? DeviceConfiguration { get; init; }
    /// <summary>Email settings.</summary>
    public EmailConfigurationType? EmailConfiguration { get; init; }
    /// <summary>SMS settings (stored verbatim).</summary>
    public System.Text.Json.Nodes.JsonObject? SmsConfiguration { get; init; }
    /// <summary>Tags.</summary>
    public Dictionary<string, string>? UserPoolTags { get; init; }
    /// <summary>Admin-create-user settings.</summary>
    public AdminCreateUserConfigType? AdminCreateUserConfig { get; init; }
    /// <summary>Schema: standard attributes plus custom ones (names stored with <c>custom:</c> / <c>dev:custom:</c> prefix).</summary>
    public List<SchemaAttributeType>? SchemaAttributes { get; init; }
    /// <summary>Add-ons (stored verbatim).</summary>
    public System.Text.Json.Nodes.JsonObject? UserPoolAddOns { get; init; }
    /// <summary>Username case sensitivity.</summary>
    public UsernameConfigurationType? UsernameConfiguration { get; init; }
    /// <summary>Account recovery.</summary>
    public AccountRecoverySettingType? AccountRecoverySetting { get; init; }
    /// <summary>LITE, ESSENTIALS or PLUS.</summary>
    public string? UserPoolTier { get; init; }
    /// <summary>TOTP MFA setting (SetUserPoolMfaConfig only; kept by UpdateUserPool).</summary>
    public SoftwareTokenMfaConfigType? SoftwareTokenMfaConfiguration { get; init; }
    /// <summary>Email MFA / email OTP message (SetUserPoolMfaConfig only; kept by UpdateUserPool).</summary>
    public EmailMfaConfigType? EmailMfaConfiguration { get; init; }
    /// <summary>SMS MFA setting (SetUserPoolMfaConfig only; kept by UpdateUserPool).</summary>
    public SmsMfaConfigType? SmsMfaConfiguration { get; init; }
    /// <summary>WebAuthn settings (stored verbatim; passkeys are not built yet).</summary>
    public System.Text.Json.Nodes.JsonObject? WebAuthnConfiguration { get; init; }
}
