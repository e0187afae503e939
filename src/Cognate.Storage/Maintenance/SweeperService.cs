using System.Data.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cognate.Storage.Maintenance;

/// <summary>
/// Runs <see cref="SqlSweeper"/> every <see cref="SweeperOptions.IntervalSeconds"/> on every node (the first sweep one interval
/// after start, when migrations have run). Logs the counts of deleted rows only; a failed sweep is logged and retried next round.
/// </summary>
internal sealed partial class SweeperService(SqlSweeper sweeper, IOptions<SweeperOptions> options, TimeProvider time, ILogger<SweeperService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.IntervalSeconds), time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                var r = await sweeper.SweepAsync(time.GetUtcNow(), stoppingToken).ConfigureAwait(false);
                if (r.Total > 0) LogSwept(logger, r.AuthSessions, r.Codes, r.RefreshTokens, r.AuthEvents, r.AuthorizationCodes);
            }
            catch (Exception ex) when (ex is DbException or InvalidOperationException or TimeoutException)
            {
                LogFailed(logger, ex.GetType().Name, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep deleted {AuthSessions} auth sessions, {Codes} codes, {RefreshTokens} refresh tokens, {AuthEvents} auth events, {AuthorizationCodes} authorization codes")]
    static partial void LogSwept(ILogger logger, long authSessions, long codes, long refreshTokens, long authEvents, long authorizationCodes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweep failed ({ExceptionType}); retrying next round")]
    static partial void LogFailed(ILogger logger, string exceptionType, Exception ex);
}

/// <summary>Registration of the sweeper.</summary>
public static class SweeperServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="SqlSweeper"/> and its hosted service, with <see cref="SweeperOptions"/> bound from <c>Cognate:Sweeper</c>
    /// and validated at start. Call after the storage provider's registration.
    /// </summary>
    public static IServiceCollection AddCognateSweeper(this IServiceCollection services)
    {
        services.AddOptions<SweeperOptions>().BindConfiguration(SweeperOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(sp => new SqlSweeper(sp.GetRequiredService<ISqlDatabase>(), sp.GetRequiredService<IOptions<SweeperOptions>>().Value));
        services.AddHostedService<SweeperService>();
        return services;
    }
}
