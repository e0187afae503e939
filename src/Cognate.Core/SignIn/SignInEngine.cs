using Cognate.Core.Auth;
using Cognate.Core.Clients;
using Cognate.Core.Errors;
using Cognate.Core.Stores;
using Cognate.Core.Tokens;

namespace Cognate.Core.SignIn;

/// <summary>
/// The one entry point of sign-in for every front door (the JSON API, the managed-login pages): starts a flow
/// (InitiateAuth / AdminInitiateAuth) or answers a challenge (RespondToAuthChallenge / AdminRespondToAuthChallenge)
/// and returns an explicit <see cref="SignInResult"/> instead of throwing Cognito errors.
/// </summary>
/// <remarks>
/// First version: a bridge over <see cref="AuthService"/> (docs/design/sign-in-engine.md §7 replaces its inside with
/// one type per flow and per challenge; this public surface stays).
/// </remarks>
public sealed class SignInEngine(AuthService auth, TokenService tokens, IAuthSessionStore sessions)
{
    static readonly List<string> AllFlows =
        ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_CUSTOM_AUTH"];

    /// <summary>Starts the flow <see cref="SignInRequest.Name"/> (an AuthFlow) with its AuthParameters.</summary>
    /// <returns>SignedIn, ChallengeIssued or Failed (InvalidParameterException, NotAuthorizedException, UserNotFoundException,
    /// UserNotConfirmedException, PasswordResetRequiredException, UnsupportedOperationException, …).</returns>
    public async ValueTask<SignInResult> StartAsync(SignInRequest request, CancellationToken ct = default)
    {
        try
        {
            var outcome = await auth.InitiateAuthAsync(request.Pool, Client(request), request.Name, request.Parameters,
                request.Door == SignInDoor.JsonAdminApi ? AuthCaller.Admin : AuthCaller.Public, request.Issuer, request.Session, ct).ConfigureAwait(false);
            return await ToResultAsync(outcome, ct).ConfigureAwait(false);
        }
        catch (CognitoException ex)
        {
            return new SignInResult.Failed(ex.Error);
        }
    }

    /// <summary>Answers the challenge <see cref="SignInRequest.Name"/> with its ChallengeResponses and Session.</summary>
    /// <returns>SignedIn, ChallengeIssued, Retry (the session survives: wrong code, weak password, …) or Failed.</returns>
    public async ValueTask<SignInResult> RespondAsync(SignInRequest request, CancellationToken ct = default)
    {
        try
        {
            var outcome = await auth.RespondToChallengeAsync(request.Pool, Client(request), request.Name, request.Session, request.Parameters, request.Issuer, ct).ConfigureAwait(false);
            return await ToResultAsync(outcome, ct).ConfigureAwait(false);
        }
        catch (CognitoException ex)
        {
            if (request.Session is { Length: > 0 } s && await SessionSurvivedAsync(s, ct).ConfigureAwait(false))
            {
                return new SignInResult.Retry(ex.Error, s);
            }
            return new SignInResult.Failed(ex.Error);
        }
    }

    static AppClient Client(SignInRequest request) => request.Door == SignInDoor.ManagedLogin
        ? request.Client with { Config = request.Client.Config with { ExplicitAuthFlows = AllFlows } }
        : request.Client;

    async ValueTask<bool> SessionSurvivedAsync(string session, CancellationToken ct)
    {
        var record = await sessions.TakeAsync(SignInFlows.HashSession(session), ct).ConfigureAwait(false);
        if (record is null) return false;
        await sessions.CreateAsync(record, ct).ConfigureAwait(false);
        return true;
    }

    async ValueTask<SignInResult> ToResultAsync(AuthOutcome outcome, CancellationToken ct)
    {
        if (outcome.Result is { } result)
        {
            var context = await tokens.ValidateAccessTokenAsync(result.AccessToken, ct).ConfigureAwait(false);
            return new SignInResult.SignedIn(context.User, context.AuthTime, result);
        }
        return new SignInResult.ChallengeIssued(outcome.ChallengeName!, outcome.Session, outcome.ChallengeParameters, outcome.AvailableChallenges);
    }
}
