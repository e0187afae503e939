using Cognate.Core.Mfa;
using Cognate.Core.Pools;
using Cognate.Server.Shared;

namespace Cognate.Server.Mfa;

/// <summary>Wire shapes shared by the MFA actions.</summary>
internal static class MfaWire
{
    /// <summary>Legacy <c>MFAOptions</c> of GetUser / AdminGetUser: SMS to phone_number when SMS MFA is enabled.</summary>
    public static List<MFAOptionType>? Options(List<string>? settings) =>
        settings?.Contains(MfaFactor.Sms) == true ? [new MFAOptionType("SMS", "phone_number")] : null;

    /// <summary>Cognito <c>SMSMfaSettingsType</c> / <c>SoftwareTokenMfaSettingsType</c> / <c>EmailMfaSettingsType</c>.</summary>
    internal sealed record MfaSettingsType(bool? Enabled, bool? PreferredMfa)
    {
        public MfaService.Preference ToPreference() => new(Enabled, PreferredMfa);
    }

    /// <summary>The body of SetUserPoolMfaConfig's response and of GetUserPoolMfaConfig: only what was set, as
    /// Cognito answers (no <c>SoftwareTokenMfaConfiguration</c> / <c>WebAuthnConfiguration</c> for a pool that never
    /// set them; Terraform's aws provider otherwise plans to remove blocks the configuration does not have —
    /// docs/design/terraform.md).</summary>
    internal sealed record PoolMfaConfig(SmsMfaConfigType? SmsMfaConfiguration, SoftwareTokenMfaConfigType? SoftwareTokenMfaConfiguration,
        EmailMfaConfigType? EmailMfaConfiguration, string MfaConfiguration, System.Text.Json.Nodes.JsonObject? WebAuthnConfiguration)
    {
        public static PoolMfaConfig From(UserPool pool) => new(
            pool.Config.SmsMfaConfiguration,
            pool.Config.SoftwareTokenMfaConfiguration,
            pool.Config.EmailMfaConfiguration,
            pool.Config.MfaConfiguration ?? "OFF",
            pool.Config.WebAuthnConfiguration);
    }
}
