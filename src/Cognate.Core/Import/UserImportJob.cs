namespace Cognate.Core.Import;

/// <summary>Cognito's <c>UserImportJobStatusType</c> values.</summary>
public static class ImportJobStatus
{
    /// <summary>CreateUserImportJob: waiting for the CSV upload and StartUserImportJob.</summary>
    public const string Created = "Created";
    /// <summary>StartUserImportJob: waiting for a worker.</summary>
    public const string Pending = "Pending";
    /// <summary>A worker is importing rows.</summary>
    public const string InProgress = "InProgress";
    /// <summary>StopUserImportJob: the worker stops after its current batch.</summary>
    public const string Stopping = "Stopping";
    /// <summary>Stopped by StopUserImportJob (rows imported before the stop stay).</summary>
    public const string Stopped = "Stopped";
    /// <summary>Every row was read (some may have failed or been skipped).</summary>
    public const string Succeeded = "Succeeded";
    /// <summary>The file could not be imported (no upload, bad header, bad UTF-8, too large…); see CompletionMessage.</summary>
    public const string Failed = "Failed";
    /// <summary>Created and not started within <see cref="UserImportService.StartWindow"/>.</summary>
    public const string Expired = "Expired";

    /// <summary>True for the statuses a job never leaves.</summary>
    public static bool IsFinal(string status) => status is Stopped or Succeeded or Failed or Expired;
}

/// <summary>
/// A user import job (Cognito's <c>UserImportJobType</c> without the PreSignedUrl, which the server signs from
/// <see cref="UploadExpiresAt"/>). Counts are rows; times are UTC. <see cref="NextRow"/> is the number of data rows already
/// processed (committed with the users they created), so a job taken over by another node resumes where it stopped.
/// </summary>
public sealed record UserImportJob
{
    /// <summary><c>import-</c> followed by 10 letters and digits.</summary>
    public required string JobId { get; init; }
    /// <summary>The pool the users go into.</summary>
    public required string UserPoolId { get; init; }
    /// <summary>JobName (1..128).</summary>
    public required string JobName { get; init; }
    /// <summary>One of <see cref="ImportJobStatus"/>.</summary>
    public required string Status { get; init; }
    /// <summary>CloudWatchLogsRoleArn as given (kept and returned, never assumed: there is no CloudWatch).</summary>
    public required string CloudWatchLogsRoleArn { get; init; }
    /// <summary>CreateUserImportJob time.</summary>
    public required DateTimeOffset CreationDate { get; init; }
    /// <summary>StartUserImportJob time, or null.</summary>
    public DateTimeOffset? StartDate { get; init; }
    /// <summary>When the job reached a final status, or null.</summary>
    public DateTimeOffset? CompletionDate { get; init; }
    /// <summary>Why the job ended as it did, or null while it runs.</summary>
    public string? CompletionMessage { get; init; }
    /// <summary>Users created.</summary>
    public long ImportedUsers { get; init; }
    /// <summary>Rows whose username (or sign-in alias) already belonged to a user.</summary>
    public long SkippedUsers { get; init; }
    /// <summary>Rows refused (bad attribute, missing required value, wrong column count…); the reasons are in the job's error rows.</summary>
    public long FailedUsers { get; init; }
    /// <summary>Until when the upload URL is accepted.</summary>
    public required DateTimeOffset UploadExpiresAt { get; init; }
    /// <summary>Size of the uploaded CSV in bytes, or null before an upload.</summary>
    public long? CsvBytes { get; init; }
    /// <summary>Why the last upload was refused (for instance larger than 100 MB), or null; the job fails with it when started.</summary>
    public string? UploadError { get; init; }
    /// <summary>Data rows already processed.</summary>
    public long NextRow { get; init; }
}

/// <summary>One row an import job refused, kept since there is no CloudWatch log: its 1-based data row number, the username if read, and why.</summary>
public sealed record UserImportError(long Row, string? Username, string Message);

/// <summary>
/// The outcomes a job's result log records, as Cognito writes them to CloudWatch Logs (AWS guide "Viewing the user pool import
/// results in the CloudWatch console", cognito-user-pools-using-import-tool-cloudwatch.html). SUCCEEDED rows are counted, not stored.
/// </summary>
public static class ImportLogOutcome
{
    /// <summary>The row was refused (its reason is the message).</summary>
    public const string Failed = "FAILED";
    /// <summary>The username or a sign-in alias already belonged to a user.</summary>
    public const string Skipped = "SKIPPED";
    /// <summary>The message of a SKIPPED line, as Cognito writes it.</summary>
    public const string SkippedMessage = "The user already exists.";
}

