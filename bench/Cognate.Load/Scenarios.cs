using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cognate.Core.Crypto;

namespace Cognate.Load;

/// <summary>The figures of one scenario on one server.</summary>
sealed class Result
{
    public string Scenario { get; set; } = "";
    public string Server { get; set; } = "";
    public string? Lacks { get; set; }
    public double RequestsPerSecond { get; set; }
    public double P50Ms { get; set; }
    public double P99Ms { get; set; }
    public long Requests { get; set; }
    public long Non2xx { get; set; }
    public long SocketErrors { get; set; }
    public double ServerCpuSeconds { get; set; }
    public double DriverCpuSeconds { get; set; }
    public double DurationSeconds { get; set; }
    public double ServerPeakRssMb { get; set; }
    public string Driver { get; set; } = "wrk";
    /// <summary>Scale run: the alternating round this result belongs to (0 outside rounds).</summary>
    public int Round { get; set; }
}

/// <summary>The HTTP scenarios: all wrk-driven except the SRP sign-in (two round trips with client-side SRP math).</summary>
static class Scenarios
{
    public static readonly string[] All = ["SignUp", "PasswordSignIn", "SrpSignIn", "RefreshToken", "GetUser", "AdminGetUser", "ListUsersPrefix"];

    public static async Task<Result> RunAsync(string scenario, ServerProcess server, Fixture f, Options o, int userSpace)
    {
        if (scenario == "SrpSignIn") return await SrpAsync(server, f, o);
        var rnd = new Random(7);
        var ep = server.Endpoint;
        List<WireRequest> reqs = scenario switch
        {
            "SignUp" => [Setup.Wire(ep, "SignUp", SignUpBody(f.ClientId, "probe-" + Guid.NewGuid().ToString("N")[..12]), false)],
            "PasswordSignIn" => [.. f.SignInUsers.Take(1000).Select(u => Setup.Wire(ep, "InitiateAuth", Setup.PasswordAuth(f.ClientId, u), false))],
            "RefreshToken" => [.. f.RefreshTokens.Select(t => Setup.Wire(ep, "InitiateAuth", new JsonObject
            {
                ["AuthFlow"] = "REFRESH_TOKEN_AUTH", ["ClientId"] = f.ClientId, ["AuthParameters"] = new JsonObject { ["REFRESH_TOKEN"] = t },
            }, false))],
            "GetUser" => [.. f.AccessTokens.Select(t => Setup.Wire(ep, "GetUser", new JsonObject { ["AccessToken"] = t }, false))],
            "AdminGetUser" => [.. Enumerable.Range(0, 2000).Select(_ => Setup.Wire(ep, "AdminGetUser", new JsonObject
            {
                ["UserPoolId"] = f.PoolId, ["Username"] = Setup.UserName(rnd.Next(userSpace)),
            }, true))],
            // email ^= "u000012": 10 users of a 7-digit numbering, at any pool size ≥ the prefix.
            "ListUsersPrefix" => [.. Enumerable.Range(0, 2000).Select(_ => Setup.Wire(ep, "ListUsers", new JsonObject
            {
                ["UserPoolId"] = f.PoolId, ["Filter"] = $"email ^= \"{Setup.UserName(rnd.Next(userSpace))[..7]}\"", ["Limit"] = 60,
            }, true))],
            _ => throw new ArgumentException(scenario),
        };
        var probe = await ProbeAsync(ep, reqs[0]);
        if (probe is not null) return new Result { Scenario = scenario, Server = server.Name, Lacks = probe };

        string script = Path.Combine(server.WorkDir, scenario + ".lua");
        await File.WriteAllTextAsync(script, scenario == "SignUp" ? SignUpLua(f.ClientId) : StaticLua(reqs));
        if (o.WarmupSeconds > 0) await WrkAsync(script, ep, o.WarmupSeconds);
        double cpu0 = server.CpuSeconds();
        var w = await WrkAsync(script, ep, o.Seconds);
        double cpu1 = server.CpuSeconds();
        return new Result
        {
            Scenario = scenario, Server = server.Name,
            Requests = w.GetProperty("requests").GetInt64(),
            DurationSeconds = w.GetProperty("duration_us").GetDouble() / 1e6,
            RequestsPerSecond = w.GetProperty("requests").GetInt64() / (w.GetProperty("duration_us").GetDouble() / 1e6),
            P50Ms = w.GetProperty("p50_us").GetDouble() / 1000, P99Ms = w.GetProperty("p99_us").GetDouble() / 1000,
            Non2xx = w.GetProperty("status").GetInt64(),
            SocketErrors = w.GetProperty("connect").GetInt64() + w.GetProperty("read").GetInt64() + w.GetProperty("write").GetInt64() + w.GetProperty("timeout").GetInt64(),
            ServerCpuSeconds = cpu1 - cpu0,
            DriverCpuSeconds = w.GetProperty("driver_cpu").GetDouble(),
            ServerPeakRssMb = server.Memory().PeakMb,
        };
    }

