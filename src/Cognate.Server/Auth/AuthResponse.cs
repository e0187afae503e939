using Cognate.Core.Auth;
using Cognate.Server.Shared;

namespace Cognate.Server.Auth;

/// <summary>The output of InitiateAuth, RespondToAuthChallenge and their Admin variants.</summary>
internal sealed record AuthResponse(string? ChallengeName, string? Session, IReadOnlyDictionary<string, string> ChallengeParameters, AuthenticationResultType? AuthenticationResult, IReadOnlyList<string>? AvailableChallenges = null)
{
    public static AuthResponse From(AuthOutcome o) => new(o.ChallengeName, o.Session, o.ChallengeParameters, AuthenticationResultType.From(o.Result), o.AvailableChallenges);
}
