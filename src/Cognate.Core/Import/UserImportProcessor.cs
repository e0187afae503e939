using System.Text;
using Cognate.Core.Errors;
using Cognate.Core.Mfa;
using Cognate.Core.Pools;
using Cognate.Core.Users;

namespace Cognate.Core.Import;

/// <summary>
/// Runs user import jobs: leases one runnable job (<see cref="IUserImportJobStore.TryLeaseAsync"/>), spools the stored file to a
/// temporary file, checks it whole (size, strict UTF-8, header, at most 500,000 rows) in one streaming pass before writing anything, then imports it in batches of <see cref="BatchSize"/> rows,
/// each batch one transaction with the job's counters and position, so a crash or a takeover by another node never leaves a
/// half-written user or a row counted twice. Users are created RESET_REQUIRED without a password (they sign in after
/// ForgotPassword / ConfirmForgotPassword). A stop request is honoured between batches.
/// </summary>
public sealed class UserImportProcessor(IUserImportJobStore jobs, UserPoolService pools, UserService users, IUserMfaStore mfa, TimeProvider time)
{
    /// <summary>Rows per transaction. Default 10,000: fewer, larger transactions write each touched index page to the WAL fewer times
    /// (bench/import.sh, 1,000,000 users: 14,387 users/s at 5,000, 17,312 at 10,000, 19,360 at 20,000), while each holds the write
    /// turn longer (about 0.6 s at 10,000).</summary>
    public int BatchSize { get; init; } = 10_000;
    /// <summary>Most data rows one job takes; a larger file fails the job before anything is written. Default
    /// <see cref="ImportCsv.MaxRows"/> (Cognito's 500,000); <c>Cognate:Import:MaxRows</c> raises it (a deliberate difference, off by default).</summary>
    public int MaxRows { get; init; } = ImportCsv.MaxRows;
    /// <summary>How long a lease lasts; every batch renews it.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromMinutes(2);
    /// <summary>Result-log lines (FAILED and SKIPPED rows) kept per job; every row is still counted in the job's counters. Default 10,000.</summary>
    public int MaxStoredErrors { get; init; } = 10_000;

    /// <summary>Completion message of a job that read every row.</summary>
    public const string SucceededMessage = "Import Job Completed Successfully.";
    /// <summary>Completion message of a stopped job.</summary>
    public const string StoppedMessage = "The user import job was stopped by StopUserImportJob.";

    /// <summary>Leases and runs one job to its end (or until the lease is lost or <paramref name="ct"/> fires). False when no job was runnable.</summary>
    public async ValueTask<bool> RunOnceAsync(string owner, CancellationToken ct)
    {
        var job = await jobs.TryLeaseAsync(owner, time.GetUtcNow(), Lease, ct).ConfigureAwait(false);
        if (job is null) return false;
        await RunAsync(job, owner, ct).ConfigureAwait(false);
        return true;
    }

