using Cognate.Samples.Tests.Infrastructure;
using Shouldly;
using Xunit;

namespace Cognate.Samples.Tests;

/// <summary>The golang-aws-cognito-auth walkthrough, through the sample, against Cognate.</summary>
public sealed class PasswordJourneyTests(AuthApiFixture f)
{
    [Fact]
    public async Task PasswordJourney_SignUpConfirmLoginInfoRefreshLogout_WorksEndToEnd()
    {
        var http = f.Sample.Http;
        var email = AuthApiFixture.NewEmail();
        const string password = "Bunty@123";

        var (status, body) = await http.PostJsonAsync("auth/signup", new { name = "Bunty", email, password });
        status.ShouldBe(201);
        body["status"]!.GetValue<int>().ShouldBe(201);
        ((string)body["data"]!["message"]!).ShouldBe("User registered successfully.");

        (status, body) = await http.PostJsonAsync("auth/login", new { email, password });
        status.ShouldBe(403);
        ((string)body["error"]!).ShouldBe("Account is not confirmed");

        var code = (string)(await f.Server.LatestMessageAsync(email))["code"]!;
        (status, body) = await http.PostJsonAsync("auth/confirm", new { email, code });
        status.ShouldBe(200);
        ((string)body["data"]!["message"]!).ShouldBe("Account confirmed successfully.");

        (status, body) = await http.PostJsonAsync("auth/login", new { email, password });
        status.ShouldBe(200);
        var access = (string)body["data"]!["access_token"]!;
        var refresh = (string)body["data"]!["refresh_token"]!;
        ((string)body["data"]!["id_token"]!).ShouldNotBeNullOrEmpty();
        body["data"]!["expires_in"]!.GetValue<int>().ShouldBe(3600);

        (status, body) = await http.GetJsonAsync("auth/user/info", access);
        status.ShouldBe(200);
        var attributes = body["data"]!["attributes"]!;
        ((string)attributes["email"]!).ShouldBe(email);
        ((string)attributes["name"]!).ShouldBe("Bunty");
        ((string)attributes["email_verified"]!).ShouldBe("true");
        ((string)body["data"]!["username"]!).ShouldBe((string)attributes["sub"]!);

        (status, body) = await http.GetJsonAsync("user/profile", access);
        status.ShouldBe(200);
        ((string)body["data"]!["sub"]!).ShouldBe((string)attributes["sub"]!);
        ((string)body["data"]!["username"]!).ShouldBe((string)attributes["sub"]!);
        ((string)body["data"]!["client_id"]!).ShouldBe(f.ClientId);

        (status, body) = await http.PostJsonAsync("auth/refresh", new { refresh_token = refresh, email });
        status.ShouldBe(200);
        var refreshed = (string)body["data"]!["access_token"]!;
        (await http.GetJsonAsync("auth/user/info", refreshed)).Status.ShouldBe(200);

        (status, _) = await http.PostJsonAsync("auth/logout", new { }, refreshed);
        status.ShouldBe(200);
        (status, body) = await http.PostJsonAsync("auth/refresh", new { refresh_token = refresh, email });
        status.ShouldBe(401);
        (status, _) = await http.GetJsonAsync("auth/user/info", refreshed);
        status.ShouldBe(401);

        // Nothing secret reached the logs.
        var logs = string.Join("\n", f.Sample.Logs.Lines);
        foreach (var secret in new[] { password, code, access, refresh, refreshed, f.ClientSecret })
        {
            logs.ShouldNotContain(secret);
        }
    }

    [Fact]
    public async Task Health_Anonymous_Ok()
    {
        var (status, body) = await f.Sample.Http.GetJsonAsync("app/health");
        status.ShouldBe(200);
        ((string)body["data"]!["status"]!).ShouldBe("ok");
    }

    [Fact]
    public async Task SignUp_Duplicate_Conflict()
    {
        var email = AuthApiFixture.NewEmail();
        (await f.Sample.Http.PostJsonAsync("auth/signup", new { name = "A", email, password = "Bunty@123" })).Status.ShouldBe(201);
        var (status, body) = await f.Sample.Http.PostJsonAsync("auth/signup", new { name = "A", email, password = "Bunty@123" });
        status.ShouldBe(409);
        body["status"]!.GetValue<int>().ShouldBe(409);
    }

    [Fact]
    public async Task SignUp_WeakPasswordOrMissingFields_BadRequest()
    {
        (await f.Sample.Http.PostJsonAsync("auth/signup", new { name = "A", email = AuthApiFixture.NewEmail(), password = "short" })).Status.ShouldBe(400);
        var (status, body) = await f.Sample.Http.PostJsonAsync("auth/signup", new { email = AuthApiFixture.NewEmail() });
        status.ShouldBe(400);
        ((string)body["error"]!).ShouldBe("name, email and password are required");
    }

    [Fact]
    public async Task Confirm_WrongCode_BadRequest()
    {
        var email = AuthApiFixture.NewEmail();
        await f.Sample.Http.PostJsonAsync("auth/signup", new { name = "A", email, password = "Bunty@123" });
        var code = (string)(await f.Server.LatestMessageAsync(email))["code"]!;
        var wrong = code == "000000" ? "111111" : "000000";
        var (status, body) = await f.Sample.Http.PostJsonAsync("auth/confirm", new { email, code = wrong });
        status.ShouldBe(400);
        ((string)body["error"]!).ShouldBe("Invalid verification code");
    }

    [Fact]
    public async Task Login_WrongPasswordOrUnknownUser_SameUnauthorizedAnswer()
    {
        var email = AuthApiFixture.NewEmail();
        await f.SignedInUserAsync(f.Sample, email);
        var wrong = await f.Sample.Http.PostJsonAsync("auth/login", new { email, password = "Wrong@1234" });
        var unknown = await f.Sample.Http.PostJsonAsync("auth/login", new { email = AuthApiFixture.NewEmail(), password = "Wrong@1234" });
        wrong.Status.ShouldBe(401);
        unknown.Status.ShouldBe(401);
        wrong.Body.ToJsonString().ShouldBe(unknown.Body.ToJsonString());
        ((string)wrong.Body["error"]!).ShouldBe("Incorrect email or password");
    }
}
