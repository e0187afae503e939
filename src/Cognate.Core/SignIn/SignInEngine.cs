using System.Collections.Frozen;
using Cognate.Core.Clients;
using Cognate.Core.Errors;
using static Cognate.Core.CognitoConstants;

namespace Cognate.Core.SignIn;

/// <summary>
/// The one entry point of sign-in for every front door (the JSON API, the managed-login pages): starts a flow
/// (InitiateAuth / AdminInitiateAuth) or answers a challenge (RespondToAuthChallenge / AdminRespondToAuthChallenge)
/// and returns an explicit <see cref="SignInResult"/> instead of throwing Cognito errors.
/// </summary>
/// <remarks>
/// <para>The engine finds the <see cref="ISignInFlow"/> / <see cref="IChallenge"/> registered for the request's name, runs it,
/// and is the place where a challenge's Session is taken, kept or dropped: the session is taken before the step runs (single
/// use); a <see cref="StepResult.Retry"/> puts it back (same Session string and expiry, the Retry's state); a
/// <see cref="StepResult.Challenge"/> stores its state under a new Session; <see cref="StepResult.SignedIn"/> and
/// <see cref="StepResult.Fail"/> store nothing. A <see cref="CognitoException"/> that escapes a step is a Fail.</para>
/// <para>Door rules: ADMIN_USER_PASSWORD_AUTH / ADMIN_NO_SRP_AUTH only on the admin API, USER_PASSWORD_AUTH not on it
/// (InvalidParameterException "Initiate Auth method not supported."); the client's ExplicitAuthFlows apply to the JSON
/// doors only. Unknown names: UnsupportedOperationException "The {X} flow/challenge is not supported by Cognate yet.".</para>
/// </remarks>
public sealed class SignInEngine
{
    readonly FrozenDictionary<string, ISignInFlow> flows;
    readonly FrozenDictionary<string, IChallenge> challenges;
    readonly SignInSessions sessions;
    readonly Risk.RiskService? risk;

    /// <summary>Builds the engine over every registered flow and challenge (one per name; a duplicate name is a bug); with
    /// <paramref name="risk"/>, threat protection's BlockedIPRangeList is applied to the flows that do not start with a password check
    /// (USER_AUTH, CUSTOM_AUTH; see <see cref="StartAsync"/>).</summary>
    public SignInEngine(IEnumerable<ISignInFlow> flows, IEnumerable<IChallenge> challenges, SignInSessions sessions, Risk.RiskService? risk = null)
    {
        this.risk = risk;
        ArgumentNullException.ThrowIfNull(flows);
        ArgumentNullException.ThrowIfNull(challenges);
        this.flows = flows.SelectMany(f => f.Names.Select(n => KeyValuePair.Create(n, f))).ToFrozenDictionary(StringComparer.Ordinal);
        this.challenges = challenges.SelectMany(c => c.AnsweredAs.Select(n => KeyValuePair.Create(n, c))).ToFrozenDictionary(StringComparer.Ordinal);
        this.sessions = sessions;
    }

    /// <summary>Starts the flow <see cref="SignInRequest.Name"/> (an AuthFlow) with its AuthParameters.</summary>
    /// <returns>SignedIn, ChallengeIssued or Failed (InvalidParameterException, NotAuthorizedException, UserNotFoundException,
    /// UserNotConfirmedException, PasswordResetRequiredException, UnsupportedOperationException, …).</returns>
    /// <remarks>
    /// A pool whose threat protection is ENFORCED refuses a USER_AUTH or CUSTOM_AUTH sign-in from an address in the effective
    /// BlockedIPRangeList before anything else (NotAuthorizedException "Unable to login because of security reasons.", whatever the
    /// user or the answer would have been): passwordless codes, passkeys and custom challenges are never offered to it. The password
    /// flows (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, ADMIN_NO_SRP_AUTH, USER_SRP_AUTH) are refused by their password step,
    /// which also records the blocked event; refresh-token sign-ins are not pre-authentication requests and are not checked.
    /// </remarks>
    public async ValueTask<SignInResult> StartAsync(SignInRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (DoorRefusal(request) is { } refused) return new SignInResult.Failed(refused);
        if (!flows.TryGetValue(request.Name, out var flow))
        {
            return new SignInResult.Failed(CognitoErrors.UnsupportedOperation($"The {request.Name} flow is not supported by Cognate yet.").Error);
        }
        if (risk is not null && request.Name is AuthFlows.UserAuth or AuthFlows.CustomAuth
            && await risk.AssessAsync(request.Pool, request.Client.ClientId, request.SourceIp, ct).ConfigureAwait(false) is { BlocksSignIn: true })
        {
            return new SignInResult.Failed(Risk.RiskService.Blocked().Error);
        }
        StepResult step;
        try
        {
            step = await flow.StartAsync(request, ct).ConfigureAwait(false);
        }
        catch (CognitoException ex)
        {
            step = StepResult.Failed(ex);
        }
        return await ApplyAsync(request, step, null, ct).ConfigureAwait(false);
    }

