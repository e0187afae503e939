using Cognate.Core.Errors;
using Cognate.Core.Mfa;
using Cognate.Core.SignIn.Steps;
using Cognate.Core.Users;

namespace Cognate.Core.SignIn.Challenges;

/// <summary>
/// The shared answer of the three sent-code challenges (<see cref="EmailOtp"/>, <see cref="SmsOtp"/>, <see cref="SmsMfa"/>):
/// the session's user, the code response (required; missing keeps the session), the code check
/// (<see cref="CodeChallenge.CheckSentCodeAsync"/>: a wrong code keeps the session until the third), then — for the EMAIL_OTP
/// that confirms an email set up during MFA_SETUP — the address becomes the user's verified email with email MFA enabled
/// (and preferred when nothing was), and the sign-in completes (no further MFA).
/// </summary>
public abstract class CodeAnswer(SessionUser sessionUser, CodeChallenge codes, UserService users, MfaService mfa, Completion completion) : IChallenge
{
    /// <inheritdoc/>
    public abstract string Name { get; }

    /// <summary>The ChallengeResponses key of the code (EMAIL_OTP_CODE, SMS_OTP_CODE, SMS_MFA_CODE).</summary>
    protected abstract string CodeParameter { get; }

    /// <inheritdoc/>
    public async ValueTask<StepResult> RespondAsync(SignInRequest request, SignInState? state, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(state);
        var (user, stop) = await sessionUser.ResolveAsync(request, state, SessionUser.Default, ct).ConfigureAwait(false);
        if (stop is not null) return stop;
        if (request.Get(CodeParameter) is not { } code) return new StepResult.Retry(SignInRequest.Missing(CodeParameter), state);
        if (await codes.CheckSentCodeAsync(request.Pool, user!, state, code, ct).ConfigureAwait(false) is { } wrong) return wrong;
        var pool = request.Pool;
        if (state.Stage == SignInStages.Setup && state.Destination is { } address)
        {
            await users.UpdateAsync(pool, user!.Username, u =>
            {
                u.Attributes["email"] = address;
                u.Attributes["email_verified"] = "true";
            }, ct: ct).ConfigureAwait(false);
            await mfa.UpdateAsync(pool, user, m => { m.EmailEnabled = true; m.Preferred ??= MfaFactor.Email; }, ct).ConfigureAwait(false);
        }
        var current = await users.FindAsync(pool, user!.Username, ct).ConfigureAwait(false);
        if (current is null) return StepResult.Failed(CognitoErrors.UserNotFound());
        return await completion.SignedInAsync(request, current, ct).ConfigureAwait(false);
    }
}

/// <summary>EMAIL_OTP: the code sent by email, as a passwordless first factor (USER_AUTH), as email MFA, or to confirm an
/// email being set up in MFA_SETUP. Response: USERNAME, EMAIL_OTP_CODE (8 digits), SECRET_HASH when the client has a secret.</summary>
public sealed class EmailOtp(SessionUser sessionUser, CodeChallenge codes, UserService users, MfaService mfa, Completion completion)
    : CodeAnswer(sessionUser, codes, users, mfa, completion)
{
    /// <inheritdoc/>
    public override string Name => "EMAIL_OTP";
    /// <inheritdoc/>
    protected override string CodeParameter => "EMAIL_OTP_CODE";
}

/// <summary>SMS_OTP: the code sent by SMS as a passwordless first factor (USER_AUTH). Response: USERNAME, SMS_OTP_CODE (8 digits).</summary>
public sealed class SmsOtp(SessionUser sessionUser, CodeChallenge codes, UserService users, MfaService mfa, Completion completion)
    : CodeAnswer(sessionUser, codes, users, mfa, completion)
{
    /// <inheritdoc/>
    public override string Name => "SMS_OTP";
    /// <inheritdoc/>
    protected override string CodeParameter => "SMS_OTP_CODE";
}

/// <summary>SMS_MFA: the second-factor code sent by SMS. Response: USERNAME, SMS_MFA_CODE (6 digits).</summary>
public sealed class SmsMfa(SessionUser sessionUser, CodeChallenge codes, UserService users, MfaService mfa, Completion completion)
    : CodeAnswer(sessionUser, codes, users, mfa, completion)
{
    /// <inheritdoc/>
    public override string Name => "SMS_MFA";
    /// <inheritdoc/>
    protected override string CodeParameter => "SMS_MFA_CODE";
}
