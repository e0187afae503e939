namespace Cognate.Core.OAuth;

/// <summary>
/// An OAuth 2.0 error answer (RFC 6749 §5.2, RFC 7009 §2.2.1, RFC 6750 §3.1): the <c>error</c> code and the HTTP status.
/// Cognito sends only <c>{"error":"..."}</c> (reference §9.4), so there is no description to leak anything through.
/// </summary>
/// <param name="Error">The RFC error code, one of the constants of <see cref="OAuthErrors"/>.</param>
/// <param name="Status">HTTP status: 400, or 401 where the endpoint's guide page says so.</param>
public sealed record OAuthError(string Error, int Status = 400);

/// <summary>The OAuth 2.0 error codes Cognito's endpoints answer (reference §9.4–§9.6), once.</summary>
public static class OAuthErrors
{
    /// <summary>Missing, repeated or malformed parameter; wrong content type.</summary>
    public const string InvalidRequest = "invalid_request";
    /// <summary>Client authentication failed: unknown client, missing or wrong secret.</summary>
    public const string InvalidClient = "invalid_client";
    /// <summary>Code or refresh token unknown, expired, revoked, or issued to another client.</summary>
    public const string InvalidGrant = "invalid_grant";
    /// <summary>The client may not use this grant.</summary>
    public const string UnauthorizedClient = "unauthorized_client";
    /// <summary>A grant type the endpoint does not know.</summary>
    public const string UnsupportedGrantType = "unsupported_grant_type";
    /// <summary>A requested scope is unknown or not allowed for the client.</summary>
    public const string InvalidScope = "invalid_scope";
    /// <summary>/oauth2/revoke was given an access or ID token (RFC 7009 §2.2.1).</summary>
    public const string UnsupportedTokenType = "unsupported_token_type";
    /// <summary>userInfo: the bearer token is not valid (RFC 6750 §3.1).</summary>
    public const string InvalidToken = "invalid_token";
}

/// <summary>Either a value or an <see cref="OAuthError"/>: errors are values here, not exceptions.</summary>
/// <typeparam name="T">The success value.</typeparam>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1000", Justification = "Ok/Fail factories read best on the result type itself, as Result<T>.Ok does elsewhere.")]
public readonly record struct OAuthOutcome<T>(T? Value, OAuthError? Error)
{
    /// <summary>True when <see cref="Error"/> is null.</summary>
    public bool Succeeded => Error is null;

    /// <summary>A success.</summary>
    public static OAuthOutcome<T> Ok(T value) => new(value, null);

    /// <summary>A failure with <paramref name="error"/> (HTTP <paramref name="status"/>).</summary>
    public static OAuthOutcome<T> Fail(string error, int status = 400) => new(default, new OAuthError(error, status));

    /// <summary>Converts a failure of another type.</summary>
    public static implicit operator OAuthOutcome<T>(OAuthError error) => new(default, error);
}
