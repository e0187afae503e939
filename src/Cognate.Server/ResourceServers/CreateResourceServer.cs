using Cognate.Core.ResourceServers;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.ResourceServers;

/// <summary>
/// CreateResourceServer: an OAuth 2.0 resource server with up to 100 custom scopes (<c>{Identifier}/{ScopeName}</c>), at most 25 per pool.
/// Errors: InvalidParameterException (identifier exists, duplicate scope), LimitExceededException, ResourceNotFoundException (pool).
/// </summary>
[CognitoAction("CreateResourceServer")]
internal static class CreateResourceServer
{
    internal sealed record Request(string UserPoolId, string Identifier, string Name, List<ResourceServerScopeType>? Scopes);
    internal sealed record Response(ResourceServerType ResourceServer);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var pool = await Callers.PoolAsync(ctx, r.UserPoolId);
        var s = await ctx.Get<ResourceServerService>().CreateAsync(pool, r.Identifier, r.Name, ResourceServerType.ToScopes(r.Scopes), ctx.Aborted);
        return new Response(ResourceServerType.From(s));
    }
}
