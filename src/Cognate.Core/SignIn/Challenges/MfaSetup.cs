using Cognate.Core.Errors;
using Cognate.Core.Messaging;
using Cognate.Core.Mfa;
using Cognate.Core.Pools;
using Cognate.Core.SignIn.Steps;
using Cognate.Core.Users;

namespace Cognate.Core.SignIn.Challenges;

/// <summary>The answer of a Session-based AssociateSoftwareToken / VerifySoftwareToken during MFA_SETUP: either the values or the error.</summary>
/// <param name="SecretCode">AssociateSoftwareToken: the new TOTP secret (base32); null for Verify and on error.</param>
/// <param name="Session">The new Session that continues MFA_SETUP (the old one is spent); null on error.</param>
/// <param name="Error">The Cognito error, or null on success.</param>
public sealed record MfaSetupAnswer(string? SecretCode, string? Session, CognitoError? Error);

/// <summary>
/// MFA_SETUP: MFA is ON and the user has no usable factor. Two ways through it:
/// <list type="bullet">
/// <item>TOTP: AssociateSoftwareToken with the Session (<see cref="AssociateAsync"/>: a secret and a new Session), then
/// VerifySoftwareToken with that Session and a code (<see cref="VerifyAsync"/>: SOFTWARE_TOKEN_MFA enabled and preferred when
/// nothing was, a new Session), then RespondToAuthChallenge MFA_SETUP with that Session: signed in.</item>
/// <item>Email (when MFAS_CAN_SETUP lists EMAIL_OTP): RespondToAuthChallenge MFA_SETUP with EMAIL: a code is sent there and
/// EMAIL_OTP (stage setup) follows; its right code makes the address the user's verified email with email MFA on.</item>
/// </list>
/// Session rules: a malformed email or an answer before either way is complete keeps the session (InvalidParameterException);
/// in Associate / Verify every Cognito error keeps it (a wrong code: EnableSoftwareTokenMFAException), and a session of
/// another challenge survives the misuse (NotAuthorizedException "Invalid session for the user.").
/// </summary>
public sealed class MfaSetup(SessionUser sessionUser, SignInSessions sessions, CodeChallenge codes, MfaService mfa, UserPoolService pools, UserService users, Completion completion) : IChallenge
{
    /// <inheritdoc/>
    public string Name => "MFA_SETUP";

    /// <inheritdoc/>
    public async ValueTask<StepResult> RespondAsync(SignInRequest request, SignInState? state, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(state);
        var (user, stop) = await sessionUser.ResolveAsync(request, state, SessionUser.Default, ct).ConfigureAwait(false);
        if (stop is not null) return stop;
        if (state.TotpVerified) return await completion.SignedInAsync(request, user!, ct).ConfigureAwait(false);
        if (request.Get("EMAIL") is { } email && state.Options?.Contains(MfaFactor.Email) == true)
        {
            if (!AttributeRules.LooksLikeEmail(email)) return StepResult.Retried(CognitoErrors.InvalidParameter("Invalid email address format."), state);
            return await codes.SendAsync(request.Pool, user!, MfaFactor.Email, DeliveryMedium.Email, email,
                new SignInState { Stage = SignInStages.Setup, Destination = email }, CodeChallenge.OtpDigits, includeUserId: true, ct).ConfigureAwait(false);
        }
        return StepResult.Retried(CognitoErrors.InvalidParameter(
            "MFA_SETUP is not complete: verify a software token (AssociateSoftwareToken, VerifySoftwareToken with this Session) or send EMAIL."), state);
    }

    /// <summary>AssociateSoftwareToken with an MFA_SETUP Session: a new pending TOTP secret for the session's user.</summary>
    public ValueTask<MfaSetupAnswer> AssociateAsync(string session, CancellationToken ct = default) =>
        WithSessionAsync(session, async (pool, user, state) =>
        {
            var secret = await mfa.AssociateAsync(pool, user, ct).ConfigureAwait(false);
            return (secret, state);
        }, ct);

    /// <summary>VerifySoftwareToken with an MFA_SETUP Session: checks <paramref name="userCode"/> against the pending secret,
    /// enables SOFTWARE_TOKEN_MFA (preferred when nothing was) and marks the session so MFA_SETUP completes.</summary>
    public ValueTask<MfaSetupAnswer> VerifyAsync(string session, string userCode, string? friendlyDeviceName, CancellationToken ct = default) =>
        WithSessionAsync(session, async (pool, user, state) =>
        {
            await mfa.VerifyAsync(pool, user, userCode, friendlyDeviceName, ct).ConfigureAwait(false);
            await mfa.UpdateAsync(pool, user, m => m.Preferred ??= MfaFactor.SoftwareToken, ct).ConfigureAwait(false);
            return ((string?)null, state with { TotpVerified = true });
        }, ct);

    async ValueTask<MfaSetupAnswer> WithSessionAsync(string session, Func<UserPool, User, SignInState, ValueTask<(string? Secret, SignInState State)>> action, CancellationToken ct)
    {
        var taken = await sessions.TryTakeAsync(session, ct).ConfigureAwait(false);
        if (taken is null) return new MfaSetupAnswer(null, null, SignInEngine.StaleSession);
        if (taken.State.ChallengeName != Name)
        {
            await sessions.PutBackAsync(taken, taken.State, ct).ConfigureAwait(false);
            return new MfaSetupAnswer(null, null, CognitoErrors.NotAuthorized("Invalid session for the user.").Error);
        }
        (string? Secret, SignInState State) done;
        try
        {
            var pool = await pools.GetAsync(taken.Record.UserPoolId, ct).ConfigureAwait(false);
            var user = await users.GetAsync(pool, taken.Record.Username, ct).ConfigureAwait(false);
            done = await action(pool, user, taken.State).ConfigureAwait(false);
        }
        catch (CognitoException ex)
        {
            // Every Cognito error here is correctable (a wrong code, a conflict): the same session stays usable.
            await sessions.PutBackAsync(taken, taken.State, ct).ConfigureAwait(false);
            return new MfaSetupAnswer(null, null, ex.Error);
        }
        var next = await sessions.RotateAsync(taken, done.State, ct).ConfigureAwait(false);
        return new MfaSetupAnswer(done.Secret, next, null);
    }
}
