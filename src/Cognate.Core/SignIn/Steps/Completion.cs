using System.Collections.Frozen;
using Cognate.Core.Devices;
using Cognate.Core.Tokens;
using Cognate.Core.Triggers;
using Cognate.Core.Users;
using static Cognate.Core.CognitoConstants;

namespace Cognate.Core.SignIn.Steps;

/// <summary>
/// The end of a successful sign-in. The JSON doors get tokens (access, ID and a new refresh token, <c>auth_time</c> = now);
/// the managed-login door gets <see cref="StepResult.SignedIn"/> without tokens (the pages issue an authorization code and
/// the tokens come from <c>/oauth2/token</c> with the OAuth scopes and nonce). Before either, the pool's PostAuthentication
/// trigger runs (<see cref="AuthenticationTriggers.PostAuthenticationAsync"/>): a throw ends the sign-in without tokens.
/// </summary>
/// <remarks>Devices (reference §3.9): in a pool with DeviceConfiguration a JSON-door sign-in whose DEVICE_KEY names one of the
/// user's devices updates its last-authenticated date and IP; any other gets a new device in <c>NewDeviceMetadata</c>. The
/// refresh token is bound to that device (<see cref="Stores.RefreshTokenRecord.DeviceKey"/>); the device is looked up or
/// created before the tokens are signed, so a PreTokenGeneration failure can leave a new unconfirmed device behind.</remarks>
public sealed class Completion(TokenService tokens, TimeProvider time, AuthenticationTriggers? triggers = null, DeviceService? devices = null)
{
    /// <summary>Completes the sign-in of <paramref name="user"/>.</summary>
    public async ValueTask<StepResult> SignedInAsync(SignInRequest request, User user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(user);
        if (triggers is not null && await triggers.PostAuthenticationAsync(request, user, ct).ConfigureAwait(false) is { } denied) return denied;
        var authTime = time.GetUtcNow();
        if (request.IsManagedLogin) return new StepResult.SignedIn(user, authTime, null);
        Device? device = null;
        NewDeviceMetadata? created = null;
        if (devices is not null && DeviceService.Tracks(request.Pool))
        {
            device = await devices.FindAsync(request.Pool, user.Username, request.Get(DeviceNames.DeviceKey), ct).ConfigureAwait(false);
            if (device is not null)
            {
                await devices.TouchAsync(device, request.SourceIp, ct).ConfigureAwait(false);
            }
            else
            {
                device = await devices.CreateAsync(request.Pool, user, request.SourceIp, ct).ConfigureAwait(false);
                created = new NewDeviceMetadata(device.DeviceKey, device.DeviceGroupKey);
            }
        }
        // The refresh token is bound to the device: REFRESH_TOKEN_AUTH then needs its DEVICE_KEY (RefreshTokenAuth).
        var result = await tokens.IssueAsync(request.Pool, request.Client, user, request.Issuer, authTime, null, issueRefreshToken: true,
            Generation(request), device?.DeviceKey, ct).ConfigureAwait(false);
        if (created is not null) result = result with { NewDeviceMetadata = created };
        return new StepResult.SignedIn(user, authTime, result);
    }

    static readonly FrozenSet<string> FlowNames = new[]
    {
        AuthFlows.UserPasswordAuth, AuthFlows.AdminUserPasswordAuth, AuthFlows.AdminNoSrpAuth, AuthFlows.UserSrpAuth, AuthFlows.UserAuth,
        AuthFlows.RefreshTokenAuth, AuthFlows.RefreshToken, AuthFlows.CustomAuth,
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// PreTokenGeneration's trigger source and ClientMetadata: <c>TokenGeneration_NewPasswordChallenge</c> when NEW_PASSWORD_REQUIRED
    /// was just answered, else <c>TokenGeneration_Authentication</c>. ClientMetadata only from (Admin)RespondToAuthChallenge: the
    /// API reference of InitiateAuth / AdminInitiateAuth says their ClientMetadata is not given to pre token generation.
    /// </summary>
    internal static TokenGeneration Generation(SignInRequest request)
    {
        var source = request.Name == ChallengeNames.NewPasswordRequired ? TokenGenerationSources.NewPasswordChallenge
            : request.Name == DeviceNames.DevicePasswordVerifier ? TokenGenerationSources.AuthenticateDevice
            : TokenGenerationSources.Authentication;
        return new TokenGeneration(source, FlowNames.Contains(request.Name) ? null : request.ClientMetadata);
    }
}
