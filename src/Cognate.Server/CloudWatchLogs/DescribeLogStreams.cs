using System.Globalization;
using System.Text;

namespace Cognate.Server.CloudWatchLogs;

/// <summary>
/// CloudWatch Logs <c>DescribeLogStreams</c> over a pool's import log group: one stream <c>JOB_ID/JOB_NAME</c> per started job,
/// with <c>creationTime</c> (the job's StartDate), <c>firstEventTimestamp</c> / <c>lastEventTimestamp</c> / <c>lastIngestionTime</c>
/// (its first and last stored lines, absent when it has none), <c>arn</c> and <c>storedBytes</c> 0 (deprecated, as CloudWatch
/// returns it). <c>orderBy</c> LogStreamName (default; <c>logStreamNamePrefix</c> filters) or LastEventTime, <c>descending</c>,
/// <c>limit</c> 1..50 (default 50), <c>nextToken</c>. Errors: ResourceNotFoundException (log group), InvalidParameterException
/// (a prefix with LastEventTime, a bad orderBy or token).
/// </summary>
internal static class DescribeLogStreams
{
    /// <summary>Largest page and default limit.</summary>
    public const int MaxLimit = 50;

    /// <summary>Response: <c>logStreams</c>, <c>nextToken</c> when more follow.</summary>
    public sealed record Response(IReadOnlyList<LogStream> logStreams, string? nextToken);

    /// <summary>One stream (times in Unix ms).</summary>
    public sealed record LogStream(string logStreamName, long creationTime, long? firstEventTimestamp, long? lastEventTimestamp, long? lastIngestionTime, string arn, long storedBytes);

    /// <summary>Runs DescribeLogStreams; <paramref name="region"/> and <paramref name="accountId"/> go into the ARNs.</summary>
    public static async Task<Response> HandleAsync(ImportLogGroups groups, LogsRequest request, string region, string accountId, CancellationToken ct)
    {
        var orderBy = request.String("orderBy") ?? "LogStreamName";
        if (orderBy is not ("LogStreamName" or "LastEventTime"))
        {
            throw LogsErrors.Validation("orderBy", orderBy, "Member must satisfy enum value set: [LogStreamName, LastEventTime]");
        }
        var prefix = request.String("logStreamNamePrefix");
        if (prefix is not null && orderBy == "LastEventTime") throw LogsErrors.InvalidParameter("Cannot order by LastEventTime with a logStreamNamePrefix.");
        bool descending = request.Bool("descending") ?? false;
        int limit = (int)(request.Bounded("limit", 1, MaxLimit) ?? MaxLimit);
        int offset = 0;
        if (request.String("nextToken") is { } token && !TryReadToken(token, out offset)) throw LogsErrors.InvalidParameter("The specified nextToken is invalid.");
        var group = await groups.ResolveAsync(request.String("logGroupName"), request.String("logGroupIdentifier"), ct).ConfigureAwait(false);

        var streams = new List<LogStream>();
        foreach (var job in group.Jobs)
        {
            var name = ImportLogGroups.StreamName(job);
            if (prefix is not null && !name.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var bounds = await groups.BoundsAsync(job.JobId, ct).ConfigureAwait(false);
            long? first = bounds?.First.ToUnixTimeMilliseconds(), last = bounds?.Last.ToUnixTimeMilliseconds();
            streams.Add(new LogStream(name, job.StartDate!.Value.ToUnixTimeMilliseconds(), first, last, last,
                $"arn:aws:logs:{region}:{accountId}:log-group:{group.Name}:log-stream:{name}", 0));
        }
        IEnumerable<LogStream> ordered = orderBy == "LogStreamName"
            ? streams.OrderBy(s => s.logStreamName, StringComparer.Ordinal)
            : streams.OrderBy(s => s.lastEventTimestamp ?? s.creationTime).ThenBy(s => s.logStreamName, StringComparer.Ordinal);
        if (descending) ordered = ordered.Reverse();
        var all = ordered.ToList();
        var page = all.Skip(offset).Take(limit).ToList();
        return new Response(page, offset + limit < all.Count ? Token(offset + limit) : null);
    }

    static string Token(int offset) => Convert.ToBase64String(Encoding.UTF8.GetBytes("streams:" + offset.ToString(CultureInfo.InvariantCulture)));

    static bool TryReadToken(string token, out int offset)
    {
        offset = 0;
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            return text.StartsWith("streams:", StringComparison.Ordinal)
                && int.TryParse(text.AsSpan("streams:".Length), NumberStyles.None, CultureInfo.InvariantCulture, out offset);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
