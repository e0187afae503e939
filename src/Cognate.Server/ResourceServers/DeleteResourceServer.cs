using Cognate.Core.ResourceServers;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.ResourceServers;

/// <summary>DeleteResourceServer. Errors: ResourceNotFoundException (pool or resource server).</summary>
[CognitoAction("DeleteResourceServer")]
internal static class DeleteResourceServer
{
    internal sealed record Request(string UserPoolId, string Identifier);

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var pool = await Callers.PoolAsync(ctx, r.UserPoolId);
        await ctx.Get<ResourceServerService>().DeleteAsync(pool, r.Identifier, ctx.Aborted);
        return EmptyResponse.Instance;
    }
}
