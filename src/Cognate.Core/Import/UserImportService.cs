using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Cognate.Core.Errors;
using Cognate.Core.Pools;

namespace Cognate.Core.Import;

/// <summary>
/// The user import job actions: GetCSVHeader, CreateUserImportJob, DescribeUserImportJob, ListUserImportJobs, StartUserImportJob and
/// StopUserImportJob (AWS guide "Importing users into user pools from a CSV file"). Rows are imported by <see cref="UserImportProcessor"/>
/// on whichever node leases the job.
/// </summary>
public sealed class UserImportService(IUserImportJobStore jobs, UserPoolService pools, TimeProvider time)
{
    /// <summary>How long the upload URL is valid after CreateUserImportJob: 15 minutes.</summary>
    public static readonly TimeSpan UploadWindow = TimeSpan.FromMinutes(15);
    /// <summary>A job not started this long after creation becomes Expired: 24 hours.</summary>
    public static readonly TimeSpan StartWindow = TimeSpan.FromHours(24);
    /// <summary>Largest ListUserImportJobs page (Cognito's MaxResults bound).</summary>
    public const int MaxPageSize = 60;

    const string Alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>GetCSVHeader: the pool's import header (<see cref="ImportCsv.Header"/>).</summary>
    /// <exception cref="CognitoException">ResourceNotFoundException.</exception>
    public async ValueTask<(UserPool Pool, IReadOnlyList<string> Header)> HeaderAsync(string userPoolId, CancellationToken ct = default)
    {
        var pool = await pools.GetAsync(userPoolId, ct).ConfigureAwait(false);
        return (pool, ImportCsv.Header(pool));
    }

