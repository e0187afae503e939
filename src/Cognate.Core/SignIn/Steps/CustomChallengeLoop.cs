using System.Text;
using System.Text.Json;
using Cognate.Core.Crypto;
using Cognate.Core.Errors;
using Cognate.Core.Pools;
using Cognate.Core.Triggers;
using Cognate.Core.Users;
using static Cognate.Core.CognitoConstants;

namespace Cognate.Core.SignIn.Steps;

/// <summary>
/// The heart of CUSTOM_AUTH (AWS guide "Custom authentication challenge Lambda triggers"): DefineAuthChallenge reads the
/// challenges answered so far (<c>session</c>) and decides; this step turns its answer into the engine's next step.
/// <list type="table">
/// <listheader><term>DefineAuthChallenge answers</term><description>next</description></listheader>
/// <item><term>failAuthentication</term><description>NotAuthorizedException "Incorrect username or password."</description></item>
/// <item><term>issueTokens</term><description><see cref="Completion"/> (tokens); for an unknown user (userNotFound) or one who may
/// not sign in (disabled, UNCONFIRMED, RESET_REQUIRED) the same refusals as a password sign-in</description></item>
/// <item><term>challengeName CUSTOM_CHALLENGE</term><description>CreateAuthChallenge, then CUSTOM_CHALLENGE with its
/// publicChallengeParameters + USERNAME; the privateChallengeParameters stay in the session, sealed</description></item>
/// <item><term>challengeName PASSWORD_VERIFIER</term><description>only right after <c>CHALLENGE_NAME: SRP_A</c>: the SRP
/// PASSWORD_VERIFIER challenge, whose proof comes back here with <c>[SRP_A, PASSWORD_VERIFIER]</c></description></item>
/// <item><term>another Cognito challenge (SMS_MFA, …)</term><description>UnsupportedOperationException (not built)</description></item>
/// <item><term>anything else</term><description>InvalidLambdaResponseException "Unrecognizable lambda output"</description></item>
/// </list>
/// </summary>
/// <remarks>
/// A sign-in may answer at most <see cref="MaxRounds"/> challenges (the <c>session</c> array's length); the next Define call
/// is not made and the sign-in fails as failAuthentication does. Cognito documents no such cap; Cognate keeps a misbehaving
/// Define from looping forever (README, deviations). Every step issues a new Session valid for the client's AuthSessionValidity.
/// Trigger failures escape as <see cref="CognitoException"/> (the engine ends the session): UserLambdaValidationException,
/// InvalidLambdaResponseException, UnexpectedLambdaException.
/// </remarks>
public sealed class CustomChallengeLoop(UserPoolTriggers triggers, UserService users, SrpExchange srp, Completion completion, MasterKeyProtector protector)
{
    /// <summary>The most challenges one CUSTOM_AUTH sign-in may go through (entries in the triggers' <c>session</c>).</summary>
    public const int MaxRounds = 20;

    static readonly byte[] PrivateContext = Encoding.UTF8.GetBytes("cognate/custom-auth-private/v1");

    /// <summary>Cognito's challenge names that DefineAuthChallenge may name but Cognate does not run inside CUSTOM_AUTH.</summary>
    static readonly HashSet<string> KnownUnsupported = new(StringComparer.Ordinal)
    {
        ChallengeNames.SmsMfa, ChallengeNames.SoftwareTokenMfa, ChallengeNames.EmailOtp, ChallengeNames.SmsOtp, ChallengeNames.SelectMfaType,
        ChallengeNames.MfaSetup, ChallengeNames.NewPasswordRequired, "DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER", "ADMIN_NO_SRP_AUTH",
    };

    /// <summary>InvalidParameterException "Custom auth lambda trigger is not configured for the user pool." (Cognito's answer
    /// to CUSTOM_AUTH on a pool without DefineAuthChallenge / CreateAuthChallenge, and here also without VerifyAuthChallengeResponse
    /// when an answer arrives).</summary>
    public static CognitoException NotConfigured() => CognitoErrors.InvalidParameter("Custom auth lambda trigger is not configured for the user pool.");

