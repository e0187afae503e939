using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Cognate.Samples.HostedLogin;

/// <summary>
/// The pool's discovery document (issuer, JWKS) with the managed-login endpoints taken from the app's settings, as seed 004 builds
/// <c>https://{domain}/oauth2/authorize</c>, <c>/oauth2/token</c> and <c>/logout</c> itself. Against Amazon Cognito these are the URLs
/// its discovery document advertises anyway; against Cognate they are Cognate's own URL, whatever its discovery document says.
/// </summary>
internal sealed class HostedEndpointsConfigurationManager(IConfigurationManager<OpenIdConnectConfiguration> inner, CognitoSettings settings)
    : IConfigurationManager<OpenIdConnectConfiguration>
{
    /// <summary>The discovery document with <c>authorization_endpoint</c>, <c>token_endpoint</c>, <c>userinfo_endpoint</c> and
    /// <c>end_session_endpoint</c> on the hosted-pages base URL.</summary>
    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel)
    {
        var configuration = await inner.GetConfigurationAsync(cancel);
        var hosted = settings.HostedUiBase;
        configuration.AuthorizationEndpoint = hosted + "/oauth2/authorize";
        configuration.TokenEndpoint = hosted + "/oauth2/token";
        configuration.UserInfoEndpoint = hosted + "/oauth2/userInfo";
        configuration.EndSessionEndpoint = hosted + "/logout";
        return configuration;
    }

    /// <summary>Asks the inner manager to fetch the document again (a new signing key).</summary>
    public void RequestRefresh() => inner.RequestRefresh();
}
