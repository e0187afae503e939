using Cognate.Core.Errors;
using Cognate.Core.Mfa;
using Cognate.Core.SignIn.Steps;

namespace Cognate.Core.SignIn.Challenges;

/// <summary>
/// SELECT_MFA_TYPE: the user picks one of MFAS_CAN_CHOOSE. Response: USERNAME, ANSWER (SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP;
/// <c>EMAIL_MFA</c> is accepted for EMAIL_OTP). A missing or unoffered answer keeps the session (InvalidParameterException);
/// a valid one issues that factor's challenge (<see cref="SecondFactor.StartAsync"/>).
/// </summary>
public sealed class SelectMfaType(SessionUser sessionUser, SecondFactor secondFactor, MfaService mfa) : IChallenge
{
    /// <inheritdoc/>
    public string Name => "SELECT_MFA_TYPE";

    /// <inheritdoc/>
    public async ValueTask<StepResult> RespondAsync(SignInRequest request, SignInState? state, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(state);
        var (user, stop) = await sessionUser.ResolveAsync(request, state, SessionUser.Default, ct).ConfigureAwait(false);
        if (stop is not null) return stop;
        if (request.Get("ANSWER") is not { } choice) return new StepResult.Retry(SignInRequest.Missing("ANSWER"), state);
        if (choice == "EMAIL_MFA") choice = MfaFactor.Email;
        if (state.Options is null || !state.Options.Contains(choice))
        {
            return StepResult.Retried(CognitoErrors.InvalidParameter($"The MFA type {choice} is not available for the user."), state);
        }
        var mfaState = await mfa.GetAsync(request.Pool, user!, ct).ConfigureAwait(false);
        return await secondFactor.StartAsync(request, user!, choice, mfaState, ct).ConfigureAwait(false);
    }
}
