using Cognate.Core.Clients;
using Cognate.Core.Errors;
using Cognate.Core.Pools;
using Cognate.Core.SignIn.Challenges;
using Cognate.Core.SignIn.Steps;
using Cognate.Core.Users;

namespace Cognate.Core.SignIn.Flows;

/// <summary>
/// USER_AUTH (choice-based sign-in): AuthParameters USERNAME, optional PREFERRED_CHALLENGE (PASSWORD with PASSWORD,
/// PASSWORD_SRP with SRP_A, EMAIL_OTP, SMS_OTP), SECRET_HASH; or the Session of ConfirmSignUp, which signs the new user in
/// once without another code. Otherwise the preferred factor when available, a single passwordless factor directly, or
/// SELECT_CHALLENGE; every challenge carries AvailableChallenges (<see cref="FirstFactor.Available"/>).
/// </summary>
/// <remarks>
/// Errors: UserNotFoundException (LEGACY), NotAuthorizedException ("User is disabled.", "No sign-in method the user pool allows
/// is available for this user.", a stale sign-up session), PasswordResetRequiredException, UserNotConfirmedException,
/// UnsupportedOperationException (PREFERRED_CHALLENGE WEB_AUTHN). With PreventUserExistenceErrors an unknown user, or one who
/// may not sign in, can only try PASSWORD (a decoy check for an unknown user) or PASSWORD_SRP (a fake challenge), and their
/// state is told only once the password is proven; anything else is "Incorrect username or password.".
/// Also owns the SignUp → ConfirmSignUp → USER_AUTH sessions (<see cref="NewSignUpSessionAsync"/>, <see cref="ExchangeSignUpSessionAsync"/>).
/// </remarks>
public sealed class UserAuth(UserService users, SignInSessions sessions, FirstFactor firstFactor, SrpExchange srp, Completion completion) : ISignInFlow
{
    /// <summary>Challenge name of the session SignUp returns (ConfirmSignUp exchanges it).</summary>
    internal const string SignUpChallenge = "SIGN_UP";

    /// <summary>Challenge name of the session ConfirmSignUp returns (only InitiateAuth USER_AUTH consumes it).</summary>
    internal const string SignUpConfirmedChallenge = "SIGN_UP_CONFIRMED";

    /// <inheritdoc/>
    public IReadOnlyList<string> Names { get; } = ["USER_AUTH"];

