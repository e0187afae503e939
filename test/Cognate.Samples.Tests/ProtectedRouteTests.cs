using System.Text;
using System.Text.Json.Nodes;
using Cognate.Samples.Tests.Infrastructure;
using Shouldly;
using Xunit;

namespace Cognate.Samples.Tests;

/// <summary>The protected routes through Cognate.AspNetCore: refused without a valid access token of this pool and client.</summary>
public sealed class ProtectedRouteTests(AuthApiFixture f)
{
    static async Task ShouldBeRefused(SampleApp sample, string? token, string? reason = null)
    {
        foreach (var path in new[] { "user/profile", "auth/user/info" })
        {
            var (status, body) = await sample.Http.GetJsonAsync(path, token);
            status.ShouldBe(401, path);
            body["status"]!.GetValue<int>().ShouldBe(401);
            if (reason is not null) ((string)body["error"]!).ShouldContain(reason);
        }
    }

    [Fact]
    public async Task Protected_NoToken_Unauthorized()
    {
        var (status, body) = await f.Sample.Http.GetJsonAsync("user/profile");
        status.ShouldBe(401);
        ((string)body["error"]!).ShouldBe("Authorization header required");
    }

    [Fact]
    public async Task Protected_GoodAccessToken_Accepted()
    {
        var tokens = await f.SignedInUserAsync(f.Sample, AuthApiFixture.NewEmail());
        (await f.Sample.Http.GetJsonAsync("user/profile", (string)tokens["access_token"]!)).Status.ShouldBe(200);
        (await f.Sample.Http.GetJsonAsync("auth/user/info", (string)tokens["access_token"]!)).Status.ShouldBe(200);
    }

    [Fact]
    public async Task Protected_IdTokenInsteadOfAccess_Refused()
    {
        var tokens = await f.SignedInUserAsync(f.Sample, AuthApiFixture.NewEmail());
        await ShouldBeRefused(f.Sample, (string)tokens["id_token"]!, "token use");
    }

    [Fact]
    public async Task Protected_TamperedToken_Refused()
    {
        var tokens = await f.SignedInUserAsync(f.Sample, AuthApiFixture.NewEmail());
        var parts = ((string)tokens["access_token"]!).Split('.');
        var payload = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(Pad(parts[1]))))!.AsObject();
        payload["username"] = "someone-else";
        var forged = parts[0] + "." + Convert.ToBase64String(Encoding.UTF8.GetBytes(payload.ToJsonString())).TrimEnd('=').Replace('+', '-').Replace('/', '_') + "." + parts[2];
        await ShouldBeRefused(f.Sample, forged, "signature");
        await ShouldBeRefused(f.Sample, parts[0] + "." + parts[1] + ".", "malformed");
        await ShouldBeRefused(f.Sample, "not-a-jwt");
    }

    [Fact]
    public async Task Protected_AlgNoneToken_Refused()
    {
        var tokens = await f.SignedInUserAsync(f.Sample, AuthApiFixture.NewEmail());
        var parts = ((string)tokens["access_token"]!).Split('.');
        var header = Convert.ToBase64String("{\"alg\":\"none\",\"kid\":\"x\"}"u8.ToArray()).TrimEnd('=');
        await ShouldBeRefused(f.Sample, header + "." + parts[1] + ".sig", "algorithm");
    }

    [Fact]
    public async Task Protected_OtherPoolsToken_Refused()
    {
        var tokens = await f.DirectSignInAsync(f.OtherPoolClientId, AuthApiFixture.NewEmail(), "Bunty@123");
        await ShouldBeRefused(f.Sample, (string)tokens["AccessToken"]!, "user pool");
    }

    [Fact]
    public async Task Protected_OtherClientsToken_Refused()
    {
        var tokens = await f.DirectSignInAsync(f.OtherClientId, AuthApiFixture.NewEmail(), "Bunty@123");
        await ShouldBeRefused(f.Sample, (string)tokens["AccessToken"]!, "client");
    }

    [Fact]
    public async Task Protected_ExpiredToken_Refused()
    {
        var tokens = await f.SignedInUserAsync(f.Sample, AuthApiFixture.NewEmail());
        var access = (string)tokens["access_token"]!;
        // The same sample two hours later: the access token (60 minutes) has expired.
        await using var later = await SampleApp.StartAsync(f.Server, f.PoolId, f.ClientId, f.ClientSecret, new ShiftedTime(TimeSpan.FromHours(2)));
        (await later.Http.GetJsonAsync("user/profile", access)).Status.ShouldBe(401);
        await ShouldBeRefused(later, access, "expired");
        // ...while the sample with the right time accepts it.
        (await f.Sample.Http.GetJsonAsync("user/profile", access)).Status.ShouldBe(200);
    }

    static string Pad(string s)
    {
        s = s.Replace('-', '+').Replace('_', '/');
        return s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
    }
}
