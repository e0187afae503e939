using Cognate.Core.Tokens;
using Cognate.Core.Users;

namespace Cognate.Core.SignIn.Steps;

/// <summary>
/// The end of a successful sign-in. The JSON doors get tokens (access, ID and a new refresh token, <c>auth_time</c> = now);
/// the managed-login door gets <see cref="StepResult.SignedIn"/> without tokens (the pages issue an authorization code and
/// the tokens come from <c>/oauth2/token</c> with the OAuth scopes and nonce). Before either, the pool's PostAuthentication
/// trigger runs (<see cref="AuthenticationTriggers.PostAuthenticationAsync"/>): a throw ends the sign-in without tokens.
/// </summary>
public sealed class Completion(TokenService tokens, TimeProvider time, AuthenticationTriggers? triggers = null)
{
    /// <summary>Completes the sign-in of <paramref name="user"/>.</summary>
    public async ValueTask<StepResult> SignedInAsync(SignInRequest request, User user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(user);
        if (triggers is not null && await triggers.PostAuthenticationAsync(request, user, ct).ConfigureAwait(false) is { } denied) return denied;
        var authTime = time.GetUtcNow();
        if (request.IsManagedLogin) return new StepResult.SignedIn(user, authTime, null);
        var result = await tokens.IssueAsync(request.Pool, request.Client, user, request.Issuer, authTime, null, issueRefreshToken: true, ct).ConfigureAwait(false);
        return new StepResult.SignedIn(user, authTime, result);
    }
}
