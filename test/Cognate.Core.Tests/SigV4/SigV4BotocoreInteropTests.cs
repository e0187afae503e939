using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Cognate.Client.SigV4;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.SigV4;

/// <summary>
/// Interop with a signer nobody here wrote: botocore's <c>SigV4Auth</c> signs a Cognito request in a
/// <c>python3</c> child process; our verifier must accept it and our signer must produce the same header.
/// Skipped when <c>python3</c> or botocore is not installed.
/// </summary>
public sealed class SigV4BotocoreInteropTests
{
    private const string BodyText = """{"MaxResults": 10}""";

    private const string Script = """
        import json
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials
        request = AWSRequest(
            method="POST",
            url="http://127.0.0.1:9229/",
            data=b'{"MaxResults": 10}',
            headers={
                "Content-Type": "application/x-amz-json-1.1",
                "X-Amz-Target": "AWSCognitoIdentityProviderService.ListUserPools",
            },
        )
        SigV4Auth(Credentials("AKIDCOGNATETEST", "cognate-test-secret/K7MDENG+bPxRfiCYEXAMPLEKEY"), "cognito-idp", "eu-west-1").add_auth(request)
        print(json.dumps(dict(request.headers.items())))
        """;

    private static readonly byte[] Body = Encoding.UTF8.GetBytes(BodyText);

    [Fact]
    public async Task Verify_RequestSignedByBotocore_SucceedsWithRegion()
    {
        var headers = await SignWithBotocoreAsync();
        headers["Host"] = "127.0.0.1:9229";
        var clock = new FixedTimeProvider(AmzDate(headers));

        var result = await SigV4TestSupport.Verifier(clock).VerifyAsync(
            "POST", "/", "", headers, Body, TestContext.Current.CancellationToken);

        result.Succeeded.ShouldBeTrue(result.Error?.Message);
        result.AccessKeyId.ShouldBe(SigV4TestSupport.AccessKeyId);
        result.Region.ShouldBe("eu-west-1");
    }

    [Fact]
    public async Task Verify_BotocoreRequestWithTamperedBody_ReturnsInvalidSignature()
    {
        var headers = await SignWithBotocoreAsync();
        headers["Host"] = "127.0.0.1:9229";
        var clock = new FixedTimeProvider(AmzDate(headers));

        var result = await SigV4TestSupport.Verifier(clock).VerifyAsync(
            "POST", "/", "", headers, Encoding.UTF8.GetBytes("""{"MaxResults": 11}"""), TestContext.Current.CancellationToken);

        result.Error!.Type.ShouldBe(SigV4ErrorTypes.InvalidSignature);
    }

    [Fact]
    public async Task Sign_SameRequestAndTimeAsBotocore_ProducesSameAuthorization()
    {
        var headers = await SignWithBotocoreAsync();
        var clock = new FixedTimeProvider(AmzDate(headers));
        var request = SigV4TestSupport.CognitoRequest("ListUserPools", Body);

        new SigV4Signer(SigV4TestSupport.Credentials, "eu-west-1", "cognito-idp", clock).Sign(request, Body);

        request.Headers.GetValues("Authorization").Single().ShouldBe(headers["Authorization"]);
    }

    [Fact]
    public async Task Verify_RecordedBotocoreVectorWithDotSegmentsQueryAndSpaces_Succeeds()
    {
        // Recorded from botocore 1.43 with its clock pinned to 20150830T123600Z: POST
        // https://example.amazonaws.com/a/./b/../c%20d//e/?b=2&a=x%2Fy&a=1&sp=a%20b&empty, body {"k":"v"},
        // X-Amz-Target "  Svc.Op   with   spaces ". botocore's canonical path is /a/c%2520d/e/, query
        // a=1&a=x%2Fy&b=2&empty=&sp=a%20b, header value "Svc.Op with spaces".
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Host"] = "example.amazonaws.com",
            ["Content-Type"] = "application/x-amz-json-1.1",
            ["X-Amz-Target"] = "  Svc.Op   with   spaces ",
            ["X-Amz-Date"] = "20150830T123600Z",
            ["Authorization"] =
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-1/cognito-idp/aws4_request, " +
                "SignedHeaders=content-type;host;x-amz-date;x-amz-target, " +
                "Signature=97e68a82404f57c7aadcfc9a26fe2458e0312eaf0c06acf5a727b4e2c1c64b8e",
        };
        var verifier = new SigV4Verifier(
            id => id == "AKIDEXAMPLE" ? new AwsCredentials(id, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY") : null,
            new FixedTimeProvider(new DateTimeOffset(2015, 8, 30, 12, 40, 0, TimeSpan.Zero)));

        var result = await verifier.VerifyAsync(
            "POST", "/a/./b/../c%20d//e/", "?b=2&a=x%2Fy&a=1&sp=a%20b&empty", headers,
            Encoding.UTF8.GetBytes("""{"k":"v"}"""), TestContext.Current.CancellationToken);

        result.Succeeded.ShouldBeTrue(result.Error?.Message);
        result.Region.ShouldBe("eu-west-1");
    }

    private static DateTimeOffset AmzDate(Dictionary<string, string> headers)
    {
        SigV4Primitives.TryParseAmzDate(headers["X-Amz-Date"], out var instant).ShouldBeTrue();
        return instant;
    }

    private static async Task<Dictionary<string, string>> SignWithBotocoreAsync()
    {
        var start = new ProcessStartInfo("python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script);

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start.");
        }
        catch (Win32Exception)
        {
            Assert.Skip("python3 is not installed.");
            throw;
        }

        using (process)
        {
            var cancellationToken = TestContext.Current.CancellationToken;
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            var error = await stderr;
            if (process.ExitCode != 0 && error.Contains("No module named 'botocore'", StringComparison.Ordinal))
            {
                Assert.Skip("botocore is not installed for python3.");
            }

            process.ExitCode.ShouldBe(0, error);
            var headers = JsonSerializer.Deserialize<Dictionary<string, string>>(await stdout);
            headers.ShouldNotBeNull();
            return new Dictionary<string, string>(headers, StringComparer.OrdinalIgnoreCase);
        }
    }
}