    /// <summary>Answers the challenge <see cref="SignInRequest.Name"/> with its ChallengeResponses and Session.</summary>
    /// <returns>SignedIn, ChallengeIssued, Retry (the session survives: wrong code, weak password, …) or Failed.</returns>
    public async ValueTask<SignInResult> RespondAsync(SignInRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!challenges.TryGetValue(request.Name, out var challenge))
        {
            return new SignInResult.Failed(CognitoErrors.UnsupportedOperation($"The {request.Name} challenge is not supported by Cognate yet.").Error);
        }
        TakenSession? taken = null;
        StepResult step;
        try
        {
            if (challenge.NeedsSession)
            {
                if (string.IsNullOrEmpty(request.Session)) return new SignInResult.Failed(CognitoErrors.InvalidParameter("Missing required parameter Session").Error);
                taken = await sessions.TryTakeAsync(request.Session, ct).ConfigureAwait(false);
                if (taken is null || taken.Record.UserPoolId != request.Pool.Id || taken.Record.ClientId != request.Client.ClientId)
                {
                    return new SignInResult.Failed(StaleSession);
                }
                step = taken.State.ChallengeName != challenge.Name
                    ? new StepResult.Retry(CognitoErrors.InvalidParameter("Invalid challenge name for the current session.").Error, taken.State)
                    : await challenge.RespondAsync(request, taken.State, ct).ConfigureAwait(false);
            }
            else
            {
                step = await challenge.RespondAsync(request, null, ct).ConfigureAwait(false);
            }
        }
        catch (CognitoException ex)
        {
            step = StepResult.Failed(ex); // the session was taken: it is gone
        }
        return await ApplyAsync(request, step, taken, ct).ConfigureAwait(false);
    }

    /// <summary>NotAuthorizedException "Invalid session for the user, session is expired." (unknown, used, expired or another client's session).</summary>
    internal static CognitoError StaleSession => CognitoErrors.NotAuthorized("Invalid session for the user, session is expired.").Error;

    static CognitoError? DoorRefusal(SignInRequest request)
    {
        bool adminFlow = request.Name is AuthFlows.AdminUserPasswordAuth or AuthFlows.AdminNoSrpAuth;
        if (request.Door != SignInDoor.JsonAdminApi && adminFlow) return CognitoErrors.InvalidParameter("Initiate Auth method not supported.").Error;
        if (request.Door == SignInDoor.JsonAdminApi && request.Name == AuthFlows.UserPasswordAuth) return CognitoErrors.InvalidParameter("Initiate Auth method not supported.").Error;
        if (request.Door != SignInDoor.ManagedLogin && !AppClientService.IsAuthFlowEnabled(request.Client, request.Name))
        {
            return CognitoErrors.InvalidParameter(request.Name == AuthFlows.UserPasswordAuth ? "USER_PASSWORD_AUTH flow not enabled for this client" : "Auth flow not enabled for this client").Error;
        }
        return null;
    }

    async ValueTask<SignInResult> ApplyAsync(SignInRequest request, StepResult step, TakenSession? taken, CancellationToken ct)
    {
        switch (step)
        {
            case StepResult.SignedIn s:
                return new SignInResult.SignedIn(s.User, s.AuthTime, s.Tokens);
            case StepResult.Challenge c:
                var session = c.State is null ? null
                    : await sessions.CreateAsync(request.Pool, request.Client, c.State with { ChallengeName = c.Name }, ct).ConfigureAwait(false);
                return new SignInResult.ChallengeIssued(c.Name, session, c.Parameters, c.AvailableChallenges);
            case StepResult.Retry r when taken is not null:
                await sessions.PutBackAsync(taken, r.State, ct).ConfigureAwait(false);
                return new SignInResult.Retry(r.Error, request.Session!);
            case StepResult.Retry r:
                return new SignInResult.Failed(r.Error); // nothing to keep (a flow, PASSWORD_VERIFIER)
            case StepResult.Fail f:
                return new SignInResult.Failed(f.Error);
            default:
                throw new InvalidOperationException($"Unknown step result {step.GetType().Name}.");
        }
    }
}
