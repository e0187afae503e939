namespace Cognate.Client;

/// <summary>
/// An error answered by the Cognito API (or Cognate): <see cref="ErrorType"/> is the short AWS error
/// code (<c>__type</c> / <c>x-amzn-ErrorType</c>, e.g. <c>NotAuthorizedException</c>),
/// <see cref="Exception.Message"/> the service's message, <see cref="StatusCode"/> the HTTP status.
/// </summary>
public sealed class CognitoServiceException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CognitoServiceException(string errorType, string message, int statusCode, string? requestId)
        : base(message)
    {
        ErrorType = errorType;
        StatusCode = statusCode;
        RequestId = requestId;
    }

    /// <summary>Short error code, e.g. <c>UsernameExistsException</c>.</summary>
    public string ErrorType { get; }
    /// <summary>HTTP status code.</summary>
    public int StatusCode { get; }
    /// <summary>The <c>x-amzn-RequestId</c> of the failed call.</summary>
    public string? RequestId { get; }

    /// <inheritdoc />
    public override string ToString() => $"{ErrorType} ({StatusCode}): {Message}";
}
