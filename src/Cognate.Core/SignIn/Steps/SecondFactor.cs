using System.Text.Json;
using Cognate.Core.Devices;
using Cognate.Core.Errors;
using Cognate.Core.Messaging;
using Cognate.Core.Mfa;
using Cognate.Core.Users;
using static Cognate.Core.CognitoConstants;

namespace Cognate.Core.SignIn.Steps;

/// <summary>
/// THE MFA decision: what happens after a correct first factor (a password, an SRP proof, a new password for
/// NEW_PASSWORD_REQUIRED) according to the pool's <c>MfaConfiguration</c> and the user's usable factors
/// (<see cref="MfaService.UsableFactors"/>: enabled by the user, offered by the pool, deliverable). In this order:
/// <list type="table">
/// <listheader><term>pool MFA · user's usable factors</term><description>next</description></listheader>
/// <item><term>OFF · –</term><description><see cref="Completion"/> (tokens)</description></item>
/// <item><term>OPTIONAL · none</term><description><see cref="Completion"/></description></item>
/// <item><term>ON · none, pool SMS on, user has phone_number</term><description>SMS_MFA, code sent (without enabling SMS MFA first)</description></item>
/// <item><term>ON · none, otherwise</term><description>MFA_SETUP with MFAS_CAN_SETUP (["SOFTWARE_TOKEN_MFA","EMAIL_OTP"] as the pool
/// offers them); InvalidUserPoolConfigurationException (<see cref="StepResult.Fail"/>) if neither</description></item>
/// <item><term>ON / OPTIONAL · exactly one</term><description>its challenge: SMS_MFA (6-digit code) / EMAIL_OTP (8-digit code) sent;
/// SOFTWARE_TOKEN_MFA with FRIENDLY_DEVICE_NAME when the device has one</description></item>
/// <item><term>ON / OPTIONAL · several, a usable preferred one</term><description>the preferred one's challenge</description></item>
/// <item><term>ON / OPTIONAL · several, no usable preference</term><description>SELECT_MFA_TYPE with MFAS_CAN_CHOOSE in the order of
/// <see cref="MfaService.UsableFactors"/></description></item>
/// </list>
/// Every MFA challenge carries USER_ID_FOR_SRP (the internal username). A failed code delivery is
/// <see cref="StepResult.Fail"/> (CodeDeliveryFailureException). Later rows (a remembered device skipping MFA, adaptive
/// authentication) belong in this file.
/// Account-takeover protection is one more input: a request marked <see cref="SignInRequest.TakeoverMfa"/> (ENFORCED,
/// MFA_IF_CONFIGURED / MFA_REQUIRED for the sign-in's risk level, see <see cref="PasswordProof"/>) is treated as OPTIONAL when
/// the pool's MFA is OFF and as OPTIONAL / ON otherwise, over <see cref="MfaService.TakeoverFactors"/> (the usable factors, else
/// the ones the user could receive: verified phone / email, a verified TOTP secret), so such a user gets that factor's challenge.
/// </summary>
/// <remarks>Devices (reference §3.9), before the table: a DEVICE_KEY that is not one of the user's devices fails with
/// ResourceNotFoundException "Device does not exist."; a confirmed, remembered device in a pool whose DeviceConfiguration has
/// ChallengeRequiredOnNewDevice gets DEVICE_SRP_AUTH instead of any MFA (device SRP then ends the sign-in).</remarks>
public sealed class SecondFactor(MfaService mfa, CodeChallenge codes, Completion completion, DeviceService? devices = null)
{
    /// <summary>Decides the step after a correct first factor for <paramref name="user"/> (see the table above).</summary>
    public async ValueTask<StepResult> NextAsync(SignInRequest request, User user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(user);
        var pool = request.Pool;
        if (devices is not null && DeviceService.Tracks(pool) && request.Get(DeviceNames.DeviceKey) is { } deviceKey)
        {
            var device = await devices.FindAsync(pool, user.Username, deviceKey, ct).ConfigureAwait(false);
            if (device is null) return StepResult.Failed(DeviceService.NotFound());
            if (device.Confirmed && device.Status == DeviceStatus.Remembered && pool.Config.DeviceConfiguration?.ChallengeRequiredOnNewDevice == true)
            {
                return new StepResult.Challenge(DeviceNames.DeviceSrpAuth, new Dictionary<string, string>(),
                    new SignInState { Username = user.Username, DeviceKey = device.DeviceKey });
            }
        }
        var mode = pool.Config.MfaConfiguration ?? "OFF";
        if (mode == "OFF" && !request.TakeoverMfa) return await completion.SignedInAsync(request, user, ct).ConfigureAwait(false);
        var state = await mfa.GetAsync(pool, user, ct).ConfigureAwait(false);
        var usable = request.TakeoverMfa ? MfaService.TakeoverFactors(pool, user, state) : MfaService.UsableFactors(pool, user, state);
        if (usable.Count == 0)
        {
            if (mode != "ON") return await completion.SignedInAsync(request, user, ct).ConfigureAwait(false);
            if (MfaService.PoolSmsEnabled(pool) && user.Get("phone_number") is { Length: > 0 })
            {
                return await StartAsync(request, user, MfaFactor.Sms, state, ct).ConfigureAwait(false);
            }
            var setup = new List<string>();
            if (MfaService.PoolTotpEnabled(pool)) setup.Add(MfaFactor.SoftwareToken);
            if (MfaService.PoolEmailEnabled(pool)) setup.Add(MfaFactor.Email);
            if (setup.Count == 0)
            {
                return StepResult.Failed(CognitoErrors.InvalidUserPoolConfiguration("MFA is required but no MFA method the user can set up is enabled for the user pool."));
            }
            return new StepResult.Challenge(ChallengeNames.MfaSetup, new Dictionary<string, string>
            {
                [ChallengeParameters.MfasCanSetup] = JsonSerializer.Serialize(setup),
                [ChallengeParameters.UserIdForSrp] = user.Username,
            }, new SignInState { Username = user.Username, Stage = SignInStages.Setup, Options = setup });
        }
        if (usable.Count == 1) return await StartAsync(request, user, usable[0], state, ct).ConfigureAwait(false);
        if (state.Preferred is { } preferred && usable.Contains(preferred))
        {
            return await StartAsync(request, user, preferred, state, ct).ConfigureAwait(false);
        }
        return new StepResult.Challenge(ChallengeNames.SelectMfaType, new Dictionary<string, string>
        {
            [ChallengeParameters.MfasCanChoose] = JsonSerializer.Serialize(usable),
            [ChallengeParameters.UserIdForSrp] = user.Username,
        }, new SignInState { Username = user.Username, Options = [.. usable] });
    }

