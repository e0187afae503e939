using Cognate.Core.OAuth;

namespace Cognate.Server.OAuth.Results;

/// <summary>What an OAuth endpoint answers, before <see cref="OAuthResultWriter"/> turns it into HTTP (tests assert on these).</summary>
internal abstract record OAuthResult;

/// <summary>200 with the token JSON (RFC 6749 §5.1), <c>Cache-Control: no-store</c>.</summary>
internal sealed record TokenSuccessResult(TokenResponse Tokens) : OAuthResult;

/// <summary>An error JSON <c>{"error":"..."}</c> (RFC 6749 §5.2) with its status, <c>Cache-Control: no-store</c>.</summary>
internal sealed record TokenErrorResult(OAuthError Error) : OAuthResult;

/// <summary>200 with an empty body (RFC 7009 §2.2).</summary>
internal sealed record RevokeSuccessResult : OAuthResult
{
    public static readonly RevokeSuccessResult Instance = new();
}

/// <summary>200 with the userInfo claims (OpenID Connect Core §5.3.2).</summary>
internal sealed record UserInfoResult(IReadOnlyList<KeyValuePair<string, string>> Claims) : OAuthResult;

/// <summary>A userInfo error: status and the <c>WWW-Authenticate</c> challenge of RFC 6750 §3 with Cognito's descriptions.</summary>
internal sealed record BearerErrorResult(int Status, string Error, string Description) : OAuthResult
{
    /// <summary>400: no or malformed bearer token.</summary>
    public static readonly BearerErrorResult InvalidRequest = new(400, OAuthErrors.InvalidRequest, "Bad OAuth2 request at UserInfo Endpoint");
    /// <summary>401: token not valid for userInfo.</summary>
    public static readonly BearerErrorResult InvalidToken = new(401, OAuthErrors.InvalidToken, "Access token is expired, disabled, or deleted, or the user has globally signed out.");
}
