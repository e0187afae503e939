using Cognate.Core.Users;

namespace Cognate.Server.OAuth.Authorize;

/// <summary>
/// The end of every successful managed-login sign-in (and of <c>/oauth2/authorize</c> with a live session): writes the
/// managed-login session cookie (<see cref="ManagedLogin.ManagedLoginSessions"/>) and redirects to the validated redirect_uri
/// with a single-use authorization code (<c>response_type=code</c>, query) or with tokens (<c>response_type=token</c>, fragment),
/// plus the echoed <c>state</c> (reference §9.2).
/// </summary>
public sealed class AuthorizeCompletion(IServiceProvider services)
{
    /// <summary>Issues the code (or implicit tokens) for <paramref name="user"/> and answers the 302.</summary>
    /// <param name="http">The current request (cookie written on its response).</param>
    /// <param name="request">The authorization request, validated again at this moment by the caller.</param>
    /// <param name="user">The signed-in user (must be enabled and CONFIRMED; otherwise an error redirect).</param>
    /// <param name="authTime">When the user authenticated (UTC): the session's and the tokens' <c>auth_time</c>.</param>
    /// <param name="ct">Cancellation.</param>
    public ValueTask<IResult> CompleteAsync(HttpContext http, AuthorizeValidation.Valid request, User user, DateTimeOffset authTime, CancellationToken ct = default)
    {
        _ = services;
        throw new NotImplementedException("Issue 13, /oauth2/authorize: being written on branch authorize.");
    }
}
