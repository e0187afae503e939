using System.Text;
using System.Text.Json.Nodes;
using Cognate.Client.SigV4;
using Cognate.Samples.Tests.Infrastructure;
using Shouldly;
using Xunit;

namespace Cognate.Samples.Tests;

public sealed class KeyRotationTests(AuthApiFixture f)
{
    static string Kid(string jwt)
    {
        var s = jwt.Split('.')[0].Replace('-', '+').Replace('_', '/');
        s = s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
        return (string)JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(s)))!["kid"]!;
    }

    [Fact]
    public async Task KeyRotation_OnServer_PickedUpByRunningSampleWithoutRestart()
    {
        // Own pool and sample, so the rotation does not disturb the other tests.
        var (poolId, clientId, secret) = await f.CreatePoolAndClientAsync(secret: true);
        await using var sample = await SampleApp.StartAsync(f.Server, poolId, clientId, secret, jwksRefreshSeconds: 1);
        var email = AuthApiFixture.NewEmail();
        var before = await f.SignedInUserAsync(sample, email);
        var oldAccess = (string)before["access_token"]!;
        (await sample.Http.GetJsonAsync("user/profile", oldAccess)).Status.ShouldBe(200);

        var body = "{\"ActivationDelaySeconds\":0}"u8.ToArray();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(f.Server.Endpoint, $"_admin/user-pools/{poolId}/signing-keys/rotate")) { Content = new ByteArrayContent(body) };
        new SigV4Signer(new AwsCredentials(CognateServer.AccessKeyId, CognateServer.SecretAccessKey), "us-east-1", SigV4Verifier.CognitoIdpService).Sign(request, body);
        using (var response = await f.Server.Http.SendAsync(request, TestContext.Current.CancellationToken)) response.EnsureSuccessStatusCode();

        var (status, after) = await sample.Http.PostJsonAsync("auth/login", new { email, password = "Bunty@123" });
        status.ShouldBe(200);
        var newAccess = (string)after["data"]!["access_token"]!;
        Kid(newAccess).ShouldNotBe(Kid(oldAccess));

        await Task.Delay(TimeSpan.FromSeconds(1.1), TestContext.Current.CancellationToken); // the sample's key-set refetch interval in this test
        (await sample.Http.GetJsonAsync("user/profile", newAccess)).Status.ShouldBe(200);
        (await sample.Http.GetJsonAsync("user/profile", oldAccess)).Status.ShouldBe(200);
    }
}
