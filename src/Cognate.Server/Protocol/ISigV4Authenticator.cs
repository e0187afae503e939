using Cognate.Core.Errors;

namespace Cognate.Server.Protocol;

/// <summary>Result of checking a request's SigV4 signature: either <see cref="Error"/> or the credential scope's region.</summary>
internal sealed record SigV4Result(CognitoError? Error, string? Region, string? AccessKeyId);

/// <summary>Verifies AWS Signature Version 4 on a request (service <c>cognito-idp</c>).</summary>
internal interface ISigV4Authenticator
{
    /// <summary>Checks the Authorization header of <paramref name="request"/> over <paramref name="body"/>.</summary>
    SigV4Result Authenticate(HttpRequest request, byte[] body);
}
