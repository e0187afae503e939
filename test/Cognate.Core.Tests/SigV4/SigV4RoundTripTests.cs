using System.Text;
using Cognate.Client.SigV4;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.SigV4;

/// <summary>Our signer against our verifier: a valid request passes, every tampering fails with AWS's error.</summary>
public sealed class SigV4RoundTripTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"MaxResults": 10}""");

    private readonly FixedTimeProvider _clock = new(SigV4TestSupport.SigningTime);

    [Fact]
    public async Task Verify_SignedBySigner_SucceedsWithKeyAndRegion()
    {
        var request = Signed("ListUserPools", Body, region: "eu-central-1");

        var result = await SigV4TestSupport.VerifyAsync(SigV4TestSupport.Verifier(_clock), request, Body);

        result.Succeeded.ShouldBeTrue(result.Error?.Message);
        result.AccessKeyId.ShouldBe(SigV4TestSupport.AccessKeyId);
        result.Region.ShouldBe("eu-central-1");
    }

    [Fact]
    public void Sign_CognitoRequest_SignsTheExpectedHeaders()
    {
        var request = Signed("ListUserPools", Body);

        request.Headers.GetValues("X-Amz-Date").Single().ShouldBe("20260314T092653Z");
        var authorization = request.Headers.GetValues("Authorization").Single();
        authorization.ShouldStartWith(
            $"AWS4-HMAC-SHA256 Credential={SigV4TestSupport.AccessKeyId}/20260314/eu-west-1/cognito-idp/aws4_request, " +
            "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=");
        authorization.ShouldNotContain(SigV4TestSupport.Secret);
    }

    [Fact]
    public async Task Verify_WithSessionToken_SignsTokenAndChecksIt()
    {
        var credentials = new AwsCredentials("ASIATEMP", "temp-secret", "the-session-token");
        var request = SigV4TestSupport.CognitoRequest("AdminGetUser", Body);
        new SigV4Signer(credentials, "eu-west-1", "cognito-idp", _clock).Sign(request, Body);
        var verifier = new SigV4Verifier(id => id == "ASIATEMP" ? credentials : null, _clock);

        request.Headers.GetValues("Authorization").Single().ShouldContain("x-amz-security-token");
        (await SigV4TestSupport.VerifyAsync(verifier, request, Body)).Succeeded.ShouldBeTrue();

        var wrongToken = SigV4TestSupport.WireHeaders(request);
        wrongToken["X-Amz-Security-Token"] = "another-token";
        var result = await SigV4TestSupport.VerifyAsync(verifier, request, Body, wrongToken);
        result.Error!.Type.ShouldBe(SigV4ErrorTypes.UnrecognizedClient);
    }

    [Fact]
    public async Task Verify_TamperedBody_ReturnsInvalidSignature()
    {
        var request = Signed("ListUserPools", Body);

        var result = await SigV4TestSupport.VerifyAsync(
            SigV4TestSupport.Verifier(_clock), request, Encoding.UTF8.GetBytes("""{"MaxResults": 60}"""));

        ShouldFail(result, SigV4ErrorTypes.InvalidSignature, 403, SigV4Error.SignatureMismatchMessage);
    }

    [Fact]
    public async Task Verify_TamperedTarget_ReturnsInvalidSignature()
    {
        var request = Signed("ListUserPools", Body);
        var headers = SigV4TestSupport.WireHeaders(request);
        headers["X-Amz-Target"] = "AWSCognitoIdentityProviderService.DeleteUserPool";

        var result = await SigV4TestSupport.VerifyAsync(SigV4TestSupport.Verifier(_clock), request, Body, headers);

        ShouldFail(result, SigV4ErrorTypes.InvalidSignature, 403, SigV4Error.SignatureMismatchMessage);
    }

    [Fact]
    public async Task Verify_WrongSecret_ReturnsInvalidSignatureWithoutLeakingAnything()
    {
        var request = SigV4TestSupport.CognitoRequest("ListUserPools", Body);
        new SigV4Signer(new AwsCredentials(SigV4TestSupport.AccessKeyId, "not-the-secret"), "eu-west-1", "cognito-idp", _clock)
            .Sign(request, Body);

        var result = await SigV4TestSupport.VerifyAsync(SigV4TestSupport.Verifier(_clock), request, Body);

        ShouldFail(result, SigV4ErrorTypes.InvalidSignature, 403, SigV4Error.SignatureMismatchMessage);
        result.ToString().ShouldNotContain(SigV4TestSupport.Secret);
        result.ToString().ShouldNotContain("AWSCognitoIdentityProviderService");
    }

    [Fact]
    public async Task Verify_UnknownAccessKey_ReturnsUnrecognizedClient()
    {
        var request = SigV4TestSupport.CognitoRequest("ListUserPools", Body);
        new SigV4Signer(new AwsCredentials("AKIDUNKNOWN", SigV4TestSupport.Secret), "eu-west-1", "cognito-idp", _clock)
            .Sign(request, Body);

        var result = await SigV4TestSupport.VerifyAsync(SigV4TestSupport.Verifier(_clock), request, Body);

        ShouldFail(result, SigV4ErrorTypes.UnrecognizedClient, 403, "The security token included in the request is invalid.");
    }

    [Fact]
    public async Task Verify_SignedSixteenMinutesAgo_ReturnsSignatureExpired()
    {
        var request = Signed("ListUserPools", Body);
        _clock.Now = SigV4TestSupport.SigningTime.AddMinutes(16);

        var result = await SigV4TestSupport.VerifyAsync(SigV4TestSupport.Verifier(_clock), request, Body);

        ShouldFail(result, SigV4ErrorTypes.InvalidSignature, 403,
            "Signature expired: 20260314T092653Z is now earlier than 20260314T092753Z (20260314T094253Z - 15 min.)");
    }

    [Fact]
    public async Task Verify_SignedSixteenMinutesAhead_ReturnsSignatureNotYetCurrent()
    {
        var request = Signed("ListUserPools", Body);
        _clock.Now = SigV4TestSupport.SigningTime.AddMinutes(-16);

        var result = await SigV4TestSupport.VerifyAsync(SigV4TestSupport.Verifier(_clock), request, Body);

        ShouldFail(result, SigV4ErrorTypes.InvalidSignature, 403,
            "Signature not yet current: 20260314T092653Z is still later than 20260314T092553Z (20260314T091053Z + 15 min.)");
    }

    [Fact]
    public async Task Verify_FourteenMinutesSkew_Succeeds()
    {
        var request = Signed("ListUserPools", Body);
        _clock.Now = SigV4TestSupport.SigningTime.AddMinutes(14);

        (await SigV4TestSupport.VerifyAsync(SigV4TestSupport.Verifier(_clock), request, Body)).Succeeded.ShouldBeTrue();
    }

    [Fact]
    public async Task Verify_WrongService_ReturnsInvalidSignature()
    {
        var request = Signed("ListUserPools", Body, service: "cognito-identity");

        var result = await SigV4TestSupport.VerifyAsync(SigV4TestSupport.Verifier(_clock), request, Body);

        ShouldFail(result, SigV4ErrorTypes.InvalidSignature, 403, "Credential should be scoped to correct service: 'cognito-idp'.");
    }

    [Fact]
    public async Task Verify_NoAuthorizationHeader_ReturnsMissingAuthenticationToken()
    {
        var request = SigV4TestSupport.CognitoRequest("ListUserPools", Body);

        var result = await SigV4TestSupport.VerifyAsync(SigV4TestSupport.Verifier(_clock), request, Body);

        ShouldFail(result, SigV4ErrorTypes.MissingAuthenticationToken, 403, "Missing Authentication Token");
    }

    [Fact]
    public async Task Verify_BearerAuthorization_ReturnsIncompleteSignatureListingMissingParts()
    {
        var request = SigV4TestSupport.CognitoRequest("ListUserPools", Body);
        var headers = SigV4TestSupport.WireHeaders(request);
        headers["Authorization"] = "Bearer eyJhbGciOiJSUzI1NiJ9.secret-token";

        var result = await SigV4TestSupport.VerifyAsync(SigV4TestSupport.Verifier(_clock), request, Body, headers);

        ShouldFail(result, SigV4ErrorTypes.IncompleteSignature, 400,
            "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
            "Authorization header requires 'SignedHeaders' parameter. " +
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
    }

    [Fact]
    public async Task Verify_PairWithoutEqualSign_ReturnsIncompleteSignatureWithoutEcho()
    {
        var request = Signed("ListUserPools", Body);
        var headers = SigV4TestSupport.WireHeaders(request);
        headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=a/b/c/d/e, secret-looking-thing";

        var result = await SigV4TestSupport.VerifyAsync(SigV4TestSupport.Verifier(_clock), request, Body, headers);

        result.Error!.Type.ShouldBe(SigV4ErrorTypes.IncompleteSignature);
        result.Error.Message.ShouldNotContain("secret-looking-thing");
    }

    [Fact]
    public async Task Verify_CredentialWithFourParts_ReturnsIncompleteSignature()
    {
        var request = Signed("ListUserPools", Body);
        var headers = SigV4TestSupport.WireHeaders(request);
        headers["Authorization"] = headers["Authorization"].Replace("/cognito-idp/aws4_request", "/cognito-idp", StringComparison.Ordinal);

        var result = await SigV4TestSupport.VerifyAsync(SigV4TestSupport.Verifier(_clock), request, Body, headers);

        result.Error!.Type.ShouldBe(SigV4ErrorTypes.IncompleteSignature);
        result.Error.Message.ShouldStartWith("Credential must have exactly 5 slash-delimited elements");
    }

    [Fact]
    public async Task Verify_HostNotSigned_ReturnsIncompleteSignature()
    {
        var request = Signed("ListUserPools", Body);
        var headers = SigV4TestSupport.WireHeaders(request);
        headers["Authorization"] = headers["Authorization"].Replace("content-type;host;", "content-type;", StringComparison.Ordinal);

        var result = await SigV4TestSupport.VerifyAsync(SigV4TestSupport.Verifier(_clock), request, Body, headers);

        ShouldFail(result, SigV4ErrorTypes.IncompleteSignature, 400,
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
    }

    [Fact]
    public async Task Verify_ScopeDateDiffersFromRequestDate_ReturnsInvalidSignature()
    {
        var request = Signed("ListUserPools", Body);
        var headers = SigV4TestSupport.WireHeaders(request);
        headers["Authorization"] = headers["Authorization"].Replace("/20260314/", "/20260313/", StringComparison.Ordinal);

        var result = await SigV4TestSupport.VerifyAsync(SigV4TestSupport.Verifier(_clock), request, Body, headers);

        ShouldFail(result, SigV4ErrorTypes.InvalidSignature, 403,
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20260313' != '20260314', from '20260314T092653Z'.");
    }

    [Fact]
    public async Task Verify_ContentSha256HeaderMismatch_ReturnsInvalidSignature()
    {
        var request = Signed("ListUserPools", Body);
        var headers = SigV4TestSupport.WireHeaders(request);
        headers["X-Amz-Content-Sha256"] = SigV4Primitives.HashPayload("{}"u8);

        var result = await SigV4TestSupport.VerifyAsync(SigV4TestSupport.Verifier(_clock), request, Body, headers);

        result.Error!.Type.ShouldBe(SigV4ErrorTypes.InvalidSignature);
    }

    [Fact]
    public async Task Verify_SignedContentSha256Header_Succeeds()
    {
        var request = SigV4TestSupport.CognitoRequest("ListUserPools", Body);
        request.Headers.TryAddWithoutValidation("X-Amz-Content-Sha256", SigV4Primitives.HashPayload(Body));
        new SigV4Signer(SigV4TestSupport.Credentials, "eu-west-1", "cognito-idp", _clock).Sign(request, Body);

        var result = await SigV4TestSupport.VerifyAsync(SigV4TestSupport.Verifier(_clock), request, Body);

        result.Succeeded.ShouldBeTrue(result.Error?.Message);
        request.Headers.GetValues("Authorization").Single().ShouldContain("x-amz-content-sha256");
    }

    [Fact]
    public async Task Verify_DateHeaderInsteadOfAmzDate_Succeeds()
    {
        // Hand-rolled client: signs with the RFC 1123 Date header; the string to sign still uses ISO basic time.
        var body = Body;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Host"] = "127.0.0.1:9229",
            ["Date"] = SigV4TestSupport.SigningTime.ToString("r", System.Globalization.CultureInfo.InvariantCulture),
            ["Content-Type"] = SigV4TestSupport.JsonContentType,
        };
        var canonical = SigV4Primitives.CanonicalRequest("POST", "/", "", headers, SigV4Primitives.HashPayload(body));
        var scope = SigV4Primitives.CredentialScope("20260314", "ap-south-1", "cognito-idp");
        var signature = SigV4Primitives.ComputeSignature(
            SigV4Primitives.DeriveSigningKey(SigV4TestSupport.Secret, "20260314", "ap-south-1", "cognito-idp"),
            SigV4Primitives.StringToSign("20260314T092653Z", scope, canonical));
        headers["Authorization"] = SigV4Primitives.AuthorizationHeader(
            SigV4TestSupport.AccessKeyId, scope, SigV4Primitives.SignedHeaders(["host", "date", "content-type"]), signature);

        var result = await SigV4TestSupport.Verifier(_clock).VerifyAsync("POST", "/", null, headers, body, TestContext.Current.CancellationToken);

        result.Succeeded.ShouldBeTrue(result.Error?.Message);
        result.Region.ShouldBe("ap-south-1");
    }

    [Fact]
    public async Task SignAsync_ReadsBodyFromContent_VerifiesLikeSign()
    {
        var request = SigV4TestSupport.CognitoRequest("AdminCreateUser", Body);
        await new SigV4Signer(SigV4TestSupport.Credentials, "eu-west-1", "cognito-idp", _clock)
            .SignAsync(request, TestContext.Current.CancellationToken);

        (await SigV4TestSupport.VerifyAsync(SigV4TestSupport.Verifier(_clock), request, Body)).Succeeded.ShouldBeTrue();
    }

    [Fact]
    public void Sign_Twice_ReplacesPreviousSignatureHeaders()
    {
        var request = Signed("ListUserPools", Body);
        _clock.Now = SigV4TestSupport.SigningTime.AddSeconds(30);

        new SigV4Signer(SigV4TestSupport.Credentials, "eu-west-1", "cognito-idp", _clock).Sign(request, Body);

        request.Headers.GetValues("Authorization").Count().ShouldBe(1);
        request.Headers.GetValues("X-Amz-Date").Single().ShouldBe("20260314T092723Z");
    }

    private HttpRequestMessage Signed(string target, byte[] body, string region = "eu-west-1", string service = "cognito-idp")
    {
        var request = SigV4TestSupport.CognitoRequest(target, body);
        new SigV4Signer(SigV4TestSupport.Credentials, region, service, _clock).Sign(request, body);
        return request;
    }

    private static void ShouldFail(SigV4VerificationResult result, string type, int status, string message)
    {
        result.Succeeded.ShouldBeFalse();
        result.AccessKeyId.ShouldBeNull();
        result.Error.ShouldNotBeNull();
        result.Error.Type.ShouldBe(type);
        result.Error.StatusCode.ShouldBe(status);
        result.Error.Message.ShouldBe(message);
    }
}
