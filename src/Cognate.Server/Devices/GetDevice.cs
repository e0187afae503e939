using Cognate.Core.Devices;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Devices;

/// <summary>GetDevice: one device of the signed-in user (ResourceNotFoundException "Device does not exist." otherwise).</summary>
[CognitoAction("GetDevice")]
internal static class GetDevice
{
    internal sealed record Request(string AccessToken, string DeviceKey);
    internal sealed record Response(DeviceType Device);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var token = await Callers.TokenAsync(ctx, r.AccessToken);
        return new Response(DeviceType.From(await ctx.Get<DeviceService>().GetAsync(token.Pool, token.User, r.DeviceKey, ctx.Aborted)));
    }
}
