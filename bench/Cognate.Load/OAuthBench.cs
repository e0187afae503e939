using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cognate.Core.Crypto;

namespace Cognate.Load;

/// <summary>
/// <c>oauth</c>: the OAuth 2.0 endpoints of Cognate side by side with oidc-provider 9.13.3 (bench/node/oidc-provider-peer.mjs)
/// in one run: client_credentials tokens/s, authorization-code exchanges/s and userInfo/s, each with wrk (-t2 -c16) for
/// <see cref="Options.Seconds"/> after a warm-up, on the same 2 cores. Every request must answer 2xx (the non-2xx column).
/// </summary>
/// <remarks>
/// <para><b>Codes</b> are single use, so each exchange run replays pre-minted codes, each once, and must not run out: the
/// warm-up exchanges a first batch and its rate sizes the measured batch (rate × seconds × 1.6, at least 5,000).
/// Cognate's codes come from its real <c>GET /oauth2/authorize</c>, with a managed-login session cookie that the harness
/// seals itself with the master key it started the server with, in the format <c>ManagedLoginSessions</c> documents (the
/// server's own tests do the same): a sign-in through the pages would write the same cookie. This needs the server's
/// master key, so it is no way in for anyone else. oidc-provider's codes are minted by its own models in its process
/// (it has no login page to drive); they are written to a file the harness reads.</para>
/// <para><b>userInfo tokens</b>: Cognate's are access tokens from 64 code exchanges (scope openid email); oidc-provider's
/// are opaque access tokens minted the same way as its codes.</para>
/// </remarks>
static class OAuthBench
{
    public static readonly string[] All = ["ClientCredentials", "CodeExchange", "UserInfo"];
    const string Api = "https://api.example.com";
    const string PeerSecret = "bench-peer-client-secret-0123456789abcdef";

    /// <summary>What a scenario needs of one server.</summary>
    sealed class Target
    {
        public required string Name { get; init; }
        public required ServerProcess Server { get; init; }
        public required string TokenPath { get; init; }
        public required string UserInfoPath { get; init; }
        public required string M2mBasic { get; init; }
        public required string M2mScope { get; init; }
        public required string AppBasic { get; init; }
        public required string RedirectUri { get; init; }
        public required string Verifier { get; init; }
        public required List<string> UserInfoTokens { get; init; }
        /// <summary>Returns <c>n</c> fresh codes (single use).</summary>
        public required Func<int, Task<List<string>>> MintAsync { get; init; }
    }

    public static async Task<int> RunAsync(Options o, Paths paths)
    {
        string[] servers = o.Servers.SequenceEqual(["cognate", "moto", "cognito-local"]) ? ["cognate", "oidc-provider"] : o.Servers;
        string[] scenarios = o.Scenarios.SequenceEqual(Scenarios.All) ? All : o.Scenarios;
        string machine = Harness.Machine();
        Console.WriteLine($"# {machine}; wrk -t2 -c16, {o.Seconds} s per scenario after {o.WarmupSeconds} s warm-up");
        double signs = SignaturesPerSecond();
        string floor = $"RS256 (2048-bit) signatures on one core, measured now: {signs:N0}/s; a token endpoint signing one per token on both cores, with nothing else running, tops out near {2 * signs:N0}/s";
        Console.WriteLine("# " + floor);
        var results = new List<Result>();
        var loads = new List<string>();
        foreach (var name in servers)
        {
            using var server = await Servers.StartAsync(name, paths, name == "cognate" ? Setup.AnsweredAsync : PeerAnsweredAsync);
            Console.WriteLine($"## {name}: pid {server.Process.Id}, port {server.Port}");
            var target = name == "cognate" ? await CognateAsync(server) : await PeerAsync(server);
            Console.WriteLine($"   set up: {target.UserInfoTokens.Count} userInfo tokens");
            foreach (var scenario in scenarios)
            {
                string load = File.ReadAllText("/proc/loadavg").Trim();
                var r = await RunScenarioAsync(scenario, target, o);
                results.Add(r);
                loads.Add($"{name} {scenario}: load average before {string.Join(' ', load.Split(' ').Take(3))}");
                Console.WriteLine("   " + Harness.Line(r) + $"  (load average before: {string.Join(' ', load.Split(' ').Take(3))})");
            }
            server.Dispose();
            Harness.Cleanup(server.WorkDir);
        }
        string table = Harness.Table(results, servers, new Dictionary<string, double>());
        // No cold-start or RSS rows' meaning changes: oidc-provider's start includes minting its codes, so its cold start is left out.
        table = string.Join('\n', table.Split('\n').Where(l => !l.StartsWith("| cold start", StringComparison.Ordinal))) + "\n" + floor + "\n\n" + string.Join("\n", loads) + "\n";
        Console.WriteLine();
        Console.WriteLine(table);
        await Harness.WriteAsync(paths, o.Label ?? "oauth", machine, o, results, new Dictionary<string, double>(), table);
        return 0;
    }

