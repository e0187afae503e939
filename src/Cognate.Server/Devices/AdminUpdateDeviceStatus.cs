using Cognate.Core.Devices;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Devices;

/// <summary>AdminUpdateDeviceStatus: an administrator marks a user's device <c>remembered</c> or <c>not_remembered</c>.</summary>
[CognitoAction("AdminUpdateDeviceStatus")]
internal static class AdminUpdateDeviceStatus
{
    internal sealed record Request(string UserPoolId, string Username, string DeviceKey, string? DeviceRememberedStatus);

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var (pool, user) = await Callers.AdminUserAsync(ctx, r.UserPoolId, r.Username);
        await ctx.Get<DeviceService>().UpdateStatusAsync(pool, user, r.DeviceKey, r.DeviceRememberedStatus, ctx.Aborted);
        return EmptyResponse.Instance;
    }
}
