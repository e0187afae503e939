using Cognate.Core.Import;
using Cognate.Core.Pools;
using Cognate.Core.Stores;

namespace Cognate.Server.CloudWatchLogs;

/// <summary>
/// Where the import result logs live, named as Cognito names them (AWS guide "Viewing the user pool import results in the
/// CloudWatch console"): the log group <c>/aws/cognito/userpools/USER_POOL_ID/USER_POOL_NAME</c> of a pool that exists and has run
/// at least one import job (Cognito creates the group on the first run), and in it one log stream <c>JOB_ID/JOB_NAME</c> per job
/// that was started. A group may be named by its name or its ARN (<c>arn:aws:logs:REGION:ACCOUNT:log-group:NAME</c>, optionally
/// followed by <c>:*</c>).
/// </summary>
internal sealed class ImportLogGroups(IUserPoolStore pools, IUserImportJobStore jobs)
{
    /// <summary>The prefix of every import log group name.</summary>
    public const string GroupPrefix = "/aws/cognito/userpools/";

    /// <summary>Most jobs of one pool looked at (newest first).</summary>
    const int MaxJobs = 100_000;

    /// <summary>A resolved log group: its name, the pool, and the pool's started jobs (newest first).</summary>
    public sealed record Group(string Name, UserPool Pool, IReadOnlyList<UserImportJob> Jobs);

    /// <summary>The stream name of a job: <c>JOB_ID/JOB_NAME</c>.</summary>
    public static string StreamName(UserImportJob job) => job.JobId + "/" + job.JobName;

    /// <summary>The group name of a pool: <c>/aws/cognito/userpools/USER_POOL_ID/USER_POOL_NAME</c>.</summary>
    public static string GroupName(UserPool pool) => GroupPrefix + pool.Id + "/" + pool.Config.PoolName;

    /// <summary>
    /// The group named by <paramref name="logGroupName"/> or <paramref name="logGroupIdentifier"/> (exactly one of them).
    /// </summary>
    /// <exception cref="Core.Errors.CognitoException">InvalidParameterException (none or both given); ResourceNotFoundException.</exception>
    public async ValueTask<Group> ResolveAsync(string? logGroupName, string? logGroupIdentifier, CancellationToken ct)
    {
        if (logGroupName is not null && logGroupIdentifier is not null)
        {
            throw LogsErrors.InvalidParameter("LogGroup name and LogGroup ARN are mutually exclusive parameters.");
        }
        var name = logGroupName ?? logGroupIdentifier ?? throw LogsErrors.InvalidParameter("Should provide either name or ARN of the log group.");
        if (logGroupName is null && name.StartsWith("arn:", StringComparison.Ordinal))
        {
            int at = name.IndexOf(":log-group:", StringComparison.Ordinal);
            if (at < 0) throw LogsErrors.InvalidParameter("The specified log group identifier is not a log group ARN.");
            name = name[(at + ":log-group:".Length)..];
            if (name.EndsWith(":*", StringComparison.Ordinal)) name = name[..^2];
        }
        if (name.Length is 0 or > 512) throw LogsErrors.Validation("logGroupName", name, "Member must have length between 1 and 512");
        if (!name.StartsWith(GroupPrefix, StringComparison.Ordinal)) throw LogsErrors.GroupNotFound();
        var rest = name[GroupPrefix.Length..];
        int slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0) throw LogsErrors.GroupNotFound();
        var poolId = rest[..slash];
        if (!UserPoolService.IsWellFormedId(poolId)) throw LogsErrors.GroupNotFound();
        var pool = await pools.GetAsync(poolId, ct).ConfigureAwait(false);
        if (pool is null || pool.ReplicaId is not null || !string.Equals(pool.Config.PoolName, rest[(slash + 1)..], StringComparison.Ordinal)) throw LogsErrors.GroupNotFound();
        var started = (await jobs.ListAsync(pool.Id, 0, MaxJobs, ct).ConfigureAwait(false)).Where(j => j.StartDate is not null).ToList();
        if (started.Count == 0) throw LogsErrors.GroupNotFound();
        return new Group(name, pool, started);
    }

    /// <summary>The job whose stream is <paramref name="logStreamName"/> in <paramref name="group"/>.</summary>
    /// <exception cref="Core.Errors.CognitoException">ResourceNotFoundException.</exception>
    public static UserImportJob Stream(Group group, string logStreamName) =>
        group.Jobs.FirstOrDefault(j => string.Equals(StreamName(j), logStreamName, StringComparison.Ordinal)) ?? throw LogsErrors.StreamNotFound();

    /// <summary>The job's stored lines in a row window (see <see cref="IUserImportJobStore.ListLogEventsAsync"/>).</summary>
    public ValueTask<IReadOnlyList<ImportLogEvent>> EventsAsync(string jobId, long afterRow, long beforeRow, long? startTime, long? endTime, int limit, bool fromEnd, CancellationToken ct) =>
        jobs.ListLogEventsAsync(jobId, afterRow, beforeRow, startTime, endTime, limit, fromEnd, ct);

    /// <summary>The timestamps of the job's first and last stored lines, or null.</summary>
    public ValueTask<(DateTimeOffset First, DateTimeOffset Last)?> BoundsAsync(string jobId, CancellationToken ct) => jobs.LogEventBoundsAsync(jobId, ct);
}
