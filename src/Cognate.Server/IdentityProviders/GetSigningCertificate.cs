using Cognate.Core.Federation.Saml;
using Cognate.Core.Pools;
using Cognate.Server.Protocol;

namespace Cognate.Server.IdentityProviders;

/// <summary>
/// GetSigningCertificate: the pool's SAML signing certificate (base64 DER X.509, as Cognito returns it), created on first need.
/// It signs the AuthnRequests of providers with <c>RequestSigningAlgorithm=rsa-sha256</c> and every SAML LogoutRequest; IdPs
/// verify those with it.
/// </summary>
[CognitoAction("GetSigningCertificate")]
internal static class GetSigningCertificate
{
    internal sealed record Request(string UserPoolId);
    internal sealed record Response(string Certificate);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var pool = await ctx.Get<UserPoolService>().GetAsync(r.UserPoolId, ctx.Aborted);
        var key = await ctx.Get<SamlSpKeyService>().GetOrCreateAsync(pool.Id, SamlSpKeyUses.Signing, ctx.Aborted);
        return new Response(key.CertificateBase64);
    }
}