    static JsonObject SignUpBody(string clientId, string username) => new()
    {
        ["ClientId"] = clientId, ["Username"] = username, ["Password"] = Setup.Password,
        ["UserAttributes"] = new JsonArray(new JsonObject { ["Name"] = "email", ["Value"] = username + "@bench.example" }),
    };

    /// <summary>Null when <paramref name="r"/> answers 2xx, else the peer's error (it lacks the scenario).</summary>
    static async Task<string?> ProbeAsync(Uri ep, WireRequest r)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var msg = new HttpRequestMessage(HttpMethod.Post, ep) { Content = new StringContent(r.Body) };
        msg.Content.Headers.Remove("Content-Type");
        foreach (var (k, v) in r.Headers)
        {
            if (k == "Content-Type") msg.Content.Headers.TryAddWithoutValidation(k, v);
            else msg.Headers.TryAddWithoutValidation(k, v);
        }
        using var resp = await http.SendAsync(msg);
        if (resp.IsSuccessStatusCode) return null;
        var text = await resp.Content.ReadAsStringAsync();
        return $"HTTP {(int)resp.StatusCode}: {Trim(text)}";
    }

    internal static string Trim(string s) => s.Length > 160 ? s[..160] + "…" : s;

    internal static string Lua(string s) => "[==[" + s + "]==]";

    internal static string HeaderTable(IEnumerable<KeyValuePair<string, string>> headers) =>
        "{" + string.Join(",", headers.Select(h => $"[ {Lua(h.Key)} ]={Lua(h.Value)}")) + "}";

    internal const string Common = """
        local counter = 0
        function setup(thread)
          counter = counter + 1
          thread:set("tid", counter)
        end
        function done(summary, latency, requests)
          local f = io.open("/proc/self/stat", "r")
          local stat = f:read("*a"); f:close()
          local rest = stat:sub(stat:find(")", 1, true) + 2)
          local fields = {}
          for w in rest:gmatch("%S+") do fields[#fields + 1] = w end
          local cpu = (tonumber(fields[12]) + tonumber(fields[13])) / 100
          io.write(string.format('WRKJSON {"requests":%d,"duration_us":%d,"status":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,"driver_cpu":%.2f}\n',
            summary.requests, summary.duration, summary.errors.status, summary.errors.connect, summary.errors.read,
            summary.errors.write, summary.errors.timeout, latency:percentile(50), latency:percentile(99), latency.max, cpu))
        end

        """;

    /// <summary>Replays pre-built requests round-robin (each thread from its own offset); requests are formatted once in init.</summary>
    static string StaticLua(List<WireRequest> reqs)
    {
        var sb = new StringBuilder(Common);
        sb.AppendLine("local reqs = {");
        foreach (var r in reqs) sb.Append("{b=").Append(Lua(r.Body)).Append(",h=").Append(HeaderTable(r.Headers)).AppendLine("},");
        sb.AppendLine("}");
        sb.AppendLine("""
            local formatted = {}
            local i = 0
            function init(args)
              for k, r in ipairs(reqs) do formatted[k] = wrk.format("POST", "/", r.h, r.b) end
              i = (tid or 0) * 7919
            end
            function request()
              i = i + 1
              return formatted[(i % #formatted) + 1]
            end
            """);
        return sb.ToString();
    }

    /// <summary>SignUp: a new username per request (run nonce, thread, counter).</summary>
    static string SignUpLua(string clientId)
    {
        // The run nonce (wrk's script argument) keeps the warm-up's and the measured run's usernames apart.
        string template = "{\"ClientId\":\"" + clientId + "\",\"Username\":\"s%s-%d-%d\",\"Password\":\"" + Setup.Password +
            "\",\"UserAttributes\":[{\"Name\":\"email\",\"Value\":\"s%s-%d-%d@bench.example\"}]}";
        return Common + "local hdr = " + HeaderTable([new("Content-Type", "application/x-amz-json-1.1"), new("X-Amz-Target", "AWSCognitoIdentityProviderService.SignUp")]) + "\n" +
            "local tmpl = " + Lua(template) + "\n" + """
            local i = 0
            local nonce = "x"
            function init(args)
              nonce = args[1] or "x"
            end
            function request()
              i = i + 1
              return wrk.format("POST", "/", hdr, string.format(tmpl, nonce, tid, i, nonce, tid, i))
            end
            """;
    }

    internal static async Task<JsonElement> WrkAsync(string script, Uri ep, int seconds)
    {
        var psi = new ProcessStartInfo("wrk", ["-t2", "-c16", $"-d{seconds}s", "--timeout", "5s", "-s", script, ep.ToString(), "--", Guid.NewGuid().ToString("N")[..10]])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        var line = (await stdout).Split('\n').FirstOrDefault(l => l.StartsWith("WRKJSON ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("wrk printed no figures: " + await stderr + await stdout);
        return JsonDocument.Parse(line["WRKJSON ".Length..]).RootElement.Clone();
    }

    /// <summary>
    /// Bytes of the driver's SRP secret a: 32 (256 bits, RFC 5054's minimum) rather than amazon-cognito-identity-js' 128,
    /// which halves the client's premaster exponentiation — the driver shares the two cores with the server it measures.
    /// The server's work does not depend on it.
    /// </summary>
    internal const int DriverPrivateALength = 32;

    /// <summary>
    /// Full USER_SRP_AUTH sign-in, InitiateAuth then RespondToAuthChallenge(PASSWORD_VERIFIER), 16 concurrent loops over
    /// 16 keep-alive connections. The client's A = g^a is drawn before the clock starts (it does not depend on the
    /// server); the claim (g^x by the fixed-base comb and one 3072-bit exponentiation with exponent a + u·x, OpenSSL via Cognate.Core's SrpClient) is computed in the loop and
    /// is counted as driver CPU. Bounded by <see cref="Options.Seconds"/> and <see cref="Options.MaxSrpSignIns"/>.
    /// </summary>
    static async Task<Result> SrpAsync(ServerProcess server, Fixture f, Options o)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 16, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var http = new HttpClient(handler) { BaseAddress = server.Endpoint, Timeout = TimeSpan.FromSeconds(10) };
        // Probe.
        var probe = await SrpOnceAsync(http, f, f.SignInUsers[0], SrpClient.Create(DriverPrivateALength));
        if (probe is not null) return new Result { Scenario = "SrpSignIn", Server = server.Name, Lacks = probe, Driver = ".NET" };

        if (o.WarmupSeconds > 0) await LoopsAsync(http, f, [.. Enumerable.Range(0, 1000).Select(_ => SrpClient.Create(DriverPrivateALength))], o.WarmupSeconds);
        // A = g^a is drawn before the measured window (it does not depend on the server's answer).
        var pool = Enumerable.Range(0, o.MaxSrpSignIns).Select(_ => SrpClient.Create(DriverPrivateALength)).ToArray();
        var me = Process.GetCurrentProcess();
        double cpu0 = server.CpuSeconds();
        double mycpu0 = me.TotalProcessorTime.TotalSeconds;
        var sw = Stopwatch.StartNew();
        var (lat, errors) = await LoopsAsync(http, f, pool, o.Seconds);
        sw.Stop();
        double cpu1 = server.CpuSeconds();
        me.Refresh();
        lat.Sort();
        return new Result
        {
            Scenario = "SrpSignIn", Server = server.Name, Driver = ".NET",
            Requests = lat.Count, DurationSeconds = sw.Elapsed.TotalSeconds,
            RequestsPerSecond = lat.Count / sw.Elapsed.TotalSeconds,
            P50Ms = Percentile(lat, 50), P99Ms = Percentile(lat, 99), Non2xx = errors,
            ServerCpuSeconds = cpu1 - cpu0, DriverCpuSeconds = me.TotalProcessorTime.TotalSeconds - mycpu0,
            ServerPeakRssMb = server.Memory().PeakMb,
        };
    }

    static async Task<(List<double> Latencies, long Errors)> LoopsAsync(HttpClient http, Fixture f, SrpClient[] ephemerals, int seconds)
    {
        var queue = new System.Collections.Concurrent.ConcurrentQueue<SrpClient>(ephemerals);
        var lat = new List<double>();
        long errors = 0;
        int n = 0;
        var until = Stopwatch.GetTimestamp() + (long)(seconds * (double)Stopwatch.Frequency);
        async Task Loop()
        {
            var mine = new List<double>();
            while (Stopwatch.GetTimestamp() < until && queue.TryDequeue(out var eph))
            {
                int k = Interlocked.Increment(ref n);
                long t0 = Stopwatch.GetTimestamp();
                var err = await SrpOnceAsync(http, f, f.SignInUsers[k % f.SignInUsers.Count], eph);
                if (err is not null) Interlocked.Increment(ref errors);
                mine.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            }
            lock (lat) lat.AddRange(mine);
        }
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(Loop)));
        return (lat, errors);
    }

    internal static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p / 100 * sorted.Count) - 1)];

    /// <summary>One SRP sign-in; null on success (tokens issued), else what went wrong.</summary>
    internal static async Task<string?> SrpOnceAsync(HttpClient http, Fixture f, string user, SrpClient eph)
    {
        var init = new JsonObject
        {
            ["AuthFlow"] = "USER_SRP_AUTH", ["ClientId"] = f.ClientId,
            ["AuthParameters"] = new JsonObject { ["USERNAME"] = user, ["SRP_A"] = eph.PublicAHex },
        };
        var (ok, r1) = await PostAsync(http, "InitiateAuth", init);
        if (!ok) return r1.ToJsonString();
        if ((string?)r1["ChallengeName"] != "PASSWORD_VERIFIER") return "no PASSWORD_VERIFIER challenge: " + Trim(r1.ToJsonString());
        var p = r1["ChallengeParameters"]!.AsObject();
        string userId = (string)p["USER_ID_FOR_SRP"]!;
        string secretBlock = (string)p["SECRET_BLOCK"]!;
        string timestamp = Srp.FormatTimestamp(DateTimeOffset.UtcNow);
        string signature;
        try
        {
            signature = eph.ComputeClaimSignature(f.PoolId, userId, Setup.Password, (string)p["SALT"]!, (string)p["SRP_B"]!, secretBlock, timestamp);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or FormatException or ArgumentException)
        {
            return "unusable challenge: " + e.Message;
        }
        var answer = new JsonObject
        {
            ["ChallengeName"] = "PASSWORD_VERIFIER", ["ClientId"] = f.ClientId, ["Session"] = r1["Session"]?.DeepClone(),
            ["ChallengeResponses"] = new JsonObject
            {
                ["USERNAME"] = userId, ["PASSWORD_CLAIM_SECRET_BLOCK"] = secretBlock, ["TIMESTAMP"] = timestamp, ["PASSWORD_CLAIM_SIGNATURE"] = signature,
            },
        };
        if (answer["Session"] is null) answer.Remove("Session");
        var (ok2, r2) = await PostAsync(http, "RespondToAuthChallenge", answer);
        if (!ok2) return r2.ToJsonString();
        return r2["AuthenticationResult"]?["AccessToken"] is null ? "no tokens: " + Trim(r2.ToJsonString()) : null;
    }

    internal static async Task<(bool Ok, JsonObject Body)> PostAsync(HttpClient http, string action, JsonObject body)
    {
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-amz-json-1.1");
        using var msg = new HttpRequestMessage(HttpMethod.Post, "/") { Content = content };
        msg.Headers.TryAddWithoutValidation("X-Amz-Target", "AWSCognitoIdentityProviderService." + action);
        using var resp = await http.SendAsync(msg);
        var text = await resp.Content.ReadAsStringAsync();
        JsonObject obj;
        try { obj = JsonNode.Parse(text) as JsonObject ?? []; }
        catch (JsonException) { obj = new JsonObject { ["raw"] = Trim(text) }; }
        if (!resp.IsSuccessStatusCode) obj["status"] = (int)resp.StatusCode;
        return (resp.IsSuccessStatusCode, obj);
    }
}
