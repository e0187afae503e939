using Cognate.Core.Clients;
using Cognate.Core.Errors;
using Cognate.Core.Pools;
using Cognate.Core.SignIn.Challenges;
using Cognate.Core.SignIn.Steps;
using Cognate.Core.Users;
using static Cognate.Core.CognitoConstants;

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
/// With PreventUserExistenceErrors an unknown user, or one who
/// may not sign in, can only try PASSWORD (a decoy check for an unknown user) or PASSWORD_SRP (a fake challenge), and their
/// state is told only once the password is proven; anything else is "Incorrect username or password.".
/// Also owns the SignUp → ConfirmSignUp → USER_AUTH sessions (<see cref="NewSignUpSessionAsync"/>, <see cref="ExchangeSignUpSessionAsync"/>).
/// <para>Triggers: PreAuthentication before any factor (also for an unknown user under PreventUserExistenceErrors, and for the
/// sign-up session's sign-in); an unknown name with PREFERRED_CHALLENGE PASSWORD and a PASSWORD is first offered to the pool's
/// UserMigration function (never for the passwordless factors, as the AWS guide says).</para>
/// </remarks>
public sealed class UserAuth(UserService users, SignInSessions sessions, FirstFactor firstFactor, SrpExchange srp, Completion completion,
    UserMigrationService? migration = null, AuthenticationTriggers? triggers = null) : ISignInFlow
{
    /// <summary>Challenge name of the session SignUp returns (ConfirmSignUp exchanges it).</summary>
    internal const string SignUpChallenge = "SIGN_UP";

    /// <summary>Challenge name of the session ConfirmSignUp returns (only InitiateAuth USER_AUTH consumes it).</summary>
    internal const string SignUpConfirmedChallenge = "SIGN_UP_CONFIRMED";

    /// <inheritdoc/>
    public IReadOnlyList<string> Names { get; } = [AuthFlows.UserAuth];

    /// <inheritdoc/>
    public async ValueTask<StepResult> StartAsync(SignInRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Get(AuthParameters.Username) is not { } username) return new StepResult.Fail(SignInRequest.Missing(AuthParameters.Username));
        if (UserLookup.SecretHashError(request.Client, request.Raw(AuthParameters.SecretHash), username) is { } hashError) return new StepResult.Fail(hashError);
        var pool = request.Pool;
        var user = await users.FindAsync(pool, username, ct).ConfigureAwait(false);
        if (user is null && migration is not null && string.IsNullOrEmpty(request.Session) && request.Raw(AuthParameters.PreferredChallenge) == ChallengeNames.Password
            && request.Get(AuthParameters.Password) is { } typedPassword && FirstFactor.AllowedFactors(pool).Contains(ChallengeNames.Password) && UserMigrationService.Enabled(pool))
        {
            try
            {
                user = await migration.OnSignInAsync(pool, request.Client, username, typedPassword, request.ClientMetadata, ct).ConfigureAwait(false);
            }
            catch (CognitoException ex)
            {
                return StepResult.Failed(ex); // nothing was written
            }
        }
        bool hide = UserLookup.HidesExistence(request);
        if (user is null && !hide) return StepResult.Failed(CognitoErrors.UserNotFound());
        if (triggers is not null && await triggers.PreAuthenticationAsync(request, user, username, ct).ConfigureAwait(false) is { } denied) return denied;
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
        var available = await firstFactor.AvailableAsync(pool, user, ct).ConfigureAwait(false);
        var preferred = request.Raw(AuthParameters.PreferredChallenge);
        if (available.Count == 0) return StepResult.Failed(CognitoErrors.NotAuthorized("No sign-in method the user pool allows is available for this user."));
        StepResult step;
        if (preferred is { Length: > 0 } && available.Contains(preferred))
        {
            step = await firstFactor.StartAsync(request, user, preferred, ct).ConfigureAwait(false);
        }
        else if (available.Count == 1 && available[0] is ChallengeNames.EmailOtp or ChallengeNames.SmsOtp)
        {
            step = await firstFactor.StartAsync(request, user, available[0], ct).ConfigureAwait(false);
        }
        else
        {
            step = new StepResult.Challenge(ChallengeNames.SelectChallenge, new Dictionary<string, string>(),
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
        var preferred = request.Raw(AuthParameters.PreferredChallenge);
        if (preferred is not (ChallengeNames.Password or ChallengeNames.PasswordSrp) || !FirstFactor.AllowedFactors(pool).Contains(ChallengeNames.Password))
        {
            return StepResult.Failed(CognitoErrors.IncorrectUsernameOrPassword());
        }
        var available = user is not null ? FirstFactor.Available(pool, user) : [];
        if (user is not null && available.Contains(preferred))
        {
            return WithAvailable(await firstFactor.StartAsync(request, user, preferred, ct).ConfigureAwait(false), available);
        }
        if (preferred == ChallengeNames.Password)
        {
            if (request.Get(AuthParameters.Password) is not { } password) return new StepResult.Fail(SignInRequest.Missing(AuthParameters.Password));
            UserService.CheckPasswordOfUnknownUser(pool, username, password);
            return StepResult.Failed(CognitoErrors.IncorrectUsernameOrPassword());
        }
        if (request.Get(AuthParameters.SrpA) is not { } srpA) return new StepResult.Fail(SignInRequest.Missing(AuthParameters.SrpA));
        return WithAvailable(await srp.StartAsync(request, null, username, srpA, ct).ConfigureAwait(false), [ChallengeNames.Password, ChallengeNames.PasswordSrp]);
    }

    static StepResult WithAvailable(StepResult step, IReadOnlyList<string> available) =>
        step is StepResult.Challenge c ? c with { AvailableChallenges = available } : step;

    /// <summary>SignUp: the Session that ConfirmSignUp exchanges for a sign-in session (null when the client lacks ALLOW_USER_AUTH).</summary>
    public async ValueTask<string?> NewSignUpSessionAsync(UserPool pool, AppClient client, string username, CancellationToken ct = default) =>
        AppClientService.IsAuthFlowEnabled(client, AuthFlows.UserAuth)
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
