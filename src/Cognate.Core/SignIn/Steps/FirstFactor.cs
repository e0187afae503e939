using Cognate.Core.Errors;
using Cognate.Core.Messaging;
using Cognate.Core.Pools;
using Cognate.Core.Users;
using static Cognate.Core.CognitoConstants;

namespace Cognate.Core.SignIn.Steps;

/// <summary>
/// The first factors of choice-based sign-in (USER_AUTH, and SELECT_CHALLENGE's answers): which ones a user may use, and
/// running one. PASSWORD checks PASSWORD under the lockout and continues as after a correct password; PASSWORD_SRP
/// answers PASSWORD_VERIFIER for SRP_A; EMAIL_OTP / SMS_OTP send an 8-digit code to the verified email / phone number.
/// </summary>
public sealed class FirstFactor(PasswordProof proof, AfterFirstFactor afterFirstFactor, SrpExchange srp, CodeChallenge codes, Passkeys.PasskeyService? passkeys = null)
{
    /// <summary>First factors in the order AvailableChallenges lists them.</summary>
    static readonly string[] FactorOrder = [ChallengeNames.Password, ChallengeNames.PasswordSrp, ChallengeNames.EmailOtp, ChallengeNames.SmsOtp, ChallengeNames.WebAuthn];

    /// <summary>The pool's AllowedFirstAuthFactors (default: PASSWORD only).</summary>
    public static IReadOnlyList<string> AllowedFactors(UserPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return pool.Config.Policies?.SignInPolicy?.AllowedFirstAuthFactors ?? [ChallengeNames.Password];
    }

    /// <summary>True when the pool allows a passwordless first factor (EMAIL_OTP or SMS_OTP), i.e. SignUp may omit Password.</summary>
    public static bool AllowsPasswordless(UserPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return pool.Config.Policies?.SignInPolicy?.AllowedFirstAuthFactors is { } f && (f.Contains(ChallengeNames.EmailOtp) || f.Contains(ChallengeNames.SmsOtp));
    }

    /// <summary>
    /// The first factors USER_AUTH can offer this user: PASSWORD and PASSWORD_SRP when the pool allows PASSWORD and the
    /// user has one, EMAIL_OTP / SMS_OTP when the pool allows them and the user has a verified email / phone number.
    /// WEB_AUTHN when <paramref name="hasPasskey"/> (the pool allows it and the user has a passkey for its relying party:
    /// <see cref="AvailableAsync"/>).
    /// </summary>
    public static List<string> Available(UserPool pool, User user, bool hasPasskey = false)
    {
        ArgumentNullException.ThrowIfNull(user);
        var allowed = AllowedFactors(pool);
        var list = new List<string>();
        foreach (var f in FactorOrder)
        {
            bool ok = f switch
            {
                ChallengeNames.Password or ChallengeNames.PasswordSrp => allowed.Contains(ChallengeNames.Password) && user.PasswordVerifier is not null,
                ChallengeNames.EmailOtp => allowed.Contains(ChallengeNames.EmailOtp) && user.Get("email") is { Length: > 0 } && user.IsVerified("email"),
                ChallengeNames.SmsOtp => allowed.Contains(ChallengeNames.SmsOtp) && user.Get("phone_number") is { Length: > 0 } && user.IsVerified("phone_number"),
                ChallengeNames.WebAuthn => hasPasskey,
                _ => false,
            };
            if (ok) list.Add(f);
        }
        return list;
    }

    /// <summary><see cref="Available"/> with the user's passkeys looked up.</summary>
    public async ValueTask<List<string>> AvailableAsync(UserPool pool, User user, CancellationToken ct)
    {
        bool hasPasskey = passkeys is not null && await passkeys.CanSignInAsync(pool, user, ct).ConfigureAwait(false);
        return Available(pool, user, hasPasskey);
    }

    /// <summary>Runs <paramref name="factor"/> for <paramref name="user"/> with the request's PASSWORD / SRP_A (a missing one fails).</summary>
    public async ValueTask<StepResult> StartAsync(SignInRequest request, User user, string factor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(user);
        var pool = request.Pool;
        switch (factor)
        {
            case ChallengeNames.Password:
                if (request.Get(AuthParameters.Password) is not { } password) return new StepResult.Fail(SignInRequest.Missing(AuthParameters.Password));
                return await proof.CheckAsync(request, user, () => UserService.CheckPassword(pool, user, password), next =>
                    // reported only once the password is proven (PreventUserExistenceErrors)
                    UserLookup.CannotSignIn(user) is { } refused ? ValueTask.FromResult<StepResult>(new StepResult.Fail(refused))
                        : afterFirstFactor.NextAsync(next, user, ct), ct, password).ConfigureAwait(false);
            case ChallengeNames.PasswordSrp:
                if (request.Get(AuthParameters.SrpA) is not { } srpA) return new StepResult.Fail(SignInRequest.Missing(AuthParameters.SrpA));
                return await srp.StartAsync(request, user, user.Username, srpA, ct).ConfigureAwait(false);
            case ChallengeNames.EmailOtp:
                return await codes.SendAsync(pool, user, ChallengeNames.EmailOtp, DeliveryMedium.Email, user.Get("email")!, new SignInState { Stage = SignInStages.First },
                    CodeChallenge.OtpDigits, includeUserId: false, ct).ConfigureAwait(false);
            case ChallengeNames.SmsOtp:
                return await codes.SendAsync(pool, user, ChallengeNames.SmsOtp, DeliveryMedium.Sms, user.Get("phone_number")!, new SignInState { Stage = SignInStages.First },
                    CodeChallenge.OtpDigits, includeUserId: false, ct).ConfigureAwait(false);
            case ChallengeNames.WebAuthn when passkeys is not null:
                var options = await passkeys.RequestOptionsAsync(pool, user, ct).ConfigureAwait(false);
                return new StepResult.Challenge(ChallengeNames.WebAuthn, new Dictionary<string, string> { [ChallengeParameters.CredentialRequestOptions] = options },
                    new SignInState { Username = user.Username, Stage = SignInStages.First, RequestOptions = options });
            default:
                return StepResult.Failed(CognitoErrors.InvalidParameter($"Unsupported challenge {factor}."));
        }
    }
}
