using System.Globalization;
using System.Text;
using System.Text.Json;
using Cognate.Load;

// The load harness (bench/load.sh runs it): side by side against Cognate, moto_server and cognito-local, and the
// scale run. Everything listens on 127.0.0.1 and is stopped by PID; every phase is bounded in time.
//   compare [--servers cognate,moto,cognito-local] [--scenarios A,B] [--seconds 10] [--warmup 2] [--users 1000]
//   scale   [--users 1000000] [--seconds 10] [--scenarios A,B] [--rounds 3] [--data DIR: keep and reuse the databases]
//   bulk-load --db PATH --pool ID --count N [--sign-in 1000]     (used by scale; also usable alone)
//   oauth   [--servers cognate,oidc-provider] [--scenarios ClientCredentials,CodeExchange,UserInfo] [--seconds 10] [--warmup 2]
//   srp-ratio [--seconds 10] [--warmup 2] [--rounds 3] [--max-srp N]   device SRP vs user SRP sign-ins per second on one Cognate
var o = Options.Parse(args);
var paths = new Paths(o.Repo);
return o.Command switch
{
    "compare" => await Harness.CompareAsync(o, paths),
    "scale" => await Harness.ScaleAsync(o, paths),
    "bulk-load" => await BulkLoad.RunAsync(o),
    "oauth" => await OAuthBench.RunAsync(o, paths),
    "srp-ratio" => await SrpRatio.RunAsync(o, paths),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Cognate.Load compare|scale|bulk-load|oauth|srp-ratio [--options]; see bench/README.md");
    return 2;
}

sealed class Options
{
    public string Command { get; set; } = "compare";
    public string Repo { get; set; } = Directory.GetCurrentDirectory();
    public string[] Servers { get; set; } = ["cognate", "moto", "cognito-local"];
    public string[] Scenarios { get; set; } = Cognate.Load.Scenarios.All;
    public int Seconds { get; set; } = 10;
    public int WarmupSeconds { get; set; } = 2;
    public int Users { get; set; } = 1000;
    public int SignInUsers { get; set; } = 1000;
    public int MaxSrpSignIns { get; set; } = 20_000;
    public string? Db { get; set; }
    public string? Pool { get; set; }
    public string? Label { get; set; }
    /// <summary>scale: keep each size's database under DATA/&lt;users&gt; and reuse it on the next run (skips the bulk load).</summary>
    public string? Data { get; set; }
    /// <summary>scale: alternating 1k / large rounds of the sign-in scenario (its target is a ratio). Default 3.</summary>
    public int Rounds { get; set; } = 3;

    public static Options Parse(string[] args)
    {
        var o = new Options();
        int i = 0;
        if (args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal)) o.Command = args[i++];
        for (; i < args.Length; i += 2)
        {
            string v = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException("missing value for " + args[i]);
            switch (args[i])
            {
                case "--repo": o.Repo = v; break;
                case "--servers": o.Servers = v.Split(','); break;
                case "--scenarios": o.Scenarios = v.Split(','); break;
                case "--seconds": o.Seconds = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--warmup": o.WarmupSeconds = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--users": case "--count": o.Users = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--sign-in": o.SignInUsers = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--max-srp": o.MaxSrpSignIns = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--db": o.Db = v; break;
                case "--pool": o.Pool = v; break;
                case "--label": o.Label = v; break;
                case "--data": o.Data = v; break;
                case "--rounds": o.Rounds = Math.Max(1, int.Parse(v, CultureInfo.InvariantCulture)); break;
                default: throw new ArgumentException("unknown option " + args[i]);
            }
        }
        return o;
    }
}