/// <summary>
/// One line of a job's result log: the 1-based data row, <see cref="ImportLogOutcome"/>, the reason, and when its batch committed.
/// No user data is in <see cref="Text"/>, as in Cognito's log.
/// </summary>
/// <param name="Row">1-based data row (the header is not counted).</param>
/// <param name="Outcome"><see cref="ImportLogOutcome.Failed"/> or <see cref="ImportLogOutcome.Skipped"/>.</param>
/// <param name="Message">Why the row failed, or <see cref="ImportLogOutcome.SkippedMessage"/>.</param>
/// <param name="Timestamp">When the row's batch committed (millisecond precision).</param>
public sealed record ImportLogEvent(long Row, string Outcome, string Message, DateTimeOffset Timestamp)
{
    /// <summary>The file's line number Cognito prints: the header is line 1, so data row n is line n + 1 (one line per record).</summary>
    public long LineNumber => Row + 1;

    /// <summary>The log line, e.g. <c>[SKIPPED] Line Number 5 - The user already exists.</c></summary>
    public string Text => $"[{Outcome}] Line Number {LineNumber} - {Message}";
}

/// <summary>The outcome of one row in a batch: created, skipped (name taken), or failed with a reason.</summary>
public enum ImportRowOutcome
{
    /// <summary>The user was created.</summary>
    Imported,
    /// <summary>The username or a sign-in alias already belonged to a user.</summary>
    Skipped,
}

/// <summary>What a worker commits for one batch of rows, in one transaction with the users it creates.</summary>
/// <param name="Users">Valid rows turned into users (with their identifiers), in row order.</param>
/// <param name="Errors">Rows refused before any write.</param>
/// <param name="RowsRead">Data rows this batch covers (valid and refused).</param>
public sealed record ImportBatch(IReadOnlyList<(Users.User User, IReadOnlyCollection<Users.UserIdentifier> Identifiers, long Row)> Users, IReadOnlyList<UserImportError> Errors, long RowsRead);

/// <summary>Result of <see cref="IUserImportJobStore.CommitBatchAsync"/>.</summary>
/// <param name="LeaseHeld">False when the lease was lost (another node took the job over) or the job left InProgress/Stopping: nothing was written.</param>
/// <param name="Status">The job's status after the commit (Stopping when a stop was requested meanwhile).</param>
/// <param name="Outcomes">Per user of the batch, imported or skipped.</param>
public sealed record ImportBatchResult(bool LeaseHeld, string Status, IReadOnlyList<ImportRowOutcome> Outcomes);

/// <summary>
/// Storage of user import jobs (CreateUserImportJob …), their uploaded CSV and the rows they refused. Jobs go with their pool.
/// Workers on several nodes share the jobs through a lease: <see cref="TryLeaseAsync"/> hands a runnable job to one owner until
/// the lease expires, and every batch commit renews it and checks it is still held.
/// </summary>
public interface IUserImportJobStore
{
    /// <summary>Inserts a new job (status Created).</summary>
    ValueTask CreateAsync(UserImportJob job, CancellationToken ct = default);

    /// <summary>The job, or null.</summary>
    ValueTask<UserImportJob?> GetAsync(string userPoolId, string jobId, CancellationToken ct = default);

    /// <summary>The pool's jobs, newest first, from position <paramref name="offset"/>; at most <paramref name="limit"/>.</summary>
    ValueTask<IReadOnlyList<UserImportJob>> ListAsync(string userPoolId, int offset, int limit, CancellationToken ct = default);

    /// <summary>
    /// Stores the CSV whole (replacing an earlier upload; written as one upload's chunks) while the job is Created; null
    /// <paramref name="csv"/> with <paramref name="uploadError"/> records a refused upload and drops the current one. False when the
    /// job is gone or no longer Created.
    /// </summary>
    ValueTask<bool> PutCsvAsync(string userPoolId, string jobId, byte[]? csv, string? uploadError, CancellationToken ct = default);

    /// <summary>
    /// Writes chunk <paramref name="seq"/> (0, 1, 2…) of upload <paramref name="uploadId"/> of a job, in its own short transaction,
    /// so an upload never sits in memory whole. The chunks are not the job's file until <see cref="CompleteUploadAsync"/>.
    /// </summary>
    ValueTask AppendUploadChunkAsync(string jobId, string uploadId, int seq, byte[] data, CancellationToken ct = default);

