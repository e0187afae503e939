using Cognate.Core.Stores;
using Cognate.Core.Users;
using Cognate.Server.ManagedLogin;
using Cognate.Server.OAuth.Authorize;

namespace Cognate.Server.OAuth;

/// <summary>
/// <c>GET /oauth2/authorize</c> (RFC 6749 §4.1.1 / §4.2.1, OpenID Connect Core §3.1.2; reference §9.2):
/// validate (<see cref="AuthorizeRequestValidator"/>) → an untrusted client or redirect_uri renders the <c>/error</c> page
/// (400, no redirect); any later error redirects to the app with <c>error</c> and <c>state</c>; a valid request with a live
/// managed-login session (and no <c>prompt=login</c>) completes at once (<see cref="AuthorizeCompletion"/>: code or tokens);
/// without one it goes to <c>/login</c> with the same query, or back to the app with <c>login_required</c> for <c>prompt=none</c>.
/// </summary>
internal static class AuthorizeEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext http)
    {
        var ct = http.RequestAborted;
        var (parameters, repeated) = QueryParameters(http.Request);
        var validation = await http.RequestServices.GetRequiredService<AuthorizeRequestValidator>().ValidateAsync(parameters, ct);
        switch (validation)
        {
            case AuthorizeValidation.ErrorPage page:
                return ErrorPage.Render(page.Message);
            case AuthorizeValidation.RedirectError error:
                return AuthorizeCompletion.Redirect(error);
        }
        var valid = (AuthorizeValidation.Valid)validation;
        var request = valid.Request;
        bool fragment = request.ResponseType == "token";
        if (repeated)
        {
            // RFC 6749 §3.1: request parameters must not be included more than once.
            return AuthorizeCompletion.Redirect(new AuthorizeValidation.RedirectError(request.RedirectUri, "invalid_request", null, request.State, fragment));
        }

        var prompts = request.Prompt?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];

        // Federation: identity_provider / idp_identifier naming an upstream provider go straight to it (the provider's own
        // session gives single sign-on); a client whose only provider is not COGNITO goes there instead of /login.
        var route = await Federation.FederationEndpoints.ResolveAsync(http, valid, parameters, ct);
        if (route is Federation.FederationEndpoints.Route.Refused refused) return refused.Answer;
        if (route is Federation.FederationEndpoints.Route.Upstream { Explicit: true } named && !prompts.Contains("none"))
        {
            return await Federation.FederationEndpoints.StartAsync(http, valid, named.Provider, ct);
        }

        if (!prompts.Contains("login"))
        {
            var session = http.RequestServices.GetRequiredService<ManagedLoginSessions>().Read(http, valid.Pool);
            if (session is not null && await SessionUserAsync(http, valid.Pool.Id, session.Sub, ct) is { } user
                && await http.RequestServices.GetRequiredService<Core.Sessions.SessionService>().ReuseSsoAsync(valid.Pool, valid.Client.ClientId, user.Username, session.SsoSessionId, session.AuthTime, ct))
            {
                return await http.RequestServices.GetRequiredService<AuthorizeCompletion>().CompleteAsync(http, valid, user, session.AuthTime, reused: session, ct: ct);
            }
        }
        if (prompts.Contains("none"))
        {
            return AuthorizeCompletion.Redirect(new AuthorizeValidation.RedirectError(request.RedirectUri, "login_required", null, request.State, fragment));
        }
        if (route is Federation.FederationEndpoints.Route.Upstream only) return await Federation.FederationEndpoints.StartAsync(http, valid, only.Provider, ct);
        http.Response.Headers.CacheControl = "no-store";
        return Microsoft.AspNetCore.Http.Results.Redirect(http.Request.PathBase + "/login" + http.Request.QueryString);
    }

    /// <summary>The query's first values by name, and whether any parameter was sent more than once.</summary>
    internal static (Dictionary<string, string> Parameters, bool Repeated) QueryParameters(HttpRequest request)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        bool repeated = false;
        foreach (var (name, values) in request.Query)
        {
            if (values.Count == 0) continue;
            if (values.Count > 1) repeated = true;
            parameters[name] = values[0] ?? "";
        }
        return (parameters, repeated);
    }

    /// <summary>The session's user if it still exists with that sub and is enabled and confirmed (or federated); else null (sign in again).</summary>
    internal static async ValueTask<User?> SessionUserAsync(HttpContext http, string userPoolId, string sub, CancellationToken ct)
    {
        var search = http.RequestServices.GetRequiredService<IUserSearchStore>();
        var hits = await search.SearchAsync(userPoolId, "sub", UserSearchKeys.Normalize("sub", sub), prefix: false, null, null, 2, ct);
        var user = hits.Select(h => h.User).FirstOrDefault(u => string.Equals(u.Sub, sub, StringComparison.Ordinal));
        return user is { Enabled: true, Status: UserStatus.Confirmed or UserStatus.ExternalProvider } ? user : null;
    }
}
