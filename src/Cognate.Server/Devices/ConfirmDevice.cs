using Cognate.Core.Devices;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Devices;

/// <summary>
/// ConfirmDevice: the signed-in user confirms the device of NewDeviceMetadata with its SRP verifier (stored sealed); the device can
/// then sign in with DEVICE_SRP_AUTH. <c>UserConfirmationNecessary</c> is the pool's DeviceOnlyRememberedOnUserPrompt (true: the
/// device stays not_remembered until UpdateDeviceStatus; false: it is remembered now). Errors: ResourceNotFoundException
/// "Device does not exist.", InvalidParameterException (verifier), NotAuthorizedException (token).
/// </summary>
[CognitoAction("ConfirmDevice")]
internal static class ConfirmDevice
{
    internal sealed record Request(string AccessToken, string DeviceKey, DeviceSecretVerifierConfigType? DeviceSecretVerifierConfig, string? DeviceName);
    internal sealed record Response(bool UserConfirmationNecessary);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var token = await Callers.TokenAsync(ctx, r.AccessToken);
        var necessary = await ctx.Get<DeviceService>().ConfirmAsync(token.Pool, token.User, r.DeviceKey, r.DeviceSecretVerifierConfig?.PasswordVerifier,
            r.DeviceSecretVerifierConfig?.Salt, r.DeviceName, ctx.Aborted);
        return new Response(necessary);
    }
}
