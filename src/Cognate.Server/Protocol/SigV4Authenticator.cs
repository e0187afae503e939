using Cognate.Client.SigV4;
using Cognate.Core.Errors;
using Cognate.Server.Options;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Cognate.Server.Protocol;

/// <summary>
/// Verifies SigV4 (service <c>cognito-idp</c>, or <c>logs</c> for the CloudWatch Logs subset) against the one configured admin key pair
/// (<c>Cognate:Admin</c>). With no admin credentials configured (possible only outside Production)
/// every signed call is refused with <c>UnrecognizedClientException</c>. <c>X-Amz-Target</c> and <c>Content-Type</c>
/// must be signed when sent (<see cref="SigV4Verifier.JsonProtocolHeaders"/>): otherwise a captured signed call could be
/// replayed as another action.
/// </summary>
internal sealed class SigV4Authenticator : ISigV4Authenticator
{
    readonly SigV4Verifier verifier;

    public SigV4Authenticator(IOptions<CognateOptions> options, TimeProvider time) : this(options, time, SigV4Verifier.CognitoIdpService)
    {
    }

    /// <summary>A verifier for another signing name of the same admin key pair (<c>logs</c> for <see cref="CloudWatchLogs.LogsApi"/>).</summary>
    public SigV4Authenticator(IOptions<CognateOptions> options, TimeProvider time, string service)
    {
        var admin = options.Value.Admin;
        AwsCredentials? credentials = string.IsNullOrEmpty(admin.AccessKeyId) || string.IsNullOrEmpty(admin.SecretAccessKey)
            ? null : new AwsCredentials(admin.AccessKeyId, admin.SecretAccessKey);
        verifier = new SigV4Verifier(keyId => credentials is not null && string.Equals(keyId, credentials.AccessKeyId, StringComparison.Ordinal) ? credentials : null, time,
            service, SigV4Verifier.JsonProtocolHeaders);
    }

    public SigV4Result Authenticate(HttpRequest request, byte[] body)
    {
        var rawTarget = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path.Value ?? "/";
        int q = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var rawPath = q >= 0 ? rawTarget[..q] : rawTarget;
        // The verifier's synchronous lookup completes synchronously: no I/O happens inside.
        var result = verifier.VerifyAsync(request.Method, rawPath, request.QueryString.Value,
            name => request.Headers.TryGetValue(name, out var v) ? v.ToString() : null, body).AsTask().GetAwaiter().GetResult();
        if (result.Succeeded) return new SigV4Result(null, result.Region, result.AccessKeyId);
        var e = result.Error!;
        return new SigV4Result(new CognitoError(e.Type, e.Message, e.StatusCode), null, null);
    }
}
