using System.Globalization;
using Cognate.Core.Import;

namespace Cognate.Server.CloudWatchLogs;

/// <summary>
/// CloudWatch Logs <c>GetLogEvents</c> over an import job's result log (stream <c>JOB_ID/JOB_NAME</c>): its FAILED and SKIPPED lines
/// (<c>[SKIPPED] Line Number 3 - The user already exists.</c>) in file order, stamped with the time their batch committed (ms).
/// Without <c>nextToken</c> it answers the first <c>limit</c> (1..10,000, default 10,000) events with <c>startFromHead</c>, else the
/// last ones. <c>nextForwardToken</c> continues after the page, <c>nextBackwardToken</c> before it; at the end of the stream the
/// token sent comes back unchanged, as CloudWatch does. <c>startTime</c> / <c>endTime</c> (Unix ms, both inclusive) filter.
/// Errors: ResourceNotFoundException (log group / log stream), InvalidParameterException (limit, a token this server did not issue,
/// both or neither of logGroupName and logGroupIdentifier).
/// </summary>
internal static class GetLogEvents
{
    /// <summary>Most events a page holds, and the default limit.</summary>
    public const int MaxLimit = 10_000;

    /// <summary>Response: <c>events</c> (timestamp, message, ingestionTime), <c>nextForwardToken</c>, <c>nextBackwardToken</c>.</summary>
    public sealed record Response(IReadOnlyList<OutputLogEvent> events, string nextForwardToken, string nextBackwardToken);

    /// <summary>One event: timestamp and ingestionTime are the batch's commit time in Unix ms.</summary>
    public sealed record OutputLogEvent(long timestamp, string message, long ingestionTime);

    /// <summary>Runs GetLogEvents.</summary>
    public static async Task<Response> HandleAsync(ImportLogGroups groups, LogsRequest request, CancellationToken ct)
    {
        var streamName = request.String("logStreamName") ?? throw LogsErrors.Validation("logStreamName", "null", "Member must not be null");
        int limit = (int)(request.Bounded("limit", 1, MaxLimit) ?? MaxLimit);
        long? startTime = request.Bounded("startTime", 0, long.MaxValue), endTime = request.Bounded("endTime", 0, long.MaxValue);
        bool fromHead = request.Bool("startFromHead") ?? false;
        var token = request.String("nextToken");
        Position? position = null;
        if (token is not null && !Position.TryParse(token, out position)) throw LogsErrors.InvalidParameter("The specified nextToken is invalid.");
        var group = await groups.ResolveAsync(request.String("logGroupName"), request.String("logGroupIdentifier"), ct).ConfigureAwait(false);
        var job = ImportLogGroups.Stream(group, streamName);

        // Rows are 1-based, so row 0 is "before the first" and long.MaxValue "after the last".
        var (after, before, fromEnd) = position switch
        {
            { Forward: true } p => (p.Row, long.MaxValue, false),
            { Forward: false } p => (0L, p.Row, true),
            _ => (0L, long.MaxValue, !fromHead),
        };
        var events = await groups.EventsAsync(job.JobId, after, before, startTime, endTime, limit, fromEnd, ct).ConfigureAwait(false);
        string forward, backward;
        if (events.Count > 0)
        {
            forward = new Position(true, events[^1].Row).ToString();
            backward = new Position(false, events[0].Row).ToString();
        }
        else if (position is { Forward: true } f)
        {
            forward = token!;
            backward = new Position(false, f.Row == long.MaxValue ? f.Row : f.Row + 1).ToString();
        }
        else if (position is { } b)
        {
            backward = token!;
            forward = new Position(true, Math.Max(0, b.Row - 1)).ToString();
        }
        else
        {
            forward = new Position(true, 0).ToString();
            backward = new Position(false, 1).ToString();
        }
        return new Response(events.Select(ToOutput).ToList(), forward, backward);
    }

    static OutputLogEvent ToOutput(ImportLogEvent e)
    {
        var ms = e.Timestamp.ToUnixTimeMilliseconds();
        return new OutputLogEvent(ms, e.Text, ms);
    }

    /// <summary>
    /// A page boundary: <c>f/</c> + row (events after it) or <c>b/</c> + row (events before it), the row as 20 digits, as opaque to
    /// clients as CloudWatch's own tokens.
    /// </summary>
    internal sealed record Position(bool Forward, long Row)
    {
        public override string ToString() => (Forward ? "f/" : "b/") + Row.ToString("D20", CultureInfo.InvariantCulture);

        public static bool TryParse(string token, out Position? position)
        {
            position = null;
            if (token.Length != 22 || token[1] != '/' || token[0] is not ('f' or 'b')) return false;
            if (!long.TryParse(token.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var row)) return false;
            position = new Position(token[0] == 'f', row);
            return true;
        }
    }
}
