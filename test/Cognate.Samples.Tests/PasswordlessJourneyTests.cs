using System.Text.Json.Nodes;
using Cognate.Samples.Tests.Infrastructure;
using Shouldly;
using Xunit;

namespace Cognate.Samples.Tests;

/// <summary>
/// The cognito-microservice walkthrough: sign-up without a password, confirm by code, then USER_AUTH with EMAIL_OTP.
/// </summary>
public sealed class PasswordlessJourneyTests(AuthApiFixture f)
{
    [Fact]
    public async Task PasswordlessJourney_RegisterConfirmInitiateVerify_IssuesTokensAcceptedByProtectedRoutes()
    {
        var http = f.Sample.Http;
        var email = AuthApiFixture.NewEmail();

        var (status, body) = await http.PostJsonAsync("register", new { email });
        status.ShouldBe(201);
        ((string)body["data"]!["user_sub"]!).ShouldNotBeNullOrEmpty();

        if (!(bool)body["data"]!["user_confirmed"]!)
        {
            var code = (string)(await f.Server.LatestMessageAsync(email))["code"]!;
            (await http.PostJsonAsync("auth/confirm", new { email, code })).Status.ShouldBe(200);
        }

        (status, body) = await http.PostJsonAsync("initiate-auth", new { email });
        status.ShouldBe(200);
        ((string)body["data"]!["challenge_name"]!).ShouldBe("EMAIL_OTP");
        var session = (string)body["data"]!["session"]!;
        var otp = (string)(await f.Server.LatestMessageAsync(email))["code"]!;

        (status, body) = await http.PostJsonAsync("verify-otp", new { username = email, otp, session });
        status.ShouldBe(200);
        var access = (string)body["data"]!["access_token"]!;
        ((string)body["data"]!["refresh_token"]!).ShouldNotBeNullOrEmpty();
        (await http.GetJsonAsync("user/profile", access)).Status.ShouldBe(200);
        (await http.GetJsonAsync("auth/user/info", access)).Status.ShouldBe(200);
    }

    [Fact]
    public async Task VerifyOtp_WrongCode_Refused()
    {
        var http = f.Sample.Http;
        var email = AuthApiFixture.NewEmail();
        await f.SignedInUserAsync(f.Sample, email);
        var (status, body) = await http.PostJsonAsync("initiate-auth", new { email });
        status.ShouldBe(200);
        var session = (string)body["data"]!["session"]!;
        var otp = (string)(await f.Server.LatestMessageAsync(email))["code"]!;
        var wrong = otp == "000000" ? "111111" : "000000";
        (status, _) = await http.PostJsonAsync("verify-otp", new { username = email, otp = wrong, session });
        status.ShouldBeOneOf(400, 401);
    }

    [Fact]
    public async Task PasswordlessEndpoints_MissingFields_BadRequest()
    {
        (await f.Sample.Http.PostJsonAsync("register", new { })).Status.ShouldBe(400);
        (await f.Sample.Http.PostJsonAsync("initiate-auth", new { })).Status.ShouldBe(400);
        (await f.Sample.Http.PostJsonAsync("verify-otp", new { username = "x" })).Status.ShouldBe(400);
    }
}
