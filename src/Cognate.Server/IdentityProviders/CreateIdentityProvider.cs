using Cognate.Core.IdentityProviders;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.IdentityProviders;

/// <summary>
/// CreateIdentityProvider (API reference <c>API_CreateIdentityProvider</c>): a SAML, OIDC or social (Google, Facebook, LoginWithAmazon,
/// SignInWithApple) provider of the pool, ProviderDetails completed as Cognito completes them (OIDC discovery, fixed social endpoints),
/// at most 300 per pool. Errors: InvalidParameterException (name, details, mapping, identifiers, an issuer that cannot be discovered),
/// DuplicateProviderException (name or identifier taken), LimitExceededException, ResourceNotFoundException (pool).
/// </summary>
[CognitoAction("CreateIdentityProvider")]
internal static class CreateIdentityProvider
{
    internal sealed record Request(string UserPoolId, string ProviderName, string ProviderType, Dictionary<string, string> ProviderDetails,
        Dictionary<string, string>? AttributeMapping, List<string>? IdpIdentifiers);
    internal sealed record Response(IdentityProviderType IdentityProvider);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var pool = await Callers.PoolAsync(ctx, r.UserPoolId);
        var p = await ctx.Get<IdentityProviderService>().CreateAsync(pool, r.ProviderName, r.ProviderType, r.ProviderDetails, r.AttributeMapping, r.IdpIdentifiers, ctx.Aborted);
        return new Response(IdentityProviderType.From(p));
    }
}
