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
    /// <summary>
    /// The upstream start when <paramref name="request"/> names an external provider (<c>identity_provider</c> other than
    /// <c>COGNITO</c>) that exists in the pool and the client supports; an <c>invalid_request</c> redirect when it names one
    /// that does not; null when the request is for the user pool itself.
    /// </summary>
    public static async ValueTask<IResult?> TryStartAsync(HttpContext http, AuthorizeValidation.Valid request, CancellationToken ct)
    {
        var name = request.Request.IdentityProvider;
        if (name is null || name == "COGNITO") return null;
        var r = request.Request;
        IResult Invalid() => AuthorizeCompletion.Redirect(new AuthorizeValidation.RedirectError(r.RedirectUri, "invalid_request", null, r.State, r.ResponseType == "token"));
        if (request.Client.Config.SupportedIdentityProviders?.Contains(name, StringComparer.Ordinal) != true) return Invalid();
        var store = http.RequestServices.GetService<IIdentityProviderStore>();
        var provider = store is null ? null : await store.GetAsync(request.Pool.Id, name, ct);
        if (provider is null) return Invalid();
        return await StartAsync(http, request, provider, ct) ?? Invalid();
    }

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
