using System.Text.Json.Serialization;

namespace Cognate.Core.SignIn;

/// <summary>
/// The server-side state of one step of a multi-step sign-in: what the Session of a challenge stands for. Immutable
/// (<c>with</c>), so a <see cref="StepResult.Retry"/> cannot half-mutate what a <see cref="StepResult.Fail"/> then discards.
/// </summary>
/// <remarks>
/// <see cref="UserPoolId"/>, <see cref="ClientId"/>, <see cref="Username"/> and <see cref="ChallengeName"/> are the columns
/// of <see cref="Stores.AuthSessionRecord"/>; the other members are the record's JSON <c>Data</c>, with the member names and
/// defaults the sessions had before the engine (Stage, Options, CodeHash, Attempts, Destination, TotpVerified), so nodes
/// of either version read each other's sessions during a rolling upgrade (docs/design/sign-in-engine.md §4).
/// </remarks>
public sealed record SignInState
{
    /// <summary>The pool the session belongs to (record column; filled by <see cref="SignInSessions"/>).</summary>
    [JsonIgnore] public string UserPoolId { get; init; } = "";

    /// <summary>The app client the session belongs to (record column; filled by <see cref="SignInSessions"/>).</summary>
    [JsonIgnore] public string ClientId { get; init; } = "";

    /// <summary>The internal username of the user signing in (record column).</summary>
    [JsonIgnore] public string Username { get; init; } = "";

    /// <summary>The challenge this session answers, e.g. <c>SMS_MFA</c> (record column; set from the issued challenge's name).</summary>
    [JsonIgnore] public string ChallengeName { get; init; } = "";

    /// <summary><c>first</c> (USER_AUTH before a first factor), <c>mfa</c> (second factor), <c>setup</c> (MFA_SETUP),
    /// <c>signup</c> (the SignUp / ConfirmSignUp sessions) or <c>password</c> (NEW_PASSWORD_REQUIRED).</summary>
    public string Stage { get; init; } = SignInStages.Mfa;

    /// <summary>SELECT_CHALLENGE choices, MFAS_CAN_CHOOSE or MFAS_CAN_SETUP.</summary>
    public IReadOnlyList<string>? Options { get; init; }

    /// <summary>HMAC-SHA256 of the code sent for this step (EMAIL_OTP, SMS_OTP, SMS_MFA); never the code itself.</summary>
    public byte[]? CodeHash { get; init; }

    /// <summary>Wrong codes so far in this session (at <see cref="Steps.CodeChallenge.MaxAttempts"/> the session ends).</summary>
    public int Attempts { get; init; }

    /// <summary>The email address being set up as MFA (MFA_SETUP answered with EMAIL).</summary>
    public string? Destination { get; init; }

    /// <summary>MFA_SETUP: VerifySoftwareToken succeeded with this session.</summary>
    public bool TotpVerified { get; init; }

    /// <summary>CUSTOM_AUTH: the challenges answered so far (the triggers' <c>session</c> array), oldest first.</summary>
    public IReadOnlyList<Triggers.ChallengeRound>? History { get; init; }

    /// <summary>CUSTOM_CHALLENGE: CreateAuthChallenge's <c>privateChallengeParameters</c> as JSON, sealed under the master key
    /// (<see cref="Steps.CustomChallengeLoop"/>), never stored in the clear.</summary>
    public byte[]? SealedPrivateParameters { get; init; }

    /// <summary>CUSTOM_CHALLENGE: CreateAuthChallenge's <c>challengeMetadata</c>, recorded in the next <see cref="History"/> entry.</summary>
    public string? ChallengeMetadata { get; init; }

    /// <summary>WEB_AUTHN: the CREDENTIAL_REQUEST_OPTIONS sent (its challenge is the one the answer must sign; the session is single use).</summary>
    public string? RequestOptions { get; init; }

    /// <summary>CUSTOM_AUTH with PreventUserExistenceErrors: no user has <see cref="Username"/> (the name as typed); the
    /// triggers get <c>userNotFound: true</c> and the sign-in can never succeed.</summary>
    public bool UserNotFound { get; init; }

    /// <summary>DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER: the remembered device signing in.</summary>
    public string? DeviceKey { get; init; }
}

/// <summary>The values of <see cref="SignInState.Stage"/> (stored as strings, as before the engine).</summary>
public static class SignInStages
{
    /// <summary>USER_AUTH before a first factor (SELECT_CHALLENGE, passwordless EMAIL_OTP / SMS_OTP).</summary>
    public const string First = "first";
    /// <summary>A second factor (the default).</summary>
    public const string Mfa = "mfa";
    /// <summary>MFA_SETUP, and the EMAIL_OTP that confirms an email set up as MFA.</summary>
    public const string Setup = "setup";
    /// <summary>The SignUp → ConfirmSignUp → InitiateAuth USER_AUTH sessions.</summary>
    public const string SignUp = "signup";
    /// <summary>NEW_PASSWORD_REQUIRED.</summary>
    public const string Password = "password";
    /// <summary>CUSTOM_CHALLENGE (CUSTOM_AUTH).</summary>
    public const string Custom = "custom";
}
