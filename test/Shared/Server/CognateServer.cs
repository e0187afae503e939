using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Cognate.Client;
using Cognate.Client.SigV4;

namespace Cognate.Tests.Shared;

/// <summary>
/// Starts the real Cognate server (the built Cognate.Server.dll) as a child process on a free
/// 127.0.0.1 port with a fresh store, in Development (outbox on, dev admin credentials): a SQLite file in a temp
/// directory, or, when <c>COGNATE_TEST_PROVIDER=postgres</c>, a fresh database on the test PostgreSQL server
/// (<see cref="PostgresTestServer"/>). A caller that passes <c>ConnectionStrings__Cognate</c>
/// in the environment brings its own store (e.g. two nodes on one database). Stop with <see cref="DisposeAsync"/>;
/// <see cref="RestartAsync"/> keeps the data.
/// </summary>
public sealed class CognateServer : IAsyncDisposable
{
    public const string AccessKeyId = "AKIACOGNATEDEVELOPER";
    public const string SecretAccessKey = "cognate-development-secret-key-not-for-production";

    readonly Dictionary<string, string> extraEnvironment;
    string? ownPostgresDatabase;
    Process? process;

    public string DataDirectory { get; }
    public int Port { get; }
    public Uri Endpoint => new($"http://127.0.0.1:{Port}/");
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    readonly System.Collections.Concurrent.ConcurrentQueue<string> output = new();

    /// <summary>The lines the server process has written to stdout and stderr so far (log level Warning and above).</summary>
    public IReadOnlyList<string> OutputLines => [.. output];

    /// <summary>Whether the server process is running.</summary>
    public bool IsRunning => process is { HasExited: false };

    CognateServer(Dictionary<string, string>? environment)
    {
        extraEnvironment = environment ?? [];
        DataDirectory = Path.Combine(Path.GetTempPath(), "cognate-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataDirectory);
        Port = FreePort();
    }

    public static async Task<CognateServer> StartAsync(Dictionary<string, string>? environment = null)
    {
        var server = new CognateServer(environment);
        if (!server.extraEnvironment.ContainsKey("ConnectionStrings__Cognate") && PostgresTestServer.ServerSuiteUsesPostgres)
        {
            server.ownPostgresDatabase = await PostgresTestServer.CreateDatabaseAsync();
            server.extraEnvironment["Cognate__Storage__Provider"] = "postgres";
            server.extraEnvironment["ConnectionStrings__Cognate"] = server.ownPostgresDatabase;
        }
        try
        {
            await server.LaunchAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>Starts the process again after <see cref="Kill"/>, on the same port and data.</summary>
    public Task StartAgainAsync() => LaunchAsync();

    /// <summary>The extra environment of the process (change it between <see cref="Kill"/> and <see cref="StartAgainAsync"/>).</summary>
    public IDictionary<string, string> Environment => extraEnvironment;

    ProcessStartInfo StartInfo(params string[] args)
    {
        // Test projects that reference the server copy it next to themselves; others name its build output in assembly metadata.
        var dll = Path.Combine(AppContext.BaseDirectory, "Cognate.Server.dll");
        if (!File.Exists(dll))
        {
            dll = System.Reflection.Assembly.GetEntryAssembly()?.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
                .Cast<System.Reflection.AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "CognateServerDll")?.Value ?? dll;
        }
        var psi = new ProcessStartInfo("dotnet", [dll, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = DataDirectory,
        };
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        psi.Environment["ConnectionStrings__Cognate"] = $"Data Source={Path.Combine(DataDirectory, "cognate.db")}";
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (k, v) in extraEnvironment) psi.Environment[k] = v;
        return psi;
    }

    /// <summary>Runs an operator command (<c>migrate</c>, <c>rekey</c>) with this server's configuration; returns its exit code and output.</summary>
    public async Task<(int ExitCode, string Output)> RunCommandAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var psi = StartInfo(args);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        using var command = Process.Start(psi) ?? throw new InvalidOperationException("Could not start the command.");
        var stdout = command.StandardOutput.ReadToEndAsync();
        var stderr = command.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await command.WaitForExitAsync(timeout.Token);
        return (command.ExitCode, await stdout + await stderr);
    }

    async Task LaunchAsync()
    {
        var psi = StartInfo("--urls", $"http://127.0.0.1:{Port}");
        process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start the server.");
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) output.Enqueue(line); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) output.Enqueue(line); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"Server exited with code {process.ExitCode}.");
            try
            {
                using var r = await Http.GetAsync(new Uri(Endpoint, "health/live"));
                if (r.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException("Server did not become ready in 30 s.");
    }

    /// <summary>Kills the process (SIGKILL) and starts it again on the same port and data.</summary>
    public async Task RestartAsync()
    {
        Kill();
        await LaunchAsync();
    }

    /// <summary>Kills the process with SIGKILL (no graceful shutdown) and waits for it to be gone.</summary>
    public void Kill()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        process?.Dispose();
        process = null;
    }

    /// <summary>A client with the development admin credentials in <paramref name="region"/>.</summary>
    public CognitoIdentityProviderClient Client(string region = "us-east-1") =>
        new(Endpoint, region, new AwsCredentials(AccessKeyId, SecretAccessKey), Http);

    /// <summary>A client without credentials (public actions only).</summary>
    public CognitoIdentityProviderClient AnonymousClient() => new(Endpoint, "us-east-1", null, Http);

    /// <summary>The newest outbox message to <paramref name="to"/>.</summary>
    public async Task<JsonObject> LatestMessageAsync(string to)
    {
        var json = await Http.GetStringAsync(new Uri(Endpoint, "_outbox?to=" + Uri.EscapeDataString(to)));
        var list = JsonNode.Parse(json)!.AsArray();
        if (list.Count == 0) throw new InvalidOperationException("No message in the outbox.");
        return list[0]!.AsObject();
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        Http.Dispose();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        if (ownPostgresDatabase is not null) await PostgresTestServer.DropDatabaseAsync(ownPostgresDatabase);
        ownPostgresDatabase = null;
    }
}
