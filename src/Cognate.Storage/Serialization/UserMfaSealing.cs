using System.Text.Json;
using System.Text.Json.Serialization;
using Cognate.Core.Mfa;

namespace Cognate.Storage.Serialization;

/// <summary>
/// Provider-neutral row format of <see cref="UserMfa"/>: one JSON document sealed with <see cref="ISecretSealer"/>
/// under associated data <c>"mfa:" + poolId + "/" + username</c> (the same context master-key rotation uses).
/// </summary>
internal static class UserMfaSealing
{
    public static string Context(string userPoolId, string username) => "mfa:" + userPoolId + "/" + username;

    public static byte[] Seal(ISecretSealer sealer, string userPoolId, string username, UserMfa mfa)
    {
        var document = new MfaDocument
        {
            Sms = mfa.SmsEnabled,
            Totp = mfa.SoftwareTokenEnabled,
            Email = mfa.EmailEnabled,
            Preferred = mfa.Preferred,
            Secret = mfa.TotpSecret,
            DeviceName = mfa.TotpDeviceName,
            Pending = mfa.PendingTotpSecret,
            LastStep = mfa.LastTotpStep,
        };
        return sealer.Seal(JsonSerializer.SerializeToUtf8Bytes(document, UserMfaJsonContext.Default.MfaDocument), Context(userPoolId, username));
    }

    public static UserMfa Unseal(ISecretSealer sealer, string userPoolId, string username, byte[] sealedData, long version)
    {
        var json = sealer.Unseal(sealedData, Context(userPoolId, username));
        var data = JsonSerializer.Deserialize(json, UserMfaJsonContext.Default.MfaDocument) ?? new MfaDocument();
        return new UserMfa
        {
            SmsEnabled = data.Sms,
            SoftwareTokenEnabled = data.Totp,
            EmailEnabled = data.Email,
            Preferred = data.Preferred,
            TotpSecret = data.Secret,
            TotpDeviceName = data.DeviceName,
            PendingTotpSecret = data.Pending,
            LastTotpStep = data.LastStep,
            Version = version,
        };
    }
}

/// <summary>The sealed JSON shape of <see cref="UserMfa"/>.</summary>
internal sealed class MfaDocument
{
    public bool Sms { get; set; }
    public bool Totp { get; set; }
    public bool Email { get; set; }
    public string? Preferred { get; set; }
    public byte[]? Secret { get; set; }
    public string? DeviceName { get; set; }
    public byte[]? Pending { get; set; }
    public long LastStep { get; set; }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.General, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(MfaDocument))]
internal sealed partial class UserMfaJsonContext : JsonSerializerContext;
