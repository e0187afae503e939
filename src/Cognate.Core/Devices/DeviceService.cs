using System.Security.Cryptography;
using Cognate.Core.Crypto;
using Cognate.Core.Errors;
using Cognate.Core.Pools;
using Cognate.Core.Users;

namespace Cognate.Core.Devices;

/// <summary>
/// Remembered devices (reference §3.9): new device metadata at sign-in, ConfirmDevice, UpdateDeviceStatus, GetDevice,
/// ListDevices, ForgetDevice and their Admin* forms. Errors: ResourceNotFoundException "Device does not exist." for an
/// unknown device or another user's; InvalidParameterException for a bad verifier, status or limit.
/// </summary>
public sealed class DeviceService(IDeviceStore store, TimeProvider time)
{
    /// <summary>ListDevices' largest Limit (and its default).</summary>
    public const int MaxLimit = 60;

    /// <summary>True when the pool tracks devices (any DeviceConfiguration member set).</summary>
    public static bool Tracks(UserPool pool) =>
        pool.Config.DeviceConfiguration is { } c && (c.ChallengeRequiredOnNewDevice is not null || c.DeviceOnlyRememberedOnUserPrompt is not null);

    /// <summary>ResourceNotFoundException "Device does not exist." (Cognito's message; amazon-cognito-identity-js retries on it).</summary>
    public static CognitoException NotFound() => CognitoErrors.ResourceNotFound("Device does not exist.");

