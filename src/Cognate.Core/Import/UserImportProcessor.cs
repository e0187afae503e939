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
    /// <summary>Rows per transaction.</summary>
    public int BatchSize { get; init; } = 1000;
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
        var (columns, rows, problem) = Inspect(pool, spool);
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
        while (row < rows)
        {
            ct.ThrowIfCancellationRequested();
            var batchUsers = new List<(User, IReadOnlyCollection<UserIdentifier>, long)>();
            var mfaUsers = new List<string>();
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
            var result = await jobs.CommitBatchAsync(job.JobId, owner, new ImportBatch(batchUsers, errors, row - start), time.GetUtcNow(), Lease, MaxStoredErrors, ct).ConfigureAwait(false);
            if (!result.LeaseHeld) return;
            failed += errors.Count;
            firstError ??= errors.Count > 0 ? $"row {errors[0].Row}: {errors[0].Message}" : null;
            for (int i = 0; i < result.Outcomes.Count; i++)
            {
                if (result.Outcomes[i] == ImportRowOutcome.Skipped) { skipped++; continue; }
                imported++;
                var name = batchUsers[i].Item1.Username;
                if (mfaUsers.Contains(name))
                {
                    await mfa.PutAsync(pool.Id, name, new UserMfa { SmsEnabled = true, Preferred = MfaFactor.Sms }, ct).ConfigureAwait(false);
                }
            }
            if (result.Status == ImportJobStatus.Stopping)
            {
                await FinishAsync(job, owner, ImportJobStatus.Stopped, StoppedMessage, ct).ConfigureAwait(false);
                return;
            }
        }
        var message = failed + skipped == 0 ? SucceededMessage
            : $"{SucceededMessage} {imported} imported, {skipped} skipped (username or alias already in use), {failed} failed{(firstError is null ? "" : $" (first failure: {firstError})")}.";
        await FinishAsync(job, owner, ImportJobStatus.Succeeded, message, ct).ConfigureAwait(false);

        ValueTask FailAsync(string message) => FinishAsync(job, owner, ImportJobStatus.Failed, message, ct);
    }

    async ValueTask FinishAsync(UserImportJob job, string owner, string status, string message, CancellationToken ct) =>
        await jobs.FinishAsync(job.JobId, owner, status, message, time.GetUtcNow(), ct).ConfigureAwait(false);

    /// <summary>
    /// Checks a whole file before any write: strict UTF-8, the header (<see cref="ImportCsv.CheckHeader"/>), at most
    /// <see cref="ImportCsv.MaxRows"/> data rows. Returns the columns and the number of data rows, or the reason the job fails.
    /// </summary>
    public static (IReadOnlyList<string>? Columns, long Rows, string? Problem) Inspect(UserPool pool, byte[] csv)
    {
        ArgumentNullException.ThrowIfNull(csv);
        return Inspect(pool, new MemoryStream(csv, writable: false));
    }

    /// <summary>
    /// <see cref="Inspect(UserPool, byte[])"/> over a stream read once from its position, one record at a time (the stream is left open).
    /// </summary>
    public static (IReadOnlyList<string>? Columns, long Rows, string? Problem) Inspect(UserPool pool, Stream csv)
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
                if (++rows > ImportCsv.MaxRows) return (null, 0, $"The CSV file has more than {ImportCsv.MaxRows:N0} users, the most one import job takes.");
            }
            return (columns, rows, null);
        }
        catch (DecoderFallbackException)
        {
            return (null, 0, "The CSV file is not valid UTF-8.");
        }
    }
}
