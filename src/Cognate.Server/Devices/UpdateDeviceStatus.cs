using Cognate.Core.Devices;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Devices;

/// <summary>UpdateDeviceStatus: the signed-in user marks a device <c>remembered</c> or <c>not_remembered</c>.</summary>
[CognitoAction("UpdateDeviceStatus")]
internal static class UpdateDeviceStatus
{
    internal sealed record Request(string AccessToken, string DeviceKey, string? DeviceRememberedStatus);

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var token = await Callers.TokenAsync(ctx, r.AccessToken);
        await ctx.Get<DeviceService>().UpdateStatusAsync(token.Pool, token.User, r.DeviceKey, r.DeviceRememberedStatus, ctx.Aborted);
        return EmptyResponse.Instance;
    }
}
