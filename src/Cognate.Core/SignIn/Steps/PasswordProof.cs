using Cognate.Core.Errors;
using Cognate.Core.Pools;
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
public sealed class PasswordProof(LockoutService lockout)
{
    /// <summary>Checks <paramref name="verify"/> under the lockout; on success returns what <paramref name="then"/> decides.</summary>
    public async ValueTask<StepResult> CheckAsync(UserPool pool, User user, Func<bool> verify, Func<ValueTask<StepResult>> then, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(then);
        PasswordCheck check;
        try
        {
            check = await lockout.CheckPasswordAsync(pool, user, verify, ct).ConfigureAwait(false);
        }
        catch (CognitoException ex)
        {
            return StepResult.Failed(ex); // NotAuthorizedException "Password attempts exceeded"
        }
        if (!check.Passed) return StepResult.Failed(CognitoErrors.IncorrectUsernameOrPassword());
        return await check.ThenAsync(then).ConfigureAwait(false);
    }
}