    async ValueTask RunAsync(UserImportJob job, string owner, CancellationToken ct)
    {
        if (job.Status == ImportJobStatus.Stopping)
        {
            await FinishAsync(job, owner, ImportJobStatus.Stopped, StoppedMessage, ct).ConfigureAwait(false);
            return;
        }
        UserPool pool;
        try
        {
            pool = await pools.GetAsync(job.UserPoolId, ct).ConfigureAwait(false);
        }
        catch (CognitoException)
        {
            return; // the pool (and so the job) is being deleted
        }
        // The stored file is spooled to a temporary file (deleted on close) and read from there twice, so memory stays flat in its size.
        await using var spool = new FileStream(Path.Combine(Path.GetTempPath(), $"cognate-import-{job.JobId}-{Guid.NewGuid():N}.csv"), FileMode.CreateNew,
            FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        if (!await jobs.CopyCsvToAsync(job.JobId, spool, ct).ConfigureAwait(false))
        {
            await FailAsync(job.UploadError ?? "No CSV file was uploaded to the job's PreSignedUrl before the job was started.").ConfigureAwait(false);
            return;
        }
        if (spool.Length > ImportCsv.MaxBytes)
        {
            await FailAsync("The CSV file is larger than 100 MB.").ConfigureAwait(false);
            return;
        }
        if (pool.Config.AutoVerifiedAttributes is not { Count: > 0 })
        {
            await FailAsync("The user pool has no auto-verified attributes (email or phone_number): imported users could not reset their passwords.").ConfigureAwait(false);
            return;
        }
        spool.Position = 0;
        var (columns, rows, problem) = Inspect(pool, spool, MaxRows);
        if (problem is not null)
        {
            await FailAsync(problem).ConfigureAwait(false);
            return;
        }

        spool.Position = 0;
        var parser = new ImportRowParser(pool, columns!);
        using var reader = ImportCsv.StrictUtf8Reader(spool, leaveOpen: true);
        if (reader.Peek() == '\uFEFF') reader.Read();
        ImportCsv.ReadRecord(reader); // header
        long row = 0;
        for (; row < job.NextRow; row++) ImportCsv.ReadRecord(reader);
        long imported = job.ImportedUsers, skipped = job.SkippedUsers, failed = job.FailedUsers;
        string? firstError = null;
        // Two stages overlap: while one batch is committed (on the thread pool: the SQLite provider does its work synchronously),
        // the next is read and checked here. A batch read ahead is dropped if the committed one reports a lost lease or a stop: the
        // job's position only moves with a commit, so nothing is skipped or written twice.
        Task<ImportBatchResult>? committing = null;
        PendingBatch? inFlight = null;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var next = row < rows ? ReadBatch(reader, parser, pool, ref row, rows) : null;
            if (committing is not null)
            {
                var result = await committing.ConfigureAwait(false);
                if (!result.LeaseHeld) return;
                var done = inFlight!;
                failed += done.Batch.Errors.Count;
                firstError ??= done.Batch.Errors.Count > 0 ? $"row {done.Batch.Errors[0].Row}: {done.Batch.Errors[0].Message}" : null;
                for (int i = 0; i < result.Outcomes.Count; i++)
                {
                    if (result.Outcomes[i] == ImportRowOutcome.Skipped) { skipped++; continue; }
                    imported++;
                    var name = done.Batch.Users[i].User.Username;
                    if (done.MfaUsers.Contains(name))
                    {
                        await mfa.PutAsync(pool.Id, name, new UserMfa { SmsEnabled = true, Preferred = MfaFactor.Sms }, ct).ConfigureAwait(false);
                    }
                }
                if (result.Status == ImportJobStatus.Stopping)
                {
                    await FinishAsync(job, owner, ImportJobStatus.Stopped, StoppedMessage, ct).ConfigureAwait(false);
                    return;
                }
                committing = null;
            }
            if (next is null) break;
            inFlight = next;
            var batch = next.Batch;
            committing = Task.Run(async () => await jobs.CommitBatchAsync(job.JobId, owner, batch, time.GetUtcNow(), Lease, MaxStoredErrors, ct).ConfigureAwait(false), ct);
        }
        var message = failed + skipped == 0 ? SucceededMessage
            : $"{SucceededMessage} {imported} imported, {skipped} skipped (username or alias already in use), {failed} failed{(firstError is null ? "" : $" (first failure: {firstError})")}.";
        await FinishAsync(job, owner, ImportJobStatus.Succeeded, message, ct).ConfigureAwait(false);

        ValueTask FailAsync(string message) => FinishAsync(job, owner, ImportJobStatus.Failed, message, ct);
    }