    /// <summary>
    /// In one transaction: if the job is still Created, makes <paramref name="uploadId"/> (of <paramref name="bytes"/> bytes) its
    /// file, clears an earlier upload error and deletes the chunks of the upload it replaces; otherwise deletes this upload's chunks.
    /// False when the job is gone or no longer Created.
    /// </summary>
    ValueTask<bool> CompleteUploadAsync(string userPoolId, string jobId, string uploadId, long bytes, CancellationToken ct = default);

    /// <summary>Deletes the chunks of an upload that did not complete (aborted, failed, too large).</summary>
    ValueTask DiscardUploadAsync(string jobId, string uploadId, CancellationToken ct = default);

    /// <summary>The uploaded CSV, or null.</summary>
    ValueTask<byte[]?> GetCsvAsync(string jobId, CancellationToken ct = default);

    /// <summary>Copies the uploaded CSV to <paramref name="destination"/> in chunks (never the whole file in memory); false when none is stored.</summary>
    ValueTask<bool> CopyCsvToAsync(string jobId, Stream destination, CancellationToken ct = default);

    /// <summary>
    /// Moves the job from <paramref name="from"/> to <paramref name="to"/> (compare-and-set), setting StartDate when
    /// <paramref name="startDate"/> is given and, for a final status, CompletionDate, CompletionMessage, and dropping the CSV and lease.
    /// False when the job's status was not <paramref name="from"/>.
    /// </summary>
    ValueTask<bool> TransitionAsync(string jobId, string from, string to, DateTimeOffset now, DateTimeOffset? startDate = null, string? completionMessage = null, CancellationToken ct = default);

    /// <summary>
    /// Takes the lease on one job that is Pending, InProgress or Stopping and whose lease is free or expired: the job is set InProgress
    /// (Stopping stays Stopping), owned by <paramref name="owner"/> until <paramref name="now"/> + <paramref name="lease"/>. Null when none.
    /// </summary>
    ValueTask<UserImportJob?> TryLeaseAsync(string owner, DateTimeOffset now, TimeSpan lease, CancellationToken ct = default);

    /// <summary>
    /// In one transaction, if <paramref name="owner"/> still holds the lease and the job is InProgress or Stopping: inserts the batch's
    /// users (a taken username or alias skips that row alone), its result-log lines, FAILED and SKIPPED rows stamped with
    /// <paramref name="now"/> (up to <paramref name="maxStoredErrors"/> lines per job), adds the counts, advances NextRow and renews the lease.
    /// </summary>
    ValueTask<ImportBatchResult> CommitBatchAsync(string jobId, string owner, ImportBatch batch, DateTimeOffset now, TimeSpan lease, int maxStoredErrors, CancellationToken ct = default);

    /// <summary>Ends a leased job with a final status and message (CSV and lease dropped). False when the lease was lost.</summary>
    ValueTask<bool> FinishAsync(string jobId, string owner, string status, string message, DateTimeOffset now, CancellationToken ct = default);

    /// <summary>The job's refused rows in row order (at most the stored ones).</summary>
    ValueTask<IReadOnlyList<UserImportError>> ListErrorsAsync(string jobId, int limit, CancellationToken ct = default);

    /// <summary>
    /// The job's stored result-log lines (FAILED and SKIPPED rows) with <paramref name="afterRow"/> &lt; row &lt; <paramref name="beforeRow"/>
    /// and, when given, a timestamp within [<paramref name="startTimeMs"/>, <paramref name="endTimeMs"/>] (Unix ms, both inclusive), in
    /// row order: the first <paramref name="limit"/> of them, or the last <paramref name="limit"/> when <paramref name="fromEnd"/>.
    /// </summary>
    ValueTask<IReadOnlyList<ImportLogEvent>> ListLogEventsAsync(string jobId, long afterRow, long beforeRow, long? startTimeMs, long? endTimeMs, int limit, bool fromEnd, CancellationToken ct = default);

    /// <summary>The timestamps of a job's first and last stored log lines, or null when it has none.</summary>
    ValueTask<(DateTimeOffset First, DateTimeOffset Last)?> LogEventBoundsAsync(string jobId, CancellationToken ct = default);

    /// <summary>True when the pool has a job that is Pending, InProgress or Stopping.</summary>
    ValueTask<bool> HasRunningJobAsync(string userPoolId, CancellationToken ct = default);
}