    /// <summary>RS256 signatures per second on one thread for 1 s (after a short warm-up): the unit of the client_credentials floor.</summary>
    static double SignaturesPerSecond()
    {
        using var rsa = RSA.Create(2048);
        var data = RandomNumberGenerator.GetBytes(600); // about an access token's signing input
        for (int i = 0; i < 50; i++) rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var sw = Stopwatch.StartNew();
        int n = 0;
        while (sw.Elapsed < TimeSpan.FromSeconds(1)) { rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1); n++; }
        return n / sw.Elapsed.TotalSeconds;
    }

    static async Task<bool> PeerAnsweredAsync(Uri endpoint)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        using var r = await http.GetAsync(new Uri(endpoint, ".well-known/openid-configuration"));
        return r.IsSuccessStatusCode;
    }

    static string Basic(string id, string secret) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.EscapeDataString(id) + ":" + Uri.EscapeDataString(secret)));

    static (string Verifier, string Challenge) Pkce()
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    static string Base64Url(ReadOnlySpan<byte> b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Cognate: pool, resource server, an M2M client, a code-flow client, 64 users with session cookies.</summary>
    static async Task<Target> CognateAsync(ServerProcess server)
    {
        var ep = server.Endpoint;
        using var admin = Setup.Client(ep);
        string pool = (string)(await admin.InvokeAsync("CreateUserPool", new JsonObject { ["PoolName"] = "bench-oauth" }))["UserPool"]!["Id"]!;
        await admin.InvokeAsync("CreateResourceServer", new JsonObject
        {
            ["UserPoolId"] = pool, ["Identifier"] = Api, ["Name"] = "api",
            ["Scopes"] = new JsonArray(new JsonObject { ["ScopeName"] = "read", ["ScopeDescription"] = "r" }, new JsonObject { ["ScopeName"] = "write", ["ScopeDescription"] = "w" }),
        });
        var m2m = (await admin.InvokeAsync("CreateUserPoolClient", new JsonObject
        {
            ["UserPoolId"] = pool, ["ClientName"] = "m2m", ["GenerateSecret"] = true, ["AllowedOAuthFlowsUserPoolClient"] = true,
            ["AllowedOAuthFlows"] = new JsonArray("client_credentials"), ["AllowedOAuthScopes"] = new JsonArray($"{Api}/read", $"{Api}/write"),
        }))["UserPoolClient"]!;
        const string redirect = "http://localhost/callback";
        var app = (await admin.InvokeAsync("CreateUserPoolClient", new JsonObject
        {
            ["UserPoolId"] = pool, ["ClientName"] = "app", ["GenerateSecret"] = true, ["AllowedOAuthFlowsUserPoolClient"] = true,
            ["AllowedOAuthFlows"] = new JsonArray("code"), ["AllowedOAuthScopes"] = new JsonArray("openid", "email", $"{Api}/read"),
            ["CallbackURLs"] = new JsonArray(redirect), ["SupportedIdentityProviders"] = new JsonArray("COGNITO"),
            ["ExplicitAuthFlows"] = new JsonArray("ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"),
        }))["UserPoolClient"]!;
        string appId = (string)app["ClientId"]!, appSecret = (string)app["ClientSecret"]!;
        await Setup.CreateUsersAsync(ep, pool, 0, 64);
        var cookies = new List<string>();
        using var protector = MasterKeyProtector.FromBase64(Harness.MasterKey);
        var now = DateTimeOffset.UtcNow;
        for (int i = 0; i < 64; i++)
        {
            var user = await admin.InvokeAsync("AdminGetUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = Setup.UserName(i) });
            string sub = user["UserAttributes"]!.AsArray().Where(a => (string?)a!["Name"] == "sub").Select(a => (string)a!["Value"]!).Single();
            // ManagedLoginSessions' cookie: base64url(Protect({"p":pool,"s":sub,"a":authTimeMs,"e":expiresMs}, "managed-login-session:{pool}")).
            var json = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["p"] = pool, ["s"] = sub, ["a"] = now.ToUnixTimeMilliseconds(), ["e"] = now.AddHours(1).ToUnixTimeMilliseconds() });
            cookies.Add($"cognate-session-{pool}=" + Base64Url(protector.Protect(json, Encoding.UTF8.GetBytes("managed-login-session:" + pool))));
        }
        var (verifier, challenge) = Pkce();
        string query = $"/oauth2/authorize?response_type=code&client_id={appId}&redirect_uri={Uri.EscapeDataString(redirect)}" +
            $"&scope={Uri.EscapeDataString($"openid email {Api}/read")}&state=bench&code_challenge={challenge}&code_challenge_method=S256";

        async Task<List<string>> MintAsync(int n)
        {
            using var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, MaxConnectionsPerServer = 16 };
            using var http = new HttpClient(handler) { BaseAddress = ep, Timeout = TimeSpan.FromSeconds(30) };
            var codes = new System.Collections.Concurrent.ConcurrentBag<string>();
            int next = -1;
            string? failure = null;
            async Task Loop()
            {
                int k;
                while ((k = Interlocked.Increment(ref next)) < n && failure is null)
                {
                    using var req = new HttpRequestMessage(HttpMethod.Get, query);
                    req.Headers.TryAddWithoutValidation("Cookie", cookies[k % cookies.Count]);
                    using var r = await http.SendAsync(req);
                    var location = r.Headers.Location?.OriginalString ?? "";
                    int at = location.IndexOf("code=", StringComparison.Ordinal);
                    if (r.StatusCode != HttpStatusCode.Redirect || !location.StartsWith(redirect, StringComparison.Ordinal) || at < 0)
                    {
                        failure = $"/oauth2/authorize answered {(int)r.StatusCode} {Scenarios.Trim(location.Length > 0 ? location : await r.Content.ReadAsStringAsync())}";
                        return;
                    }
                    int end = location.IndexOf('&', at);
                    codes.Add(Uri.UnescapeDataString(end < 0 ? location[(at + 5)..] : location[(at + 5)..end]));
                }
            }
            await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(Loop)));
            if (failure is not null) throw new InvalidOperationException(failure);
            return [.. codes];
        }

        // userInfo tokens: 64 real exchanges.
        var tokens = new List<string>();
        string? userInfoFailure = null;
        try
        {
            using var http = new HttpClient { BaseAddress = ep, Timeout = TimeSpan.FromSeconds(30) };
            foreach (var code in await MintAsync(64))
            {
                using var req = new HttpRequestMessage(HttpMethod.Post, "/oauth2/token")
                {
                    Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = redirect, ["code_verifier"] = verifier }),
                };
                req.Headers.TryAddWithoutValidation("Authorization", Basic(appId, appSecret));
                using var r = await http.SendAsync(req);
                var body = await r.Content.ReadAsStringAsync();
                if (!r.IsSuccessStatusCode) throw new InvalidOperationException($"/oauth2/token (authorization_code) answered {(int)r.StatusCode} {Scenarios.Trim(body)}");
                tokens.Add((string)JsonNode.Parse(body)!["access_token"]!);
            }
        }
        catch (InvalidOperationException e)
        {
            userInfoFailure = e.Message; // reported by the scenarios' probe (the build lacks the code flow)
            Console.WriteLine("   code flow unavailable: " + e.Message);
        }
        return new Target
        {
            Name = "cognate", Server = server, TokenPath = "/oauth2/token", UserInfoPath = "/oauth2/userInfo",
            M2mBasic = Basic((string)m2m["ClientId"]!, (string)m2m["ClientSecret"]!), M2mScope = $"{Api}/read",
            AppBasic = Basic(appId, appSecret), RedirectUri = redirect, Verifier = verifier,
            UserInfoTokens = userInfoFailure is null ? tokens : [], MintAsync = MintAsync,
        };
    }

    /// <summary>oidc-provider: its clients are static (the peer script); codes were minted at start, handed out in order.</summary>
    static async Task<Target> PeerAsync(ServerProcess server)
    {
        var file = Path.Combine(server.WorkDir, "peer.json");
        for (int i = 0; i < 100 && !File.Exists(file); i++) await Task.Delay(100);
        var d = JsonNode.Parse(await File.ReadAllTextAsync(file))!;
        var codes = new Queue<string>(d["codes"]!.AsArray().Select(c => (string)c!));
        return new Target
        {
            Name = "oidc-provider", Server = server, TokenPath = "/token", UserInfoPath = "/me",
            M2mBasic = Basic("m2m", (string)d["secret"]!), M2mScope = "api:read",
            AppBasic = Basic("app", (string)d["secret"]!), RedirectUri = (string)d["redirectUri"]!, Verifier = (string)d["codeVerifier"]!,
            UserInfoTokens = [.. d["userinfoTokens"]!.AsArray().Select(t => (string)t!)],
            MintAsync = n =>
            {
                if (codes.Count < n) throw new InvalidOperationException($"oidc-provider has {codes.Count} minted codes left, {n} needed: raise CODES");
                return Task.FromResult(Enumerable.Range(0, n).Select(_ => codes.Dequeue()).ToList());
            },
        };
    }

    /// <summary>The peer's process: node bench/node/oidc-provider-peer.mjs with its codes written to peer.json in its work dir.</summary>
    public static System.Diagnostics.ProcessStartInfo PeerStartInfo(Paths paths, int port, string work)
    {
        var psi = new ProcessStartInfo("node", [Path.Combine(paths.Repo, "bench/node/oidc-provider-peer.mjs")]);
        psi.Environment["PORT"] = port.ToString(CultureInfo.InvariantCulture);
        psi.Environment["OUT"] = Path.Combine(work, "peer.json");
        psi.Environment["CODES"] = Environment.GetEnvironmentVariable("PEER_CODES") ?? "60000";
        psi.Environment["SECRET"] = PeerSecret;
        psi.Environment["NODE_ENV"] = "production";
        return psi;
    }

    sealed record Req(string Method, string Path, IReadOnlyList<KeyValuePair<string, string>> Headers, string Body);

    static Req Form(string path, string basic, Dictionary<string, string> form) => new("POST", path,
        [new("Content-Type", "application/x-www-form-urlencoded"), new("Authorization", basic)],
        string.Join('&', form.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value))));

    static Req Exchange(Target t, string code) => Form(t.TokenPath, t.AppBasic, new()
    {
        ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = t.RedirectUri, ["code_verifier"] = t.Verifier,
    });

    static async Task<Result> RunScenarioAsync(string scenario, Target t, Options o)
    {
        var ep = t.Server.Endpoint;
        if (scenario == "CodeExchange")
        {
            List<string> warm;
            try { warm = await t.MintAsync(o.WarmupSeconds > 0 ? 3000 : 1); }
            catch (InvalidOperationException e) { return new Result { Scenario = scenario, Server = t.Name, Lacks = e.Message }; }
            var probe = await ProbeAsync(ep, Exchange(t, warm[0]));
            if (probe is not null) return new Result { Scenario = scenario, Server = t.Name, Lacks = probe };
            int size = 5000;
            if (o.WarmupSeconds > 0)
            {
                var w = await WrkAsync(t, [.. warm.Skip(1).Select(c => Exchange(t, c))], o.WarmupSeconds, once: true);
                double rate = w.GetProperty("requests").GetInt64() / (w.GetProperty("duration_us").GetDouble() / 1e6);
                size = Math.Max(size, (int)(rate * o.Seconds * 1.6));
                if (w.GetProperty("requests").GetInt64() >= warm.Count - 1) size = Math.Max(size, (int)(2 * rate * o.Seconds)); // warm-up ran out: go big
            }
            var sw = Stopwatch.StartNew();
            var codes = await t.MintAsync(size);
            Console.WriteLine($"   {t.Name}: {size:N0} codes minted in {sw.Elapsed.TotalSeconds:F1} s for the measured run");
            return await MeasureAsync(scenario, t, [.. codes.Select(c => Exchange(t, c))], o, once: true, warm: false);
        }
        List<Req> reqs = scenario switch
        {
            "ClientCredentials" => [Form(t.TokenPath, t.M2mBasic, new() { ["grant_type"] = "client_credentials", ["scope"] = t.M2mScope })],
            "UserInfo" => [.. t.UserInfoTokens.Select(tok => new Req("GET", t.UserInfoPath, [new("Authorization", "Bearer " + tok)], ""))],
            _ => throw new ArgumentException("unknown scenario " + scenario),
        };
        if (reqs.Count == 0) return new Result { Scenario = scenario, Server = t.Name, Lacks = "no access token with openid (the authorization-code flow did not run)" };
        var first = await ProbeAsync(ep, reqs[0]);
        if (first is not null) return new Result { Scenario = scenario, Server = t.Name, Lacks = first };
        return await MeasureAsync(scenario, t, reqs, o, once: false, warm: true);
    }

    static async Task<Result> MeasureAsync(string scenario, Target t, List<Req> reqs, Options o, bool once, bool warm)
    {
        if (warm && o.WarmupSeconds > 0) await WrkAsync(t, reqs, o.WarmupSeconds, once);
        double cpu0 = t.Server.CpuSeconds();
        var w = await WrkAsync(t, reqs, o.Seconds, once);
        double cpu1 = t.Server.CpuSeconds();
        return new Result
        {
            Scenario = scenario, Server = t.Name,
            Requests = w.GetProperty("requests").GetInt64(),
            DurationSeconds = w.GetProperty("duration_us").GetDouble() / 1e6,
            RequestsPerSecond = w.GetProperty("requests").GetInt64() / (w.GetProperty("duration_us").GetDouble() / 1e6),
            P50Ms = w.GetProperty("p50_us").GetDouble() / 1000, P99Ms = w.GetProperty("p99_us").GetDouble() / 1000,
            Non2xx = w.GetProperty("status").GetInt64(),
            SocketErrors = w.GetProperty("connect").GetInt64() + w.GetProperty("read").GetInt64() + w.GetProperty("write").GetInt64() + w.GetProperty("timeout").GetInt64(),
            ServerCpuSeconds = cpu1 - cpu0, DriverCpuSeconds = w.GetProperty("driver_cpu").GetDouble(),
            ServerPeakRssMb = t.Server.Memory().PeakMb,
        };
    }

    /// <summary>
    /// Runs wrk over <paramref name="reqs"/>: round robin, or with <paramref name="once"/> each request at most once (the two
    /// threads take alternate entries; a thread that runs out stops itself, and its last request is the only one repeated).
    /// </summary>
    static async Task<JsonElement> WrkAsync(Target t, List<Req> reqs, int seconds, bool once)
    {
        var sb = new StringBuilder(Scenarios.Common);
        sb.AppendLine("local reqs = {");
        foreach (var r in reqs)
        {
            sb.Append("{m=").Append(Scenarios.Lua(r.Method)).Append(",p=").Append(Scenarios.Lua(r.Path))
              .Append(",b=").Append(Scenarios.Lua(r.Body)).Append(",h=").Append(Scenarios.HeaderTable(r.Headers)).AppendLine("},");
        }
        sb.AppendLine("}");
        sb.AppendLine($"local once = {(once ? "true" : "false")}");
        sb.AppendLine("""
            local formatted = {}
            local i = 0
            function init(args)
              for k, r in ipairs(reqs) do
                if r.b == "" then formatted[k] = wrk.format(r.m, r.p, r.h) else formatted[k] = wrk.format(r.m, r.p, r.h, r.b) end
              end
              i = 0
            end
            function request()
              i = i + 1
              if once then
                local k = (i - 1) * 2 + (tid or 1)
                if k > #formatted then
                  wrk.thread:stop()
                  k = #formatted - ((tid or 1) == 1 and 1 or 0)
                end
                return formatted[k]
              end
              return formatted[((i + (tid or 0) * 7919) % #formatted) + 1]
            end
            """);
        string script = Path.Combine(t.Server.WorkDir, $"oauth-{Guid.NewGuid():N}.lua");
        await File.WriteAllTextAsync(script, sb.ToString());
        try { return await Scenarios.WrkAsync(script, t.Server.Endpoint, seconds); }
        finally { File.Delete(script); }
    }

    /// <summary>Null when <paramref name="r"/> answers 2xx, else the server's answer.</summary>
    static async Task<string?> ProbeAsync(Uri ep, Req r)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(10) };
        using var msg = new HttpRequestMessage(new HttpMethod(r.Method), new Uri(ep, r.Path));
        if (r.Body.Length > 0) msg.Content = new StringContent(r.Body, Encoding.UTF8);
        msg.Content?.Headers.Remove("Content-Type");
        foreach (var (k, v) in r.Headers)
        {
            if (k == "Content-Type") msg.Content!.Headers.TryAddWithoutValidation(k, v);
            else msg.Headers.TryAddWithoutValidation(k, v);
        }
        using var resp = await http.SendAsync(msg);
        if (resp.IsSuccessStatusCode) return null;
        return $"HTTP {(int)resp.StatusCode}{(resp.Headers.WwwAuthenticate.Count > 0 ? " " + resp.Headers.WwwAuthenticate : "")}: {Scenarios.Trim(await resp.Content.ReadAsStringAsync())}";
    }
}