    /// <summary>Reads and checks up to <see cref="BatchSize"/> rows (advancing <paramref name="row"/>) into one batch to commit.</summary>
    PendingBatch ReadBatch(StreamReader reader, ImportRowParser parser, UserPool pool, ref long row, long rows)
    {
        var batchUsers = new List<(User, IReadOnlyCollection<UserIdentifier>, long)>((int)Math.Min(BatchSize, rows - row));
        var mfaUsers = new HashSet<string>(StringComparer.Ordinal);
        var errors = new List<UserImportError>();
        long start = row;
        while (row < rows && row - start < BatchSize)
        {
            row++;
            List<string>? fields;
            try
            {
                fields = ImportCsv.ReadRecord(reader);
            }
            catch (FormatException e)
            {
                errors.Add(new UserImportError(row, null, $"The row is not valid CSV: {e.Message}."));
                row = rows;
                break;
            }
            if (fields is null) { row = rows; break; }
            var (parsed, error, username) = parser.Parse(fields);
            if (parsed is not null)
            {
                try
                {
                    var user = users.NewUser(pool, parsed.Username, parsed.Attributes, UserStatus.ResetRequired);
                    batchUsers.Add((user, UserIdentifiers.For(pool, user), row));
                    if (parsed.MfaEnabled) mfaUsers.Add(user.Username);
                    continue;
                }
                catch (CognitoException e)
                {
                    error = e.Error.Message;
                }
            }
            errors.Add(new UserImportError(row, username, error!));
        }
        return new PendingBatch(new ImportBatch(batchUsers, errors, row - start), mfaUsers);
    }

    /// <summary>A batch read ahead and the users of it whose row enabled SMS MFA (set once the batch is committed).</summary>
    sealed record PendingBatch(ImportBatch Batch, HashSet<string> MfaUsers);

    async ValueTask FinishAsync(UserImportJob job, string owner, string status, string message, CancellationToken ct) =>
        await jobs.FinishAsync(job.JobId, owner, status, message, time.GetUtcNow(), ct).ConfigureAwait(false);

    /// <summary>
    /// Checks a whole file before any write: strict UTF-8, the header (<see cref="ImportCsv.CheckHeader"/>), at most
    /// <see cref="ImportCsv.MaxRows"/> data rows. Returns the columns and the number of data rows, or the reason the job fails.
    /// </summary>
    public static (IReadOnlyList<string>? Columns, long Rows, string? Problem) Inspect(UserPool pool, byte[] csv, int maxRows = ImportCsv.MaxRows)
    {
        ArgumentNullException.ThrowIfNull(csv);
        return Inspect(pool, new MemoryStream(csv, writable: false), maxRows);
    }

    /// <summary>
    /// <see cref="Inspect(UserPool, byte[], int)"/> over a stream read once from its position, one record at a time (the stream is left open).
    /// </summary>
    public static (IReadOnlyList<string>? Columns, long Rows, string? Problem) Inspect(UserPool pool, Stream csv, int maxRows = ImportCsv.MaxRows)
    {
        ArgumentNullException.ThrowIfNull(csv);
        using var reader = ImportCsv.StrictUtf8Reader(csv, leaveOpen: true);
        try
        {
            if (reader.Peek() == '\uFEFF') reader.Read();
            var header = ImportCsv.ReadRecord(reader);
            if (header is null) return (null, 0, "The CSV file is empty: its first line must be the header GetCSVHeader returns.");
            var columns = header.Select(h => h.Trim()).ToList();
            if (ImportCsv.CheckHeader(pool, columns) is { } bad) return (null, 0, bad);
            long rows = 0;
            while (true)
            {
                List<string>? record;
                try
                {
                    record = ImportCsv.ReadRecord(reader);
                }
                catch (FormatException)
                {
                    rows++; // the unclosed row counts, and fails alone when imported
                    break;
                }
                if (record is null) break;
                if (++rows > maxRows) return (null, 0, $"The CSV file has more than {maxRows:N0} users, the most one import job takes.");
            }
            return (columns, rows, null);
        }
        catch (DecoderFallbackException)
        {
            return (null, 0, "The CSV file is not valid UTF-8.");
        }
    }
}
