using System.Net.Http.Headers;
using System.Text;
using Cognate.Client.SigV4;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.SigV4;

/// <summary>
/// AWS's published example (IAM User Guide, "Create a signed AWS API request" / the SigV4 examples):
/// <c>GET https://iam.amazonaws.com/?Action=ListUsers&amp;Version=2010-05-08</c> at 20150830T123600Z,
/// us-east-1, service iam, key AKIDEXAMPLE.
/// </summary>
public sealed class SigV4PrimitivesTests
{
    private const string SecretExample = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private const string ContentTypeExample = "application/x-www-form-urlencoded; charset=utf-8";
    private const string ExpectedSignature = "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";

    private const string ExpectedCanonicalRequest =
        "GET\n" +
        "/\n" +
        "Action=ListUsers&Version=2010-05-08\n" +
        "content-type:application/x-www-form-urlencoded; charset=utf-8\n" +
        "host:iam.amazonaws.com\n" +
        "x-amz-date:20150830T123600Z\n" +
        "\n" +
        "content-type;host;x-amz-date\n" +
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private const string ExpectedStringToSign =
        "AWS4-HMAC-SHA256\n" +
        "20150830T123600Z\n" +
        "20150830/us-east-1/iam/aws4_request\n" +
        "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59";

    private static readonly DateTimeOffset ExampleTime = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);

    [Fact]
    public void CanonicalRequest_AwsIamExample_MatchesPublishedText()
    {
        var canonical = SigV4Primitives.CanonicalRequest(
            "GET",
            SigV4Primitives.CanonicalizePath("/"),
            SigV4Primitives.CanonicalQueryString("?Action=ListUsers&Version=2010-05-08"),
            [
                new("Host", "iam.amazonaws.com"),
                new("Content-Type", ContentTypeExample),
                new("X-Amz-Date", "20150830T123600Z"),
            ],
            SigV4Primitives.HashPayload([]));

        canonical.ShouldBe(ExpectedCanonicalRequest);
    }

    [Fact]
    public void StringToSign_AwsIamExample_MatchesPublishedText()
    {
        var scope = SigV4Primitives.CredentialScope("20150830", "us-east-1", "iam");

        SigV4Primitives.StringToSign("20150830T123600Z", scope, ExpectedCanonicalRequest).ShouldBe(ExpectedStringToSign);
    }

    [Fact]
    public void DeriveSigningKey_AwsIamExample_MatchesPublishedKey()
    {
        var key = SigV4Primitives.DeriveSigningKey(SecretExample, "20150830", "us-east-1", "iam");

        Convert.ToHexStringLower(key).ShouldBe("c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
    }

    [Fact]
    public void ComputeSignature_AwsIamExample_MatchesPublishedSignature()
    {
        var key = SigV4Primitives.DeriveSigningKey(SecretExample, "20150830", "us-east-1", "iam");

        SigV4Primitives.ComputeSignature(key, ExpectedStringToSign).ShouldBe(ExpectedSignature);
    }

    [Fact]
    public void Sign_AwsIamExample_ProducesPublishedAuthorizationHeader()
    {
        var request = ExampleRequest();
        var signer = new SigV4Signer(new AwsCredentials("AKIDEXAMPLE", SecretExample), "us-east-1", "iam", new FixedTimeProvider(ExampleTime));

        signer.Sign(request, []);

        request.Headers.GetValues("X-Amz-Date").ShouldBe(["20150830T123600Z"]);
        request.Headers.GetValues("Authorization").Single().ShouldBe(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, " +
            "SignedHeaders=content-type;host;x-amz-date, Signature=" + ExpectedSignature);
    }

    [Fact]
    public async Task Verify_AwsIamExample_Succeeds()
    {
        var request = ExampleRequest();
        var clock = new FixedTimeProvider(ExampleTime);
        new SigV4Signer(new AwsCredentials("AKIDEXAMPLE", SecretExample), "us-east-1", "iam", clock).Sign(request, []);
        var verifier = new SigV4Verifier(id => id == "AKIDEXAMPLE" ? new AwsCredentials(id, SecretExample) : null, clock, "iam");

        var result = await SigV4TestSupport.VerifyAsync(verifier, request, []);

        result.Succeeded.ShouldBeTrue(result.Error?.Message);
        result.AccessKeyId.ShouldBe("AKIDEXAMPLE");
        result.Region.ShouldBe("us-east-1");
    }

    [Theory]
    [InlineData("", "/")]
    [InlineData("/", "/")]
    [InlineData("/a/./b/../c%20d//e/", "/a/c%2520d/e/")]
    [InlineData("/a/b/..", "/a")]
    [InlineData("/../..", "/")]
    [InlineData("/~user/ü", "/~user/%C3%BC")]
    public void CanonicalizePath_NonS3Rules_MatchesBotocore(string rawPath, string expected) =>
        SigV4Primitives.CanonicalizePath(rawPath).ShouldBe(expected);

    [Theory]
    [InlineData(null, "")]
    [InlineData("?", "")]
    [InlineData("?b=2&a=x%2Fy&a=1&sp=a%20b&empty", "a=1&a=x%2Fy&b=2&empty=&sp=a%20b")]
    [InlineData("x=a/b~c*", "x=a%2Fb~c%2A")]
    public void CanonicalQueryString_SortsAndReencodesRfc3986(string? rawQuery, string expected) =>
        SigV4Primitives.CanonicalQueryString(rawQuery).ShouldBe(expected);

    [Theory]
    [InlineData("  Svc.Op   with   spaces ", "Svc.Op with spaces")]
    [InlineData("a\t \tb", "a b")]
    [InlineData("plain", "plain")]
    public void CanonicalHeaderValue_TrimsAndCollapsesSpaces(string value, string expected) =>
        SigV4Primitives.CanonicalHeaderValue(value).ShouldBe(expected);

    [Fact]
    public void AwsCredentials_ToString_RedactsSecretAndToken()
    {
        var text = new AwsCredentials("AKIDEXAMPLE", SecretExample, "session-token-value").ToString();

        text.ShouldContain("AKIDEXAMPLE");
        text.ShouldNotContain(SecretExample);
        text.ShouldNotContain("session-token-value");
    }

    private static HttpRequestMessage ExampleRequest()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri("https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08"))
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(string.Empty)),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentTypeExample);
        return request;
    }
}
