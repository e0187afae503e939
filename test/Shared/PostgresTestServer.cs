using System.Diagnostics;
using Npgsql;

namespace Cognate.Tests.Shared;

/// <summary>
/// The real PostgreSQL server the tests use: the one <c>test/run.sh</c> started (its admin connection string in
/// <c>COGNATE_TEST_POSTGRES</c>), or else one started here on first use by <c>test/postgres.sh</c> (Debian's
/// binaries, a temp directory, a free 127.0.0.1 port) and stopped when the test process exits. Each test gets
/// its own fresh database from <see cref="CreateDatabaseAsync"/>.
/// </summary>
internal static class PostgresTestServer
{
    /// <summary>Environment variable with the admin connection string of a running server.</summary>
    public const string ConnectionVariable = "COGNATE_TEST_POSTGRES";

    /// <summary>Environment variable choosing the provider the server integration suite runs against: <c>sqlite</c> (default) or <c>postgres</c>.</summary>
    public const string ProviderVariable = "COGNATE_TEST_PROVIDER";

    static readonly SemaphoreSlim Gate = new(1, 1);
    static string? adminConnectionString;

    /// <summary>True when the server suite should run against PostgreSQL.</summary>
    public static bool ServerSuiteUsesPostgres =>
        string.Equals(Environment.GetEnvironmentVariable(ProviderVariable), "postgres", StringComparison.OrdinalIgnoreCase);

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var admin = await AdminConnectionStringAsync();
        var name = "cognate_test_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"CREATE DATABASE {name}";
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true }.ConnectionString;
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/> (closing its remaining sessions).</summary>
    public static async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(await AdminConnectionStringAsync());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"DROP DATABASE IF EXISTS {name} WITH (FORCE)";
        await command.ExecuteNonQueryAsync();
    }

    static async Task<string> AdminConnectionStringAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return adminConnectionString ??= Environment.GetEnvironmentVariable(ConnectionVariable) is { Length: > 0 } given
                ? given
                : await StartOwnServerAsync();
        }
        finally
        {
            Gate.Release();
        }
    }

    static async Task<string> StartOwnServerAsync()
    {
        var script = FindScript();
        var directory = Path.Combine(Path.GetTempPath(), "cognate-pg-" + Guid.NewGuid().ToString("N"));
        var (code, output) = await RunAsync(script, "start", directory);
        if (code != 0) throw new InvalidOperationException($"test/postgres.sh start failed ({code}): {output}");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => RunAsync(script, "stop", directory).GetAwaiter().GetResult();
        return output.Trim().Split('\n')[^1];
    }

    static string FindScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "test", "postgres.sh");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("test/postgres.sh not found above " + AppContext.BaseDirectory);
    }

    static async Task<(int Code, string Output)> RunAsync(string script, string verb, string directory)
    {
        var psi = new ProcessStartInfo("bash", [script, verb, directory]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, process.ExitCode == 0 ? await stdout : await stdout + await stderr);
    }
}
