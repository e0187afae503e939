using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Cognate.Client;
using Cognate.Client.SigV4;
using Cognate.Server.Tests.Infrastructure;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Admin;

public sealed class SigningKeyRotationTests(ServerFixture f)
{
    static string Kid(string jwt)
    {
        var s = jwt.Split('.')[0].Replace('-', '+').Replace('_', '/');
        s = s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
        return (string)JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(s)))!["kid"]!;
    }

    async Task<HttpResponseMessage> RotateAsync(string poolId, string body = "", bool sign = true)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(f.Server.Endpoint, $"_admin/user-pools/{poolId}/signing-keys/rotate")) { Content = new ByteArrayContent(bytes) };
        if (sign) new SigV4Signer(new AwsCredentials(CognateServer.AccessKeyId, CognateServer.SecretAccessKey), "us-east-1", SigV4Verifier.CognitoIdpService).Sign(request, bytes);
        return await f.Server.Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    async Task<IReadOnlyList<string>> JwksKidsAsync(string poolId)
    {
        var json = await f.Server.Http.GetStringAsync(new Uri(f.Server.Endpoint, $"{poolId}/.well-known/jwks.json"), TestContext.Current.CancellationToken);
        return JsonNode.Parse(json)!["keys"]!.AsArray().Select(k => (string)k!["kid"]!).ToList();
    }

    [Fact]
    public async Task Rotate_NoDelay_PublishesAndSignsWithNewKeysOldTokensStillWork()
    {
        var pool = await f.CreatePoolAsync();
        var (client, _) = await f.CreateClientAsync(pool);
        var email = ServerFixture.NewEmail();
        await f.CreateConfirmedUserAsync(client, "rot", "Passw0rd!", email);
        var before = await f.SignInAsync(client, "rot", "Passw0rd!");
        (await JwksKidsAsync(pool)).Count.ShouldBe(2);

        using var response = await RotateAsync(pool, "{\"ActivationDelaySeconds\":0}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var rotation = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        var kids = await JwksKidsAsync(pool);
        kids.Count.ShouldBe(4);
        kids.ShouldContain((string)rotation["AccessTokenKeyId"]!);
        kids.ShouldContain(Kid((string)before["AccessToken"]!));

        var after = await f.SignInAsync(client, "rot", "Passw0rd!");
        Kid((string)after["AccessToken"]!).ShouldBe((string)rotation["AccessTokenKeyId"]!);
        Kid((string)after["IdToken"]!).ShouldBe((string)rotation["IdTokenKeyId"]!);
        await f.Public.InvokeAsync("GetUser", new JsonObject { ["AccessToken"] = (string)before["AccessToken"]! }, TestContext.Current.CancellationToken);
        await f.Public.InvokeAsync("GetUser", new JsonObject { ["AccessToken"] = (string)after["AccessToken"]! }, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Rotate_WithDelay_PublishesFirstButKeepsSigningWithOldKeys()
    {
        var pool = await f.CreatePoolAsync();
        var (client, _) = await f.CreateClientAsync(pool);
        await f.CreateConfirmedUserAsync(client, "late", "Passw0rd!", ServerFixture.NewEmail());
        var before = await f.SignInAsync(client, "late", "Passw0rd!");

        using var response = await RotateAsync(pool, "{\"ActivationDelaySeconds\":3600}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var rotation = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        ((long)rotation["ActivatesAt"]!).ShouldBeGreaterThan(DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 3500);
        (await JwksKidsAsync(pool)).ShouldContain((string)rotation["AccessTokenKeyId"]!);

        var after = await f.SignInAsync(client, "late", "Passw0rd!");
        Kid((string)after["AccessToken"]!).ShouldBe(Kid((string)before["AccessToken"]!));
    }

    [Fact]
    public async Task Rotate_Unsigned_Refused()
    {
        var pool = await f.CreatePoolAsync();
        using var response = await RotateAsync(pool, sign: false);
        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        response.Headers.GetValues("x-amzn-ErrorType").Single().ShouldNotBeNullOrEmpty();
        (await JwksKidsAsync(pool)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task Rotate_UnknownPool_ResourceNotFound()
    {
        using var response = await RotateAsync("us-east-1_doesNotExist");
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Headers.GetValues("x-amzn-ErrorType").Single().ShouldBe("ResourceNotFoundException");
    }

    [Fact]
    public async Task Rotate_BadDelay_InvalidParameter()
    {
        var pool = await f.CreatePoolAsync();
        using var response = await RotateAsync(pool, "{\"ActivationDelaySeconds\":-1}");
        response.Headers.GetValues("x-amzn-ErrorType").Single().ShouldBe("InvalidParameterException");
    }
}
