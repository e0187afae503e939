namespace Cognate.Core.Devices;

/// <summary>
/// One device a user signed in from (reference §3.9): created with a new <c>DeviceKey</c> (<c>{region}_{uuid}</c>) and
/// <c>DeviceGroupKey</c> at the end of a sign-in of a pool with <c>DeviceConfiguration</c> (NewDeviceMetadata), confirmed by
/// ConfirmDevice with the client's SRP verifier (then it can authenticate with DEVICE_SRP_AUTH), and remembered or not.
/// </summary>
public sealed record Device
{
    /// <summary>The pool.</summary>
    public required string UserPoolId { get; init; }
    /// <summary>The internal username of the owner.</summary>
    public required string Username { get; init; }
    /// <summary><c>{region}_{uuid}</c>, unique in the pool.</summary>
    public required string DeviceKey { get; init; }
    /// <summary>The device group key (the "pool name" of device SRP, reference §4.7): <c>-</c> followed by 9 random letters.</summary>
    public required string DeviceGroupKey { get; init; }
    /// <summary>The device SRP salt (unsigned big-endian), null until ConfirmDevice.</summary>
    public byte[]? Salt { get; init; }
    /// <summary>The device SRP verifier (384 bytes), null until ConfirmDevice. Stored sealed.</summary>
    public byte[]? Verifier { get; init; }
    /// <summary><see cref="DeviceStatus.Remembered"/> or <see cref="DeviceStatus.NotRemembered"/>.</summary>
    public string Status { get; init; } = DeviceStatus.NotRemembered;
    /// <summary>ConfirmDevice's DeviceName (the <c>device_name</c> attribute).</summary>
    public string? Name { get; init; }
    /// <summary>The last IP address the device signed in from (<c>last_ip_used</c>).</summary>
    public string? LastIp { get; init; }
    /// <summary>DeviceCreateDate.</summary>
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>DeviceLastModifiedDate.</summary>
    public DateTimeOffset ModifiedAt { get; init; }
    /// <summary>DeviceLastAuthenticatedDate.</summary>
    public DateTimeOffset LastAuthenticatedAt { get; init; }

    /// <summary>True once ConfirmDevice stored a verifier.</summary>
    public bool Confirmed => Verifier is not null && Salt is not null;

    /// <summary>Never prints the verifier.</summary>
    public override string ToString() => $"Device {{ {UserPoolId}/{Username}/{DeviceKey} {Status} }}";
}

/// <summary>The values of <see cref="Device.Status"/> (Cognito's <c>device_status</c> attribute and DeviceRememberedStatus).</summary>
public static class DeviceStatus
{
    /// <summary>Remembered: may skip MFA through DEVICE_SRP_AUTH.</summary>
    public const string Remembered = "remembered";
    /// <summary>Tracked, not remembered.</summary>
    public const string NotRemembered = "not_remembered";
}

/// <summary>The device names of the protocol (AuthParameters, ChallengeResponses, ChallengeParameters and challenge names).</summary>
public static class DeviceNames
{
    /// <summary>AuthParameters / ChallengeResponses / ChallengeParameters: the device key.</summary>
    public const string DeviceKey = "DEVICE_KEY";
    /// <summary>The challenge that asks a remembered device for SRP_A.</summary>
    public const string DeviceSrpAuth = "DEVICE_SRP_AUTH";
    /// <summary>The device's SRP proof.</summary>
    public const string DevicePasswordVerifier = "DEVICE_PASSWORD_VERIFIER";
}

/// <summary>Stored devices. Rows go with their user (and so with the pool).</summary>
public interface IDeviceStore
{
    /// <summary>Adds a new device; false when its user is gone or the key exists.</summary>
    ValueTask<bool> CreateAsync(Device device, CancellationToken ct = default);

    /// <summary>The device <paramref name="deviceKey"/> of the pool, or null.</summary>
    ValueTask<Device?> GetAsync(string userPoolId, string deviceKey, CancellationToken ct = default);

    /// <summary>The user's devices, newest first.</summary>
    ValueTask<IReadOnlyList<Device>> ListAsync(string userPoolId, string username, CancellationToken ct = default);

    /// <summary>Replaces the device (same pool and key); false when it is gone.</summary>
    ValueTask<bool> UpdateAsync(Device device, CancellationToken ct = default);

    /// <summary>Deletes the device; false when it did not exist.</summary>
    ValueTask<bool> DeleteAsync(string userPoolId, string deviceKey, CancellationToken ct = default);
}
