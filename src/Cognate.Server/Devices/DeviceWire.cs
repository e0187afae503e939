using Cognate.Core.Devices;
using Cognate.Server.Shared;

namespace Cognate.Server.Devices;

/// <summary>Cognito <c>DeviceType</c>: DeviceKey, DeviceAttributes (device_status, device_name, last_ip_used), the three dates.</summary>
internal sealed record DeviceType(string DeviceKey, IReadOnlyList<AttributeType> DeviceAttributes, DateTimeOffset DeviceCreateDate,
    DateTimeOffset DeviceLastModifiedDate, DateTimeOffset DeviceLastAuthenticatedDate)
{
    /// <summary>The wire form of <paramref name="d"/>; attributes only when set (Cognito's order: status, name, last IP).</summary>
    public static DeviceType From(Device d)
    {
        var attributes = new List<AttributeType> { new("device_status", d.Status) };
        if (d.Name is { Length: > 0 } name) attributes.Add(new("device_name", name));
        if (d.LastIp is { Length: > 0 } ip) attributes.Add(new("last_ip_used", ip));
        return new(d.DeviceKey, attributes, d.CreatedAt, d.ModifiedAt, d.LastAuthenticatedAt);
    }
}

/// <summary>Cognito <c>DeviceSecretVerifierConfigType</c>: base64 PasswordVerifier and Salt.</summary>
internal sealed record DeviceSecretVerifierConfigType(string? PasswordVerifier, string? Salt);