    /// <summary>Creates a new unconfirmed device for <paramref name="user"/> (NewDeviceMetadata).</summary>
    public async ValueTask<Device> CreateAsync(UserPool pool, User user, string? ip, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(user);
        var now = time.GetUtcNow();
        var device = new Device
        {
            UserPoolId = pool.Id,
            Username = user.Username,
            DeviceKey = pool.Region + "_" + Guid.NewGuid().ToString("D"),
            DeviceGroupKey = "-" + RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 9),
            Status = DeviceStatus.NotRemembered,
            LastIp = ip,
            CreatedAt = now,
            ModifiedAt = now,
            LastAuthenticatedAt = now,
        };
        if (!await store.CreateAsync(device, ct).ConfigureAwait(false)) throw CognitoErrors.UserNotFound();
        return device;
    }

    /// <summary>The device <paramref name="deviceKey"/> of the user <paramref name="username"/>, or null (unknown, or another user's).</summary>
    public async ValueTask<Device?> FindAsync(UserPool pool, string username, string? deviceKey, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (string.IsNullOrEmpty(deviceKey)) return null;
        var device = await store.GetAsync(pool.Id, deviceKey, ct).ConfigureAwait(false);
        return device is not null && device.Username == username ? device : null;
    }

    /// <summary>The device or ResourceNotFoundException "Device does not exist.".</summary>
    public async ValueTask<Device> GetAsync(UserPool pool, User user, string? deviceKey, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (string.IsNullOrEmpty(deviceKey)) throw CognitoErrors.InvalidParameter("1 validation error detected: Value null at 'deviceKey' failed to satisfy constraint: Member must not be null");
        return await FindAsync(pool, user.Username, deviceKey, ct).ConfigureAwait(false) ?? throw NotFound();
    }

    /// <summary>Records a sign-in from the device: last authenticated date and IP.</summary>
    public async ValueTask TouchAsync(Device device, string? ip, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(device);
        var now = time.GetUtcNow();
        await store.UpdateAsync(device with { LastAuthenticatedAt = now, LastIp = ip ?? device.LastIp }, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// ConfirmDevice: stores the device verifier (base64 PasswordVerifier and Salt as amazon-cognito-identity-js sends them) and
    /// the name. Returns UserConfirmationNecessary: true when the pool's DeviceOnlyRememberedOnUserPrompt is true (the device stays
    /// not_remembered until UpdateDeviceStatus), otherwise the device is remembered now.
    /// </summary>
    public async ValueTask<bool> ConfirmAsync(UserPool pool, User user, string? deviceKey, string? passwordVerifier, string? salt, string? name, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var device = await GetAsync(pool, user, deviceKey, ct).ConfigureAwait(false);
        if (!TryBase64(passwordVerifier, out var verifier) || !TryBase64(salt, out var saltBytes) || saltBytes.Length == 0)
        {
            throw CognitoErrors.InvalidParameter("DeviceSecretVerifierConfig must contain a base64 PasswordVerifier and Salt.");
        }
        var padded = PadVerifier(verifier) ?? throw CognitoErrors.InvalidParameter("Invalid PasswordVerifier.");
        if (name is { Length: > 1024 }) throw CognitoErrors.InvalidParameter("DeviceName is too long.");
        bool prompt = pool.Config.DeviceConfiguration?.DeviceOnlyRememberedOnUserPrompt == true;
        var confirmed = device with
        {
            Salt = saltBytes,
            Verifier = padded,
            Name = name ?? device.Name,
            Status = prompt ? DeviceStatus.NotRemembered : DeviceStatus.Remembered,
            ModifiedAt = time.GetUtcNow(),
        };
        if (!await store.UpdateAsync(confirmed, ct).ConfigureAwait(false)) throw NotFound();
        return prompt;
    }

    /// <summary>UpdateDeviceStatus / AdminUpdateDeviceStatus: <c>remembered</c> or <c>not_remembered</c>.</summary>
    public async ValueTask UpdateStatusAsync(UserPool pool, User user, string? deviceKey, string? status, CancellationToken ct)
    {
        if (status is not (DeviceStatus.Remembered or DeviceStatus.NotRemembered))
        {
            throw CognitoErrors.InvalidParameter($"1 validation error detected: Value '{status}' at 'deviceRememberedStatus' failed to satisfy constraint: Member must satisfy enum value set: [remembered, not_remembered]");
        }
        var device = await GetAsync(pool, user, deviceKey, ct).ConfigureAwait(false);
        if (!await store.UpdateAsync(device with { Status = status, ModifiedAt = time.GetUtcNow() }, ct).ConfigureAwait(false)) throw NotFound();
    }

    /// <summary>ForgetDevice / AdminForgetDevice.</summary>
    public async ValueTask ForgetAsync(UserPool pool, User user, string? deviceKey, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var device = await GetAsync(pool, user, deviceKey, ct).ConfigureAwait(false);
        if (!await store.DeleteAsync(pool.Id, device.DeviceKey, ct).ConfigureAwait(false)) throw NotFound();
    }

    /// <summary>ListDevices / AdminListDevices: up to <paramref name="limit"/> (1–60, default 60) devices, newest first, after the
    /// device key in <paramref name="paginationToken"/>; the next token or null.</summary>
    public async ValueTask<(IReadOnlyList<Device> Devices, string? Next)> ListAsync(UserPool pool, User user, int? limit, string? paginationToken, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(user);
        if (limit is < 0 or > MaxLimit) throw CognitoErrors.InvalidParameter($"1 validation error detected: Value '{limit}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to {MaxLimit}");
        int take = limit is null or 0 ? MaxLimit : limit.Value;
        var all = await store.ListAsync(pool.Id, user.Username, ct).ConfigureAwait(false);
        int start = 0;
        if (!string.IsNullOrEmpty(paginationToken))
        {
            start = -1;
            for (int i = 0; i < all.Count; i++)
            {
                if (all[i].DeviceKey == paginationToken) { start = i; break; }
            }
            if (start < 0) throw CognitoErrors.InvalidParameter("Invalid pagination token.");
        }
        var page = all.Skip(start).Take(take).ToList();
        string? next = start + take < all.Count ? all[start + take].DeviceKey : null;
        return (page, next);
    }

    /// <summary>The verifier as 384 bytes (amazon-cognito-identity-js sends padHex, possibly with a leading zero byte); null when
    /// zero or wider than N.</summary>
    static byte[]? PadVerifier(byte[] verifier)
    {
        var trimmed = Srp.TrimLeadingZeros(verifier);
        if (trimmed.Length == 0 || trimmed.Length > 384) return null;
        var padded = new byte[384];
        trimmed.CopyTo(padded.AsSpan(384 - trimmed.Length));
        return padded;
    }

    static bool TryBase64(string? text, out byte[] bytes)
    {
        bytes = [];
        if (string.IsNullOrEmpty(text)) return false;
        var buffer = new byte[text.Length];
        if (!Convert.TryFromBase64String(text, buffer, out int n)) return false;
        bytes = buffer[..n];
        return true;
    }
}
