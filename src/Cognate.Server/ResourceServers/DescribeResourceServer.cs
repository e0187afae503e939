using Cognate.Core.ResourceServers;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.ResourceServers;

/// <summary>DescribeResourceServer. Errors: ResourceNotFoundException (pool or resource server).</summary>
[CognitoAction("DescribeResourceServer")]
internal static class DescribeResourceServer
{
    internal sealed record Request(string UserPoolId, string Identifier);
    internal sealed record Response(ResourceServerType ResourceServer);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var pool = await Callers.PoolAsync(ctx, r.UserPoolId);
        return new Response(ResourceServerType.From(await ctx.Get<ResourceServerService>().GetAsync(pool, r.Identifier, ctx.Aborted)));
    }
}
