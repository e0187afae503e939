using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Cognate.Client;
using Cognate.Client.SigV4;

namespace Cognate.Samples.Tests.Infrastructure;

/// <summary>
/// Starts the real Cognate server (Cognate.Server.dll from its build output) as a child process on a free
/// 127.0.0.1 port with a fresh SQLite store in a temp directory, in Development (outbox on, dev admin
/// credentials). Stop with <see cref="DisposeAsync"/>; <see cref="RestartAsync"/> keeps the data.
/// </summary>
public sealed class CognateServer : IAsyncDisposable
{
    public const string AccessKeyId = "AKIACOGNATEDEVELOPER";
    public const string SecretAccessKey = "cognate-development-secret-key-not-for-production";

    readonly Dictionary<string, string> extraEnvironment;
    Process? process;

    public string DataDirectory { get; }
    public int Port { get; }
    public Uri Endpoint => new($"http://127.0.0.1:{Port}/");
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

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
        await server.LaunchAsync();
        return server;
    }

    static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    async Task LaunchAsync()
    {
        var dll = typeof(CognateServer).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false).Cast<System.Reflection.AssemblyMetadataAttribute>().Single(a => a.Key == "CognateServerDll").Value!;
        var psi = new ProcessStartInfo("dotnet", [dll, "--urls", $"http://127.0.0.1:{Port}"])
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
        process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start the server.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
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

    void Kill()
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
        await Task.CompletedTask;
    }
}
