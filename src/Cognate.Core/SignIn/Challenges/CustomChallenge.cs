using Cognate.Core.Errors;
using Cognate.Core.SignIn.Steps;
using Cognate.Core.Triggers;
using Cognate.Core.Users;
using static Cognate.Core.CognitoConstants;

namespace Cognate.Core.SignIn.Challenges;

/// <summary>
/// CUSTOM_CHALLENGE (CUSTOM_AUTH): the answer to a challenge made by CreateAuthChallenge. ChallengeResponses: USERNAME,
/// ANSWER, SECRET_HASH when the client has a secret, DEVICE_KEY (accepted, unused); ClientMetadata goes to the three triggers.
/// VerifyAuthChallengeResponse gets the session's privateChallengeParameters and ANSWER as <c>challengeAnswer</c>; its
/// <c>answerCorrect</c> is appended to the <c>session</c> (with CreateAuthChallenge's challengeMetadata) and DefineAuthChallenge
/// decides again (<see cref="CustomChallengeLoop"/>): a wrong answer is not an error by itself, Define chooses whether the user
/// gets another challenge (under a new Session) or fails.
/// </summary>
/// <remarks>
/// A missing USERNAME or ANSWER keeps the session (InvalidParameterException "Missing required parameter …"); another user's
/// USERNAME ends it (NotAuthorizedException "Invalid session for the user."), as do a disabled user and every trigger failure.
/// </remarks>
public sealed class CustomChallenge(SessionUser sessionUser, UserPoolTriggers triggers, CustomChallengeLoop loop) : IChallenge
{
    /// <inheritdoc/>
    public string Name => ChallengeNames.CustomChallenge;

    /// <inheritdoc/>
    public async ValueTask<StepResult> RespondAsync(SignInRequest request, SignInState? state, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(state);
        var (pool, client) = (request.Pool, request.Client);
        User? user = null;
        if (state.UserNotFound)
        {
            if (request.Get(AuthParameters.Username) is not { } typed) return new StepResult.Retry(SignInRequest.Missing(AuthParameters.Username), state);
            if (pool.NormalizeKey(typed) != pool.NormalizeKey(state.Username)) return StepResult.Failed(CognitoErrors.NotAuthorized("Invalid session for the user."));
            if (UserLookup.SecretHashError(client, request.Raw(AuthParameters.SecretHash), typed) is { } hashError) return new StepResult.Retry(hashError, state);
        }
        else
        {
            (user, var stop) = await sessionUser.ResolveAsync(request, state, SessionUser.Default, ct).ConfigureAwait(false);
            if (stop is not null) return stop;
        }
        if (request.Raw(AuthParameters.Answer) is not { } answer) return new StepResult.Retry(SignInRequest.Missing(AuthParameters.Answer), state);
        if (loop.OpenPrivate(pool, state) is not { } privateParameters) return new StepResult.Fail(SignInEngine.StaleSession);
        var subject = new CustomAuthSubject(state.Username, user, UserLookup.HidesExistence(request));
        bool correct = await triggers.VerifyAuthChallengeResponseAsync(pool, client.ClientId, subject, privateParameters, answer, request.ClientMetadata, ct).ConfigureAwait(false)
            ?? throw CustomChallengeLoop.NotConfigured();
        IReadOnlyList<ChallengeRound> history = [.. state.History ?? [], new ChallengeRound(ChallengeNames.CustomChallenge, correct, state.ChallengeMetadata)];
        return await loop.DecideAsync(request, subject, history, request.ClientMetadata, null, ct).ConfigureAwait(false);
    }
}
