using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cognate.Core.Clients;
using Cognate.Core.Crypto;
using Cognate.Core.Devices;
using Cognate.Core.Errors;
using Cognate.Core.SignIn.Steps;
using static Cognate.Core.CognitoConstants;

namespace Cognate.Core.SignIn.Challenges;

/// <summary>The sealed content of a DEVICE_PASSWORD_VERIFIER SECRET_BLOCK.</summary>
internal sealed record DeviceSecretBlock(
    [property: JsonPropertyName("p")] string UserPoolId,
    [property: JsonPropertyName("c")] string ClientId,
    [property: JsonPropertyName("u")] string Username,
    [property: JsonPropertyName("d")] string DeviceKey,
    [property: JsonPropertyName("A")] byte[] ClientPublic,
    [property: JsonPropertyName("B")] byte[] ServerPublic,
    [property: JsonPropertyName("b")] byte[] PrivateB,
    [property: JsonPropertyName("e")] long ExpiresAt);

/// <summary>
/// DEVICE_SRP_AUTH (reference §4.7): a remembered device starts device SRP. Response: USERNAME, DEVICE_KEY, SRP_A, SECRET_HASH
/// when the client has a secret. Answer: DEVICE_PASSWORD_VERIFIER with SRP_B = k·v + g^b (the same fixed-base comb as user
/// SRP), SALT (hex), SECRET_BLOCK (AES-GCM sealed {pool, client, user, device, A, B, b, expiry}), USERNAME and DEVICE_KEY,
/// under a new Session. Errors: the session's device key differs, or the device is gone / unconfirmed:
/// ResourceNotFoundException "Device does not exist."; a bad SRP_A: InvalidParameterException.
/// </summary>
public sealed class DeviceSrpAuth(SessionUser sessionUser, DeviceService devices, MasterKeyProtector protector, TimeProvider time) : IChallenge
{
    internal static readonly byte[] BlockContext = "cognate/device-srp-secret-block/v1"u8.ToArray();

    /// <inheritdoc/>
    public string Name => DeviceNames.DeviceSrpAuth;

    /// <inheritdoc/>
    public async ValueTask<StepResult> RespondAsync(SignInRequest request, SignInState? state, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(state);
        var (user, stop) = await sessionUser.ResolveAsync(request, state, SessionUser.Default, ct).ConfigureAwait(false);
        if (stop is not null) return stop;
        if (request.Get(AuthParameters.SrpA) is not { } srpA) return new StepResult.Retry(SignInRequest.Missing(AuthParameters.SrpA), state);
        var deviceKey = request.Get(DeviceNames.DeviceKey) ?? state.DeviceKey;
        if (deviceKey != state.DeviceKey) return StepResult.Failed(DeviceService.NotFound());
        var device = await devices.FindAsync(request.Pool, user!.Username, deviceKey, ct).ConfigureAwait(false);
        if (device is null || !device.Confirmed) return StepResult.Failed(DeviceService.NotFound());
        if (!Srp.TryParseClientPublic(srpA, out var clientPublic)) return StepResult.Failed(CognitoErrors.InvalidParameter("Invalid SRP_A: not hex, or zero modulo N."));
        var challenge = Srp.CreateServerChallenge(device.Verifier!);
        var expires = time.GetUtcNow() + AppClientService.AuthSessionLifetime(request.Client);
        var block = new DeviceSecretBlock(request.Pool.Id, request.Client.ClientId, user.Username, device.DeviceKey, clientPublic,
            challenge.PublicB, challenge.PrivateB, expires.ToUnixTimeSeconds());
        var plain = JsonSerializer.SerializeToUtf8Bytes(block);
        byte[] sealedBlock;
        try { sealedBlock = protector.Protect(plain, BlockContext); }
        finally { CryptographicOperations.ZeroMemory(plain); }
        return new StepResult.Challenge(DeviceNames.DevicePasswordVerifier, new Dictionary<string, string>
        {
            [ChallengeParameters.SrpB] = challenge.PublicBHex,
            [ChallengeParameters.Salt] = Srp.ToHex(device.Salt!),
            [ChallengeParameters.SecretBlock] = Convert.ToBase64String(sealedBlock),
            [ChallengeParameters.Username] = user.Username,
            [DeviceNames.DeviceKey] = device.DeviceKey,
        }, state with { DeviceKey = device.DeviceKey });
    }

    /// <summary>Unseals a DEVICE_PASSWORD_VERIFIER SECRET_BLOCK; null when not base64, not ours or tampered with.</summary>
    internal static (DeviceSecretBlock Block, byte[] Sealed)? Open(MasterKeyProtector protector, string blockBase64)
    {
        var buffer = new byte[blockBase64.Length];
        if (!Convert.TryFromBase64String(blockBase64, buffer, out int n)) return null;
        var sealedBlock = buffer[..n];
        if (!protector.TryUnprotect(sealedBlock, BlockContext, out var plain)) return null;
        try
        {
            var block = JsonSerializer.Deserialize<DeviceSecretBlock>(plain);
            return block is null ? null : (block, sealedBlock);
        }
        catch (JsonException)
        {
            return null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }
}
