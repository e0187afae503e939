using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Infrastructure;

/// <summary>Email through a real SMTP server (Debian's aiosmtpd), and the Production switches.</summary>
public sealed partial class ProductionAndSmtpTests
{
    [GeneratedRegex(@"verification code is (\d{6})")]
    private static partial Regex CodePattern();

    [Fact]
    public async Task SignUp_WithSmtpConfigured_DeliversCodeThroughSmtp()
    {
        int smtpPort;
        using (var l = new TcpListener(IPAddress.Loopback, 0)) { l.Start(); smtpPort = ((IPEndPoint)l.LocalEndpoint).Port; }
        var received = new StringBuilder();
        using var smtp = Process.Start(new ProcessStartInfo("/usr/bin/python3", ["-u", "-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{smtpPort}"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        })!;
        smtp.OutputDataReceived += (_, e) => { lock (received) received.AppendLine(e.Data); };
        smtp.ErrorDataReceived += (_, _) => { };
        smtp.BeginOutputReadLine();
        smtp.BeginErrorReadLine();
        try
        {
            await WaitForPortAsync(smtpPort);
            await using var server = await CognateServer.StartAsync(new()
            {
                ["Cognate__Email__Outbox"] = "false",
                ["Cognate__Email__From"] = "no-reply@cognate.test",
                ["Cognate__Email__Smtp__Host"] = "127.0.0.1",
                ["Cognate__Email__Smtp__Port"] = smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
            using var admin = server.Client();
            using var anon = server.AnonymousClient();
            var pool = (string)(await admin.InvokeAsync("CreateUserPool", new JsonObject { ["PoolName"] = "smtp", ["AutoVerifiedAttributes"] = new JsonArray("email") }))["UserPool"]!["Id"]!;
            var client = (string)(await admin.InvokeAsync("CreateUserPoolClient", new JsonObject { ["UserPoolId"] = pool, ["ClientName"] = "c" }))["UserPoolClient"]!["ClientId"]!;
            await anon.InvokeAsync("SignUp", new JsonObject { ["ClientId"] = client, ["Username"] = "mail", ["Password"] = "Passw0rd!", ["UserAttributes"] = new JsonArray(new JsonObject { ["Name"] = "email", ["Value"] = "mail@example.com" }) });

            string? code = null;
            for (int i = 0; i < 100 && code is null; i++)
            {
                lock (received) { var m = CodePattern().Match(received.ToString()); if (m.Success) code = m.Groups[1].Value; }
                if (code is null) await Task.Delay(100);
            }
            code.ShouldNotBeNull("the SMTP server received no verification email");
            lock (received) received.ToString().ShouldContain("mail@example.com");
            (await server.Http.GetAsync(new Uri(server.Endpoint, "_outbox"))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
            await anon.InvokeAsync("ConfirmSignUp", new JsonObject { ["ClientId"] = client, ["Username"] = "mail", ["ConfirmationCode"] = code });
        }
        finally
        {
            smtp.Kill(entireProcessTree: true);
            await smtp.WaitForExitAsync();
        }
    }

    static async Task WaitForPortAsync(int port)
    {
        for (int i = 0; i < 100; i++)
        {
            try
            {
                using var c = new TcpClient();
                await c.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException("SMTP server did not start (is python3-aiosmtpd installed?).");
    }

    [Fact]
    public async Task Production_WithoutMasterKey_RefusesToStart()
    {
        var ex = await Should.ThrowAsync<InvalidOperationException>(async () =>
        {
            await using var _ = await CognateServer.StartAsync(new() { ["ASPNETCORE_ENVIRONMENT"] = "Production" });
        });
        ex.Message.ShouldContain("exited");
    }

    [Fact]
    public async Task Production_WithKeys_HidesOutboxAndDevelopmentCredentials()
    {
        await using var server = await CognateServer.StartAsync(new()
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Cognate__MasterKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["Cognate__Admin__AccessKeyId"] = "AKIAPRODUCTIONKEY000",
            ["Cognate__Admin__SecretAccessKey"] = "a-production-secret-of-at-least-32-chars",
            ["Cognate__IssuerBaseUrl"] = "https://idp.cognate.test",
        });
        (await server.Http.GetAsync(new Uri(server.Endpoint, "_outbox"))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using var dev = server.Client();
        var ex = await Should.ThrowAsync<Cognate.Client.CognitoServiceException>(() => dev.InvokeAsync("ListUserPools", new JsonObject { ["MaxResults"] = 10 }));
        ex.ErrorType.ShouldBe("UnrecognizedClientException");
        using var prod = new Cognate.Client.CognitoIdentityProviderClient(server.Endpoint, "us-east-1", new Cognate.Client.SigV4.AwsCredentials("AKIAPRODUCTIONKEY000", "a-production-secret-of-at-least-32-chars"), server.Http);
        var pools = await prod.InvokeAsync("ListUserPools", new JsonObject { ["MaxResults"] = 10 });
        pools["UserPools"]!.AsArray().Count.ShouldBe(0);
    }
}
