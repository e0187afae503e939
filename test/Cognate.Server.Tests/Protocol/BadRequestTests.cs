using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Cognate.Client.SigV4;
using Cognate.Server.Tests.Infrastructure;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Protocol;

/// <summary>Issue 12 on the wire: the bad requests the fuzzer found answer 4xx with Cognito's error shapes.</summary>
public sealed class BadRequestTests(ServerFixture f)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    async Task<(HttpStatusCode Status, string? Type, string Message, HttpResponseMessage Response)> PostAsync(string action, byte[] body, bool sign = false, Action<HttpRequestMessage>? afterSigning = null)
    {
        var req = new HttpRequestMessage(HttpMethod.Post, f.Server.Endpoint) { Content = new ByteArrayContent(body) };
        req.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-amz-json-1.1");
        req.Headers.TryAddWithoutValidation("X-Amz-Target", "AWSCognitoIdentityProviderService." + action);
        if (sign) new SigV4Signer(new AwsCredentials(CognateServer.AccessKeyId, CognateServer.SecretAccessKey), "us-east-1", "cognito-idp").Sign(req, body);
        afterSigning?.Invoke(req);
        var resp = await f.Server.Http.SendAsync(req, Ct);
        var text = await resp.Content.ReadAsStringAsync(Ct);
        var json = text.Length > 0 ? JsonNode.Parse(text)!.AsObject() : [];
        return (resp.StatusCode, (string?)json["__type"], (string?)json["message"] ?? "", resp);
    }

    static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    [Theory]
    [InlineData("{\"ClientId\":\"cognatedevelopmentclient01\",\"AuthFlow\":\"USER_PASSWORD_AUTH\",\"AuthParameters\":{\"USERNAME\":null,\"PASSWORD\":\"x\"}}", "authParameters.USERNAME")]
    [InlineData("{\"ClientId\":\"cognatedevelopmentclient01\",\"AuthFlow\":\"REFRESH_TOKEN_AUTH\",\"AuthParameters\":{\"REFRESH_TOKEN\":null}}", "authParameters.REFRESH_TOKEN")]
    [InlineData("{\"ClientId\":\"cognatedevelopmentclient01\",\"AuthFlow\":\"USER_SRP_AUTH\",\"AuthParameters\":{\"USERNAME\":\"a\",\"SRP_A\":null}}", "authParameters.SRP_A")]
    [InlineData("{\"ClientId\":\"cognatedevelopmentclient01\",\"AuthFlow\":\"USER_AUTH\",\"AuthParameters\":{\"USERNAME\":\"a\",\"\\u0001\":null}}", "authParameters.value")]
    public async Task InitiateAuth_NullAuthParameter_ReturnsInvalidParameter(string body, string path)
    {
        var (status, type, message, _) = await PostAsync("InitiateAuth", Utf8(body));

        status.ShouldBe(HttpStatusCode.BadRequest);
        type.ShouldBe("InvalidParameterException");
        message.ShouldBe($"1 validation error detected: Value null at '{path}' failed to satisfy constraint: Member must not be null");
    }

    [Fact]
    public async Task RespondToAuthChallenge_NullChallengeResponse_ReturnsInvalidParameter()
    {
        var (_, type, message, _) = await PostAsync("RespondToAuthChallenge", Utf8("{\"ClientId\":\"cognatedevelopmentclient01\",\"ChallengeName\":\"PASSWORD_VERIFIER\",\"ChallengeResponses\":{\"USERNAME\":null}}"));

        type.ShouldBe("InvalidParameterException");
        message.ShouldContain("'challengeResponses.USERNAME'");
    }

    [Theory]
    [InlineData("DescribeUserPoolDomain", "{\"Domain\":\"\\u0000\"}", "domain")]
    [InlineData("GetGroup", "{\"UserPoolId\":\"us-east-1_CognateDv\",\"GroupName\":\"a\\u0000b\"}", "groupName")]
    [InlineData("AdminGetUser", "{\"UserPoolId\":\"us-east-1_CognateDv\",\"Username\":\"a\\u0000\"}", "username")]
    public async Task Action_NulCharacterInString_ReturnsInvalidParameterOnEveryStore(string action, string body, string path)
    {
        // Found by the fuzz test on PostgreSQL, whose text type cannot hold U+0000 (a 500 from the store before).
        var (status, type, message, _) = await PostAsync(action, Utf8(body), sign: true);

        status.ShouldBe(HttpStatusCode.BadRequest);
        type.ShouldBe("InvalidParameterException");
        message.ShouldBe($"1 validation error detected: Value at '{path}' failed to satisfy constraint: Member must not contain the NUL character");
    }

    [Fact]
    public async Task SignUp_InvalidUtf8_ReturnsSerializationException()
    {
        var (status, type, _, _) = await PostAsync("SignUp", [.. Utf8("{\"ClientId\":\"a"), 0xC3, 0x28, .. Utf8("\",\"Username\":\"u\"}")]);

        status.ShouldBe(HttpStatusCode.BadRequest);
        type.ShouldBe("SerializationException");
    }

    [Fact]
    public async Task SignUp_UnpairedSurrogateEscape_ReturnsSerializationException()
    {
        var (status, type, _, _) = await PostAsync("SignUp", Utf8("{\"ClientId\":\"a\",\"Username\":\"\\ud800\"}"));

        status.ShouldBe(HttpStatusCode.BadRequest);
        type.ShouldBe("SerializationException");
    }

    [Theory]
    [InlineData("ConfirmSignUp", "{\"ClientId\":\"cognatedevelopmentclient01\",\"Username\":\"u\",\"ConfirmationCode\":\"my secret code\"}")]
    [InlineData("ConfirmForgotPassword", "{\"ClientId\":\"cognatedevelopmentclient01\",\"Username\":\"u\",\"ConfirmationCode\":\"my secret code\",\"Password\":\"Passw0rd!\"}")]
    [InlineData("VerifyUserAttribute", "{\"AccessToken\":\"t\",\"AttributeName\":\"email\",\"Code\":\"my secret code\"}")]
    public async Task Confirm_CodeFailingPattern_CodeNotEchoed(string action, string body)
    {
        var (_, type, message, _) = await PostAsync(action, Utf8(body));

        type.ShouldBe("InvalidParameterException");
        message.ShouldContain("failed to satisfy constraint: Member must satisfy regular expression pattern");
        message.ShouldNotContain("my secret code");
    }

    [Fact]
    public async Task SignUp_BodyOver1MiB_Returns413AndClosesConnection()
    {
        // Raw TCP: the request announces a body over 1 MiB and sends only its first 16 KiB. The server must answer from the
        // Content-Length alone and close the connection. (An HttpClient that writes the whole body could meet the server's
        // early close as a broken pipe before reading the answer: a flaky test, not a server fault.)
        using var tcp = new System.Net.Sockets.TcpClient { NoDelay = true };
        await tcp.ConnectAsync(IPAddress.Loopback, f.Server.Port, Ct);
        var stream = tcp.GetStream();
        int length = (1 << 20) + 10;
        var head = Utf8($"POST / HTTP/1.1\r\nHost: 127.0.0.1:{f.Server.Port}\r\nContent-Type: application/x-amz-json-1.1\r\n" +
            $"X-Amz-Target: AWSCognitoIdentityProviderService.SignUp\r\nContent-Length: {length}\r\n\r\n{{\"ClientId\":\"");
        await stream.WriteAsync(head, Ct);
        await stream.WriteAsync(Utf8(new string('a', 16 * 1024)), Ct);
        await stream.FlushAsync(Ct);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var received = new MemoryStream();
        var buffer = new byte[8192];
        int n;
        while ((n = await stream.ReadAsync(buffer, timeout.Token)) > 0) received.Write(buffer, 0, n); // ends when the server closes
        var text = Encoding.UTF8.GetString(received.ToArray());
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        split.ShouldBeGreaterThan(0, text);
        var headers = text[..split];
        var body = text[(split + 4)..]; // possibly chunked: the JSON object sits between its first '{' and last '}'
        var json = JsonNode.Parse(body[body.IndexOf('{')..(body.LastIndexOf('}') + 1)])!.AsObject();

        headers.ShouldStartWith("HTTP/1.1 413 ");
        ((string?)json["__type"]).ShouldBe("RequestEntityTooLargeException");
        headers.Split("\r\n").ShouldContain(h => h.Equals("Connection: close", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task DescribeUserPool_SignatureWithoutTarget_ReturnsIncompleteSignature()
    {
        var body = Utf8("{\"UserPoolId\":\"us-east-1_CognateDv\"}");

        // Signed as a request without X-Amz-Target, then sent with one: the signature does not cover the action.
        var (status, type, message, _) = await PostAsync("DescribeUserPool", body, sign: true, afterSigning: req =>
        {
            var target = req.Headers.GetValues("X-Amz-Target").Single();
            req.Headers.Remove("X-Amz-Target");
            new SigV4Signer(new AwsCredentials(CognateServer.AccessKeyId, CognateServer.SecretAccessKey), "us-east-1", "cognito-idp").Sign(req, body);
            req.Headers.TryAddWithoutValidation("X-Amz-Target", target.Replace("DescribeUserPool", "ListUserPoolClients", StringComparison.Ordinal));
        });

        status.ShouldBe(HttpStatusCode.BadRequest);
        type.ShouldBe("IncompleteSignatureException");
        message.ShouldBe("'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.");
    }
}

/// <summary>The <c>Cognate:Http:*</c> limits are checked at start.</summary>
public sealed class KestrelLimitsTests
{
    [Theory]
    [InlineData("Cognate__Http__RequestHeadersTimeoutSeconds", "abc")]
    [InlineData("Cognate__Http__MinRequestBodyBytesPerSecond", "-1")]
    [InlineData("Cognate__Http__MinRequestBodyGraceSeconds", "0")]
    public async Task Start_InvalidHttpLimit_ServerRefusesToStart(string key, string value)
    {
        var ex = await Should.ThrowAsync<InvalidOperationException>(async () =>
        {
            await using var server = await CognateServer.StartAsync(new() { [key] = value });
        });

        ex.Message.ShouldStartWith("Server exited");
    }
}
