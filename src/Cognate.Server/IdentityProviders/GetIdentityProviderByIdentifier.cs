using Cognate.Core.IdentityProviders;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.IdentityProviders;

/// <summary>
/// GetIdentityProviderByIdentifier (API reference <c>API_GetIdentityProviderByIdentifier</c>): the provider that owns IdpIdentifier
/// (exact match). Errors: ResourceNotFoundException (pool, or no provider has the identifier).
/// </summary>
[CognitoAction("GetIdentityProviderByIdentifier")]
internal static class GetIdentityProviderByIdentifier
{
    internal sealed record Request(string UserPoolId, string IdpIdentifier);
    internal sealed record Response(IdentityProviderType IdentityProvider);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var pool = await Callers.PoolAsync(ctx, r.UserPoolId);
        return new Response(IdentityProviderType.From(await ctx.Get<IdentityProviderService>().GetByIdentifierAsync(pool, r.IdpIdentifier, ctx.Aborted)));
    }
}
