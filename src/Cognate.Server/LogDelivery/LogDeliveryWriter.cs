using System.Text;
using System.Text.Json.Nodes;
using Cognate.Core.LogDelivery;
using Cognate.Server.Options;
using Microsoft.Extensions.Options;

namespace Cognate.Server.LogDelivery;

/// <summary>
/// Delivers a pool's log events the way its log delivery configuration says (SetLogDeliveryConfiguration), to the local
/// directory <c>Cognate:LogDelivery:Directory</c> instead of CloudWatch Logs / S3 / Firehose: one JSON object per line, appended
/// to <c>{Directory}/{FileName(destination ARN)}</c>. A pool without a configuration for the event's source, or a server without
/// the directory, writes nothing. Delivery never fails the request that caused the event: write errors are logged and dropped,
/// as Cognito's log delivery is asynchronous to the API call.
/// </summary>
internal sealed partial class LogDeliveryWriter(IServiceProvider services, IOptions<CognateOptions> options, TimeProvider time, ILogger<LogDeliveryWriter> logger)
{
    static readonly SemaphoreSlim Gate = new(1, 1);

    /// <summary>True when a delivery directory is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(options.Value.LogDelivery.Directory);

    /// <summary>
    /// The file name of a destination: the ARN with every character outside <c>[A-Za-z0-9._-]</c> replaced by <c>_</c>, plus
    /// <c>.jsonl</c> — never a path separator, never <c>.</c> or <c>..</c>, so an ARN cannot name a file outside the directory.
    /// </summary>
    public static string FileName(string destinationArn)
    {
        var sb = new StringBuilder(destinationArn.Length + 6);
        foreach (char ch in destinationArn)
        {
            sb.Append(char.IsAsciiLetterOrDigit(ch) || ch is '.' or '-' or '_' ? ch : '_');
        }
        if (sb.Length > 200) sb.Length = 200;
        return sb.ToString().TrimStart('.') + ".jsonl";
    }

    /// <summary>
    /// Writes <paramref name="evt"/> (completed with <c>eventTimestamp</c> in epoch milliseconds, <c>eventSource</c>,
    /// <c>logLevel</c> and <c>userPoolId</c>) when the pool delivers <paramref name="eventSource"/>.
    /// </summary>
    public async ValueTask WriteAsync(string userPoolId, string eventSource, JsonObject evt, CancellationToken ct = default)
    {
        if (!Enabled) return;
        try
        {
            var config = await services.GetRequiredService<LogDeliveryService>().ForSourceAsync(userPoolId, eventSource, ct).ConfigureAwait(false);
            if (config is null) return;
            var line = new JsonObject
            {
                ["eventTimestamp"] = time.GetUtcNow().ToUnixTimeMilliseconds(),
                ["eventSource"] = eventSource,
                ["logLevel"] = config.LogLevel,
                ["userPoolId"] = userPoolId,
            };
            foreach (var (key, value) in evt) line[key] = value?.DeepClone();
            var dir = Path.GetFullPath(options.Value.LogDelivery.Directory!);
            var path = Path.Combine(dir, FileName(config.DestinationArn));
            await Gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                Directory.CreateDirectory(dir);
                await File.AppendAllTextAsync(path, line.ToJsonString() + "\n", ct).ConfigureAwait(false);
            }
            finally
            {
                Gate.Release();
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogWriteFailed(logger, userPoolId, eventSource, ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Log delivery for pool {UserPoolId} ({EventSource}) could not be written: {Error}")]
    static partial void LogWriteFailed(ILogger logger, string userPoolId, string eventSource, string error);
}
