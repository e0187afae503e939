using Cognate.Core.IdentityProviders;
using Cognate.Server.OAuth.Authorize;

namespace Cognate.Server.Federation;

/// <summary>
/// One upstream protocol's start of a federated sign-in from <c>/oauth2/authorize?identity_provider=…</c> (or the login page's
/// "Sign in with X" button): SAML sends an AuthnRequest, OIDC an authorization request. Registered once per protocol;
/// <see cref="UpstreamSignIns"/> picks the one whose <see cref="Handles"/> accepts the provider's type.
/// </summary>
public interface IUpstreamSignIn
{
    /// <summary>True for the provider types this protocol serves (see <see cref="IdentityProviderTypes"/>).</summary>
    bool Handles(string providerType);

    /// <summary>The redirect to the upstream IdP for the validated authorization request.</summary>
    ValueTask<IResult> StartAsync(HttpContext http, AuthorizeValidation.Valid request, IdentityProvider provider, CancellationToken ct);
}

/// <summary>Dispatch from an authorization request to its upstream protocol.</summary>
internal static class UpstreamSignIns
{
    /// <summary>The start of the registered protocol that handles <paramref name="provider"/>'s type, or null when none does.</summary>
    public static async ValueTask<IResult?> StartAsync(HttpContext http, AuthorizeValidation.Valid request, IdentityProvider provider, CancellationToken ct)
    {
        foreach (var upstream in http.RequestServices.GetServices<IUpstreamSignIn>())
        {
            if (upstream.Handles(provider.ProviderType)) return await upstream.StartAsync(http, request, provider, ct);
        }
        return null;
    }
}