    /// <inheritdoc/>
    public async ValueTask<StepResult> StartAsync(SignInRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Get("USERNAME") is not { } username) return new StepResult.Fail(SignInRequest.Missing("USERNAME"));
        if (UserLookup.SecretHashError(request.Client, request.Raw("SECRET_HASH"), username) is { } hashError) return new StepResult.Fail(hashError);
        var pool = request.Pool;
        var user = await users.FindAsync(pool, username, ct).ConfigureAwait(false);
        bool hide = UserLookup.HidesExistence(request);
        if (user is null && !hide) return StepResult.Failed(CognitoErrors.UserNotFound());
        bool withSession = !string.IsNullOrEmpty(request.Session);
        if (hide && !withSession && (user is null || !user.Enabled || user.Status is UserStatus.ResetRequired or UserStatus.Unconfirmed))
        {
            return await HiddenUserAsync(request, user, username, ct).ConfigureAwait(false);
        }
        if (user is null) return StepResult.Failed(CognitoErrors.IncorrectUsernameOrPassword());
        if (!user.Enabled) return StepResult.Failed(CognitoErrors.NotAuthorized("User is disabled."));
        if (withSession)
        {
            var taken = await sessions.TryTakeAsync(request.Session, ct).ConfigureAwait(false);
            if (taken is null || taken.Record.ChallengeName != SignUpConfirmedChallenge || taken.Record.UserPoolId != pool.Id
                || taken.Record.ClientId != request.Client.ClientId || taken.Record.Username != user.Username || user.Status != UserStatus.Confirmed)
            {
                return new StepResult.Fail(SignInEngine.StaleSession);
            }
            return await completion.SignedInAsync(request, user, ct).ConfigureAwait(false);
        }
        if (user.Status == UserStatus.ResetRequired) return StepResult.Failed(CognitoErrors.PasswordResetRequired());
        if (user.Status == UserStatus.Unconfirmed) return StepResult.Failed(CognitoErrors.UserNotConfirmed());
        var available = FirstFactor.Available(pool, user);
        var preferred = request.Raw("PREFERRED_CHALLENGE");
        if (preferred == "WEB_AUTHN") return new StepResult.Fail(WebAuthn.Unsupported);
        if (available.Count == 0) return StepResult.Failed(CognitoErrors.NotAuthorized("No sign-in method the user pool allows is available for this user."));
        StepResult step;
        if (preferred is { Length: > 0 } && available.Contains(preferred))
        {
            step = await firstFactor.StartAsync(request, user, preferred, ct).ConfigureAwait(false);
        }
        else if (available.Count == 1 && available[0] is "EMAIL_OTP" or "SMS_OTP")
        {
            step = await firstFactor.StartAsync(request, user, available[0], ct).ConfigureAwait(false);
        }
        else
        {
            step = new StepResult.Challenge("SELECT_CHALLENGE", new Dictionary<string, string>(),
                new SignInState { Username = user.Username, Stage = SignInStages.First, Options = available });
        }
        return WithAvailable(step, available);
    }

    /// <summary>
    /// An unknown user, or one who may not sign in, with PreventUserExistenceErrors: PREFERRED_CHALLENGE PASSWORD checks the
    /// password (a decoy for an unknown user, same cost) and reports the user's state only once it is proven; PASSWORD_SRP
    /// answers PASSWORD_VERIFIER (a deterministic fake for an unknown user) whose answer does the same; anything else answers
    /// "Incorrect username or password.".
    /// </summary>
    async ValueTask<StepResult> HiddenUserAsync(SignInRequest request, User? user, string username, CancellationToken ct)
    {
        var pool = request.Pool;
        var preferred = request.Raw("PREFERRED_CHALLENGE");
        if (preferred is not ("PASSWORD" or "PASSWORD_SRP") || !FirstFactor.AllowedFactors(pool).Contains("PASSWORD"))
        {
            return StepResult.Failed(CognitoErrors.IncorrectUsernameOrPassword());
        }
        var available = user is not null ? FirstFactor.Available(pool, user) : [];
        if (user is not null && available.Contains(preferred))
        {
            return WithAvailable(await firstFactor.StartAsync(request, user, preferred, ct).ConfigureAwait(false), available);
        }
        if (preferred == "PASSWORD")
        {
            if (request.Get("PASSWORD") is not { } password) return new StepResult.Fail(SignInRequest.Missing("PASSWORD"));
            UserService.CheckPasswordOfUnknownUser(pool, username, password);
            return StepResult.Failed(CognitoErrors.IncorrectUsernameOrPassword());
        }
        if (request.Get("SRP_A") is not { } srpA) return new StepResult.Fail(SignInRequest.Missing("SRP_A"));
        return WithAvailable(await srp.StartAsync(request, null, username, srpA, ct).ConfigureAwait(false), ["PASSWORD", "PASSWORD_SRP"]);
    }

    static StepResult WithAvailable(StepResult step, IReadOnlyList<string> available) =>
        step is StepResult.Challenge c ? c with { AvailableChallenges = available } : step;

    /// <summary>SignUp: the Session that ConfirmSignUp exchanges for a sign-in session (null when the client lacks ALLOW_USER_AUTH).</summary>
    public async ValueTask<string?> NewSignUpSessionAsync(UserPool pool, AppClient client, string username, CancellationToken ct = default) =>
        AppClientService.IsAuthFlowEnabled(client, "USER_AUTH")
            ? await sessions.CreateAsync(pool, client, new SignInState { Username = username, ChallengeName = SignUpChallenge, Stage = SignInStages.SignUp }, ct).ConfigureAwait(false)
            : null;

    /// <summary>
    /// ConfirmSignUp with the SignUp Session: after a successful confirmation, exchanges it for a Session that lets
    /// InitiateAuth USER_AUTH sign the user in without another code. Null when the session is unknown, expired or not this user's.
    /// </summary>
    public async ValueTask<string?> ExchangeSignUpSessionAsync(UserPool pool, AppClient client, User user, string? session, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(user);
        var taken = await sessions.TryTakeAsync(session, ct).ConfigureAwait(false);
        if (taken is null || taken.Record.ChallengeName != SignUpChallenge || taken.Record.UserPoolId != pool.Id || taken.Record.ClientId != client.ClientId || taken.Record.Username != user.Username)
        {
            return null;
        }
        return await sessions.CreateAsync(pool, client, new SignInState { Username = user.Username, ChallengeName = SignUpConfirmedChallenge, Stage = SignInStages.SignUp }, ct).ConfigureAwait(false);
    }
}
