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
public sealed class PasswordProof(LockoutService lockout, RiskService? risk = null, UserService? users = null)
{
    /// <summary>
    /// Checks <paramref name="verify"/> under the lockout; on success returns what <paramref name="then"/> decides. Threat protection
    /// (<see cref="RiskService"/>) comes first: a source IP in BlockedIPRangeList (ENFORCED) fails with NotAuthorizedException
    /// "Unable to login because of security reasons." before the password is looked at, and the blocked event is recorded; a correct
    /// <paramref name="password"/> (null for SRP, which never reveals it) found on the breached-password list under EventAction BLOCK
    /// for SIGN_IN sets the user RESET_REQUIRED and fails with PasswordResetRequiredException.
    /// </summary>
    public async ValueTask<StepResult> CheckAsync(SignInRequest request, User user, Func<bool> verify, Func<ValueTask<StepResult>> then, CancellationToken ct, string? password = null)
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
        if (assessment is not null)
        {
            bool breached = password is not null && assessment.ChecksCompromised(RiskService.Events.SignIn) && risk!.IsBreached(password);
            context = new EventRiskContext(assessment.IpBlocked ? new AuthEventRisk("Block", null, breached) : new AuthEventRisk("NoRisk", "Low", breached),
                assessment.SourceIp, breached && assessment.BlocksCompromised(RiskService.Events.SignIn));
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
        if (check.Blocked)
        {
            if (users is not null) await users.UpdateAsync(pool, user.Username, u => u.Status = UserStatus.ResetRequired, ct: ct).ConfigureAwait(false);
            return StepResult.Failed(CognitoErrors.PasswordResetRequired());
        }
        return await check.ThenAsync(then).ConfigureAwait(false);
    }
}
