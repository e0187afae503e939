using Cognate.Core.Domains;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Domains;

/// <summary>DeleteUserPoolDomain. Errors: InvalidParameterException "No such domain or user pool exists.", ResourceNotFoundException (pool).</summary>
[CognitoAction("DeleteUserPoolDomain")]
internal static class DeleteUserPoolDomain
{
    internal sealed record Request(string Domain, string UserPoolId);

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var pool = await Callers.PoolAsync(ctx, r.UserPoolId);
        await ctx.Get<DomainService>().DeleteAsync(pool, r.Domain, ctx.Aborted);
        return EmptyResponse.Instance;
    }
}
