using Cognate.Core.Errors;
using Cognate.Core.SignIn.Steps;
using static Cognate.Core.CognitoConstants;

namespace Cognate.Core.SignIn.Challenges;

/// <summary>
/// SELECT_CHALLENGE (USER_AUTH): the user picks a first factor from AvailableChallenges. Response: USERNAME, ANSWER
/// (PASSWORD with PASSWORD, PASSWORD_SRP with SRP_A, EMAIL_OTP, SMS_OTP, WEB_AUTHN → the WEB_AUTHN challenge); the request may also name <c>PASSWORD</c> or
/// <c>PASSWORD_SRP</c> as the ChallengeName itself. An answer not offered, or a
/// missing ANSWER / PASSWORD / SRP_A keep the session; once the factor runs, its errors (a wrong password, the lockout, a
/// failed delivery) end it.
/// </summary>
public sealed class SelectChallenge(SessionUser sessionUser, FirstFactor firstFactor) : IChallenge
{
    /// <inheritdoc/>
    public string Name => ChallengeNames.SelectChallenge;

    /// <inheritdoc/>
    public IReadOnlyList<string> AnsweredAs { get; } = [ChallengeNames.SelectChallenge, ChallengeNames.Password, ChallengeNames.PasswordSrp];

    /// <inheritdoc/>
    public async ValueTask<StepResult> RespondAsync(SignInRequest request, SignInState? state, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(state);
        var (user, stop) = await sessionUser.ResolveAsync(request, state, SessionUser.Default, ct).ConfigureAwait(false);
        if (stop is not null) return stop;
        string answer;
        if (request.Name is ChallengeNames.Password or ChallengeNames.PasswordSrp) answer = request.Name;
        else if (request.Get(AuthParameters.Answer) is { } a) answer = a;
        else return new StepResult.Retry(SignInRequest.Missing(AuthParameters.Answer), state);
        bool missing = (answer == ChallengeNames.Password && !request.Has(AuthParameters.Password)) || (answer == ChallengeNames.PasswordSrp && !request.Has(AuthParameters.SrpA));
        if (missing) return new StepResult.Retry(SignInRequest.Missing(answer == ChallengeNames.Password ? AuthParameters.Password : AuthParameters.SrpA), state);
        if (state.Options is null || !state.Options.Contains(answer))
        {
            return StepResult.Retried(CognitoErrors.InvalidParameter($"The challenge {answer} is not available for this user."), state);
        }
        return await firstFactor.StartAsync(request, user!, answer, ct).ConfigureAwait(false);
    }
}
