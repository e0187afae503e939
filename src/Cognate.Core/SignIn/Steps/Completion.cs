using System.Collections.Frozen;
using Cognate.Core.Tokens;
using Cognate.Core.Triggers;
using Cognate.Core.Users;
using static Cognate.Core.CognitoConstants;

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
        var result = await tokens.IssueAsync(request.Pool, request.Client, user, request.Issuer, authTime, null, issueRefreshToken: true,
            Generation(request), ct).ConfigureAwait(false);
        return new StepResult.SignedIn(user, authTime, result);
    }

    static readonly FrozenSet<string> FlowNames = new[]
    {
        AuthFlows.UserPasswordAuth, AuthFlows.AdminUserPasswordAuth, AuthFlows.AdminNoSrpAuth, AuthFlows.UserSrpAuth, AuthFlows.UserAuth,
        AuthFlows.RefreshTokenAuth, AuthFlows.RefreshToken, AuthFlows.CustomAuth,
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// PreTokenGeneration's trigger source and ClientMetadata: <c>TokenGeneration_NewPasswordChallenge</c> when NEW_PASSWORD_REQUIRED
    /// was just answered, else <c>TokenGeneration_Authentication</c>. ClientMetadata only from (Admin)RespondToAuthChallenge: the
    /// API reference of InitiateAuth / AdminInitiateAuth says their ClientMetadata is not given to pre token generation.
    /// </summary>
    internal static TokenGeneration Generation(SignInRequest request)
    {
        var source = request.Name == ChallengeNames.NewPasswordRequired ? TokenGenerationSources.NewPasswordChallenge : TokenGenerationSources.Authentication;
        return new TokenGeneration(source, FlowNames.Contains(request.Name) ? null : request.ClientMetadata);
    }
}
