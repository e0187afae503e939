using Cognate.Core.Errors;
using Cognate.Core.Messaging;
using Cognate.Core.Pools;
using Cognate.Core.Users;

namespace Cognate.Core.SignIn.Steps;

/// <summary>
/// The first factors of choice-based sign-in (USER_AUTH, and SELECT_CHALLENGE's answers): which ones a user may use, and
/// running one. PASSWORD checks PASSWORD under the lockout and continues as after a correct password; PASSWORD_SRP
/// answers PASSWORD_VERIFIER for SRP_A; EMAIL_OTP / SMS_OTP send an 8-digit code to the verified email / phone number.
/// </summary>
public sealed class FirstFactor(PasswordProof proof, AfterFirstFactor afterFirstFactor, SrpExchange srp, CodeChallenge codes)
{
    /// <summary>First factors in the order AvailableChallenges lists them.</summary>
    static readonly string[] FactorOrder = ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP"];

    /// <summary>The pool's AllowedFirstAuthFactors (default: PASSWORD only).</summary>
    public static IReadOnlyList<string> AllowedFactors(UserPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return pool.Config.Policies?.SignInPolicy?.AllowedFirstAuthFactors ?? ["PASSWORD"];
    }

    /// <summary>True when the pool allows a passwordless first factor (EMAIL_OTP or SMS_OTP), i.e. SignUp may omit Password.</summary>
    public static bool AllowsPasswordless(UserPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return pool.Config.Policies?.SignInPolicy?.AllowedFirstAuthFactors is { } f && (f.Contains("EMAIL_OTP") || f.Contains("SMS_OTP"));
    }

    /// <summary>
    /// The first factors USER_AUTH can offer this user: PASSWORD and PASSWORD_SRP when the pool allows PASSWORD and the
    /// user has one, EMAIL_OTP / SMS_OTP when the pool allows them and the user has a verified email / phone number.
    /// WEB_AUTHN is never offered (passkeys are not built).
    /// </summary>
    public static List<string> Available(UserPool pool, User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var allowed = AllowedFactors(pool);
        var list = new List<string>();
        foreach (var f in FactorOrder)
        {
            bool ok = f switch
            {
                "PASSWORD" or "PASSWORD_SRP" => allowed.Contains("PASSWORD") && user.PasswordVerifier is not null,
                "EMAIL_OTP" => allowed.Contains("EMAIL_OTP") && user.Get("email") is { Length: > 0 } && user.IsVerified("email"),
                "SMS_OTP" => allowed.Contains("SMS_OTP") && user.Get("phone_number") is { Length: > 0 } && user.IsVerified("phone_number"),
                _ => false,
            };
            if (ok) list.Add(f);
        }
        return list;
    }

    /// <summary>Runs <paramref name="factor"/> for <paramref name="user"/> with the request's PASSWORD / SRP_A (a missing one fails).</summary>
    public async ValueTask<StepResult> StartAsync(SignInRequest request, User user, string factor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(user);
        var pool = request.Pool;
        switch (factor)
        {
            case "PASSWORD":
                if (request.Get("PASSWORD") is not { } password) return new StepResult.Fail(SignInRequest.Missing("PASSWORD"));
                return await proof.CheckAsync(pool, user, () => UserService.CheckPassword(pool, user, password), () =>
                    // reported only once the password is proven (PreventUserExistenceErrors)
                    UserLookup.CannotSignIn(user) is { } refused ? ValueTask.FromResult<StepResult>(new StepResult.Fail(refused))
                        : afterFirstFactor.NextAsync(request, user, ct), ct).ConfigureAwait(false);
            case "PASSWORD_SRP":
                if (request.Get("SRP_A") is not { } srpA) return new StepResult.Fail(SignInRequest.Missing("SRP_A"));
                return await srp.StartAsync(request, user, user.Username, srpA, ct).ConfigureAwait(false);
            case "EMAIL_OTP":
                return await codes.SendAsync(pool, user, "EMAIL_OTP", DeliveryMedium.Email, user.Get("email")!, new SignInState { Stage = SignInStages.First },
                    CodeChallenge.OtpDigits, includeUserId: false, ct).ConfigureAwait(false);
            case "SMS_OTP":
                return await codes.SendAsync(pool, user, "SMS_OTP", DeliveryMedium.Sms, user.Get("phone_number")!, new SignInState { Stage = SignInStages.First },
                    CodeChallenge.OtpDigits, includeUserId: false, ct).ConfigureAwait(false);
            default:
                return StepResult.Failed(CognitoErrors.InvalidParameter($"Unsupported challenge {factor}."));
        }
    }
}
