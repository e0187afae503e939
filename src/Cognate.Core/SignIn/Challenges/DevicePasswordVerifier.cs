using System.Security.Cryptography;
using Cognate.Core.Crypto;
using Cognate.Core.Devices;
using Cognate.Core.Errors;
using Cognate.Core.SignIn.Steps;
using static Cognate.Core.CognitoConstants;

namespace Cognate.Core.SignIn.Challenges;

/// <summary>
/// DEVICE_PASSWORD_VERIFIER (reference §4.7): the device's SRP proof. Response: USERNAME, DEVICE_KEY, PASSWORD_CLAIM_SECRET_BLOCK,
/// PASSWORD_CLAIM_SIGNATURE = HMAC(K, DeviceGroupKey ‖ DeviceKey ‖ block ‖ TIMESTAMP), TIMESTAMP (±5 min), SECRET_HASH when the
/// client has a secret. The Session is single use (taken by the engine). A correct proof ends the sign-in with tokens
/// (PreTokenGeneration source <c>TokenGeneration_AuthenticateDevice</c>) and updates the device's last use; MFA is skipped.
/// Errors: NotAuthorizedException "Incorrect username or password." (wrong proof, stale timestamp, a block of another
/// session); ResourceNotFoundException "Device does not exist." (forgotten meanwhile).
/// </summary>
public sealed class DevicePasswordVerifier(SessionUser sessionUser, DeviceService devices, MasterKeyProtector protector, Completion completion, TimeProvider time) : IChallenge
{
    /// <inheritdoc/>
    public string Name => DeviceNames.DevicePasswordVerifier;

    /// <inheritdoc/>
    public async ValueTask<StepResult> RespondAsync(SignInRequest request, SignInState? state, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(state);
        var (user, stop) = await sessionUser.ResolveAsync(request, state, SessionUser.Default, ct).ConfigureAwait(false);
        if (stop is not null) return stop;
        foreach (var name in (string[])[AuthParameters.PasswordClaimSecretBlock, AuthParameters.PasswordClaimSignature, AuthParameters.Timestamp])
        {
            if (request.Get(name) is null) return new StepResult.Retry(SignInRequest.Missing(name), state);
        }
        if (DeviceSrpAuth.Open(protector, request.Get(AuthParameters.PasswordClaimSecretBlock)!) is not { } opened) return Incorrect();
        var (block, sealedBlock) = opened;
        if (block.UserPoolId != request.Pool.Id || block.ClientId != request.Client.ClientId || block.Username != user!.Username
            || block.DeviceKey != state.DeviceKey || DateTimeOffset.FromUnixTimeSeconds(block.ExpiresAt) <= time.GetUtcNow())
        {
            return Incorrect();
        }
        var timestamp = request.Get(AuthParameters.Timestamp)!;
        if (!Srp.IsTimestampFresh(timestamp, time.GetUtcNow(), PasswordVerifier.TimestampTolerance)) return Incorrect();
        var device = await devices.FindAsync(request.Pool, user.Username, block.DeviceKey, ct).ConfigureAwait(false);
        if (device is null || !device.Confirmed) return StepResult.Failed(DeviceService.NotFound());
        bool ok;
        try
        {
            ok = Srp.VerifyDevicePasswordClaim(device.DeviceGroupKey, device.DeviceKey, block.ClientPublic, block.ServerPublic, block.PrivateB,
                device.Verifier!, sealedBlock, timestamp, request.Get(AuthParameters.PasswordClaimSignature));
        }
        catch (CryptographicException)
        {
            ok = false;
        }
        if (!ok) return Incorrect();
        if (UserLookup.CannotSignIn(user) is { } refused) return new StepResult.Fail(refused);
        // Completion finds the device by DEVICE_KEY; the session's key counts when the client leaves it out.
        var withKey = request.Get(DeviceNames.DeviceKey) is null
            ? request with { Parameters = new Dictionary<string, string>(request.Parameters) { [DeviceNames.DeviceKey] = device.DeviceKey } }
            : request;
        return await completion.SignedInAsync(withKey, user, ct).ConfigureAwait(false);
    }

    static StepResult.Fail Incorrect() => StepResult.Failed(CognitoErrors.IncorrectUsernameOrPassword());
}
