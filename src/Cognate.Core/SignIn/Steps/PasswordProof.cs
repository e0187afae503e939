using Cognate.Core.Errors;
using Cognate.Core.Pools;
using Cognate.Core.Risk;
using Cognate.Core.Stores;
using Cognate.Core.Users;

namespace Cognate.Core.SignIn.Steps;

/// <summary>
/// The password lockout around a password or SRP proof (USER_PASSWORD_AUTH / ADMIN_*_AUTH, USER_AUTH's PASSWORD,
/// PASSWORD_VERIFIER): one call site for <see cref="LockoutService.CheckPasswordAsync(UserPool, User, Func{bool}, CancellationToken)"/>.
/// A locked user fails with "Password attempts exceeded", a wrong proof with "Incorrect username or password.".
/// </summary>
/// <remarks>
/// On success the rest of the sign-in runs inside <see cref="PasswordCheck.ThenAsync{T}"/>, so token issuing overlaps the
/// SignIn auth event's write and both can share one group commit (a measured design, commit d0bc62c).
/// </remarks>
public sealed class PasswordProof(LockoutService lockout, RiskService? risk = null, UserService? users = null,
    Mfa.MfaService? mfa = null, Devices.DeviceService? devices = null)
{
    /// <summary>
    /// Checks <paramref name="verify"/> under the lockout; on success returns what <paramref name="then"/> decides for the request it
    /// is given (the request, marked <see cref="SignInRequest.TakeoverMfa"/> when account-takeover protection demands a second factor).
    /// Threat protection (<see cref="RiskService"/>) comes first: a source IP in BlockedIPRangeList (ENFORCED) fails with
    /// NotAuthorizedException "Unable to login because of security reasons." before the password is looked at, and the blocked event
    /// is recorded; a correct <paramref name="password"/> (null for SRP, which never reveals it) found on the breached-password list
    /// under EventAction BLOCK for SIGN_IN sets the user RESET_REQUIRED and fails with PasswordResetRequiredException.
    /// </summary>
    /// <remarks>
    /// Account takeover (AUDIT or ENFORCED): the level (<see cref="RiskService.TakeoverLevel"/>) is computed from the history before
    /// this attempt's event is written and recorded on it (RiskDecision NoRisk for Low, AccountTakeover for Medium / High). In
    /// ENFORCED mode the level's action applies once the password is proven: BLOCK, and MFA_REQUIRED for a user without an MFA factor
    /// (<see cref="Mfa.MfaService.TakeoverFactors"/>), fail with the same NotAuthorizedException (event Fail); MFA_IF_CONFIGURED / MFA_REQUIRED with a usable factor
    /// send the sign-in through <see cref="SecondFactor"/>'s MFA challenge even when the pool's MFA is OFF or OPTIONAL (event
    /// InProgress); NO_ACTION (and MFA_IF_CONFIGURED without a factor) proceed. With Notify the matching NotifyConfiguration
    /// email goes out (BlockEmail, MfaEmail, NoActionEmail).
    /// </remarks>
    public async ValueTask<StepResult> CheckAsync(SignInRequest request, User user, Func<bool> verify, Func<SignInRequest, ValueTask<StepResult>> then, CancellationToken ct, string? password = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(then);
        var pool = request.Pool;
        var assessment = risk is null ? null : await risk.AssessAsync(pool, request.Client.ClientId, request.SourceIp, ct).ConfigureAwait(false);
        if (assessment is { BlocksSignIn: true })
        {
            await risk!.RecordBlockedSignInAsync(pool, user, assessment, compromised: false, request.Issuer, ct).ConfigureAwait(false);
            return StepResult.Failed(RiskService.Blocked());
        }
        EventRiskContext? context = null;
        TakeoverDecision? takeover = null;
        string action = "NO_ACTION";
        string? feedbackToken = null;
        if (assessment is not null)
        {
            bool breached = password is not null && assessment.ChecksCompromised(RiskService.Events.SignIn) && risk!.IsBreached(password);
            bool blockBreached = breached && assessment.BlocksCompromised(RiskService.Events.SignIn);
            if (!assessment.IpBlocked)
            {
                bool knownDevice = devices is not null && Devices.DeviceService.Tracks(pool) && request.Get(Devices.DeviceNames.DeviceKey) is { } key
                    && await devices.FindAsync(pool, user.Username, key, ct).ConfigureAwait(false) is not null;
                takeover = await risk!.AssessTakeoverAsync(pool, user, assessment, knownDevice, ct).ConfigureAwait(false);
                action = takeover.Effective;
                if (takeover.RequiresMfa)
                {
                    bool hasFactor = mfa is not null && MfaUsable(pool, user, await mfa.GetAsync(pool, user, ct).ConfigureAwait(false));
                    action = hasFactor ? action : action == "MFA_REQUIRED" ? "BLOCK" : "NO_ACTION";
                }
            }
            var recorded = assessment.IpBlocked ? new AuthEventRisk("Block", null, breached)
                : new AuthEventRisk(takeover!.RiskDecision, takeover.Level, breached);
            byte[]? tokenHash = null;
            if (takeover is { Enforced: true, Notify: true } && !blockBreached) (feedbackToken, tokenHash) = RiskService.NewFeedbackToken();
            context = new EventRiskContext(recorded, assessment.SourceIp, blockBreached || action == "BLOCK")
            {
                BlockedRisk = blockBreached ? null : new AuthEventRisk("AccountTakeover", takeover?.Level, breached),
                PassedResponse = action is "MFA_IF_CONFIGURED" or "MFA_REQUIRED" ? "InProgress" : null,
                EventId = feedbackToken is null ? null : Ids.IdGenerator.NewUuid(),
                FeedbackTokenHash = tokenHash,
            };
        }
        PasswordCheck check;
        try
        {
            check = await lockout.CheckPasswordAsync(pool, user, verify, "SignIn", context, ct).ConfigureAwait(false);
        }
        catch (CognitoException ex)
        {
            return StepResult.Failed(ex); // NotAuthorizedException "Password attempts exceeded"
        }
        if (!check.Passed) return StepResult.Failed(CognitoErrors.IncorrectUsernameOrPassword());
        if (feedbackToken is not null)
        {
            await risk!.NotifyTakeoverAsync(pool, user, assessment!, action, context!.EventId!, feedbackToken, request.Issuer, ct).ConfigureAwait(false);
        }
        if (check.Blocked)
        {
            if (context!.BlockedRisk is not null) return StepResult.Failed(RiskService.Blocked()); // account takeover: BLOCK
            if (users is not null) await users.UpdateAsync(pool, user.Username, u => u.Status = UserStatus.ResetRequired, ct: ct).ConfigureAwait(false);
            return StepResult.Failed(CognitoErrors.PasswordResetRequired());
        }
        var next = action is "MFA_IF_CONFIGURED" or "MFA_REQUIRED" ? request with { TakeoverMfa = true } : request;
        return await check.ThenAsync(() => then(next)).ConfigureAwait(false);
    }

    static bool MfaUsable(Pools.UserPool pool, User user, Mfa.UserMfa state) => Mfa.MfaService.TakeoverFactors(pool, user, state).Count > 0;
}
