using System.Security.Cryptography;
using System.Text;
using Cognate.Core.Codes;
using Cognate.Core.Errors;
using Cognate.Core.Mfa;
using Cognate.Core.Pools;
using Cognate.Core.Users;
using static Cognate.Core.CognitoConstants;

namespace Cognate.Core.SignIn.Steps;

/// <summary>
/// One-time sign-in codes: sending one (SMS_MFA, EMAIL_OTP as MFA / first factor / MFA_SETUP check, SMS_OTP) and checking an
/// answer against the user's second-factor lockout and the session's attempt limit.
/// </summary>
/// <remarks>
/// Only an HMAC of the code (keyed with the server's code key, bound to pool, user and purpose) is stored in the session.
/// A wrong code is <see cref="StepResult.Retry"/> with <c>Attempts + 1</c> until the <see cref="MaxAttempts"/>th, which is
/// <see cref="StepResult.Fail"/> (the session is gone and the sign-in starts over). A user locked by the second-factor
/// lockout (<see cref="LockoutService.GuardSecondFactorAsync"/>, issue 12) gets <see cref="StepResult.Fail"/>.
/// </remarks>
public sealed class CodeChallenge(AuthCodeMessenger messenger, CodeHashKey codeKey, LockoutService lockout)
{
    /// <summary>Wrong codes accepted per session; the last one ends it.</summary>
    public const int MaxAttempts = 3;

    /// <summary>Digits of passwordless and email codes (Cognito: 8).</summary>
    public const int OtpDigits = 8;

    /// <summary>Digits of SMS MFA codes (Cognito: 6).</summary>
    public const int SmsMfaDigits = 6;

    /// <summary>
    /// Sends a <paramref name="digits"/>-digit code to <paramref name="destination"/> by <paramref name="medium"/> (EMAIL or SMS)
    /// and returns <paramref name="challenge"/> with CODE_DELIVERY_DELIVERY_MEDIUM, CODE_DELIVERY_DESTINATION (masked) and,
    /// when <paramref name="includeUserId"/>, USER_ID_FOR_SRP. A delivery failure is <see cref="StepResult.Fail"/>
    /// (CodeDeliveryFailureException).
    /// </summary>
    public async ValueTask<StepResult> SendAsync(UserPool pool, User user, string challenge, string medium, string destination,
        SignInState state, int digits, bool includeUserId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(user);
        var code = Ids.IdGenerator.NewNumericCode(digits);
        string masked;
        try
        {
            masked = await messenger.SendAsync(pool, user, medium, destination, code, ct).ConfigureAwait(false);
        }
        catch (CognitoException ex)
        {
            return StepResult.Failed(ex);
        }
        var parameters = new Dictionary<string, string>
        {
            [ChallengeParameters.CodeDeliveryDeliveryMedium] = medium,
            [ChallengeParameters.CodeDeliveryDestination] = masked,
        };
        if (includeUserId) parameters[ChallengeParameters.UserIdForSrp] = user.Username;
        return new StepResult.Challenge(challenge, parameters, state with { Username = user.Username, CodeHash = Hash(pool.Id, user.Username, code), Attempts = 0 });
    }

    /// <summary>Checks <paramref name="code"/> against the code whose HMAC <paramref name="state"/> holds (constant time).</summary>
    /// <returns>Null when right; otherwise the Retry / Fail to answer.</returns>
    public ValueTask<StepResult?> CheckSentCodeAsync(UserPool pool, User user, SignInState state, string code, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(state);
        var expected = Hash(pool.Id, user.Username, code);
        return CheckAsync(pool, user, state, () => state.CodeHash is not null && CryptographicOperations.FixedTimeEquals(state.CodeHash, expected)
            ? ValueTask.CompletedTask : throw CognitoErrors.CodeMismatch(), ct);
    }

    /// <summary>
    /// Runs <paramref name="check"/> (which returns when the code is right and throws CodeMismatchException / ExpiredCodeException
    /// when not) under the user's second-factor lockout. A wrong or reused code counts against the session's attempts; any other
    /// error (the user is locked: NotAuthorizedException "Password attempts exceeded"; SoftwareTokenMFANotFoundException; a
    /// write conflict) ends the session.
    /// </summary>
    /// <returns>Null when right; otherwise the Retry / Fail to answer.</returns>
    public async ValueTask<StepResult?> CheckAsync(UserPool pool, User user, SignInState state, Func<ValueTask> check, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(state);
        try
        {
            await lockout.GuardSecondFactorAsync(pool, user, check, ct).ConfigureAwait(false);
            return null;
        }
        catch (CognitoException ex) when (ex.Error.Type is "CodeMismatchException" or "ExpiredCodeException")
        {
            // The one place that reads an error's type: the lockout guard and MfaService report a wrong code by throwing.
            int attempts = state.Attempts + 1;
            return attempts < MaxAttempts ? StepResult.Retried(ex, state with { Attempts = attempts }) : StepResult.Failed(ex);
        }
        catch (CognitoException ex)
        {
            return StepResult.Failed(ex);
        }
    }

    byte[] Hash(string userPoolId, string username, string code) =>
        HMACSHA256.HashData(codeKey.Key, Encoding.UTF8.GetBytes($"{userPoolId}\n{username}\nsign-in\n{code}"));
}
