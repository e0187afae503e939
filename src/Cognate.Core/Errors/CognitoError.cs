namespace Cognate.Core.Errors;

/// <summary>
/// A Cognito API error as it travels on the wire: the short AWS error code (the JSON body's
/// <c>__type</c> and the <c>x-amzn-ErrorType</c> header), the human message, and the HTTP status.
/// Source: Cognito API reference, "Common Errors" and each action's "Errors" section.
/// </summary>
/// <param name="Type">Short error code, e.g. <c>NotAuthorizedException</c>.</param>
/// <param name="Message">Message safe to show to the caller: never contains secrets, codes or tokens.</param>
/// <param name="StatusCode">HTTP status: 400 for client errors, 403 for some signature errors, 500 for <c>InternalErrorException</c>.</param>
public sealed record CognitoError(string Type, string Message, int StatusCode = 400)
{
    /// <summary>Throws this error as a <see cref="CognitoException"/>.</summary>
    /// <exception cref="CognitoException">Always.</exception>
    public CognitoException ToException() => new(this);
}

/// <summary>
/// Carries a <see cref="CognitoError"/> out of deep validation code to the protocol layer, which
/// writes it as <c>{"__type","message"}</c>. Thrown only for expected, caller-caused failures.
/// </summary>
public sealed class CognitoException : Exception
{
    /// <summary>Creates the exception for <paramref name="error"/>.</summary>
    public CognitoException(CognitoError error) : base(error.Type + ": " + error.Message) => Error = error;

    /// <summary>The wire error.</summary>
    public CognitoError Error { get; }
}
