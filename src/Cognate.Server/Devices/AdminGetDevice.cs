using Cognate.Core.Devices;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Devices;

/// <summary>AdminGetDevice: one device of a user (ResourceNotFoundException "Device does not exist." otherwise).</summary>
[CognitoAction("AdminGetDevice")]
internal static class AdminGetDevice
{
    internal sealed record Request(string UserPoolId, string Username, string DeviceKey);
    internal sealed record Response(DeviceType Device);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var (pool, user) = await Callers.AdminUserAsync(ctx, r.UserPoolId, r.Username);
        return new Response(DeviceType.From(await ctx.Get<DeviceService>().GetAsync(pool, user, r.DeviceKey, ctx.Aborted)));
    }
}
