using Cognate.Core.Errors;
using Cognate.Core.Tokens;
using Cognate.Core.Users;

namespace Cognate.Core.SignIn;

/// <summary>
/// What one sign-in step (a flow, a challenge or a shared step) decided: exactly one of <see cref="SignedIn"/>,
/// <see cref="Challenge"/>, <see cref="Retry"/> or <see cref="Fail"/>. Returned, never thrown; <see cref="SignInEngine"/>
/// applies it to the session and turns it into a <see cref="SignInResult"/> for the front door.
/// </summary>
public abstract record StepResult
{
    StepResult() { }

    /// <summary>The sign-in is complete.</summary>
    /// <param name="User">The signed-in user.</param>
    /// <param name="AuthTime">When the user authenticated (UTC), the tokens' <c>auth_time</c>.</param>
    /// <param name="Tokens">The tokens for the JSON doors; null for <see cref="SignInDoor.ManagedLogin"/> (tokens come from /oauth2/token).</param>
    public sealed record SignedIn(User User, DateTimeOffset AuthTime, AuthenticationResult? Tokens) : StepResult;

    /// <summary>A next challenge. The engine stores <paramref name="State"/> under a new Session (its ChallengeName, pool and
    /// client set by the engine); null for PASSWORD_VERIFIER, whose state travels in the SECRET_BLOCK.</summary>
    /// <param name="Name">ChallengeName, e.g. <c>SMS_MFA</c>.</param>
    /// <param name="Parameters">ChallengeParameters, in the order they are answered.</param>
    /// <param name="State">The session's state (at least <see cref="SignInState.Username"/>), or null for no session.</param>
    /// <param name="AvailableChallenges">USER_AUTH: the first factors the user may choose from.</param>
    public sealed record Challenge(string Name, IReadOnlyDictionary<string, string> Parameters, SignInState? State,
        IReadOnlyList<string>? AvailableChallenges = null) : StepResult;

    /// <summary>A correctable mistake (wrong code, weak new password, missing response): <paramref name="Error"/> is answered and
    /// the same Session stays usable with <paramref name="State"/> (e.g. Attempts + 1); the engine puts it back with the same
    /// Session string and expiry. Only a challenge answered with a Session can return it.</summary>
    public sealed record Retry(CognitoError Error, SignInState State) : StepResult;

    /// <summary>Final: <paramref name="Error"/> is answered and the session, if any, is gone.</summary>
    public sealed record Fail(CognitoError Error) : StepResult;

    /// <summary>A <see cref="Fail"/> with the error of <paramref name="exception"/> (the error factories return exceptions).</summary>
    public static Fail Failed(CognitoException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new Fail(exception.Error);
    }

    /// <summary>A <see cref="Retry"/> with the error of <paramref name="exception"/>, keeping <paramref name="state"/>.</summary>
    public static Retry Retried(CognitoException exception, SignInState state)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new Retry(exception.Error, state);
    }
}
