using Cognate.Core.Devices;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Devices;

/// <summary>AdminForgetDevice: an administrator deletes one of a user's devices.</summary>
[CognitoAction("AdminForgetDevice")]
internal static class AdminForgetDevice
{
    internal sealed record Request(string UserPoolId, string Username, string DeviceKey);

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var (pool, user) = await Callers.AdminUserAsync(ctx, r.UserPoolId, r.Username);
        await ctx.Get<DeviceService>().ForgetAsync(pool, user, r.DeviceKey, ctx.Aborted);
        return EmptyResponse.Instance;
    }
}
