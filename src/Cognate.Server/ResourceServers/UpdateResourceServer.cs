using Cognate.Core.ResourceServers;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.ResourceServers;

/// <summary>UpdateResourceServer: replaces Name and Scopes (omitted Scopes: none, as Cognito). Errors: ResourceNotFoundException, InvalidParameterException.</summary>
[CognitoAction("UpdateResourceServer")]
internal static class UpdateResourceServer
{
    internal sealed record Request(string UserPoolId, string Identifier, string Name, List<ResourceServerScopeType>? Scopes);
    internal sealed record Response(ResourceServerType ResourceServer);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var pool = await Callers.PoolAsync(ctx, r.UserPoolId);
        var s = await ctx.Get<ResourceServerService>().UpdateAsync(pool, r.Identifier, r.Name, ResourceServerType.ToScopes(r.Scopes), ctx.Aborted);
        return new Response(ResourceServerType.From(s));
    }
}
