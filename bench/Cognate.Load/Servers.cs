using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Cognate.Load;

/// <summary>One server under test: started by the harness on 127.0.0.1, measured from /proc, stopped by PID.</summary>
sealed class ServerProcess : IDisposable
{
    public required string Name { get; init; }
    public required int Port { get; init; }
    public required Process Process { get; init; }
    public required string WorkDir { get; init; }
    public double ColdStartSeconds { get; set; }
    public Uri Endpoint => new($"http://127.0.0.1:{Port}/");

    /// <summary>utime + stime of the server process, seconds (/proc/PID/stat fields 14 and 15; CLK_TCK = 100).</summary>
    public double CpuSeconds()
    {
        var stat = File.ReadAllText($"/proc/{Process.Id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state): utime is field 14 → index 11, stime field 15 → index 12.
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>VmHWM (peak resident set) and VmRSS in MB from /proc/PID/status.</summary>
    public (double PeakMb, double RssMb) Memory()
    {
        double hwm = 0, rss = 0;
        foreach (var line in File.ReadLines($"/proc/{Process.Id}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) hwm = Kb(line);
            else if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = Kb(line);
        }
        return (hwm / 1024, rss / 1024);
        static double Kb(string line) => double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    bool _disposed;

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            if (!Process.HasExited)
            {
                // SIGTERM by PID (never by name), then SIGKILL after 10 s.
                _ = Mono.Unix.Kill(Process.Id, 15);
                if (!Process.WaitForExit(10_000)) Process.Kill();
            }
        }
        catch (InvalidOperationException) { }
        Process.Dispose();
    }
}

static class Mono
{
    internal static class Unix
    {
        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        internal static extern int Kill(int pid, int signal);
    }
}

static class Servers
{
    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>Starts <paramref name="name"/> and waits until it answers a real API call; records the cold start.</summary>
    public static async Task<ServerProcess> StartAsync(string name, Paths paths, Func<Uri, Task<bool>> answered, string? dataDir = null, IDictionary<string, string>? extraEnv = null)
    {
        int port = FreePort();
        var work = dataDir ?? Directory.CreateTempSubdirectory("cognate-bench-" + name + "-").FullName;
        ProcessStartInfo psi;
        switch (name)
        {
            case "cognate":
                psi = new ProcessStartInfo("dotnet", [paths.ServerDll, "--urls", $"http://127.0.0.1:{port}"]);
                psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
                psi.Environment["Cognate__MasterKey"] = Harness.MasterKey;
                psi.Environment["Cognate__Admin__AccessKeyId"] = Harness.AccessKey;
                psi.Environment["Cognate__Admin__SecretAccessKey"] = Harness.SecretKey; // ≥ 32 characters, required outside Development
                psi.Environment["Cognate__IssuerBaseUrl"] = $"http://127.0.0.1:{port}"; // required outside Development
                psi.Environment["ConnectionStrings__Cognate"] = "Data Source=" + Path.Combine(work, "cognate.db");
                // One client on one IP drives thousands of requests a second into one pool: lift the request quotas and
                // message budgets far above that (they stay on, so their cost is measured; the sweeper keeps its defaults).
                psi.Environment["Cognate__RateLimits__DefaultRateMultiplier"] = "100000";
                psi.Environment["Cognate__RateLimits__PerIp__RequestsPerSecond"] = "1000000";
                psi.Environment["Cognate__RateLimits__PerIp__Burst"] = "1000000";
                foreach (var budget in new[] { "EmailPerUser", "SmsPerUser", "EmailPerPool", "SmsPerPool" })
                {
                    psi.Environment[$"Cognate__MessageBudgets__{budget}__PerHour"] = "1000000000";
                    psi.Environment[$"Cognate__MessageBudgets__{budget}__PerDay"] = "1000000000";
                }
                break;
            case "moto":
                psi = new ProcessStartInfo(paths.MotoServer, ["-H", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture)]);
                break;
            case "cognito-local":
                psi = new ProcessStartInfo("node", [paths.CognitoLocal]);
                psi.Environment["PORT"] = port.ToString(CultureInfo.InvariantCulture);
                psi.Environment["HOST"] = "127.0.0.1";
                // cognito-local defaults new pools to email-as-username; the benchmark's pools (like Cognito's default) have none.
                Directory.CreateDirectory(Path.Combine(work, ".cognito"));
                File.WriteAllText(Path.Combine(work, ".cognito/config.json"), "{\"UserPoolDefaults\":{\"UsernameAttributes\":[]}}");
                break;
            case "oidc-provider":
                psi = OAuthBench.PeerStartInfo(paths, port, work);
                break;
            default:
                throw new ArgumentException("unknown server " + name);
        }
        psi.WorkingDirectory = work;
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.UseShellExecute = false;
        if (extraEnv is not null) foreach (var (k, v) in extraEnv) psi.Environment[k] = v;
        var log = new StreamWriter(Path.Combine(work, "server.log")) { AutoFlush = false };
        var sw = Stopwatch.StartNew();
        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        var server = new ServerProcess { Name = name, Port = port, Process = p, WorkDir = work };
        var deadline = TimeSpan.FromSeconds(60);
        while (sw.Elapsed < deadline)
        {
            if (p.HasExited) throw new InvalidOperationException($"{name} exited with {p.ExitCode}; see {work}/server.log");
            try
            {
                if (await answered(server.Endpoint))
                {
                    server.ColdStartSeconds = sw.Elapsed.TotalSeconds;
                    return server;
                }
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(5);
        }
        server.Dispose();
        throw new TimeoutException($"{name} did not answer within {deadline.TotalSeconds} s; see {work}/server.log");
    }
}

/// <summary>Where the pieces are.</summary>
sealed record Paths(string Repo)
{
    public string ServerDll => Path.Combine(Repo, "src/Cognate.Server/bin/Release/net10.0/Cognate.Server.dll");
    public string CognitoLocal => Path.Combine(Repo, "bench/node_modules/cognito-local/lib/bin/start.js");
    public string MotoServer
    {
        get
        {
            // The pyenv shim re-execs, but resolve the real script so the PID we measure is the server itself.
            var real = Environment.GetEnvironmentVariable("MOTO_SERVER");
            if (!string.IsNullOrEmpty(real)) return real;
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
            {
                var candidate = Path.Combine(dir, "moto_server");
                if (File.Exists(candidate) && !dir.Contains("shims", StringComparison.Ordinal)) return candidate;
            }
            return "moto_server";
        }
    }
    public string ResultsDir => Path.Combine(Repo, "bench/results");
}
