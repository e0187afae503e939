using Cognate.Core.IdentityProviders;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.IdentityProviders;

/// <summary>
/// DeleteIdentityProvider (API reference <c>API_DeleteIdentityProvider</c>): the provider goes, and the pool's app clients no longer
/// list it in SupportedIdentityProviders. Errors: ResourceNotFoundException (pool or provider).
/// </summary>
[CognitoAction("DeleteIdentityProvider")]
internal static class DeleteIdentityProvider
{
    internal sealed record Request(string UserPoolId, string ProviderName);

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var pool = await Callers.PoolAsync(ctx, r.UserPoolId);
        await ctx.Get<IdentityProviderService>().DeleteAsync(pool, r.ProviderName, ctx.Aborted);
        return EmptyResponse.Instance;
    }
}
