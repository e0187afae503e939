namespace Cognate.Core.SignIn;

/// <summary>
/// The answer to one Cognito challenge (RespondToAuthChallenge / AdminRespondToAuthChallenge), e.g. SOFTWARE_TOKEN_MFA.
/// Registered in DI; <see cref="SignInEngine"/> finds it by each of its <see cref="AnsweredAs"/> names, takes the Session
/// (when <see cref="NeedsSession"/>), checks that it belongs to this challenge, and applies the result to it.
/// </summary>
public interface IChallenge
{
    /// <summary>The ChallengeName of the sessions this type answers (the stored session's challenge).</summary>
    string Name { get; }

    /// <summary>The ChallengeName values a request may carry for this challenge (SELECT_CHALLENGE is also answered as
    /// <c>PASSWORD</c> / <c>PASSWORD_SRP</c>). Default: <see cref="Name"/>.</summary>
    IReadOnlyList<string> AnsweredAs => [Name];

    /// <summary>False for PASSWORD_VERIFIER (its state is the SECRET_BLOCK) and for refused challenges; then the engine
    /// takes no session and the state passed is null.</summary>
    bool NeedsSession => true;

    /// <summary>Answers the challenge with <see cref="SignInRequest.Parameters"/> (ChallengeResponses).</summary>
    /// <param name="request">The request.</param>
    /// <param name="state">The taken session's state (its record columns filled in), or null when <see cref="NeedsSession"/> is false.</param>
    /// <param name="ct">Cancellation.</param>
    ValueTask<StepResult> RespondAsync(SignInRequest request, SignInState? state, CancellationToken ct);
}
