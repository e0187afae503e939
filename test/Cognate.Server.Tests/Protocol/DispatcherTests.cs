using Cognate.Server.Protocol;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Cognate.Client;
using Cognate.Client.SigV4;
using Cognate.Server.Tests.Infrastructure;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Protocol;

public sealed class DispatcherTests(ServerFixture f)
{
    async Task<(HttpStatusCode Status, JsonObject Body, string? ErrorHeader)> RawAsync(string? target, string body, string contentType = "application/x-amz-json-1.1")
    {
        using var req = new HttpRequestMessage(HttpMethod.Post, f.Server.Endpoint) { Content = new StringContent(body, Encoding.UTF8) };
        req.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        if (target is not null) req.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        using var resp = await f.Server.Http.SendAsync(req, TestContext.Current.CancellationToken);
        var text = await resp.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        resp.Headers.TryGetValues("x-amzn-ErrorType", out var types);
        return (resp.StatusCode, JsonNode.Parse(text)!.AsObject(), types?.FirstOrDefault());
    }

    [Fact]
    public async Task UnknownAction_ReturnsUnknownOperation()
    {
        var (status, body, header) = await RawAsync("AWSCognitoIdentityProviderService.NoSuchAction", "{}");
        status.ShouldBe(HttpStatusCode.BadRequest);
        ((string?)body["__type"]).ShouldBe("UnknownOperationException");
        header.ShouldBe("UnknownOperationException");
    }

    [Fact]
    public async Task MissingTarget_ReturnsUnknownOperation()
    {
        var (status, body, _) = await RawAsync(null, "{}");
        status.ShouldBe(HttpStatusCode.BadRequest);
        ((string?)body["__type"]).ShouldBe("UnknownOperationException");
    }

    [Fact]
    public async Task MalformedJson_ReturnsSerializationException()
    {
        var (status, body, _) = await RawAsync("AWSCognitoIdentityProviderService.SignUp", "{\"ClientId\": ");
        status.ShouldBe(HttpStatusCode.BadRequest);
        ((string?)body["__type"]).ShouldBe("SerializationException");
    }

    [Fact]
    public async Task WrongFieldType_ReturnsSerializationException()
    {
        var (status, body, _) = await RawAsync("AWSCognitoIdentityProviderService.SignUp", "{\"ClientId\": 12, \"Username\": \"a\"}");
        status.ShouldBe(HttpStatusCode.BadRequest);
        ((string?)body["__type"]).ShouldBe("SerializationException");
    }

    [Fact]
    public async Task NonObjectBody_ReturnsSerializationException()
    {
        var (_, body, _) = await RawAsync("AWSCognitoIdentityProviderService.SignUp", "[1,2]");
        ((string?)body["__type"]).ShouldBe("SerializationException");
    }

    [Fact]
    public async Task MissingRequiredMembers_ReturnsValidationErrors()
    {
        var (status, body, _) = await RawAsync("AWSCognitoIdentityProviderService.SignUp", "{}");
        status.ShouldBe(HttpStatusCode.BadRequest);
        ((string?)body["__type"]).ShouldBe("InvalidParameterException");
        ((string)body["message"]!).ShouldStartWith("2 validation errors detected: Value null at 'clientId' failed to satisfy constraint: Member must not be null");
    }

    [Fact]
    public async Task OverlongUsername_ReturnsValidationErrorWithoutEchoingSensitiveValue()
    {
        var name = new string('x', 129);
        var (_, body, _) = await RawAsync("AWSCognitoIdentityProviderService.SignUp", $"{{\"ClientId\":\"abc\",\"Username\":\"{name}\",\"Password\":\"Secret#123x\"}}");
        ((string?)body["__type"]).ShouldBe("InvalidParameterException");
        ((string)body["message"]!).ShouldContain("Member must have length less than or equal to 128");
        ((string)body["message"]!).ShouldNotContain(name);
    }

