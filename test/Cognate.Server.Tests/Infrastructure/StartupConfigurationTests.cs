using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Infrastructure;

/// <summary>
/// Misconfiguration at start: the real server process exits 1 with exactly one line on stderr naming the setting to
/// fix, no stack trace anywhere and no secret echoed; and nothing development-only is accepted outside Development.
/// </summary>
public sealed class StartupConfigurationTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    const string AdminId = "AKIASTARTUPTEST00000";
    const string AdminSecret = "startup-test-secret-0123456789-abcdefghij";
    const string DevKey = Core.Crypto.MasterKeyProtector.DevelopmentMasterKeyBase64;

    static readonly string RealKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>Everything a non-Development environment needs, for the cases that break one thing.</summary>
    static Dictionary<string, string> Complete(string environment, params (string Key, string? Value)[] changes)
    {
        var env = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = environment,
            ["Cognate__MasterKey"] = RealKey,
            ["Cognate__Admin__AccessKeyId"] = AdminId,
            ["Cognate__Admin__SecretAccessKey"] = AdminSecret,
            ["Cognate__IssuerBaseUrl"] = "https://idp.cognate.test",
        };
        foreach (var (key, value) in changes)
        {
            if (value is null) env.Remove(key);
            else env[key] = value;
        }
        return env;
    }

    public static TheoryData<string, Dictionary<string, string>, string> Misconfigurations => new()
    {
        { "no master key", new() { ["ASPNETCORE_ENVIRONMENT"] = "Production" }, "Cognate:MasterKey" },
        { "development key with a trailing space, Staging", Complete("Staging", ("Cognate__MasterKey", DevKey + " ")), "Cognate:MasterKey is the public development key" },
        { "development key without padding, Test", Complete("Test", ("Cognate__MasterKey", DevKey.TrimEnd('='))), "Cognate:MasterKey" },
        { "README admin pair, Test", Complete("Test", ("Cognate__Admin__AccessKeyId", "AKIACOGNATEDEVELOPER"), ("Cognate__Admin__SecretAccessKey", "cognate-development-secret-key-not-for-production")), "Cognate:Admin" },
        { "README admin secret under another id, Production", Complete("Production", ("Cognate__Admin__SecretAccessKey", "cognate-development-secret-key-not-for-production")), "Cognate:Admin" },
        { "short admin secret", Complete("Production", ("Cognate__Admin__SecretAccessKey", "0123456789abcdefghij0123456789a")), "Cognate:Admin:SecretAccessKey must have at least 32 characters" },
        { "no admin pair", Complete("Production", ("Cognate__Admin__AccessKeyId", null), ("Cognate__Admin__SecretAccessKey", null)), "Cognate:Admin:AccessKeyId" },
        { "outbox switched on, Production", Complete("Production", ("Cognate__Email__Outbox", "true")), "Cognate:Email:Outbox" },
        { "no issuer, Staging", Complete("Staging", ("Cognate__IssuerBaseUrl", null)), "Cognate:IssuerBaseUrl is required" },
        { "issuer not http(s)", Complete("Production", ("Cognate__IssuerBaseUrl", "ftp://idp.cognate.test")), "Cognate:IssuerBaseUrl" },
        { "bad master key", new() { ["ASPNETCORE_ENVIRONMENT"] = "Development", ["Cognate__MasterKey"] = "bm90IDMyIGJ5dGVz" }, "Cognate:MasterKey must be base64 of exactly 32 bytes" },
        { "bad connection string", new() { ["ASPNETCORE_ENVIRONMENT"] = "Development", ["ConnectionStrings__Cognate"] = "Data Sauce=/tmp/x.db" }, "ConnectionStrings:Cognate" },
        { "unknown provider", new() { ["ASPNETCORE_ENVIRONMENT"] = "Development", ["Cognate__Storage__Provider"] = "mysql" }, "Cognate:Storage:Provider" },
        { "social endpoint override outside Development", Complete("Production", ("Cognate__Federation__Endpoints__Google__token_url", "http://127.0.0.1:9/token")), "Cognate:Federation:Endpoints:Google is allowed only in the Development environment" },
        { "social endpoint override not a URL", new() { ["ASPNETCORE_ENVIRONMENT"] = "Development", ["Cognate__Federation__Endpoints__Google__token_url"] = "not a url" }, "Cognate:Federation:Endpoints:Google:token_url must be an absolute http(s) URL" },
        { "social endpoint override of an unknown type", new() { ["ASPNETCORE_ENVIRONMENT"] = "Development", ["Cognate__Federation__Endpoints__Okta__token_url"] = "http://127.0.0.1:9/t" }, "Cognate:Federation:Endpoints:Okta: unknown provider type" },
        { "hosted domain suffix with a scheme", new() { ["ASPNETCORE_ENVIRONMENT"] = "Development", ["Cognate__Hosted__DomainSuffix"] = "https://cognate.example.com" }, "Cognate:Hosted:DomainSuffix" },
        { "lambda webhook over plain http to a remote host", new() { ["ASPNETCORE_ENVIRONMENT"] = "Development", ["Cognate__Lambda__Functions__arn:aws:lambda:us-east-1:123456789012:function:pre-signup__Url"] = "http://hooks.example.com/pre-signup" }, "Cognate:Lambda:Functions:arn:aws:lambda:us-east-1:123456789012:function:pre-signup:Url must be an absolute https URL" },
        { "postgres without connection string", new() { ["ASPNETCORE_ENVIRONMENT"] = "Development", ["Cognate__Storage__Provider"] = "postgres", ["ConnectionStrings__Cognate"] = "" }, "ConnectionStrings:Cognate" },
        {
            "postgres unreachable", new()
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development", ["Cognate__Storage__Provider"] = "postgres",
                ["ConnectionStrings__Cognate"] = "Host=127.0.0.1;Port=1;Database=cognate;Username=cognate;Password=pg-secret-never-printed;Timeout=3",
            },
            "ConnectionStrings:Cognate"
        },
    };

    [Theory]
    [MemberData(nameof(Misconfigurations))]
    public async Task Start_Misconfigured_ExitsOneWithOneLineNamingTheSetting(string @case, Dictionary<string, string> environment, string expected)
    {
        using var dir = new TempDir();
        environment.TryAdd("ConnectionStrings__Cognate", $"Data Source={Path.Combine(dir.Path, "cognate.db")}");

        var run = await RunAsync(dir.Path, environment);

        ShouldFailWithOneLine(run, expected, @case);
    }

    [Fact]
    public async Task Start_DataDirectoryNotWritable_ExitsOneNamingConnectionString()
    {
        using var dir = new TempDir();
        var file = Path.Combine(dir.Path, "a-file");
        await File.WriteAllTextAsync(file, "not a directory", Ct);

        var run = await RunAsync(dir.Path, new() { ["ASPNETCORE_ENVIRONMENT"] = "Development", ["ConnectionStrings__Cognate"] = $"Data Source={file}/data/cognate.db" });

        ShouldFailWithOneLine(run, "ConnectionStrings:Cognate: the data directory", "unwritable data directory");
    }

    [Fact]
    public async Task Start_SchemaNewerThanBinary_ExitsOneNamingConnectionString()
    {
        using var dir = new TempDir();
        var db = Path.Combine(dir.Path, "cognate.db");
        var environment = new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Development", ["ConnectionStrings__Cognate"] = $"Data Source={db}" };
        (await RunAsync(dir.Path, environment, "migrate")).ExitCode.ShouldBe(0);
        await using (var connection = new SqliteConnection($"Data Source={db};Pooling=false"))
        {
            await connection.OpenAsync(Ct);
            await using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'from_the_future', 0)";
            await insert.ExecuteNonQueryAsync(Ct);
        }

        var run = await RunAsync(dir.Path, environment);

        ShouldFailWithOneLine(run, "ConnectionStrings:Cognate points at", "schema newer than the binary");
        run.Stderr.ShouldContain("newer");
    }

    [Fact]
    public async Task Start_PortInUse_ExitsOneNamingUrls()
    {
        using var dir = new TempDir();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var run = await RunAsync(dir.Path, new() { ["ASPNETCORE_ENVIRONMENT"] = "Development", ["ConnectionStrings__Cognate"] = $"Data Source={Path.Combine(dir.Path, "cognate.db")}" },
            "--urls", $"http://127.0.0.1:{port}");

        ShouldFailWithOneLine(run, "--urls / ASPNETCORE_URLS", "port in use");
        run.Stderr.ShouldContain("address already in use");
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public async Task Start_HttpsOutsideDevelopment_ExitsOneNamingTlsProxy(string environment)
    {
        using var dir = new TempDir();
        var settings = Complete(environment);
        settings["ConnectionStrings__Cognate"] = $"Data Source={Path.Combine(dir.Path, "cognate.db")}";

        var run = await RunAsync(dir.Path, settings, "--https");

        ShouldFailWithOneLine(run, "Cognate:Https:Enabled", "--https outside Development");
        run.Stderr.ShouldContain("TLS proxy");
        run.Stderr.ShouldContain("docs/deployment.md");
        Directory.Exists(Path.Combine(dir.Path, ".cognate")).ShouldBeFalse("no certificate is made outside Development");
    }

    [Fact]
    public async Task Start_DevelopmentWithoutMasterKey_LogsDevelopmentKeyWarning()
    {
        using var dir = new TempDir();
        var output = await StartAndReadUntilListeningAsync(dir.Path, new() { ["ASPNETCORE_ENVIRONMENT"] = "Development", ["ConnectionStrings__Cognate"] = $"Data Source={Path.Combine(dir.Path, "cognate.db")}" });
        output.ShouldContain("Cognate:MasterKey is the public development key");
    }

    [Fact]
    public async Task Start_DevelopmentWithOwnMasterKey_NoDevelopmentKeyWarning()
    {
        using var dir = new TempDir();
        var output = await StartAndReadUntilListeningAsync(dir.Path, new()
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development", ["Cognate__MasterKey"] = RealKey,
            ["ConnectionStrings__Cognate"] = $"Data Source={Path.Combine(dir.Path, "cognate.db")}",
        });
        output.ShouldNotContain("public development key");
    }

    static void ShouldFailWithOneLine(Run run, string expected, string @case)
    {
        run.ExitCode.ShouldBe(1, $"{@case}: stdout {run.Stdout} stderr {run.Stderr}");
        var lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines.Length.ShouldBe(1, $"{@case}: stderr must be one line: {run.Stderr}");
        lines[0].ShouldContain(expected, Case.Sensitive, @case);
        (run.Stdout + run.Stderr).ShouldNotMatch(@"\n\s+at [\w.`<>]+[.(]", $"{@case}: a stack trace was printed");
        (run.Stdout + run.Stderr).ShouldNotContain("Unhandled exception", Case.Insensitive);
        foreach (var secret in new[] { AdminSecret, RealKey, "pg-secret-never-printed" })
        {
            (run.Stdout + run.Stderr).ShouldNotContain(secret, Case.Sensitive, $"{@case}: a secret was printed");
        }
    }

    internal sealed record Run(int ExitCode, string Stdout, string Stderr);

    static ProcessStartInfo StartInfo(string workDir, Dictionary<string, string> environment, string[] args)
    {
        var psi = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Cognate.Server.dll"), .. args])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workDir,
        };
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k.StartsWith("DOTNET_ENVIRONMENT", StringComparison.Ordinal)
            || k.StartsWith("Cognate__", StringComparison.Ordinal) || k.StartsWith("ConnectionStrings__", StringComparison.Ordinal)).ToList())
        {
            psi.Environment.Remove(key);
        }
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        return psi;
    }

    /// <summary>Runs the server (or a command) to its exit, at most 60 s; a server that starts instead is killed and fails the test.</summary>
    static async Task<Run> RunAsync(string workDir, Dictionary<string, string> environment, params string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal))
        {
            if (!args.Contains("--urls")) args = [.. args, "--urls", $"http://127.0.0.1:{FreePort()}"];
        }
        using var process = Process.Start(StartInfo(workDir, environment, args))!;
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new ShouldAssertException("The server did not exit within 60 s (it started?).");
        }
        return new Run(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts the server, reads its stdout until it logs that it listens (≤ 60 s), then kills it.</summary>
    static async Task<string> StartAndReadUntilListeningAsync(string workDir, Dictionary<string, string> environment)
    {
        using var process = Process.Start(StartInfo(workDir, environment, ["--urls", $"http://127.0.0.1:{FreePort()}"]))!;
        var output = new StringBuilder();
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                output.AppendLine(line);
                if (line.Contains("Cognate listening on", StringComparison.Ordinal)) break;
            }
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }
        output.ToString().ShouldContain("Cognate listening on", customMessage: await stderr);
        return output.ToString();
    }

    static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    sealed class TempDir : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("cognate-startup-").FullName;
        public void Dispose()
        {
            try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
