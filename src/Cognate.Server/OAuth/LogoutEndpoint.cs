using Cognate.Core.Clients;
using Cognate.Core.Errors;
using Cognate.Core.Pools;
using Cognate.Server.ManagedLogin;
using Cognate.Server.OAuth.Authorize;

namespace Cognate.Server.OAuth;

/// <summary>
/// <c>GET /logout</c> (reference §9.3; the AWS guide's "logout endpoint"): signs the browser out of managed login by clearing
/// the pool's session cookie and ending its SSO session (migration 0022), which is no longer listed. It revokes no token
/// (GlobalSignOut and RevokeToken do).
/// <list type="bullet">
/// <item><c>client_id</c> + <c>logout_uri</c> (exactly one of the client's LogoutURLs) → clear, 302 to <c>logout_uri</c>.</item>
/// <item><c>client_id</c> + <c>redirect_uri</c> + <c>response_type</c> (a valid authorization request) → clear, 302 to
/// <c>/login</c> with those parameters, to sign in again.</item>
/// <item>Anything else (no or unknown client, unregistered logout_uri or redirect_uri) → the <c>/error</c> page, never a redirect.</item>
/// </list>
/// </summary>
internal static class LogoutEndpoint
{
    /// <summary>Error page text: <c>logout_uri</c> is not one of the client's LogoutURLs.</summary>
    public const string LogoutMismatchMessage = "redirect_mismatch: the logout_uri is not one of the app client's sign-out URLs.";

    /// <summary>Error page text: neither <c>logout_uri</c> nor <c>redirect_uri</c> + <c>response_type</c>.</summary>
    public const string MissingParametersMessage = "Required parameters are missing: logout_uri, or redirect_uri and response_type.";

    public static async Task<IResult> HandleAsync(HttpContext http)
    {
        var ct = http.RequestAborted;
        var (parameters, _) = AuthorizeEndpoint.QueryParameters(http.Request);
        parameters.TryGetValue("client_id", out var clientId);
        if (string.IsNullOrEmpty(clientId)) return ErrorPage.Render(AuthorizeRequestValidator.MissingClientIdMessage);
        var logoutUri = parameters.GetValueOrDefault("logout_uri");
        http.Response.Headers.CacheControl = "no-store";

        if (!string.IsNullOrEmpty(logoutUri))
        {
            var found = await ClientAsync(http, clientId, ct);
            if (found is not var (client, pool)) return ErrorPage.Render(AuthorizeRequestValidator.InvalidClientMessage);
            if (client.Config.LogoutURLs?.Contains(logoutUri, StringComparer.Ordinal) != true) return ErrorPage.Render(LogoutMismatchMessage);
            await EndSessionAsync(http, pool, ct);
            return await Federation.Saml.SamlEndpoints.TrySignOutAsync(http, pool, client.ClientId, logoutUri, ct) ?? Microsoft.AspNetCore.Http.Results.Redirect(logoutUri);
        }

        if (parameters.ContainsKey("redirect_uri") && parameters.ContainsKey("response_type"))
        {
            var validation = await http.RequestServices.GetRequiredService<AuthorizeRequestValidator>().ValidateAsync(parameters, ct);
            switch (validation)
            {
                case AuthorizeValidation.ErrorPage page:
                    return ErrorPage.Render(page.Message);
                case AuthorizeValidation.RedirectError error:
                    return AuthorizeCompletion.Redirect(error);
                case AuthorizeValidation.Valid valid:
                    await EndSessionAsync(http, valid.Pool, ct);
                    var login = http.Request.PathBase + "/login" + http.Request.QueryString;
                    return await Federation.Saml.SamlEndpoints.TrySignOutAsync(http, valid.Pool, valid.Client.ClientId, login, ct) ?? Microsoft.AspNetCore.Http.Results.Redirect(login);
            }
        }
        return ErrorPage.Render(MissingParametersMessage);
    }

    /// <summary>The client and its pool, or null when unknown, malformed or (by Host) of another pool.</summary>
    static async ValueTask<(AppClient Client, UserPool Pool)?> ClientAsync(HttpContext http, string clientId, CancellationToken ct)
    {
        if (clientId.Length > 128 || !clientId.All(static c => char.IsAsciiLetterOrDigit(c) || c is '_' or '+')) return null;
        try
        {
            var (client, pool) = await http.RequestServices.GetRequiredService<AppClientService>().GetWithPoolAsync(clientId, ct);
            if (await HostedDomains.PoolOfHostAsync(http, ct) is { } hostPool && hostPool != pool.Id) return null;
            return (client, pool);
        }
        catch (CognitoException ex) when (ex.Error.Type == "ResourceNotFoundException")
        {
            return null;
        }
    }

    /// <summary>Ends the browser's SSO session (if its cookie names one) and clears the cookie.</summary>
    static async ValueTask EndSessionAsync(HttpContext http, UserPool pool, CancellationToken ct)
    {
        var sessions = http.RequestServices.GetRequiredService<ManagedLoginSessions>();
        if (sessions.Read(http, pool)?.SsoSessionId is { } sso) await http.RequestServices.GetRequiredService<Core.Sessions.SessionService>().EndSsoAsync(sso, ct);
        sessions.Clear(http, pool);
    }
}
