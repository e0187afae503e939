using Cognate.Core.Devices;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Devices;

/// <summary>AdminListDevices: a user's devices, newest first; Limit 1–60 (default 60), PaginationToken from the previous page.</summary>
[CognitoAction("AdminListDevices")]
internal static class AdminListDevices
{
    internal sealed record Request(string UserPoolId, string Username, int? Limit, string? PaginationToken);
    internal sealed record Response(IReadOnlyList<DeviceType> Devices, string? PaginationToken);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var (pool, user) = await Callers.AdminUserAsync(ctx, r.UserPoolId, r.Username);
        var (devices, next) = await ctx.Get<DeviceService>().ListAsync(pool, user, r.Limit, r.PaginationToken, ctx.Aborted);
        return new Response(devices.Select(DeviceType.From).ToList(), next);
    }
}
