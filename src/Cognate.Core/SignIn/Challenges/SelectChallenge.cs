using Cognate.Core.Errors;
using Cognate.Core.SignIn.Steps;

namespace Cognate.Core.SignIn.Challenges;

/// <summary>
/// SELECT_CHALLENGE (USER_AUTH): the user picks a first factor from AvailableChallenges. Response: USERNAME, ANSWER
/// (PASSWORD with PASSWORD, PASSWORD_SRP with SRP_A, EMAIL_OTP, SMS_OTP); the request may also name <c>PASSWORD</c> or
/// <c>PASSWORD_SRP</c> as the ChallengeName itself. WEB_AUTHN (UnsupportedOperationException), an answer not offered, or a
/// missing ANSWER / PASSWORD / SRP_A keep the session; once the factor runs, its errors (a wrong password, the lockout, a
/// failed delivery) end it.
/// </summary>
public sealed class SelectChallenge(SessionUser sessionUser, FirstFactor firstFactor) : IChallenge
{
    /// <inheritdoc/>
    public string Name => "SELECT_CHALLENGE";

    /// <inheritdoc/>
    public IReadOnlyList<string> AnsweredAs { get; } = ["SELECT_CHALLENGE", "PASSWORD", "PASSWORD_SRP"];

    /// <inheritdoc/>
    public async ValueTask<StepResult> RespondAsync(SignInRequest request, SignInState? state, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(state);
        var (user, stop) = await sessionUser.ResolveAsync(request, state, SessionUser.Default, ct).ConfigureAwait(false);
        if (stop is not null) return stop;
        string answer;
        if (request.Name is "PASSWORD" or "PASSWORD_SRP") answer = request.Name;
        else if (request.Get("ANSWER") is { } a) answer = a;
        else return new StepResult.Retry(SignInRequest.Missing("ANSWER"), state);
        if (answer == "WEB_AUTHN") return new StepResult.Retry(WebAuthn.Unsupported, state);
        bool missing = (answer == "PASSWORD" && !request.Has("PASSWORD")) || (answer == "PASSWORD_SRP" && !request.Has("SRP_A"));
        if (missing) return new StepResult.Retry(SignInRequest.Missing(answer == "PASSWORD" ? "PASSWORD" : "SRP_A"), state);
        if (state.Options is null || !state.Options.Contains(answer))
        {
            return StepResult.Retried(CognitoErrors.InvalidParameter($"The challenge {answer} is not available for this user."), state);
        }
        return await firstFactor.StartAsync(request, user!, answer, ct).ConfigureAwait(false);
    }
}