    [Fact]
    public async Task OversizedBody_Returns413WithError()
    {
        var big = "{\"ClientId\":\"" + new string('a', 1_100_000) + "\"}";
        using var req = new HttpRequestMessage(HttpMethod.Post, f.Server.Endpoint) { Content = new StringContent(big) };
        req.Headers.TryAddWithoutValidation("X-Amz-Target", "AWSCognitoIdentityProviderService.SignUp");
        // Expect: 100-continue (what curl sends for large bodies): the server refuses on Content-Length before reading the body,
        // so the client reads the 413 instead of racing the server's close while it is still sending (a reset, seen once in CI).
        req.Headers.ExpectContinue = true;
        // Its own connection: the server answers before reading the body and closes that connection.
        using var http = new HttpClient();
        using var resp = await http.SendAsync(req, TestContext.Current.CancellationToken);
        ((int)resp.StatusCode).ShouldBe(413);
    }

    [Fact]
    public async Task UnsignedAdminAction_ReturnsMissingAuthenticationToken()
    {
        var ex = await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("ListUserPools", new JsonObject { ["MaxResults"] = 10 }));
        ex.ErrorType.ShouldBe("MissingAuthenticationTokenException");
    }

    [Fact]
    public async Task WrongSecretKey_ReturnsInvalidSignature()
    {
        using var client = new CognitoIdentityProviderClient(f.Server.Endpoint, "us-east-1", new AwsCredentials(CognateServer.AccessKeyId, "wrong-secret"), f.Server.Http);
        var ex = await Should.ThrowAsync<CognitoServiceException>(() => client.InvokeAsync("ListUserPools", new JsonObject { ["MaxResults"] = 10 }));
        ex.ErrorType.ShouldBe("InvalidSignatureException");
        ex.Message.ShouldNotContain("wrong-secret");
    }

    [Fact]
    public async Task UnknownAccessKey_ReturnsUnrecognizedClient()
    {
        using var client = new CognitoIdentityProviderClient(f.Server.Endpoint, "us-east-1", new AwsCredentials("AKIAUNKNOWN", "x"), f.Server.Http);
        var ex = await Should.ThrowAsync<CognitoServiceException>(() => client.InvokeAsync("ListUserPools", new JsonObject { ["MaxResults"] = 10 }));
        ex.ErrorType.ShouldBe("UnrecognizedClientException");
    }

    [Fact]
    public async Task EveryModelOperation_HasAHandler_AndAnUnknownTarget_IsUnknownOperation()
    {
        // All 140 operations of the model (botocore + the JS SDK's newer ones) are built: none would answer
        // UnsupportedOperationException. A target outside the model is Cognito's UnknownOperationException.
        var registry = new ActionRegistry();
        var unbuilt = ServiceModel.Load().Operations.Values.Where(o => !registry.Handlers.ContainsKey(o.Name)).Select(o => o.Name).ToList();
        unbuilt.ShouldBeEmpty();
        ServiceModel.Load().Operations.Count.ShouldBe(140);
        var ex = await Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("NoSuchCognitoAction", new JsonObject()));
        ex.ErrorType.ShouldBe("UnknownOperationException");
    }

    [Fact]
    public async Task CorsPreflight_IsAnswered()
    {
        using var req = new HttpRequestMessage(HttpMethod.Options, f.Server.Endpoint);
        req.Headers.TryAddWithoutValidation("Origin", "http://localhost:3000");
        req.Headers.TryAddWithoutValidation("Access-Control-Request-Method", "POST");
        req.Headers.TryAddWithoutValidation("Access-Control-Request-Headers", "content-type,x-amz-target,x-amz-user-agent");
        using var resp = await f.Server.Http.SendAsync(req, TestContext.Current.CancellationToken);
        resp.IsSuccessStatusCode.ShouldBeTrue();
        resp.Headers.Contains("Access-Control-Allow-Origin").ShouldBeTrue();
    }

    [Fact]
    public async Task SignedRequestInRegion_CreatesPoolInThatRegion()
    {
        using var client = f.Server.Client("eu-west-1");
        var r = await client.InvokeAsync("CreateUserPool", new JsonObject { ["PoolName"] = "regional" });
        ((string)r["UserPool"]!["Id"]!).ShouldStartWith("eu-west-1_");
        ((string)r["UserPool"]!["Arn"]!).ShouldStartWith("arn:aws:cognito-idp:eu-west-1:000000000000:userpool/eu-west-1_");
    }
}
