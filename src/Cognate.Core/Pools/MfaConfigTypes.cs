using System.Text.Json.Nodes;

namespace Cognate.Core.Pools;

/// <summary>Cognito <c>SoftwareTokenMfaConfigType</c>: TOTP MFA on or off for the pool.</summary>
public sealed record SoftwareTokenMfaConfigType
{
    /// <summary>True: users may use an authenticator app.</summary>
    public bool? Enabled { get; init; }
}

/// <summary>
/// Cognito <c>EmailMfaConfigType</c>: present when email MFA (and the email OTP message) is configured.
/// <see cref="Message"/> must contain <c>{####}</c>.
/// </summary>
public sealed record EmailMfaConfigType
{
    /// <summary>Body template with <c>{####}</c>.</summary>
    public string? Message { get; init; }
    /// <summary>Subject.</summary>
    public string? Subject { get; init; }
}

/// <summary>Cognito <c>SmsMfaConfigType</c>: present when SMS MFA is configured.</summary>
public sealed record SmsMfaConfigType
{
    /// <summary>Text template with <c>{####}</c>.</summary>
    public string? SmsAuthenticationMessage { get; init; }
    /// <summary>SMS settings (kept verbatim; delivery goes through Cognate's own sender).</summary>
    public JsonObject? SmsConfiguration { get; init; }
}
