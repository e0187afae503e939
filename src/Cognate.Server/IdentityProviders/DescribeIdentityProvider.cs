using Cognate.Core.IdentityProviders;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.IdentityProviders;

/// <summary>DescribeIdentityProvider (API reference <c>API_DescribeIdentityProvider</c>): the provider by exact name. Errors: ResourceNotFoundException (pool or provider).</summary>
[CognitoAction("DescribeIdentityProvider")]
internal static class DescribeIdentityProvider
{
    internal sealed record Request(string UserPoolId, string ProviderName);
    internal sealed record Response(IdentityProviderType IdentityProvider);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var pool = await Callers.PoolAsync(ctx, r.UserPoolId);
        return new Response(IdentityProviderType.From(await ctx.Get<IdentityProviderService>().GetAsync(pool, r.ProviderName, ctx.Aborted)));
    }
}
