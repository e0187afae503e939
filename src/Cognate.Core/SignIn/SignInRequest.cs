using Cognate.Core.Clients;
using Cognate.Core.Errors;
using Cognate.Core.Pools;

namespace Cognate.Core.SignIn;

/// <summary>
/// One call into the sign-in engine: the start of a flow (<see cref="Name"/> = an AuthFlow such as <c>USER_PASSWORD_AUTH</c>)
/// or the answer to a challenge (<see cref="Name"/> = a ChallengeName such as <c>SOFTWARE_TOKEN_MFA</c>).
/// </summary>
/// <param name="Pool">The user pool of <paramref name="Client"/>.</param>
/// <param name="Client">The app client the sign-in runs for.</param>
/// <param name="Door">The front door (decides allowed flows and how a completed sign-in ends).</param>
/// <param name="Name">AuthFlow (start) or ChallengeName (respond), as Cognito spells them.</param>
/// <param name="Parameters">AuthParameters or ChallengeResponses (never null values).</param>
/// <param name="Session">The opaque Session of the previous step, or null.</param>
/// <param name="Issuer">Token issuer of the pool (<c>{base}/{poolId}</c>).</param>
public sealed record SignInRequest(
    UserPool Pool,
    AppClient Client,
    SignInDoor Door,
    string Name,
    IReadOnlyDictionary<string, string> Parameters,
    string? Session,
    string Issuer)
{
    /// <summary>The parameter <paramref name="name"/> when present and non-empty, otherwise null.</summary>
    public string? Get(string name) => Parameters.TryGetValue(name, out var v) && v.Length > 0 ? v : null;

    /// <summary>The parameter <paramref name="name"/> as sent (possibly empty), or null when absent (SECRET_HASH).</summary>
    public string? Raw(string name) => Parameters.TryGetValue(name, out var v) ? v : null;

    /// <summary>Whether the parameter <paramref name="name"/> is present at all (even empty).</summary>
    public bool Has(string name) => Parameters.ContainsKey(name);

    /// <summary>InvalidParameterException "Missing required parameter {name}" (Cognito's answer for a missing AuthParameter /
    /// ChallengeResponse).</summary>
    public static CognitoError Missing(string name) => CognitoErrors.InvalidParameter($"Missing required parameter {name}").Error;

    /// <summary>
    /// The call's <c>ClientMetadata</c> (InitiateAuth, AdminInitiateAuth, RespondToAuthChallenge, AdminRespondToAuthChallenge), or
    /// null when none was sent. Triggers receive it as the API reference says: a flow start's as PreAuthentication's and
    /// UserMigration's <c>validationData</c>, a challenge response's as PostAuthentication's <c>clientMetadata</c>; PreTokenGeneration and the custom-challenge
    /// triggers get the call's own as <c>clientMetadata</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string>? ClientMetadata { get; init; }

    /// <summary>The caller's IP address (a device's <c>last_ip_used</c>), or null when unknown.</summary>
    public string? SourceIp { get; init; }

    /// <summary>Account-takeover protection (ENFORCED, MFA_IF_CONFIGURED / MFA_REQUIRED) demands a second factor after this first
    /// factor, whatever the pool's MfaConfiguration (set by <see cref="Steps.PasswordProof"/>, read by <see cref="Steps.SecondFactor"/>).</summary>
    public bool TakeoverMfa { get; init; }

    /// <summary>True for the managed-login pages: a completed sign-in returns no tokens.</summary>
    public bool IsManagedLogin => Door == SignInDoor.ManagedLogin;
}