    /// <summary>Asks DefineAuthChallenge what follows <paramref name="history"/> and runs its decision (see the table above).</summary>
    /// <param name="request">The InitiateAuth / RespondToAuthChallenge request.</param>
    /// <param name="subject">Who signs in (the user, or null with PreventUserExistenceErrors).</param>
    /// <param name="history">The challenges answered so far.</param>
    /// <param name="clientMetadata">ClientMetadata for the triggers (RespondToAuthChallenge's; null from InitiateAuth, as Cognito).</param>
    /// <param name="srpA">The SRP_A of an InitiateAuth with <c>CHALLENGE_NAME: SRP_A</c>, allowing PASSWORD_VERIFIER; otherwise null.</param>
    /// <param name="ct">Cancellation.</param>
    public async ValueTask<StepResult> DecideAsync(SignInRequest request, CustomAuthSubject subject, IReadOnlyList<ChallengeRound> history,
        IReadOnlyDictionary<string, string>? clientMetadata, string? srpA, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(history);
        var (pool, client) = (request.Pool, request.Client);
        if (history.Count >= MaxRounds) return StepResult.Failed(CognitoErrors.IncorrectUsernameOrPassword());
        var define = await triggers.DefineAuthChallengeAsync(pool, client.ClientId, subject, history, clientMetadata, ct).ConfigureAwait(false)
            ?? throw NotConfigured();
        if (define.FailAuthentication) return StepResult.Failed(CognitoErrors.IncorrectUsernameOrPassword());
        if (define.IssueTokens) return await IssueTokensAsync(request, subject, ct).ConfigureAwait(false);
        switch (define.ChallengeName)
        {
            case ChallengeNames.CustomChallenge:
                var create = await triggers.CreateAuthChallengeAsync(pool, client.ClientId, subject, ChallengeNames.CustomChallenge, history, clientMetadata, ct).ConfigureAwait(false)
                    ?? throw NotConfigured();
                var parameters = new Dictionary<string, string>(create.PublicChallengeParameters, StringComparer.Ordinal)
                {
                    [ChallengeParameters.Username] = subject.UserName,
                };
                return new StepResult.Challenge(ChallengeNames.CustomChallenge, parameters, new SignInState
                {
                    Username = subject.UserName,
                    Stage = SignInStages.Custom,
                    History = history,
                    SealedPrivateParameters = Seal(pool, create.PrivateChallengeParameters),
                    ChallengeMetadata = create.ChallengeMetadata,
                    UserNotFound = subject.User is null,
                });
            case ChallengeNames.PasswordVerifier when srpA is not null:
                return await srp.StartAsync(request, subject.User, subject.UserName, srpA, customAuth: true, ct).ConfigureAwait(false);
            case ChallengeNames.PasswordVerifier:
                throw CognitoErrors.InvalidLambdaResponse("DefineAuthChallenge answered PASSWORD_VERIFIER, which follows only an InitiateAuth with CHALLENGE_NAME SRP_A.");
            case { } name when KnownUnsupported.Contains(name):
                throw CognitoErrors.UnsupportedOperation($"DefineAuthChallenge answered {name}: inside CUSTOM_AUTH Cognate runs CUSTOM_CHALLENGE and PASSWORD_VERIFIER only.");
            default:
                throw CognitoErrors.InvalidLambdaResponse(UserPoolTriggers.UnrecognizableOutput);
        }
    }

    /// <summary>PASSWORD_VERIFIER proven inside CUSTOM_AUTH: DefineAuthChallenge again with <c>[SRP_A, PASSWORD_VERIFIER]</c>
    /// (RespondToAuthChallenge's ClientMetadata). MFA is not inserted here (README, deviations).</summary>
    public ValueTask<StepResult> AfterPasswordVerifierAsync(SignInRequest request, User user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(user);
        ChallengeRound[] history = [new(ChallengeNames.SrpA, true, null), new(ChallengeNames.PasswordVerifier, true, null)];
        return DecideAsync(request, new CustomAuthSubject(user.Username, user, UserLookup.HidesExistence(request)), history, request.ClientMetadata, null, ct);
    }

    /// <summary>Opens the privateChallengeParameters of a CUSTOM_CHALLENGE session; null when missing or not sealed by this
    /// server (another master key): the session is then useless.</summary>
    public IReadOnlyDictionary<string, string>? OpenPrivate(UserPool pool, SignInState state)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(state);
        if (state.SealedPrivateParameters is not { } sealedJson) return null;
        if (!protector.TryUnprotect(sealedJson, Context(pool), out var plain)) return null;
        try { return JsonSerializer.Deserialize<Dictionary<string, string>>(plain); }
        catch (JsonException) { return null; }
    }

    byte[] Seal(UserPool pool, IReadOnlyDictionary<string, string> values) => protector.Protect(JsonSerializer.SerializeToUtf8Bytes(values), Context(pool));

    static byte[] Context(UserPool pool) => [.. PrivateContext, (byte)'\n', .. Encoding.UTF8.GetBytes(pool.Id)];

    async ValueTask<StepResult> IssueTokensAsync(SignInRequest request, CustomAuthSubject subject, CancellationToken ct)
    {
        if (subject.User is null) return StepResult.Failed(CognitoErrors.IncorrectUsernameOrPassword());
        var user = await users.FindAsync(request.Pool, subject.User.Username, ct).ConfigureAwait(false);
        if (user is null || user.Username != subject.User.Username) return StepResult.Failed(CognitoErrors.IncorrectUsernameOrPassword());
        if (UserLookup.CannotSignIn(user) is { } refused) return new StepResult.Fail(refused);
        return await completion.SignedInAsync(request, user, ct).ConfigureAwait(false);
    }
}
