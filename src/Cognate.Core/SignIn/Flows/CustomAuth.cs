using Cognate.Core.Errors;
using Cognate.Core.SignIn.Steps;
using Cognate.Core.Triggers;
using Cognate.Core.Users;
using static Cognate.Core.CognitoConstants;

namespace Cognate.Core.SignIn.Flows;

/// <summary>
/// CUSTOM_AUTH (InitiateAuth / AdminInitiateAuth; the client needs ALLOW_CUSTOM_AUTH): sign-in decided by the pool's
/// DefineAuthChallenge / CreateAuthChallenge / VerifyAuthChallengeResponse triggers (AWS guide "Custom authentication challenge
/// Lambda triggers"; API reference InitiateAuth). AuthParameters: USERNAME (or an alias), SECRET_HASH when the client has a
/// secret, DEVICE_KEY (accepted, unused); with <c>CHALLENGE_NAME: SRP_A</c> and SRP_A the sign-in starts with password
/// verification: DefineAuthChallenge gets <c>[{SRP_A, true}]</c> and may answer PASSWORD_VERIFIER (amazon-cognito-identity-js's
/// authenticateUser with authenticationFlowType CUSTOM_AUTH). Otherwise DefineAuthChallenge gets an empty <c>session</c>.
/// </summary>
/// <remarks>
/// Errors: InvalidParameterException "Missing required parameter USERNAME" / "Custom auth lambda trigger is not configured for
/// the user pool." (DefineAuthChallenge or CreateAuthChallenge missing), the SECRET_HASH errors; UserNotFoundException (LEGACY)
/// and, before any trigger runs, a disabled / UNCONFIRMED / RESET_REQUIRED user's error (LEGACY). With
/// PreventUserExistenceErrors ENABLED an unknown user runs the triggers with <c>userNotFound: true</c> and empty
/// <c>userAttributes</c>, and a user's state is told only when DefineAuthChallenge issues tokens. Cognito does not pass
/// InitiateAuth's ClientMetadata to these triggers (API reference, InitiateAuth ClientMetadata), so neither does Cognate.
/// PreAuthentication runs before DefineAuthChallenge (as at the start of every other sign-in; Cognito does not document it for
/// CUSTOM_AUTH), PostAuthentication when DefineAuthChallenge issues tokens (<see cref="Completion"/>).
/// Then <see cref="CustomChallengeLoop"/>.
/// </remarks>
public sealed class CustomAuth(UserService users, CustomChallengeLoop loop, AuthenticationTriggers? triggers = null) : ISignInFlow
{
    /// <inheritdoc/>
    public IReadOnlyList<string> Names { get; } = [AuthFlows.CustomAuth];

    /// <inheritdoc/>
    public async ValueTask<StepResult> StartAsync(SignInRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Get(AuthParameters.Username) is not { } username) return new StepResult.Fail(SignInRequest.Missing(AuthParameters.Username));
        var pool = request.Pool;
        if (!UserPoolTriggers.HasCustomAuth(pool)) return StepResult.Failed(CustomChallengeLoop.NotConfigured());
        if (UserLookup.SecretHashError(request.Client, request.Raw(AuthParameters.SecretHash), username) is { } hashError) return new StepResult.Fail(hashError);
        string? srpA = null;
        if (request.Raw(AuthParameters.ChallengeName) == ChallengeNames.SrpA)
        {
            srpA = request.Get(AuthParameters.SrpA);
            if (srpA is null) return new StepResult.Fail(SignInRequest.Missing(AuthParameters.SrpA));
        }
        var user = await users.FindAsync(pool, username, ct).ConfigureAwait(false);
        bool hide = UserLookup.HidesExistence(request);
        if (user is null && !hide) return StepResult.Failed(CognitoErrors.UserNotFound());
        if (user is not null && !hide && UserLookup.CannotSignIn(user) is { } early) return new StepResult.Fail(early);
        if ((user is not null || hide) && triggers is not null && await triggers.PreAuthenticationAsync(request, user, username, ct).ConfigureAwait(false) is { } denied)
        {
            return denied;
        }
        var subject = new CustomAuthSubject(user?.Username ?? username, user, hide);
        IReadOnlyList<ChallengeRound> history = srpA is null ? [] : [new ChallengeRound(ChallengeNames.SrpA, true, null)];
        return await loop.DecideAsync(request, subject, history, clientMetadata: null, srpA, ct).ConfigureAwait(false);
    }
}