static class Harness
{
    public const string AccessKey = "AKIABENCHMARK0000000";
    public const string SecretKey = "bench-secret-key-used-only-on-loopback";
    /// <summary>A fixed master key for throwaway benchmark databases (not the public development key: the server runs as Production).</summary>
    public static readonly string MasterKey = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData("cognate-bench-master-key"u8));

    public static string Machine()
    {
        string cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
        return $"{Environment.ProcessorCount} cores ({cpu}), load average before: {File.ReadAllText("/proc/loadavg").Trim()}";
    }

    public static async Task<int> CompareAsync(Options o, Paths paths)
    {
        var results = new List<Result>();
        var coldStarts = new Dictionary<string, double>();
        string machine = Machine();
        Console.WriteLine($"# {machine}; wrk -t2 -c16, {o.Seconds} s per scenario after {o.WarmupSeconds} s warm-up, {o.Users} users");
        foreach (var name in o.Servers)
        {
            using var server = await Servers.StartAsync(name, paths, Setup.AnsweredAsync);
            coldStarts[name] = server.ColdStartSeconds;
            Console.WriteLine($"## {name}: pid {server.Process.Id}, port {server.Port}, cold start to first answered request {server.ColdStartSeconds:F2} s");
            var (poolId, clientId) = await Setup.CreatePoolAsync(server.Endpoint);
            var sw = System.Diagnostics.Stopwatch.StartNew();
            await Setup.CreateUsersAsync(server.Endpoint, poolId, 0, o.Users);
            Console.WriteLine($"   {o.Users} users created through the API in {sw.Elapsed.TotalSeconds:F1} s");
            var f = new Fixture { PoolId = poolId, ClientId = clientId, Users = o.Users, SignInUsers = [.. Enumerable.Range(0, Math.Min(o.Users, o.SignInUsers)).Select(Setup.UserName)] };
            await Setup.CollectTokensAsync(server.Endpoint, f, 64);
            foreach (var scenario in o.Scenarios)
            {
                var r = await Scenarios.RunAsync(scenario, server, f, o, o.Users);
                results.Add(r);
                Console.WriteLine("   " + Line(r));
            }
            server.Dispose();
            Cleanup(server.WorkDir);
        }
        string table = Table(results, o.Servers, coldStarts);
        Console.WriteLine();
        Console.WriteLine(table);
        await WriteAsync(paths, o.Label ?? "compare", machine, o, results, coldStarts, table);
        return 0;
    }

    public static async Task<int> ScaleAsync(Options o, Paths paths)
    {
        string machine = Machine();
        Console.WriteLine($"# {machine}; scale: {o.Users:N0} users vs 1,000 users; wrk -t2 -c16, {o.Seconds} s per scenario after {o.WarmupSeconds} s warm-up, sign-in in {o.Rounds} alternating rounds");
        string[] scenarios = o.Scenarios.Length < Cognate.Load.Scenarios.All.Length ? o.Scenarios : ["AdminGetUser", "ListUsersPrefix", "PasswordSignIn"];
        var results = new List<Result>();
        var cold = new Dictionary<string, double>();
        var extra = new Dictionary<string, object>();
        var sizes = new List<(int Size, string Label, string Dir, ServerProcess Server, Fixture Fixture, double LoadSeconds, long DbBytes)>();
        try
        {
            foreach (int size in new[] { 1000, o.Users })
            {
                string label = size == 1000 ? "1k" : size.ToString("N0", CultureInfo.InvariantCulture);
                string dir = o.Data is null
                    ? Directory.CreateTempSubdirectory("cognate-bench-scale-").FullName
                    : Directory.CreateDirectory(Path.Combine(Path.GetFullPath(o.Data), size.ToString(CultureInfo.InvariantCulture))).FullName;
                string fixturePath = Path.Combine(dir, "fixture.json");
                string poolId, clientId;
                int signIn = Math.Min(1000, size);
                double loadSeconds = 0;
                if (o.Data is not null && File.Exists(fixturePath))
                {
                    var saved = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(fixturePath))!;
                    (poolId, clientId) = (saved["poolId"], saved["clientId"]);
                    Console.WriteLine($"## {label} users: reusing {dir}");
                }
                else
                {
                    using (var first = await Servers.StartAsync("cognate", paths, Setup.AnsweredAsync, dir))
                    {
                        (poolId, clientId) = await Setup.CreatePoolAsync(first.Endpoint);
                    }
                    var sw = System.Diagnostics.Stopwatch.StartNew();
                    await BulkLoad.LoadAsync(Path.Combine(dir, "cognate.db"), poolId, size, signIn, Console.Out);
                    loadSeconds = sw.Elapsed.TotalSeconds;
                    if (o.Data is not null) File.WriteAllText(fixturePath, JsonSerializer.Serialize(new Dictionary<string, string> { ["poolId"] = poolId, ["clientId"] = clientId }));
                }
                long dbBytes = Directory.GetFiles(dir, "cognate.db*").Sum(p => new FileInfo(p).Length);
                var server = await Servers.StartAsync("cognate", paths, Setup.AnsweredAsync, dir);
                cold[label] = server.ColdStartSeconds;
                Console.WriteLine($"## {label} users: bulk load {loadSeconds:F0} s, database {dbBytes / 1048576.0:F0} MB, cold start {server.ColdStartSeconds:F2} s, RSS after start {server.Memory().RssMb:F0} MB");
                var f = new Fixture { PoolId = poolId, ClientId = clientId, Users = size, SignInUsers = [.. Enumerable.Range(0, signIn).Select(i => Setup.UserName(BulkLoad.SignInIndex(i, size, signIn)))] };
                sizes.Add((size, label, dir, server, f, loadSeconds, dbBytes));
            }

            // Read scenarios one size after the other; the sign-in (whose target is a ratio) in alternating rounds with
            // both servers up, so slow drifts of this shared VM fall on both sizes alike. The idle server does no work.
            foreach (var z in sizes)
            {
                foreach (var s in scenarios.Where(s => s != "PasswordSignIn"))
                {
                    var r = await Scenarios.RunAsync(s, z.Server, z.Fixture, o, z.Size);
                    r.Server = "cognate " + z.Label;
                    results.Add(r);
                    Console.WriteLine($"   {z.Label,-10}" + Line(r));
                }
            }
            if (scenarios.Contains("PasswordSignIn"))
            {
                for (int round = 1; round <= o.Rounds; round++)
                {
                    foreach (var z in round % 2 == 1 ? sizes : Enumerable.Reverse(sizes))
                    {
                        var r = await Scenarios.RunAsync("PasswordSignIn", z.Server, z.Fixture, o, z.Size);
                        r.Server = "cognate " + z.Label;
                        r.Round = round;
                        results.Add(r);
                        Console.WriteLine($"   {z.Label,-10}" + Line(r) + $"  round {round}");
                    }
                }
            }
            foreach (var z in sizes)
            {
                var mem = z.Server.Memory();
                extra[z.Label] = new { users = z.Size, bulkLoadSeconds = Math.Round(z.LoadSeconds, 1), databaseMb = Math.Round(z.DbBytes / 1048576.0, 1), peakRssMb = Math.Round(mem.PeakMb), rssMb = Math.Round(mem.RssMb), coldStartSeconds = Math.Round(z.Server.ColdStartSeconds, 2) };
                Console.WriteLine($"   {z.Label}: peak RSS {mem.PeakMb:F0} MB, RSS now {mem.RssMb:F0} MB");
            }
        }
        finally
        {
            foreach (var z in sizes)
            {
                z.Server.Dispose();
                if (o.Data is null) Cleanup(z.Dir);
            }
        }
        string small = sizes[0].Label, large = sizes[^1].Label;
        var sb = new StringBuilder();
        sb.AppendLine("| scenario | 1,000 users | " + o.Users.ToString("N0", CultureInfo.InvariantCulture) + " users | ratio |");
        sb.AppendLine("|---|---|---|---|");
        foreach (var s in scenarios)
        {
            var a = Median(results.Where(r => r.Scenario == s && r.Server == "cognate " + small).ToList());
            var b = Median(results.Where(r => r.Scenario == s && r.Server == "cognate " + large).ToList());
            string note = s == "PasswordSignIn" && o.Rounds > 1 ? $" (median of {o.Rounds} rounds)" : "";
            sb.AppendLine($"| {s}{note} | {Cell(a)} | {Cell(b)} | {b.RequestsPerSecond / a.RequestsPerSecond:F2} |");
        }
        var rounds = results.Where(r => r.Scenario == "PasswordSignIn").ToList();
        if (rounds.Count > 0)
        {
            static string CpuMs(Result r) => (1000 * r.ServerCpuSeconds / Math.Max(1, r.Requests)).ToString("F2", CultureInfo.InvariantCulture);
            sb.AppendLine();
            sb.AppendLine("PasswordSignIn rounds (requests/s, server CPU ms per request): " + string.Join("; ", rounds.Select(r => $"{r.Server[8..]} #{r.Round} {r.RequestsPerSecond:N0}/s {CpuMs(r)} ms")));
        }
        foreach (var (k, v) in extra) sb.AppendLine($"\n{k}: {JsonSerializer.Serialize(v)}");
        Console.WriteLine();
        Console.WriteLine(sb);
        await WriteAsync(paths, o.Label ?? "scale", machine, o, results, cold, sb.ToString(), extra);
        return 0;
    }

    /// <summary>The round with the median requests/s (the lower middle one for an even count).</summary>
    static Result Median(List<Result> rounds) => rounds.OrderBy(r => r.RequestsPerSecond).ElementAt((rounds.Count - 1) / 2);

    /// <summary>Removes a run's data directory (databases reach GBs at scale) unless BENCH_KEEP=1.</summary>
    internal static void Cleanup(string dir)
    {
        if (Environment.GetEnvironmentVariable("BENCH_KEEP") == "1") return;
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    internal static string Line(Result r) => r.Lacks is not null
        ? $"{r.Scenario,-16} LACKS: {r.Lacks}"
        : $"{r.Scenario,-16} {r.RequestsPerSecond,9:N0}/s  p50 {r.P50Ms,7:F2} ms  p99 {r.P99Ms,7:F2} ms  non-2xx {r.Non2xx}  socket errors {r.SocketErrors}  server CPU {r.ServerCpuSeconds:F1} s  driver CPU {r.DriverCpuSeconds:F1} s  peak RSS {r.ServerPeakRssMb:F0} MB  ({r.Requests:N0} in {r.DurationSeconds:F1} s, {r.Driver})";

    internal static string Cell(Result? r) => r is null ? "—" : r.Lacks is not null ? "lacks it" :
        $"{r.RequestsPerSecond:N0}/s, p50 {r.P50Ms:F1} / p99 {r.P99Ms:F1} ms" + (r.Non2xx + r.SocketErrors > 0 ? $", **{r.Non2xx + r.SocketErrors} errors**" : "");

    internal static string Table(List<Result> results, string[] servers, Dictionary<string, double> cold)
    {
        var sb = new StringBuilder();
        var peers = servers.Where(s => s != "cognate").ToArray();
        sb.Append("| scenario | ").AppendJoin(" | ", servers).Append(string.Concat(peers.Select(p => $" | Cognate/{p}"))).AppendLine(" |");
        sb.Append("|---").Append(string.Concat(servers.Select(_ => "|---"))).Append(string.Concat(peers.Select(_ => "|---"))).AppendLine("|");
        foreach (var scenario in results.Select(r => r.Scenario).Distinct())
        {
            Result? Of(string s) => results.FirstOrDefault(r => r.Scenario == scenario && r.Server == s);
            sb.Append($"| {scenario} | ").AppendJoin(" | ", servers.Select(s => Cell(Of(s))));
            var c = Of("cognate");
            foreach (var p in peers)
            {
                var pr = Of(p);
                sb.Append(" | ").Append(c is null || c.Lacks is not null ? "—" : pr is null ? "—" : pr.Lacks is not null ? "peer lacks it" : pr.Non2xx > 0 ? $"{c.RequestsPerSecond / pr.RequestsPerSecond:F1}× (peer errors)" : $"{c.RequestsPerSecond / pr.RequestsPerSecond:F1}×");
            }
            sb.AppendLine(" |");
        }
        sb.Append("| cold start to first answer | ").AppendJoin(" | ", servers.Select(s => cold.TryGetValue(s, out var v) ? $"{v:F2} s" : "—"));
        foreach (var p in peers) sb.Append(" | ");
        sb.AppendLine(" |");
        sb.Append("| server peak RSS | ").AppendJoin(" | ", servers.Select(s => results.Where(r => r.Server == s).Select(r => r.ServerPeakRssMb).DefaultIfEmpty(0).Max() is var m and > 0 ? $"{m:F0} MB" : "—"));
        foreach (var p in peers) sb.Append(" | ");
        sb.AppendLine(" |");
        return sb.ToString();
    }

    internal static async Task WriteAsync(Paths paths, string label, string machine, Options o, List<Result> results, Dictionary<string, double> cold, string table, object? extra = null)
    {
        Directory.CreateDirectory(paths.ResultsDir);
        string stamp = DateTime.UtcNow.ToString("yyyy-MM-ddTHH-mm", CultureInfo.InvariantCulture);
        var doc = new
        {
            kind = label, at = DateTime.UtcNow, cores = Environment.ProcessorCount, machine,
            loadAverageAfter = File.ReadAllText("/proc/loadavg").Trim(),
            connections = 16, wrkThreads = 2, seconds = o.Seconds, warmupSeconds = o.WarmupSeconds, users = o.Users,
            coldStartSeconds = cold, results, extra,
        };
        var json = JsonSerializer.Serialize(doc, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase });
        await File.WriteAllTextAsync(Path.Combine(paths.ResultsDir, $"{label}-{stamp}.json"), json);
        await File.WriteAllTextAsync(Path.Combine(paths.ResultsDir, $"{label}-latest.md"),
            $"# {label} ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)\n\n{machine}; load average after: {File.ReadAllText("/proc/loadavg").Trim()}\n\n{table}\n");
        Console.WriteLine($"written: bench/results/{label}-{stamp}.json, bench/results/{label}-latest.md");
    }
}
