using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Cognate.Client;
using Microsoft.Data.Sqlite;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Infrastructure;

/// <summary>Issue 12 on a real server: a black-holed SMTP server fails fast, and the sweeper shrinks the tables a burst left behind.</summary>
public sealed class AbuseTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SignUp_SmtpServerNeverAnswers_FailsWithCodeDeliveryFailureWithinTheTimeout()
    {
        // A listener that accepts connections and never says a word (no SMTP greeting).
        using var blackHole = new TcpListener(IPAddress.Loopback, 0);
        blackHole.Start();
        var port = ((IPEndPoint)blackHole.LocalEndpoint).Port;
        var held = new List<TcpClient>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var accepting = Task.Run(async () =>
        {
            try { while (true) held.Add(await blackHole.AcceptTcpClientAsync(stop.Token)); }
            catch (OperationCanceledException) { }
        }, Ct);
        try
        {
            await using var server = await CognateServer.StartAsync(new()
            {
                ["Cognate__Email__Outbox"] = "false",
                ["Cognate__Email__Smtp__Host"] = "127.0.0.1",
                ["Cognate__Email__Smtp__Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Cognate__Email__Smtp__TimeoutSeconds"] = "2",
            });
            using var admin = server.Client();
            using var anon = server.AnonymousClient();
            var pool = (string)(await admin.InvokeAsync("CreateUserPool", new JsonObject { ["PoolName"] = "blackhole", ["AutoVerifiedAttributes"] = new JsonArray("email") }))["UserPool"]!["Id"]!;
            var client = (string)(await admin.InvokeAsync("CreateUserPoolClient", new JsonObject { ["UserPoolId"] = pool, ["ClientName"] = "c" }))["UserPoolClient"]!["ClientId"]!;

            var watch = Stopwatch.StartNew();
            var error = await Should.ThrowAsync<CognitoServiceException>(() => anon.InvokeAsync("SignUp", new JsonObject
            {
                ["ClientId"] = client, ["Username"] = "hole", ["Password"] = "Passw0rd!",
                ["UserAttributes"] = new JsonArray(new JsonObject { ["Name"] = "email", ["Value"] = "hole@example.com" }),
            }));
            watch.Stop();

            error.ErrorType.ShouldBe("CodeDeliveryFailureException");
            error.Message.ShouldNotContain("hole@example.com");
            watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(8));
            watch.Elapsed.ShouldBeGreaterThan(TimeSpan.FromSeconds(1.5));
        }
        finally
        {
            await stop.CancelAsync();
            await accepting;
            foreach (var c in held) c.Dispose();
        }
    }

    [Fact]
    public async Task Sweeper_BurstOfAbandonedSignIns_TablesShrinkBackOnceExpired()
    {
        // The test reads and ages rows with SQL, so it brings its own SQLite store in both server passes; the sweeper's
        // statements on PostgreSQL are covered by the storage specification (SweeperSpecification).
        var dir = Path.Combine(Path.GetTempPath(), "cognate-sweep-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var dbPath = Path.Combine(dir, "cognate.db");
        await using var server = await CognateServer.StartAsync(new()
        {
            ["Cognate__Sweeper__IntervalSeconds"] = "0.5",
            ["ConnectionStrings__Cognate"] = $"Data Source={dbPath}",
            ["Cognate__Storage__Provider"] = "sqlite",
        });
        using var admin = server.Client();
        using var anon = server.AnonymousClient();
        var pool = (string)(await admin.InvokeAsync("CreateUserPool", new JsonObject
        {
            ["PoolName"] = "sweep", ["UsernameAttributes"] = new JsonArray("email"), ["AutoVerifiedAttributes"] = new JsonArray("email"),
            ["Policies"] = new JsonObject { ["SignInPolicy"] = new JsonObject { ["AllowedFirstAuthFactors"] = new JsonArray("PASSWORD", "EMAIL_OTP") } },
        }))["UserPool"]!["Id"]!;
        var client = (string)(await admin.InvokeAsync("CreateUserPoolClient", new JsonObject
        {
            ["UserPoolId"] = pool, ["ClientName"] = "c", ["ExplicitAuthFlows"] = new JsonArray("ALLOW_USER_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"),
        }))["UserPoolClient"]!["ClientId"]!;

        // A burst: 40 sign-ups (a code each) and 200 abandoned sign-ins (an auth session each) from many connections.
        var emails = Enumerable.Range(0, 40).Select(i => $"sweep{i}@example.com").ToArray();
        await Task.WhenAll(emails.Select(e => anon.InvokeAsync("SignUp", new JsonObject
        {
            ["ClientId"] = client, ["Username"] = e, ["Password"] = "Passw0rd!",
            ["UserAttributes"] = new JsonArray(new JsonObject { ["Name"] = "email", ["Value"] = e }),
        })));
        await Task.WhenAll(emails.Select(e => admin.InvokeAsync("AdminConfirmSignUp", new JsonObject { ["UserPoolId"] = pool, ["Username"] = e })));
        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => anon.InvokeAsync("InitiateAuth", new JsonObject
        {
            ["ClientId"] = client, ["AuthFlow"] = "USER_AUTH", ["AuthParameters"] = new JsonObject { ["USERNAME"] = emails[i % emails.Length] },
        })));

        SQLitePCL.Batteries_V2.Init();
        await using var db = new SqliteConnection($"Data Source={dbPath};Default Timeout=30");
        await db.OpenAsync(Ct);
        async Task<long> CountAsync(string table)
        {
            await using var cmd = db.CreateCommand();
            cmd.CommandText = $"SELECT COUNT(*) FROM {table}";
            return (long)(await cmd.ExecuteScalarAsync(Ct))!;
        }
        (await CountAsync("auth_sessions")).ShouldBeGreaterThanOrEqualTo(200);

        // Live rows survive sweeps.
        await Task.Delay(1500, Ct);
        (await CountAsync("auth_sessions")).ShouldBeGreaterThanOrEqualTo(200);

        // Let them expire (as if their lifetimes had passed): the next sweeps delete them.
        await using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = "UPDATE auth_sessions SET expires_at = 1; UPDATE codes SET expires_at = 1";
            await cmd.ExecuteNonQueryAsync(Ct);
        }
        for (int i = 0; i < 60 && (await CountAsync("auth_sessions") > 0 || await CountAsync("codes") > 0); i++) await Task.Delay(250, Ct);
        (await CountAsync("auth_sessions")).ShouldBe(0);
        (await CountAsync("codes")).ShouldBe(0);
    }
}
