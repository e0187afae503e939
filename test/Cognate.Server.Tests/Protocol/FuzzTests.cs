using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Cognate.Client.SigV4;
using Cognate.Server.Protocol;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Protocol;

/// <summary>
/// Issue 12: bad requests generated from the service model for every operation (wrong types, missing members,
/// over-long and control-character strings, invalid UTF-8, unpaired surrogate escapes, nulls inside maps and lists,
/// deep nesting, truncated and oversized bodies, wrong targets), signed and unsigned, on a few keep-alive connections,
/// plus raw-socket HTTP framing cases (malformed chunk size, chunked body over 1 MiB, declared body over 1 MiB,
/// truncated body, client gone mid-body, body trickled below Kestrel's minimum data rate). The server must answer every
/// one with a 4xx (or close quietly), log no unhandled exception, stay up, and still sign a user up and in afterwards.
/// Seeds: a fixed one and a random one, both printed; <c>COGNATE_FUZZ_SEED=n</c> replays one seed alone.
/// </summary>
public sealed class FuzzTests
{
    const int FixedSeed = 12012;
    const int RequestsPerSeed = 5_000;
    const int Connections = 8;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Fuzz_ModelGeneratedBadRequests_NoServerErrorAndServerStillWorks()
    {
        var log = TestContext.Current.TestOutputHelper!;
        var replay = Environment.GetEnvironmentVariable("COGNATE_FUZZ_SEED");
        int[] seeds = replay is { Length: > 0 } ? [int.Parse(replay, System.Globalization.CultureInfo.InvariantCulture)] : [FixedSeed, Random.Shared.Next()];
        int perSeed = seeds.Length == 1 ? 2 * RequestsPerSeed : RequestsPerSeed;
        foreach (var seed in seeds) log.WriteLine($"fuzz seed {seed} ({perSeed} requests; replay alone with COGNATE_FUZZ_SEED={seed})");

        // A short header timeout (Cognate:Http:RequestHeadersTimeoutSeconds, default 30) keeps the slow-headers case brief.
        await using var server = await CognateServer.StartAsync(new() { ["Cognate__Http__RequestHeadersTimeoutSeconds"] = "3" });
        var model = ServiceModel.Load();
        var framing = FramingCasesAsync(server.Port);

        var serverErrors = new ConcurrentQueue<string>();
        var statusCounts = new ConcurrentDictionary<int, int>();
        var noAnswer = new ConcurrentQueue<string>();
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Connections, UseCookies = false, RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8 };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        var signer = new SigV4Signer(new AwsCredentials(CognateServer.AccessKeyId, CognateServer.SecretAccessKey), "us-east-1", "cognito-idp");
        var clock = Stopwatch.StartNew();
        foreach (var seed in seeds)
        {
            var gen = new BadRequestGenerator(model, seed);
            var cases = Enumerable.Range(0, perSeed).Select(gen.Next).ToArray();
            await Parallel.ForEachAsync(Enumerable.Range(0, cases.Length), new ParallelOptions { MaxDegreeOfParallelism = Connections, CancellationToken = Ct }, async (i, ct) =>
            {
                var c = cases[i];
                using var req = new HttpRequestMessage(HttpMethod.Post, server.Endpoint) { Content = new ByteArrayContent(c.Body) };
                req.Content.Headers.TryAddWithoutValidation("Content-Type", c.ContentType);
                if (c.Target is not null) req.Headers.TryAddWithoutValidation("X-Amz-Target", c.Target);
                if (c.Signed) signer.Sign(req, c.Body);
                int status;
                string text;
                try
                {
                    using var resp = await http.SendAsync(req, ct);
                    status = (int)resp.StatusCode;
                    text = await resp.Content.ReadAsStringAsync(ct);
                }
                catch (HttpRequestException ex) when (c.Body.Length > Dispatcher.MaxBodyBytes)
                {
                    // An oversized body may be cut off by the server's close after its 413 before the client reads it.
                    status = 413;
                    text = ex.Message;
                }
                catch (HttpRequestException ex)
                {
                    status = 0;
                    text = ex.Message + " " + ex.InnerException?.Message;
                    noAnswer.Enqueue($"seed {c.Seed} case {c.Index} ({c.Kind}, {c.Target}, signed={c.Signed}): {text}; body {Cut(Convert.ToBase64String(c.Body), 200)}");
                }
                statusCounts.AddOrUpdate(status, 1, (_, n) => n + 1);
                if (status >= 500)
                {
                    serverErrors.Enqueue($"seed {c.Seed} case {c.Index} ({c.Kind}, {c.Target}, signed={c.Signed}): {status} {Cut(text, 300)}; body {Cut(Convert.ToBase64String(c.Body), 400)}");
                }
            });
        }
        log.WriteLine($"{seeds.Length * perSeed} requests in {clock.Elapsed.TotalSeconds:F1} s; statuses: {string.Join(", ", statusCounts.OrderBy(x => x.Key).Select(x => $"{x.Key}×{x.Value}"))}");

