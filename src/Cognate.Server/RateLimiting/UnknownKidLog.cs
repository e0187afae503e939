using Cognate.Core.Tokens;

namespace Cognate.Server.RateLimiting;

/// <summary>Logs each reload of a pool's signing keys caused by a token naming an unknown <c>kid</c> (bounded by <see cref="TokenService.UnknownKidReloadInterval"/>).</summary>
internal sealed partial class UnknownKidLog(TokenService tokens, ILogger<UnknownKidLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        tokens.UnknownKidReloaded = pool => LogReloaded(logger, pool);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Signing keys of pool {UserPoolId} reloaded for a token with an unknown kid")]
    static partial void LogReloaded(ILogger logger, string userPoolId);
}
