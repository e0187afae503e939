namespace Cognate.Client.SigV4;

/// <summary>
/// A SigV4 verification failure as AWS front ends report it: the AWS JSON <c>__type</c>, the <c>message</c>
/// and the HTTP status. Messages never contain a secret, the expected signature or the canonical request.
/// The server writes it as <c>{"__type": Type, "message": Message}</c> with status <see cref="StatusCode"/>.
/// </summary>
/// <param name="Type">The AWS error code, one of the <see cref="SigV4ErrorTypes"/> constants.</param>
/// <param name="Message">The human-readable message, worded as AWS words it.</param>
/// <param name="StatusCode">The HTTP status: 403, or 400 for <see cref="SigV4ErrorTypes.IncompleteSignature"/>.</param>
public sealed record SigV4Error(string Type, string Message, int StatusCode)
{
    /// <summary>The message AWS sends with <see cref="SigV4ErrorTypes.InvalidSignature"/> for a signature mismatch.</summary>
    public const string SignatureMismatchMessage =
        "The request signature we calculated does not match the signature you provided. " +
        "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

    /// <summary>No <c>Authorization</c> header: 403 <c>MissingAuthenticationTokenException</c>, "Missing Authentication Token".</summary>
    /// <returns>The error.</returns>
    public static SigV4Error MissingAuthenticationToken() =>
        new(SigV4ErrorTypes.MissingAuthenticationToken, "Missing Authentication Token", 403);

    /// <summary>A malformed <c>Authorization</c> header or missing date: 400 <c>IncompleteSignatureException</c>.</summary>
    /// <param name="message">The AWS-style message, e.g. "Authorization header requires 'Credential' parameter."</param>
    /// <returns>The error.</returns>
    public static SigV4Error IncompleteSignature(string message) =>
        new(SigV4ErrorTypes.IncompleteSignature, message, 400);

    /// <summary>Unknown access key id or wrong session token: 403 <c>UnrecognizedClientException</c>.</summary>
    /// <returns>The error, "The security token included in the request is invalid."</returns>
    public static SigV4Error UnrecognizedClient() =>
        new(SigV4ErrorTypes.UnrecognizedClient, "The security token included in the request is invalid.", 403);

    /// <summary>Wrong signature, scope or clock skew: 403 <c>InvalidSignatureException</c>.</summary>
    /// <param name="message">The message; defaults to <see cref="SignatureMismatchMessage"/>.</param>
    /// <returns>The error.</returns>
    public static SigV4Error InvalidSignature(string message = SignatureMismatchMessage) =>
        new(SigV4ErrorTypes.InvalidSignature, message, 403);
}

/// <summary>The AWS <c>__type</c> codes a SigV4 verification can fail with (generic AWS JSON front-end errors).</summary>
public static class SigV4ErrorTypes
{
    /// <summary><c>MissingAuthenticationTokenException</c>: the request is not signed.</summary>
    public const string MissingAuthenticationToken = "MissingAuthenticationTokenException";

    /// <summary><c>IncompleteSignatureException</c>: the signature parameters or date are missing or malformed.</summary>
    public const string IncompleteSignature = "IncompleteSignatureException";

    /// <summary><c>UnrecognizedClientException</c>: the access key id (or session token) is not known.</summary>
    public const string UnrecognizedClient = "UnrecognizedClientException";

    /// <summary><c>InvalidSignatureException</c>: the signature, its scope or its time is wrong.</summary>
    public const string InvalidSignature = "InvalidSignatureException";
}
