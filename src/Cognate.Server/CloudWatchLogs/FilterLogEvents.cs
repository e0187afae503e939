using System.Globalization;
using System.Text;
using Cognate.Core.Import;

namespace Cognate.Server.CloudWatchLogs;

/// <summary>
/// CloudWatch Logs <c>FilterLogEvents</c> over a pool's import log group: the stored lines of every stream (or of
/// <c>logStreamNames</c> / those starting with <c>logStreamNamePrefix</c>, not both), within <c>startTime</c> / <c>endTime</c>
/// (Unix ms, inclusive), ordered by timestamp, then stream, then line; <c>limit</c> 1..10,000 (default 10,000), <c>nextToken</c> while
/// more follow. <c>filterPattern</c> supports CloudWatch's term syntax for unstructured lines: space-separated terms (or
/// <c>"quoted phrases"</c>) that must all appear, case-sensitively, <c>-term</c> excluding; JSON and space-delimited patterns answer
/// InvalidParameterException. Unknown names in <c>logStreamNames</c> match nothing. Errors: ResourceNotFoundException (log group),
/// InvalidParameterException.
/// </summary>
internal static class FilterLogEvents
{
    /// <summary>Response: <c>events</c>, <c>nextToken</c> when more follow.</summary>
    public sealed record Response(IReadOnlyList<FilteredLogEvent> events, string? nextToken);

    /// <summary>One event: its stream, timestamp and ingestionTime (Unix ms), message and an id unique in the group.</summary>
    public sealed record FilteredLogEvent(string logStreamName, long timestamp, string message, long ingestionTime, string eventId);

    /// <summary>Runs FilterLogEvents.</summary>
    public static async Task<Response> HandleAsync(ImportLogGroups groups, LogsRequest request, CancellationToken ct)
    {
        var names = request.Strings("logStreamNames");
        var prefix = request.String("logStreamNamePrefix");
        if (names is not null && prefix is not null) throw LogsErrors.InvalidParameter("You cannot specify both LogStreamNames and LogStreamNamePrefix.");
        if (names is { Count: 0 or > 100 }) throw LogsErrors.Validation("logStreamNames", "[]", "Member must have length between 1 and 100");
        int limit = (int)(request.Bounded("limit", 1, GetLogEvents.MaxLimit) ?? GetLogEvents.MaxLimit);
        long? startTime = request.Bounded("startTime", 0, long.MaxValue), endTime = request.Bounded("endTime", 0, long.MaxValue);
        var (include, exclude) = ParsePattern(request.String("filterPattern") ?? "");
        int offset = 0;
        if (request.String("nextToken") is { } token && !TryReadToken(token, out offset)) throw LogsErrors.InvalidParameter("The specified nextToken is invalid.");
        var group = await groups.ResolveAsync(request.String("logGroupName"), request.String("logGroupIdentifier"), ct).ConfigureAwait(false);

        var matched = new List<(string Stream, ImportLogEvent Event)>();
        foreach (var job in group.Jobs)
        {
            var stream = ImportLogGroups.StreamName(job);
            if (names is not null && !names.Contains(stream)) continue;
            if (prefix is not null && !stream.StartsWith(prefix, StringComparison.Ordinal)) continue;
            // Each stream holds at most the per-job bound of stored lines, so one read per stream is bounded.
            foreach (var e in await groups.EventsAsync(job.JobId, 0, long.MaxValue, startTime, endTime, int.MaxValue, false, ct).ConfigureAwait(false))
            {
                var text = e.Text;
                if (include.All(t => text.Contains(t, StringComparison.Ordinal)) && !exclude.Any(t => text.Contains(t, StringComparison.Ordinal))) matched.Add((stream, e));
            }
        }
        var ordered = matched.OrderBy(m => m.Event.Timestamp).ThenBy(m => m.Stream, StringComparer.Ordinal).ThenBy(m => m.Event.Row).ToList();
        var page = ordered.Skip(offset).Take(limit).Select(m =>
        {
            var ms = m.Event.Timestamp.ToUnixTimeMilliseconds();
            return new FilteredLogEvent(m.Stream, ms, m.Event.Text, ms, m.Stream[..m.Stream.IndexOf('/', StringComparison.Ordinal)] + "-" + m.Event.Row.ToString(CultureInfo.InvariantCulture));
        }).ToList();
        return new Response(page, offset + limit < ordered.Count ? Token(offset + limit) : null);
    }

    /// <summary>Terms of a filter pattern: bare words and "quoted phrases" must appear, a leading '-' excludes.</summary>
    internal static (List<string> Include, List<string> Exclude) ParsePattern(string pattern)
    {
        var include = new List<string>();
        var exclude = new List<string>();
        var p = pattern.Trim();
        if (p.Length > 0 && (p[0] is '{' or '[' || p.Contains('?', StringComparison.Ordinal) || p.StartsWith('%')))
        {
            throw LogsErrors.InvalidParameter("Invalid filter pattern: Cognate supports only terms and quoted phrases for import logs.");
        }
        int i = 0;
        while (i < p.Length)
        {
            if (char.IsWhiteSpace(p[i])) { i++; continue; }
            bool negate = p[i] == '-';
            if (negate) i++;
            string term;
            if (i < p.Length && p[i] == '"')
            {
                int end = p.IndexOf('"', i + 1);
                if (end < 0) throw LogsErrors.InvalidParameter("Invalid filter pattern: an unclosed quote.");
                term = p[(i + 1)..end];
                i = end + 1;
            }
            else
            {
                int end = i;
                while (end < p.Length && !char.IsWhiteSpace(p[end])) end++;
                term = p[i..end];
                i = end;
            }
            if (term.Length > 0) (negate ? exclude : include).Add(term);
        }
        return (include, exclude);
    }

    static string Token(int offset) => Convert.ToBase64String(Encoding.UTF8.GetBytes("events:" + offset.ToString(CultureInfo.InvariantCulture)));

    static bool TryReadToken(string token, out int offset)
    {
        offset = 0;
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            return text.StartsWith("events:", StringComparison.Ordinal)
                && int.TryParse(text.AsSpan("events:".Length), NumberStyles.None, CultureInfo.InvariantCulture, out offset);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
