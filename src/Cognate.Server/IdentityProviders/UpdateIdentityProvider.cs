using Cognate.Core.IdentityProviders;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.IdentityProviders;

/// <summary>
/// UpdateIdentityProvider (API reference <c>API_UpdateIdentityProvider</c>): only the members given change — ProviderDetails are
/// replaced (and completed again), AttributeMapping and IdpIdentifiers replaced. Errors: ResourceNotFoundException, InvalidParameterException,
/// DuplicateProviderException (an identifier another provider holds).
/// </summary>
[CognitoAction("UpdateIdentityProvider")]
internal static class UpdateIdentityProvider
{
    internal sealed record Request(string UserPoolId, string ProviderName, Dictionary<string, string>? ProviderDetails,
        Dictionary<string, string>? AttributeMapping, List<string>? IdpIdentifiers);
    internal sealed record Response(IdentityProviderType IdentityProvider);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var pool = await Callers.PoolAsync(ctx, r.UserPoolId);
        var p = await ctx.Get<IdentityProviderService>().UpdateAsync(pool, r.ProviderName, r.ProviderDetails, r.AttributeMapping, r.IdpIdentifiers, ctx.Aborted);
        return new Response(IdentityProviderType.From(p));
    }
}
