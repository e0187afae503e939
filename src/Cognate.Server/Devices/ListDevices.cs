using Cognate.Core.Devices;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Devices;

/// <summary>ListDevices: the signed-in user's devices, newest first; Limit 1–60 (default 60), PaginationToken from the previous page.</summary>
[CognitoAction("ListDevices")]
internal static class ListDevices
{
    internal sealed record Request(string AccessToken, int? Limit, string? PaginationToken);
    internal sealed record Response(IReadOnlyList<DeviceType> Devices, string? PaginationToken);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var token = await Callers.TokenAsync(ctx, r.AccessToken);
        var (devices, next) = await ctx.Get<DeviceService>().ListAsync(token.Pool, token.User, r.Limit, r.PaginationToken, ctx.Aborted);
        return new Response(devices.Select(DeviceType.From).ToList(), next);
    }
}
