using System.Net.Http.Headers;
using Cognate.Client.SigV4;
using Xunit;

namespace Cognate.Core.Tests.SigV4;

/// <summary>A clock stopped at a given instant.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>Builds and signs requests like the Cognate client does, and turns them into verifier input.</summary>
internal static class SigV4TestSupport
{
    public const string AccessKeyId = "AKIDCOGNATETEST";
    public const string Secret = "cognate-test-secret/K7MDENG+bPxRfiCYEXAMPLEKEY";
    public const string JsonContentType = "application/x-amz-json-1.1";

    public static readonly DateTimeOffset SigningTime = new(2026, 3, 14, 9, 26, 53, TimeSpan.Zero);

    public static AwsCredentials Credentials { get; } = new(AccessKeyId, Secret);

    public static HttpRequestMessage CognitoRequest(string target, byte[] body, string url = "http://127.0.0.1:9229/")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(url))
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(JsonContentType);
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "AWSCognitoIdentityProviderService." + target);
        return request;
    }

    /// <summary>The headers as the server would see them: case-insensitive, repeated values joined with ",".</summary>
    public static Dictionary<string, string> WireHeaders(HttpRequestMessage request)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
        {
            headers[name] = string.Join(',', values);
        }

        if (request.Content is not null)
        {
            foreach (var (name, values) in request.Content.Headers)
            {
                headers[name] = string.Join(',', values);
            }
        }

        headers.TryAdd("Host", request.RequestUri!.Authority);
        return headers;
    }

    public static SigV4Verifier Verifier(TimeProvider clock, string service = SigV4Verifier.CognitoIdpService) =>
        new(id => id == AccessKeyId ? Credentials : null, clock, service);

    public static ValueTask<SigV4VerificationResult> VerifyAsync(
        SigV4Verifier verifier, HttpRequestMessage request, byte[] body, IDictionary<string, string>? headers = null)
    {
        var wire = headers is null ? WireHeaders(request) : new Dictionary<string, string>(headers, StringComparer.OrdinalIgnoreCase);
        return verifier.VerifyAsync(
            request.Method.Method, request.RequestUri!.AbsolutePath, request.RequestUri.Query, wire, body, TestContext.Current.CancellationToken);
    }
}
