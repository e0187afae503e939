using Cognate.Core.Clients;
using Cognate.Core.Errors;
using Cognate.Core.Messaging;
using Cognate.Core.Pools;
using Cognate.Core.Stores;
using Cognate.Core.Users;

namespace Cognate.Core.Auth;

public sealed partial class SignInFlows
{
    /// <summary>First factors in the order AvailableChallenges lists them.</summary>
    static readonly string[] FactorOrder = ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP"];

    /// <summary>True when the pool allows a passwordless first factor (EMAIL_OTP or SMS_OTP), i.e. SignUp may omit Password.</summary>
    public static bool AllowsPasswordless(UserPool pool) =>
        pool.Config.Policies?.SignInPolicy?.AllowedFirstAuthFactors is { } f && (f.Contains("EMAIL_OTP") || f.Contains("SMS_OTP"));

    /// <summary>
    /// The first factors USER_AUTH can offer this user: PASSWORD and PASSWORD_SRP when the pool allows PASSWORD and the
    /// user has one, EMAIL_OTP / SMS_OTP when the pool allows them and the user has a verified email / phone number.
    /// WEB_AUTHN is never offered (passkeys are not built).
    /// </summary>
    public static List<string> AvailableFirstFactors(UserPool pool, User user)
    {
        var allowed = pool.Config.Policies?.SignInPolicy?.AllowedFirstAuthFactors ?? ["PASSWORD"];
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

    /// <summary>
    /// USER_AUTH (InitiateAuth / AdminInitiateAuth): with the Session of ConfirmSignUp, tokens straight away; with
    /// PREFERRED_CHALLENGE available, that factor (PASSWORD checks PASSWORD, PASSWORD_SRP answers PASSWORD_VERIFIER,
    /// EMAIL_OTP / SMS_OTP send an 8-digit code); a single passwordless factor is issued directly; otherwise
    /// SELECT_CHALLENGE. AvailableChallenges accompanies every challenge.
    /// </summary>
    /// <exception cref="CognitoException">InvalidParameterException, NotAuthorizedException, UserNotFoundException, UserNotConfirmedException,
    /// PasswordResetRequiredException, UnsupportedOperationException (WEB_AUTHN), CodeDeliveryFailureException.</exception>
    public async ValueTask<AuthOutcome> StartUserAuthAsync(UserPool pool, AppClient client, IReadOnlyDictionary<string, string> p, string? session, string issuer, CancellationToken ct = default)
    {
        var username = Required(p, "USERNAME");
        p.TryGetValue("SECRET_HASH", out var secretHash);
        AuthService.CheckSecretHash(client, secretHash, username);
        var user = await users.FindAsync(pool, username, ct).ConfigureAwait(false);
        bool hide = AppClientService.PreventsUserExistenceErrors(client);
        if (user is null && !hide) throw CognitoErrors.UserNotFound();
        if (hide && string.IsNullOrEmpty(session) && (user is null || !user.Enabled || user.Status is UserStatus.ResetRequired or UserStatus.Unconfirmed))
        {
            return await HiddenUserAuthAsync(pool, client, user, username, p, issuer, ct).ConfigureAwait(false);
        }
        if (user is null) throw CognitoErrors.IncorrectUsernameOrPassword();
        if (!user.Enabled) throw CognitoErrors.NotAuthorized("User is disabled.");
        if (!string.IsNullOrEmpty(session))
        {
            var taken = await TryTakeAsync(session, ct).ConfigureAwait(false);
            if (taken is not { } t || t.Record.ChallengeName != SignUpConfirmedChallenge || t.Record.UserPoolId != pool.Id
                || t.Record.ClientId != client.ClientId || t.Record.Username != user.Username || user.Status != UserStatus.Confirmed)
            {
                throw StaleSession();
            }
            return await TokensAsync(pool, client, user, issuer, ct).ConfigureAwait(false);
        }
        if (user.Status == UserStatus.ResetRequired) throw CognitoErrors.PasswordResetRequired();
        if (user.Status == UserStatus.Unconfirmed) throw CognitoErrors.UserNotConfirmed();
        var available = AvailableFirstFactors(pool, user);
        p.TryGetValue("PREFERRED_CHALLENGE", out var preferred);
        if (preferred == "WEB_AUTHN") throw WebAuthnUnsupported();
        if (available.Count == 0) throw CognitoErrors.NotAuthorized("No sign-in method the user pool allows is available for this user.");
        AuthOutcome outcome;
        if (preferred is { Length: > 0 } && available.Contains(preferred))
        {
            outcome = await StartFirstFactorAsync(pool, client, user, preferred, p, issuer, ct).ConfigureAwait(false);
        }
        else if (available.Count == 1 && available[0] is "EMAIL_OTP" or "SMS_OTP")
        {
            outcome = await StartFirstFactorAsync(pool, client, user, available[0], p, issuer, ct).ConfigureAwait(false);
        }
        else
        {
            var select = await NewSessionAsync(pool, client, user.Username, "SELECT_CHALLENGE", new ChallengeState { Stage = "first", Options = available }, ct).ConfigureAwait(false);
            outcome = new AuthOutcome(null, "SELECT_CHALLENGE", select, NoParameters);
        }
        return outcome.ChallengeName is null ? outcome : outcome with { AvailableChallenges = available };
    }

    /// <summary>
    /// USER_AUTH with PreventUserExistenceErrors for an unknown user or one who may not sign in (disabled, RESET_REQUIRED,
    /// UNCONFIRMED): PREFERRED_CHALLENGE PASSWORD checks the password (a decoy for an unknown user, same cost) and reports the
    /// user's state only once it is proven; PASSWORD_SRP answers PASSWORD_VERIFIER (a deterministic fake for an unknown
    /// user) whose answer does the same; anything else answers "Incorrect username or password.".
    /// </summary>
    async ValueTask<AuthOutcome> HiddenUserAuthAsync(UserPool pool, AppClient client, User? user, string username, IReadOnlyDictionary<string, string> p, string issuer, CancellationToken ct)
    {
        p.TryGetValue("PREFERRED_CHALLENGE", out var preferred);
        var allowed = pool.Config.Policies?.SignInPolicy?.AllowedFirstAuthFactors ?? ["PASSWORD"];
        if (preferred is not ("PASSWORD" or "PASSWORD_SRP") || !allowed.Contains("PASSWORD")) throw CognitoErrors.IncorrectUsernameOrPassword();
        var available = user is not null ? AvailableFirstFactors(pool, user) : [];
        if (user is not null && available.Contains(preferred))
        {
            var outcome = await StartFirstFactorAsync(pool, client, user, preferred, p, issuer, ct).ConfigureAwait(false);
            return outcome.ChallengeName is null ? outcome : outcome with { AvailableChallenges = available };
        }
        if (preferred == "PASSWORD")
        {
            UserService.CheckPasswordOfUnknownUser(pool, username, Required(p, "PASSWORD"));
            throw CognitoErrors.IncorrectUsernameOrPassword();
        }
        var fake = await StartSrpForAsync(pool, client, null, username, Required(p, "SRP_A"), ct).ConfigureAwait(false);
        return fake with { AvailableChallenges = ["PASSWORD", "PASSWORD_SRP"] };
    }

    /// <summary>Runs one first factor: PASSWORD (with PASSWORD), PASSWORD_SRP (with SRP_A), EMAIL_OTP or SMS_OTP.</summary>
    async ValueTask<AuthOutcome> StartFirstFactorAsync(UserPool pool, AppClient client, User user, string factor, IReadOnlyDictionary<string, string> p, string issuer, CancellationToken ct)
    {
        switch (factor)
        {
            case "PASSWORD":
                var password = Required(p, "PASSWORD");
                var check = await lockout.CheckPasswordAsync(pool, user, () => UserService.CheckPassword(pool, user, password), ct).ConfigureAwait(false);
                if (!check.Passed) throw CognitoErrors.IncorrectUsernameOrPassword();
                return await check.ThenAsync(() =>
                {
                    AuthService.ThrowIfCannotSignIn(user); // reported only once the password is proven (PreventUserExistenceErrors)
                    return AfterPasswordAsync(pool, client, user, issuer, ct);
                }).ConfigureAwait(false);
            case "PASSWORD_SRP":
                return await StartSrpForAsync(pool, client, user, user.Username, Required(p, "SRP_A"), ct).ConfigureAwait(false);
            case "EMAIL_OTP":
                return await SendCodeChallengeAsync(pool, client, user, "EMAIL_OTP", DeliveryMedium.Email, user.Get("email")!, new ChallengeState { Stage = "first" }, OtpDigits, includeUserId: false, ct).ConfigureAwait(false);
            case "SMS_OTP":
                return await SendCodeChallengeAsync(pool, client, user, "SMS_OTP", DeliveryMedium.Sms, user.Get("phone_number")!, new ChallengeState { Stage = "first" }, OtpDigits, includeUserId: false, ct).ConfigureAwait(false);
            default:
                throw CognitoErrors.InvalidParameter($"Unsupported challenge {factor}.");
        }
    }

    /// <summary>SELECT_CHALLENGE answered with ANSWER (PASSWORD + PASSWORD, PASSWORD_SRP + SRP_A, EMAIL_OTP, SMS_OTP).</summary>
    async ValueTask<AuthOutcome> AnswerSelectChallengeAsync(UserPool pool, AppClient client, User user, string answer, ChallengeState state, AuthSessionRecord record, IReadOnlyDictionary<string, string> responses, string issuer, CancellationToken ct)
    {
        if (answer == "WEB_AUTHN")
        {
            await RestoreAsync(record, state, ct).ConfigureAwait(false);
            throw WebAuthnUnsupported();
        }
        bool missing = (answer == "PASSWORD" && !responses.ContainsKey("PASSWORD")) || (answer == "PASSWORD_SRP" && !responses.ContainsKey("SRP_A"));
        if (state.Options is null || !state.Options.Contains(answer) || missing)
        {
            await RestoreAsync(record, state, ct).ConfigureAwait(false);
            throw missing ? CognitoErrors.InvalidParameter($"Missing required parameter {(answer == "PASSWORD" ? "PASSWORD" : "SRP_A")}")
                : CognitoErrors.InvalidParameter($"The challenge {answer} is not available for this user.");
        }
        return await StartFirstFactorAsync(pool, client, user, answer, responses, issuer, ct).ConfigureAwait(false);
    }

    /// <summary>Challenge name of the session ConfirmSignUp returns (only InitiateAuth USER_AUTH consumes it).</summary>
    internal const string SignUpConfirmedChallenge = "SIGN_UP_CONFIRMED";

    const string SignUpChallenge = "SIGN_UP";

    /// <summary>SignUp: the Session that ConfirmSignUp exchanges for a sign-in session (null when the client lacks ALLOW_USER_AUTH).</summary>
    public async ValueTask<string?> NewSignUpSessionAsync(UserPool pool, AppClient client, string username, CancellationToken ct = default) =>
        AppClientService.IsAuthFlowEnabled(client, "USER_AUTH")
            ? await NewSessionAsync(pool, client, username, SignUpChallenge, new ChallengeState { Stage = "signup" }, ct).ConfigureAwait(false)
            : null;

    /// <summary>
    /// ConfirmSignUp with the SignUp Session: after a successful confirmation, exchanges it for a Session that lets
    /// InitiateAuth USER_AUTH sign the user in without another code. Null when the session is unknown, expired or not this user's.
    /// </summary>
    public async ValueTask<string?> ExchangeSignUpSessionAsync(UserPool pool, AppClient client, User user, string? session, CancellationToken ct = default)
    {
        var taken = await TryTakeAsync(session, ct).ConfigureAwait(false);
        if (taken is not { } t || t.Record.ChallengeName != SignUpChallenge || t.Record.UserPoolId != pool.Id || t.Record.ClientId != client.ClientId || t.Record.Username != user.Username)
        {
            return null;
        }
        return await NewSessionAsync(pool, client, user.Username, SignUpConfirmedChallenge, new ChallengeState { Stage = "signup" }, ct).ConfigureAwait(false);
    }
}