    /// <summary>Issues <paramref name="factor"/>'s challenge: SMS_MFA / EMAIL_OTP send a code; SOFTWARE_TOKEN_MFA adds
    /// FRIENDLY_DEVICE_NAME when <paramref name="mfaState"/> has one.</summary>
    public async ValueTask<StepResult> StartAsync(SignInRequest request, User user, string factor, UserMfa mfaState, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(mfaState);
        if (factor == MfaFactor.SoftwareToken)
        {
            var parameters = new Dictionary<string, string> { [ChallengeParameters.UserIdForSrp] = user.Username };
            if (mfaState.TotpDeviceName is { Length: > 0 } name) parameters[ChallengeParameters.FriendlyDeviceName] = name;
            return new StepResult.Challenge(MfaFactor.SoftwareToken, parameters, new SignInState { Username = user.Username });
        }
        bool sms = factor == MfaFactor.Sms;
        var medium = sms ? DeliveryMedium.Sms : DeliveryMedium.Email;
        var destination = user.Get(sms ? "phone_number" : "email") ?? "";
        return await codes.SendAsync(request.Pool, user, factor, medium, destination, new SignInState(),
            sms ? CodeChallenge.SmsMfaDigits : CodeChallenge.OtpDigits, includeUserId: true, ct).ConfigureAwait(false);
    }
}
