using Cognate.Core.SignIn;
using Cognate.Server.Shared;

namespace Cognate.Server.Auth;

/// <summary>The output of InitiateAuth, RespondToAuthChallenge and their Admin variants.</summary>
internal sealed record AuthResponse(string? ChallengeName, string? Session, IReadOnlyDictionary<string, string> ChallengeParameters, AuthenticationResultType? AuthenticationResult, IReadOnlyList<string>? AvailableChallenges = null)
{
    static readonly IReadOnlyDictionary<string, string> NoParameters = new Dictionary<string, string>();

    /// <summary>
    /// Renders the engine's answer: tokens, or the next challenge; <see cref="SignInResult.Retry"/> and
    /// <see cref="SignInResult.Failed"/> are thrown as the Cognito error (the dispatcher writes it; a Retry's session stays usable).
    /// </summary>
    /// <exception cref="Core.Errors.CognitoException">The error of a Retry or Failed result.</exception>
    public static AuthResponse From(SignInResult result) => result switch
    {
        SignInResult.SignedIn s => new(null, null, NoParameters, AuthenticationResultType.From(s.Tokens), null),
        SignInResult.ChallengeIssued c => new(c.ChallengeName, c.Session, c.Parameters, null, c.AvailableChallenges),
        SignInResult.Retry r => throw r.Error.ToException(),
        SignInResult.Failed f => throw f.Error.ToException(),
        _ => throw new InvalidOperationException($"Unknown sign-in result {result.GetType().Name}."),
    };
}
