using Cognate.Core.Clients;
using Cognate.Core.OAuth;
using Cognate.Core.Pools;

namespace Cognate.Server.OAuth.Authorize;

/// <summary>
/// The answer of <see cref="AuthorizeRequestValidator"/>: exactly one of <see cref="Valid"/>, <see cref="ErrorPage"/> or
/// <see cref="RedirectError"/> (reference §9.2: an unknown client or an unregistered redirect_uri is an error page, never a
/// redirect; every later error goes back to the registered redirect_uri with <c>error</c> and the echoed <c>state</c>).
/// </summary>
public abstract record AuthorizeValidation
{
    AuthorizeValidation() { }

    /// <summary>The request is valid for <paramref name="Client"/> of <paramref name="Pool"/>.</summary>
    public sealed record Valid(UserPool Pool, AppClient Client, AuthorizationRequest Request) : AuthorizeValidation;

    /// <summary>Render Cognate's <c>/error</c> page with <paramref name="Message"/> (status 400); never redirect.</summary>
    public sealed record ErrorPage(string Message) : AuthorizeValidation;

    /// <summary>
    /// Redirect to the (already validated) <paramref name="RedirectUri"/> with <c>error</c> (an RFC 6749 §4.1.2.1 code such as
    /// <c>invalid_request</c>, <c>unauthorized_client</c>, <c>invalid_scope</c>, <c>login_required</c>), the optional
    /// <c>error_description</c> and <c>state</c>; in the fragment when <paramref name="InFragment"/> (implicit), else the query.
    /// </summary>
    public sealed record RedirectError(string RedirectUri, string Error, string? Description, string? State, bool InFragment) : AuthorizeValidation;
}