        var framingResults = await framing;
        foreach (var r in framingResults) log.WriteLine($"framing {r.Case}: {r.Outcome}");

        // A 500's cause is in the server's log (warnings and errors): print it with the failing cases.
        if (!serverErrors.IsEmpty) foreach (var line in server.OutputLines.TakeLast(60)) log.WriteLine("server: " + line);
        serverErrors.Take(20).ShouldBeEmpty();
        noAnswer.Take(20).ShouldBeEmpty();
        framingResults.Where(r => !r.Ok).Select(r => $"{r.Case}: {r.Outcome}").ShouldBeEmpty();
        server.IsRunning.ShouldBeTrue();
        using (var live = await server.Http.GetAsync(new Uri(server.Endpoint, "health/live"), Ct)) live.StatusCode.ShouldBe(HttpStatusCode.OK);

        // A normal sign-up and sign-in still work.
        using var admin = server.Client();
        using var anon = server.AnonymousClient();
        var pool = (string)(await admin.InvokeAsync("CreateUserPool", new JsonObject { ["PoolName"] = "after-fuzz" }))["UserPool"]!["Id"]!;
        var client = (string)(await admin.InvokeAsync("CreateUserPoolClient", new JsonObject
        {
            ["UserPoolId"] = pool, ["ClientName"] = "app", ["ExplicitAuthFlows"] = new JsonArray("ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"),
        }))["UserPoolClient"]!["ClientId"]!;
        await anon.InvokeAsync("SignUp", new JsonObject { ["ClientId"] = client, ["Username"] = "after", ["Password"] = "Passw0rd!" });
        await admin.InvokeAsync("AdminConfirmSignUp", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "after" });
        var auth = await anon.InvokeAsync("InitiateAuth", new JsonObject
        {
            ["ClientId"] = client, ["AuthFlow"] = "USER_PASSWORD_AUTH", ["AuthParameters"] = new JsonObject { ["USERNAME"] = "after", ["PASSWORD"] = "Passw0rd!" },
        });
        ((string?)auth["AuthenticationResult"]?["AccessToken"]).ShouldNotBeNullOrEmpty();

        var bad = server.OutputLines.Where(l => l.Contains("fail:", StringComparison.Ordinal) || l.Contains("nhandled", StringComparison.Ordinal) || l.Contains("crit:", StringComparison.Ordinal)).ToArray();
        bad.Take(20).ShouldBeEmpty();
    }

    static string Cut(string s, int n) => s.Length <= n ? s : s[..n] + "…";

    sealed record FramingResult(string Case, bool Ok, string Outcome);

    static async Task<List<FramingResult>> FramingCasesAsync(int port)
    {
        var cases = new (string Name, Func<int, Task<FramingResult>> Run)[]
        {
            ("malformed chunk size", p => OneAsync(p, "malformed chunk size", "Transfer-Encoding: chunked", async s => await s.WriteAsync("zz\r\n{}\r\n0\r\n\r\n"u8.ToArray()), [400])),
            ("chunked body over 1 MiB", p => OneAsync(p, "chunked body over 1 MiB", "Transfer-Encoding: chunked", async s =>
            {
                var chunk = Encoding.ASCII.GetBytes(new string('a', 64 * 1024));
                var head = Encoding.ASCII.GetBytes($"{chunk.Length:x}\r\n");
                for (int i = 0; i < 20; i++) { await s.WriteAsync(head); await s.WriteAsync(chunk); await s.WriteAsync("\r\n"u8.ToArray()); }
                await s.WriteAsync("0\r\n\r\n"u8.ToArray());
            }, [413], expectClose: true)),
            ("declared body over 1 MiB", p => OneAsync(p, "declared body over 1 MiB", $"Content-Length: {2 * Dispatcher.MaxBodyBytes}", async s => await s.WriteAsync(new byte[1024]), [413], expectClose: true)),
            ("truncated body, half-closed", p => OneAsync(p, "truncated body, half-closed", "Content-Length: 100", async s => await s.WriteAsync("{\"ClientId\":"u8.ToArray()), [400], halfClose: true, quietCloseOk: true)),
            ("client gone mid-body", p => GoneAsync(p)),
            ("body trickled below the minimum data rate", p => OneAsync(p, "body trickled below the minimum data rate", "Content-Length: 100000", async s =>
            {
                var until = DateTime.UtcNow.AddSeconds(15);
                while (DateTime.UtcNow < until) { await s.WriteAsync("a"u8.ToArray()); await Task.Delay(250); }
            }, [408], quietCloseOk: true)),
            ("headers trickled past the header timeout", p => SlowHeadersAsync(p)),
            ("garbage request line", p => RawAsync(p, "garbage request line", "GARBAGE / HTTP/9\r\n\r\n"u8.ToArray(), [400])),
        };
        var results = await Task.WhenAll(cases.Select(async c =>
        {
            try { return await c.Run(port); }
            catch (Exception ex) { return new FramingResult(c.Name, false, ex.GetType().Name + ": " + ex.Message); }
        }));
        return [.. results];
    }

    static async Task<FramingResult> RawAsync(int port, string name, byte[] bytes, int[] expected)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var s = tcp.GetStream();
        await s.WriteAsync(bytes);
        var (status, headers) = await ReadResponseHeadAsync(s, TimeSpan.FromSeconds(10));
        return new FramingResult(name, status is { } st && expected.Contains(st), status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "closed: " + headers);
    }

    static async Task<FramingResult> OneAsync(int port, string name, string framingHeader, Func<NetworkStream, Task> sendBody, int[] expected,
        bool expectClose = false, bool halfClose = false, bool quietCloseOk = false)
    {
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var s = tcp.GetStream();
        var head = $"POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Amz-Target: AWSCognitoIdentityProviderService.SignUp\r\nContent-Type: application/x-amz-json-1.1\r\n{framingHeader}\r\n\r\n";
        await s.WriteAsync(Encoding.ASCII.GetBytes(head));
        var reading = ReadResponseHeadAsync(s, TimeSpan.FromSeconds(25));
        var sending = Task.Run(async () =>
        {
            try
            {
                var body = sendBody(s);
                await Task.WhenAny(body, reading);
                if (body.IsCompleted) await body;
                if (halfClose) tcp.Client.Shutdown(SocketShutdown.Send);
            }
            catch (IOException) { } // the server stopped reading and closed: expected for the refused bodies
            catch (SocketException) { }
            catch (ObjectDisposedException) { }
        });
        var (status, headers) = await reading;
        await Task.WhenAny(sending, Task.Delay(1000));
        if (status is null) return new FramingResult(name, quietCloseOk, "closed without an answer (" + headers + ")");
        bool ok = expected.Contains(status.Value) && (!expectClose || headers.Contains("connection: close", StringComparison.OrdinalIgnoreCase));
        return new FramingResult(name, ok, $"{status} {headers.Replace("\r\n", " | ", StringComparison.Ordinal)}");
    }

    static async Task<FramingResult> GoneAsync(int port)
    {
        for (int i = 0; i < 5; i++)
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, port);
            var s = tcp.GetStream();
            await s.WriteAsync(Encoding.ASCII.GetBytes($"POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Amz-Target: AWSCognitoIdentityProviderService.InitiateAuth\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: 1000\r\n\r\n{{\"ClientId\":\"x"));
            await Task.Delay(100);
            if (i % 2 == 0) tcp.Client.LingerState = new LingerOption(true, 0); // reset instead of FIN
            tcp.Close();
        }
        return new FramingResult("client gone mid-body", true, "5 connections dropped (the server log is checked)");
    }

    static async Task<FramingResult> SlowHeadersAsync(int port)
    {
        const string name = "headers trickled past the header timeout";
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var s = tcp.GetStream();
        await s.WriteAsync(Encoding.ASCII.GetBytes($"POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Slow: "));
        var reading = ReadResponseHeadAsync(s, TimeSpan.FromSeconds(12));
        var clock = Stopwatch.StartNew();
        try
        {
            while (!reading.IsCompleted && clock.Elapsed < TimeSpan.FromSeconds(12)) { await s.WriteAsync("a"u8.ToArray()); await Task.Delay(250); }
        }
        catch (IOException) { }
        var (status, head) = await reading;
        // Closed (with or without a 408) within the configured 3 s plus Kestrel's once-a-second heartbeat.
        bool ok = clock.Elapsed < TimeSpan.FromSeconds(10) && status is null or 408;
        return new FramingResult(name, ok, $"{status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "closed (" + head + ")"} after {clock.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>Reads until the end of the response head; returns its status (null when closed first) and the head text or the reason.</summary>
    static async Task<(int? Status, string Head)> ReadResponseHeadAsync(NetworkStream s, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[8192];
        var acc = new MemoryStream();
        try
        {
            while (true)
            {
                int n = await s.ReadAsync(buffer, cts.Token);
                if (n == 0) break;
                acc.Write(buffer, 0, n);
                var text = Encoding.ASCII.GetString(acc.GetBuffer(), 0, (int)acc.Length);
                int end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (end >= 0)
                {
                    var head = text[..end];
                    var parts = head.Split(' ', 3);
                    return (int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), head);
                }
            }
            return (null, "EOF");
        }
        catch (OperationCanceledException) { return (null, "timeout"); }
        catch (IOException ex) { return (null, ex.InnerException?.Message ?? ex.Message); }
    }
}
