using Cognate.Core.Devices;
using Cognate.Core.Errors;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Devices;

/// <summary>ForgetDevice: the signed-in user deletes one of their devices (AccessToken is required by Cognate: without it there is
/// no user to act for).</summary>
[CognitoAction("ForgetDevice")]
internal static class ForgetDevice
{
    internal sealed record Request(string? AccessToken, string DeviceKey);

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request r)
    {
        if (string.IsNullOrEmpty(r.AccessToken)) throw CognitoErrors.InvalidParameter("Missing required parameter AccessToken");
        var token = await Callers.TokenAsync(ctx, r.AccessToken);
        await ctx.Get<DeviceService>().ForgetAsync(token.Pool, token.User, r.DeviceKey, ctx.Aborted);
        return EmptyResponse.Instance;
    }
}