    /// <summary>CreateUserImportJob: a Created job with an id <c>import-</c> + 10 letters and digits, uploadable for <see cref="UploadWindow"/>.</summary>
    /// <exception cref="CognitoException">ResourceNotFoundException.</exception>
    public async ValueTask<UserImportJob> CreateAsync(string userPoolId, string jobName, string cloudWatchLogsRoleArn, CancellationToken ct = default)
    {
        var pool = await pools.GetAsync(userPoolId, ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var job = new UserImportJob
        {
            JobId = "import-" + RandomNumberGenerator.GetString(Alnum, 10),
            UserPoolId = pool.Id,
            JobName = jobName,
            Status = ImportJobStatus.Created,
            CloudWatchLogsRoleArn = cloudWatchLogsRoleArn,
            CreationDate = now,
            UploadExpiresAt = now + UploadWindow,
        };
        await jobs.CreateAsync(job, ct).ConfigureAwait(false);
        return job;
    }

    /// <summary>DescribeUserImportJob. A Created job older than <see cref="StartWindow"/> is Expired from then on.</summary>
    /// <exception cref="CognitoException">ResourceNotFoundException (pool or job).</exception>
    public async ValueTask<UserImportJob> GetAsync(string userPoolId, string jobId, CancellationToken ct = default)
    {
        var pool = await pools.GetAsync(userPoolId, ct).ConfigureAwait(false);
        var job = await jobs.GetAsync(pool.Id, jobId, ct).ConfigureAwait(false) ?? throw JobNotFound(jobId);
        return await ExpireAsync(job, ct).ConfigureAwait(false);
    }

    /// <summary>ListUserImportJobs: newest first, <paramref name="maxResults"/> (1..60) per page; PaginationToken continues.</summary>
    /// <exception cref="CognitoException">ResourceNotFoundException; InvalidParameterException for a token this server did not issue.</exception>
    public async ValueTask<(IReadOnlyList<UserImportJob> Jobs, string? PaginationToken)> ListAsync(string userPoolId, int maxResults, string? paginationToken, CancellationToken ct = default)
    {
        var pool = await pools.GetAsync(userPoolId, ct).ConfigureAwait(false);
        if (maxResults is < 1 or > MaxPageSize) throw CognitoErrors.InvalidParameter($"MaxResults must be between 1 and {MaxPageSize}.");
        int offset = 0;
        if (paginationToken is not null && !TryReadToken(paginationToken, out offset)) throw CognitoErrors.InvalidParameter("Invalid PaginationToken.");
        var page = await jobs.ListAsync(pool.Id, offset, maxResults + 1, ct).ConfigureAwait(false);
        var list = new List<UserImportJob>(Math.Min(page.Count, maxResults));
        foreach (var j in page.Take(maxResults)) list.Add(await ExpireAsync(j, ct).ConfigureAwait(false));
        return (list, page.Count > maxResults ? Token(offset + maxResults) : null);
    }

    /// <summary>StartUserImportJob: Created → Pending (a worker then takes it InProgress).</summary>
    /// <exception cref="CognitoException">ResourceNotFoundException; PreconditionNotMetException when the job is not Created.</exception>
    public async ValueTask<UserImportJob> StartAsync(string userPoolId, string jobId, CancellationToken ct = default)
    {
        var job = await GetAsync(userPoolId, jobId, ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        if (job.Status != ImportJobStatus.Created || !await jobs.TransitionAsync(job.JobId, ImportJobStatus.Created, ImportJobStatus.Pending, now, startDate: now, ct: ct).ConfigureAwait(false))
        {
            throw CognitoErrors.PreconditionNotMet($"The user import job {jobId} cannot be started: its status is {(await GetAsync(userPoolId, jobId, ct).ConfigureAwait(false)).Status}, not Created.");
        }
        return await GetAsync(userPoolId, jobId, ct).ConfigureAwait(false);
    }

    /// <summary>StopUserImportJob: Pending or InProgress → Stopping; the worker stops after its current batch and sets Stopped.</summary>
    /// <exception cref="CognitoException">ResourceNotFoundException; PreconditionNotMetException when the job is neither Pending nor InProgress.</exception>
    public async ValueTask<UserImportJob> StopAsync(string userPoolId, string jobId, CancellationToken ct = default)
    {
        // Compare-and-set from the status read; a worker may move Pending to InProgress between the read and the write, so read again.
        for (int attempt = 0; attempt < 5; attempt++)
        {
            var job = await GetAsync(userPoolId, jobId, ct).ConfigureAwait(false);
            if (job.Status is not (ImportJobStatus.Pending or ImportJobStatus.InProgress))
            {
                throw CognitoErrors.PreconditionNotMet($"The user import job {jobId} cannot be stopped: its status is {job.Status}, not Pending or InProgress.");
            }
            if (await jobs.TransitionAsync(job.JobId, job.Status, ImportJobStatus.Stopping, time.GetUtcNow(), ct: ct).ConfigureAwait(false))
            {
                return await GetAsync(userPoolId, jobId, ct).ConfigureAwait(false);
            }
        }
        throw CognitoErrors.PreconditionNotMet($"The user import job {jobId} changed status while it was being stopped; try again.");
    }

    /// <summary>
    /// Refuses a change of the pool while one of its import jobs is Pending, InProgress or Stopping (DeleteUserPool, UpdateUserPool and
    /// AddCustomAttributes answer UserImportInProgressException then, as Cognito does).
    /// </summary>
    /// <exception cref="CognitoException">UserImportInProgressException.</exception>
    public async ValueTask RequireNoRunningJobAsync(string userPoolId, CancellationToken ct = default)
    {
        if (await jobs.HasRunningJobAsync(userPoolId, ct).ConfigureAwait(false))
        {
            throw CognitoErrors.UserImportInProgress($"A user import job is in progress for user pool {userPoolId}; stop it or wait until it ends.");
        }
    }

    /// <summary>The rows a job refused (at most <paramref name="limit"/>), for operators: Cognito writes them to CloudWatch Logs.</summary>
    /// <exception cref="CognitoException">ResourceNotFoundException.</exception>
    public async ValueTask<IReadOnlyList<UserImportError>> ErrorsAsync(string userPoolId, string jobId, int limit, CancellationToken ct = default)
    {
        var job = await GetAsync(userPoolId, jobId, ct).ConfigureAwait(false);
        return await jobs.ListErrorsAsync(job.JobId, limit, ct).ConfigureAwait(false);
    }

    async ValueTask<UserImportJob> ExpireAsync(UserImportJob job, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (job.Status != ImportJobStatus.Created || job.CreationDate + StartWindow > now) return job;
        await jobs.TransitionAsync(job.JobId, ImportJobStatus.Created, ImportJobStatus.Expired, now,
            completionMessage: "The user import job expired: it was not started within 24 hours of its creation.", ct: ct).ConfigureAwait(false);
        return await jobs.GetAsync(job.UserPoolId, job.JobId, ct).ConfigureAwait(false) ?? job;
    }

    static CognitoException JobNotFound(string jobId) => CognitoErrors.ResourceNotFound($"User import job {jobId} does not exist.");

    static string Token(int offset) => Convert.ToBase64String(Encoding.UTF8.GetBytes("import-page:" + offset.ToString(CultureInfo.InvariantCulture)));

    static bool TryReadToken(string token, out int offset)
    {
        offset = 0;
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            return text.StartsWith("import-page:", StringComparison.Ordinal)
                && int.TryParse(text.AsSpan("import-page:".Length), NumberStyles.None, CultureInfo.InvariantCulture, out offset) && offset >= 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
