using Cognate.Core.Import;

namespace Cognate.Server.Import;

/// <summary>Options of the import worker (<c>Cognate:Import:*</c>).</summary>
internal sealed class UserImportOptions
{
    public const string Section = "Cognate:Import";
    /// <summary>Run the worker on this node. Default true.</summary>
    public bool Enabled { get; set; } = true;
    /// <summary>Seconds between looks for runnable jobs (a start on this node wakes the worker at once). Default 2.</summary>
    public double PollSeconds { get; set; } = 2;
    /// <summary>Rows per transaction (1..50,000). Default 10,000: the import holds the database's write turn for one batch at a time
    /// (about 0.6 s at 10,000 rows on SQLite, when other writes wait), and a larger batch writes each touched index page to the WAL
    /// fewer times (bench/README.md: 1,000,000 users at 5,000 / 10,000 / 20,000 rows per batch).</summary>
    public int BatchSize { get; set; } = 10_000;
    /// <summary>Most data rows one job takes (1..10,000,000). Default 500,000, Cognito's limit; raising it is a deliberate difference
    /// (the 100 MB file limit still applies).</summary>
    public int MaxRows { get; set; } = ImportCsv.MaxRows;
    /// <summary>
    /// Result-log lines (FAILED and SKIPPED rows, served through the CloudWatch Logs API) stored per job; every row is still counted
    /// in the job's counters. Default 10,000 (0..1,000,000).
    /// </summary>
    public int MaxLogEvents { get; set; } = 10_000;
}

/// <summary>Wakes this node's worker when StartUserImportJob / StopUserImportJob ran here.</summary>
internal sealed class UserImportWakeup : IDisposable
{
    readonly SemaphoreSlim _signal = new(0, 1);

    public void Signal()
    {
        try { _signal.Release(); } catch (SemaphoreFullException) { /* already signalled */ }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);

    public void Dispose() => _signal.Dispose();
}

/// <summary>
/// The background worker of user import jobs on this node: leases runnable jobs (Pending, InProgress with an expired lease after a
/// node died, Stopping) one at a time through <see cref="UserImportProcessor"/>; the database lease keeps two nodes off one job.
/// </summary>
internal sealed partial class UserImportWorker(UserImportProcessor processor, UserImportWakeup wakeup, Microsoft.Extensions.Options.IOptions<UserImportOptions> options,
    ILogger<UserImportWorker> log) : BackgroundService
{
    readonly string _owner = Environment.MachineName + "/" + Guid.NewGuid().ToString("N");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled) return;
        var poll = TimeSpan.FromSeconds(Math.Clamp(options.Value.PollSeconds, 0.05, 3600));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await processor.RunOnceAsync(_owner, stoppingToken)) { }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogFailed(log, e);
            }
            try
            {
                await wakeup.WaitAsync(poll, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "User import worker: a job run failed; its lease expires and the job is taken up again")]
    static partial void LogFailed(ILogger logger, Exception exception);
}

/// <summary>Registration of the user import actions' services, the upload endpoint's signer and the worker.</summary>
internal static class UserImportRegistration
{
    public static IServiceCollection AddCognateUserImport(this IServiceCollection services)
    {
        services.AddOptions<UserImportOptions>().BindConfiguration(UserImportOptions.Section);
        services.AddSingleton<UserImportService>();
        services.AddSingleton(sp => new UserImportProcessor(sp.GetRequiredService<IUserImportJobStore>(), sp.GetRequiredService<Core.Pools.UserPoolService>(),
            sp.GetRequiredService<Core.Users.UserService>(), sp.GetRequiredService<Core.Mfa.IUserMfaStore>(), sp.GetRequiredService<TimeProvider>())
        {
            BatchSize = Math.Clamp(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<UserImportOptions>>().Value.BatchSize, 1, 50_000),
            MaxRows = Math.Clamp(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<UserImportOptions>>().Value.MaxRows, 1, 10_000_000),
            MaxStoredErrors = Math.Clamp(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<UserImportOptions>>().Value.MaxLogEvents, 0, 1_000_000),
        });
        services.AddSingleton<CloudWatchLogs.ImportLogGroups>();
        services.AddSingleton<CloudWatchLogs.LogsApi>();
        services.AddSingleton<ImportUploadSigner>();
        services.AddSingleton<UserImportWakeup>();
        services.AddHostedService<UserImportWorker>();
        return services;
    }
}
