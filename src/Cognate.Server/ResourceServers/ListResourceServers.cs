using Cognate.Core.ResourceServers;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.ResourceServers;

/// <summary>ListResourceServers: by identifier, MaxResults (1..50, default 50) per page, NextToken.</summary>
[CognitoAction("ListResourceServers")]
internal static class ListResourceServers
{
    internal sealed record Request(string UserPoolId, int? MaxResults, string? NextToken);
    internal sealed record Response(List<ResourceServerType> ResourceServers, string? NextToken);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var pool = await Callers.PoolAsync(ctx, r.UserPoolId);
        var page = await ctx.Get<ResourceServerService>().ListAsync(pool, r.MaxResults, r.NextToken, ctx.Aborted);
        return new Response([.. page.Items.Select(ResourceServerType.From)], page.NextToken);
    }
}
