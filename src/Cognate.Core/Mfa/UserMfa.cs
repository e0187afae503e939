namespace Cognate.Core.Mfa;

/// <summary>Cognito's MFA factor names as they appear in <c>UserMFASettingList</c> and challenges.</summary>
public static class MfaFactor
{
    /// <summary>SMS code as second factor.</summary>
    public const string Sms = "SMS_MFA";
    /// <summary>TOTP authenticator app.</summary>
    public const string SoftwareToken = "SOFTWARE_TOKEN_MFA";
    /// <summary>Email code as second factor.</summary>
    public const string Email = "EMAIL_OTP";
}

/// <summary>
/// A user's MFA state: which factors are enabled and which one is preferred (SetUserMFAPreference),
/// the verified TOTP secret, a pending secret from AssociateSoftwareToken that VerifySoftwareToken has
/// not confirmed yet, and the last TOTP time step accepted (so a code is accepted once).
/// Secrets are raw bytes (base32 on the wire); the store seals the whole record at rest.
/// </summary>
public sealed class UserMfa
{
    /// <summary>SMS_MFA enabled.</summary>
    public bool SmsEnabled { get; set; }
    /// <summary>SOFTWARE_TOKEN_MFA enabled.</summary>
    public bool SoftwareTokenEnabled { get; set; }
    /// <summary>EMAIL_OTP (email MFA) enabled.</summary>
    public bool EmailEnabled { get; set; }
    /// <summary>The preferred factor (one of <see cref="MfaFactor"/>), or null.</summary>
    public string? Preferred { get; set; }
    /// <summary>Verified TOTP secret, or null.</summary>
    public byte[]? TotpSecret { get; set; }
    /// <summary>FriendlyDeviceName given to VerifySoftwareToken.</summary>
    public string? TotpDeviceName { get; set; }
    /// <summary>Secret from AssociateSoftwareToken awaiting VerifySoftwareToken, or null.</summary>
    public byte[]? PendingTotpSecret { get; set; }
    /// <summary>Last accepted TOTP time step (unix seconds / 30); codes of this step or earlier are refused.</summary>
    public long LastTotpStep { get; set; }
    /// <summary>Row version for optimistic concurrency (0 = not stored yet); the store increments it.</summary>
    public long Version { get; set; }

    /// <summary>The enabled factors in Cognito's order (SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP).</summary>
    public IReadOnlyList<string> EnabledFactors()
    {
        var list = new List<string>(3);
        if (SmsEnabled) list.Add(MfaFactor.Sms);
        if (SoftwareTokenEnabled) list.Add(MfaFactor.SoftwareToken);
        if (EmailEnabled) list.Add(MfaFactor.Email);
        return list;
    }
}

/// <summary>Storage of <see cref="UserMfa"/>, one row per user, deleted with the user.</summary>
public interface IUserMfaStore
{
    /// <summary>The user's MFA state, or null when none was ever written.</summary>
    ValueTask<UserMfa?> GetAsync(string userPoolId, string username, CancellationToken ct = default);

    /// <summary>
    /// Inserts (when <paramref name="mfa"/>.Version is 0) or replaces the row if its stored version equals
    /// <paramref name="mfa"/>.Version, then increments the version on the object. False on a conflict
    /// (concurrent write, or the user is gone).
    /// </summary>
    ValueTask<bool> PutAsync(string userPoolId, string username, UserMfa mfa, CancellationToken ct = default);
}
