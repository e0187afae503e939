using System.Text;
using Cognate.Client.SigV4;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.SigV4;

/// <summary>
/// Issue 12: a signature that does not cover <c>X-Amz-Target</c> or <c>Content-Type</c> is refused when the verifier is
/// told to require them (<see cref="SigV4Verifier.JsonProtocolHeaders"/>, as the server's is), so a captured signed call
/// cannot be replayed under another action.
/// </summary>
public sealed class SigV4RequiredHeadersTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"UserPoolId":"us-east-1_AbCdEfGhI"}""");

    private readonly FixedTimeProvider _clock = new(SigV4TestSupport.SigningTime);

    private SigV4Verifier JsonVerifier() =>
        new(id => id == SigV4TestSupport.AccessKeyId ? SigV4TestSupport.Credentials : null, _clock, headersToSign: SigV4Verifier.JsonProtocolHeaders);

    private void Sign(HttpRequestMessage request) =>
        new SigV4Signer(SigV4TestSupport.Credentials, "eu-west-1", "cognito-idp", _clock).Sign(request, Body);

    [Fact]
    public async Task Verify_TargetNotSigned_ReturnsIncompleteSignature()
    {
        // Signed as DescribeUserPool without the target, then sent as ListUserPoolClients.
        var request = SigV4TestSupport.CognitoRequest("DescribeUserPool", Body);
        request.Headers.Remove("X-Amz-Target");
        Sign(request);
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "AWSCognitoIdentityProviderService.ListUserPoolClients");

        var result = await SigV4TestSupport.VerifyAsync(JsonVerifier(), request, Body);

        result.Succeeded.ShouldBeFalse();
        result.Error!.Type.ShouldBe(SigV4ErrorTypes.IncompleteSignature);
        result.Error.StatusCode.ShouldBe(400);
        result.Error.Message.ShouldBe("'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.");
    }

    [Fact]
    public async Task Verify_TargetNotSignedWithoutRequirement_Succeeds()
    {
        // What the server accepted before issue 12 (and what a generic verifier still accepts): the replay works.
        var request = SigV4TestSupport.CognitoRequest("DescribeUserPool", Body);
        request.Headers.Remove("X-Amz-Target");
        Sign(request);
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "AWSCognitoIdentityProviderService.ListUserPoolClients");

        (await SigV4TestSupport.VerifyAsync(SigV4TestSupport.Verifier(_clock), request, Body)).Succeeded.ShouldBeTrue();
    }

    [Fact]
    public async Task Verify_ContentTypeNotSigned_ReturnsIncompleteSignature()
    {
        var request = SigV4TestSupport.CognitoRequest("DescribeUserPool", Body);
        request.Content!.Headers.ContentType = null;
        Sign(request);
        request.Content.Headers.TryAddWithoutValidation("Content-Type", SigV4TestSupport.JsonContentType);

        var result = await SigV4TestSupport.VerifyAsync(JsonVerifier(), request, Body);

        result.Error!.Type.ShouldBe(SigV4ErrorTypes.IncompleteSignature);
        result.Error.Message.ShouldBe("'Content-Type' must be a 'SignedHeader' in the AWS Authorization.");
    }

    [Fact]
    public async Task Verify_BothSigned_Succeeds()
    {
        var request = SigV4TestSupport.CognitoRequest("DescribeUserPool", Body);
        Sign(request);

        var result = await SigV4TestSupport.VerifyAsync(JsonVerifier(), request, Body);

        result.Succeeded.ShouldBeTrue(result.Error?.Message);
    }

    [Fact]
    public async Task Verify_NoTargetNoContentType_SucceedsWithHostOnly()
    {
        // The operator endpoints (POST /_admin/...) carry neither header: "required when sent" leaves them alone.
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("http://127.0.0.1:9229/_admin/x")) { Content = new ByteArrayContent(Body) };
        Sign(request);

        (await SigV4TestSupport.VerifyAsync(JsonVerifier(), request, Body)).Succeeded.ShouldBeTrue();
    }
}
