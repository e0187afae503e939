using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Cognate.Client;
using Cognate.Server.Tests.Infrastructure;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Auth;

/// <summary>SMS through the operator's HTTP webhook (Cognate:Sms:WebhookUrl).</summary>
public sealed class SmsWebhookTests
{
    static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    [Fact]
    public async Task SmsOtp_IsPostedToTheWebhook_AndAFailingWebhookIsCodeDeliveryFailure()
    {
        int port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var bodies = new List<(string Auth, JsonObject Body)>();
        int status = 200;
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var loop = Task.Run(async () =>
        {
            while (!cts.IsCancellationRequested)
            {
                HttpListenerContext ctx;
                try { ctx = await listener.GetContextAsync().WaitAsync(cts.Token); }
                catch (Exception) { return; }
                using var reader = new StreamReader(ctx.Request.InputStream);
                var json = JsonNode.Parse(await reader.ReadToEndAsync())!.AsObject();
                lock (bodies) bodies.Add((ctx.Request.Headers["Authorization"] ?? "", json));
                ctx.Response.StatusCode = status;
                ctx.Response.Close();
            }
        });

        await using var server = await CognateServer.StartAsync(new()
        {
            ["Cognate__Sms__WebhookUrl"] = $"http://127.0.0.1:{port}/sms",
            ["Cognate__Sms__AuthorizationHeader"] = "Bearer hook-secret",
            ["Cognate__Email__Outbox"] = "false",
        });
        using var admin = server.Client();
        using var pub = server.AnonymousClient();
        var pool = (string)(await admin.InvokeAsync("CreateUserPool", new JsonObject
        {
            ["PoolName"] = "sms",
            ["Policies"] = new JsonObject { ["SignInPolicy"] = new JsonObject { ["AllowedFirstAuthFactors"] = new JsonArray("PASSWORD", "SMS_OTP") } },
        }))["UserPool"]!["Id"]!;
        var client = (string)(await admin.InvokeAsync("CreateUserPoolClient", new JsonObject { ["UserPoolId"] = pool, ["ClientName"] = "c", ["ExplicitAuthFlows"] = new JsonArray("ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH") }))["UserPoolClient"]!["ClientId"]!;
        await admin.InvokeAsync("AdminCreateUser", new JsonObject
        {
            ["UserPoolId"] = pool, ["Username"] = "sid", ["MessageAction"] = "SUPPRESS",
            ["UserAttributes"] = new JsonArray(new JsonObject { ["Name"] = "phone_number", ["Value"] = "+15555550142" }, new JsonObject { ["Name"] = "phone_number_verified", ["Value"] = "true" }),
        });
        var c = await pub.InvokeAsync("InitiateAuth", new JsonObject { ["ClientId"] = client, ["AuthFlow"] = "USER_AUTH", ["AuthParameters"] = new JsonObject { ["USERNAME"] = "sid", ["PREFERRED_CHALLENGE"] = "SMS_OTP" } });
        ((string?)c["ChallengeName"]).ShouldBe("SMS_OTP");
        (string Auth, JsonObject Body) hook;
        lock (bodies) hook = bodies.Single();
        hook.Auth.ShouldBe("Bearer hook-secret");
        ((string?)hook.Body["type"]).ShouldBe("sms");
        ((string?)hook.Body["userPoolId"]).ShouldBe(pool);
        ((string?)hook.Body["phoneNumber"]).ShouldBe("+15555550142");
        var code = (string)hook.Body["code"]!;
        code.Length.ShouldBe(8);
        ((string)hook.Body["message"]!).ShouldContain(code);
        var t = await pub.InvokeAsync("RespondToAuthChallenge", new JsonObject
        {
            ["ClientId"] = client, ["ChallengeName"] = "SMS_OTP", ["Session"] = c["Session"]!.DeepClone(),
            ["ChallengeResponses"] = new JsonObject { ["USERNAME"] = "sid", ["SMS_OTP_CODE"] = code },
        });
        ((string?)t["AuthenticationResult"]!["IdToken"]).ShouldNotBeNull();

        status = 500;
        var ex = await Should.ThrowAsync<CognitoServiceException>(() => pub.InvokeAsync("InitiateAuth", new JsonObject { ["ClientId"] = client, ["AuthFlow"] = "USER_AUTH", ["AuthParameters"] = new JsonObject { ["USERNAME"] = "sid", ["PREFERRED_CHALLENGE"] = "SMS_OTP" } }));
        ex.ErrorType.ShouldBe("CodeDeliveryFailureException");
        await cts.CancelAsync();
        listener.Stop();
        await loop;
    }
}
