using Cognate.Core.Errors;
using Cognate.Core.Tokens;
using Cognate.Core.Users;

namespace Cognate.Core.SignIn;

/// <summary>
/// What the sign-in engine answers a front door: exactly one of <see cref="SignedIn"/>, <see cref="ChallengeIssued"/>,
/// <see cref="Retry"/> or <see cref="Failed"/>. The JSON API renders it as InitiateAuth's / RespondToAuthChallenge's
/// answer (the two error kinds become the Cognito error); the managed-login pages render it as a page.
/// </summary>
public abstract record SignInResult
{
    SignInResult() { }

    /// <summary>The sign-in is complete.</summary>
    /// <param name="User">The signed-in user (as stored after the last step).</param>
    /// <param name="AuthTime">When the user authenticated (UTC): the <c>auth_time</c> claim of the tokens and of the managed-login session.</param>
    /// <param name="Tokens">The tokens for the JSON doors; null for <see cref="SignInDoor.ManagedLogin"/>.</param>
    public sealed record SignedIn(User User, DateTimeOffset AuthTime, AuthenticationResult? Tokens) : SignInResult;

    /// <summary>A next challenge (RespondToAuthChallenge's ChallengeName, Session, ChallengeParameters).</summary>
    /// <param name="ChallengeName">e.g. <c>SOFTWARE_TOKEN_MFA</c>, <c>NEW_PASSWORD_REQUIRED</c>, <c>SELECT_CHALLENGE</c>.</param>
    /// <param name="Session">The opaque Session to send with the answer (null for PASSWORD_VERIFIER, whose state is the SECRET_BLOCK).</param>
    /// <param name="Parameters">ChallengeParameters (e.g. <c>CODE_DELIVERY_DESTINATION</c>, <c>MFAS_CAN_SETUP</c>, <c>USER_ID_FOR_SRP</c>).</param>
    /// <param name="AvailableChallenges">USER_AUTH: the first factors the user may choose from, otherwise null.</param>
    public sealed record ChallengeIssued(string ChallengeName, string? Session, IReadOnlyDictionary<string, string> Parameters, IReadOnlyList<string>? AvailableChallenges) : SignInResult;

    /// <summary>A correctable mistake (a wrong code, a weak new password): <paramref name="Error"/> is shown and the same
    /// <paramref name="Session"/> stays usable for another answer to the same challenge.</summary>
    public sealed record Retry(CognitoError Error, string Session) : SignInResult;

    /// <summary>Final: <paramref name="Error"/> is shown and the session (if any) is gone; the sign-in starts over.</summary>
    public sealed record Failed(CognitoError Error) : SignInResult;
}
