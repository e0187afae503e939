using System.Data.Common;
using Cognate.Core.Import;
using Cognate.Core.Stores;
using Cognate.Core.Users;
using Dapper;

namespace Cognate.Storage.Stores;

/// <summary>
/// <see cref="IUserImportJobStore"/> over SQLite or PostgreSQL (<c>user_import_jobs</c>, <c>user_import_errors</c>, migration 0015;
/// <c>user_import_chunks</c> and the result-log columns, migration 0021). An upload is written as chunk rows as it arrives and made
/// the job's file by one short transaction at its end (<see cref="CompleteUploadAsync"/>).
/// Status changes are compare-and-set updates (<c>WHERE status = @from</c>), so StartUserImportJob / StopUserImportJob and the worker
/// never both win. The lease is taken by one conditional UPDATE (<c>lease_until</c> free or past), which PostgreSQL re-checks after a
/// concurrent update commits, so two nodes never run the same job. A batch commit is one write transaction: the lease and status are
/// checked (the job row locked on PostgreSQL), the batch's taken names are looked up at once and the other users inserted (a batch that
/// still meets a unique violation is redone with one savepoint per user, which rolls back that user alone and counts it skipped), then the result-log lines (FAILED and SKIPPED rows), counters, position and lease are written.
/// </summary>
internal sealed class SqlUserImportJobStore(ISqlDatabase db, IUserStore userStore) : IUserImportJobStore
{
    private const string Columns =
        "job_id AS JobId, user_pool_id AS UserPoolId, job_name AS JobName, status AS Status, role_arn AS RoleArn, created_at AS CreatedAt, " +
        "started_at AS StartedAt, completed_at AS CompletedAt, completion_message AS CompletionMessage, imported_users AS ImportedUsers, " +
        "skipped_users AS SkippedUsers, failed_users AS FailedUsers, upload_expires_at AS UploadExpiresAt, csv_bytes AS CsvBytes, " +
        "upload_error AS UploadError, next_row AS NextRow";

    private const string Runnable = "status IN ('Pending', 'InProgress', 'Stopping')";

    private readonly SqlUserStore _users = userStore as SqlUserStore
        ?? throw new InvalidOperationException("The user import store needs the SQL user store of the same database.");

    /// <inheritdoc />
    public async ValueTask CreateAsync(UserImportJob job, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        await using var connection = await db.OpenWriteConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO user_import_jobs (job_id, user_pool_id, job_name, status, role_arn, created_at, upload_expires_at)
            VALUES (@JobId, @UserPoolId, @JobName, @Status, @CloudWatchLogsRoleArn, @CreatedAt, @UploadExpiresAt)
            """,
            new { job.JobId, job.UserPoolId, job.JobName, job.Status, job.CloudWatchLogsRoleArn, CreatedAt = UnixTime.ToMs(job.CreationDate), UploadExpiresAt = UnixTime.ToMs(job.UploadExpiresAt) },
            cancellationToken: ct));
    }

    /// <inheritdoc />
    public async ValueTask<UserImportJob?> GetAsync(string userPoolId, string jobId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM user_import_jobs WHERE job_id = @jobId AND user_pool_id = @userPoolId", new { jobId, userPoolId }, cancellationToken: ct));
        return row?.ToJob();
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<UserImportJob>> ListAsync(string userPoolId, int offset, int limit, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM user_import_jobs WHERE user_pool_id = @userPoolId ORDER BY created_at DESC, job_id LIMIT @limit OFFSET @offset",
            new { userPoolId, limit, offset }, cancellationToken: ct));
        return rows.Select(r => r.ToJob()).ToList();
    }

    /// <inheritdoc />
    public async ValueTask<bool> PutCsvAsync(string userPoolId, string jobId, byte[]? csv, string? uploadError, CancellationToken ct = default)
    {
        if (csv is not null)
        {
            var uploadId = Guid.NewGuid().ToString("N");
            for (int seq = 0, offset = 0; offset < csv.Length; seq++, offset += ChunkBytes)
            {
                await AppendUploadChunkAsync(jobId, uploadId, seq, csv.AsSpan(offset, Math.Min(ChunkBytes, csv.Length - offset)).ToArray(), ct);
            }
            return await CompleteUploadAsync(userPoolId, jobId, uploadId, csv.LongLength, ct);
        }
        return await db.RunWriteAsync(async connection =>
        {
            await using var tx = await db.BeginWriteTransactionAsync(connection, ct);
            var updated = await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE user_import_jobs SET csv = NULL, upload_id = NULL, csv_bytes = NULL, upload_error = @uploadError
                WHERE job_id = @jobId AND user_pool_id = @userPoolId AND status = 'Created'
                """,
                new { uploadError, jobId, userPoolId }, tx, cancellationToken: ct)) == 1;
            if (updated)
            {
                await connection.ExecuteAsync(new CommandDefinition("DELETE FROM user_import_chunks WHERE job_id = @jobId", new { jobId }, tx, cancellationToken: ct));
            }
            await tx.CommitAsync(ct);
            return updated;
        }, ct);
    }

    /// <summary>The chunk size <see cref="PutCsvAsync"/> writes whole files in (1 MiB, as the upload endpoint does).</summary>
    internal const int ChunkBytes = 1 << 20;

    /// <inheritdoc />
    public async ValueTask AppendUploadChunkAsync(string jobId, string uploadId, int seq, byte[] data, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        await using var connection = await db.OpenWriteConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO user_import_chunks (job_id, upload_id, seq, data) VALUES (@jobId, @uploadId, @seq, @data)",
            new { jobId, uploadId, seq, data }, cancellationToken: ct));
    }

    /// <inheritdoc />
    /// <remarks>
    /// The job row's compare-and-set (<c>status = 'Created'</c>) orders two completing uploads of one job (PostgreSQL locks the row
    /// until the transaction ends, SQLite has one writer): the later one wins and deletes the chunks of the one it replaces. Chunks of
    /// another upload still arriving are left alone (it deletes them itself if it fails); any left by a process that died
    /// mid-upload go when the job ends (<see cref="TransitionAsync"/>, <see cref="FinishAsync"/>) or with the pool.
    /// </remarks>
    public async ValueTask<bool> CompleteUploadAsync(string userPoolId, string jobId, string uploadId, long bytes, CancellationToken ct = default)
    {
        return await db.RunWriteAsync(async connection =>
        {
            await using var tx = await db.BeginWriteTransactionAsync(connection, ct);
            var previous = await connection.QuerySingleOrDefaultAsync<PreviousUpload>(new CommandDefinition(
                "SELECT upload_id AS UploadId, status AS Status FROM user_import_jobs WHERE job_id = @jobId AND user_pool_id = @userPoolId" +
                (db.Provider == "postgres" ? " FOR UPDATE" : ""),
                new { jobId, userPoolId }, tx, cancellationToken: ct));
            bool current = previous is { Status: ImportJobStatus.Created };
            if (current)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE user_import_jobs SET csv = NULL, upload_id = @uploadId, csv_bytes = @bytes, upload_error = NULL WHERE job_id = @jobId",
                    new { uploadId, bytes, jobId }, tx, cancellationToken: ct));
            }
            var drop = current ? previous!.UploadId : uploadId;
            if (drop is not null)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "DELETE FROM user_import_chunks WHERE job_id = @jobId AND upload_id = @drop", new { jobId, drop }, tx, cancellationToken: ct));
            }
            await tx.CommitAsync(ct);
            return current;
        }, ct);
    }

    /// <inheritdoc />
    public async ValueTask DiscardUploadAsync(string jobId, string uploadId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenWriteConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM user_import_chunks WHERE job_id = @jobId AND upload_id = @uploadId AND NOT EXISTS " +
            "(SELECT 1 FROM user_import_jobs j WHERE j.job_id = @jobId AND j.upload_id = @uploadId)",
            new { jobId, uploadId }, cancellationToken: ct));
    }

    /// <inheritdoc />
    public async ValueTask<byte[]?> GetCsvAsync(string jobId, CancellationToken ct = default)
    {
        using var buffer = new MemoryStream();
        return await CopyCsvToAsync(jobId, buffer, ct) ? buffer.ToArray() : null;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Reads the current upload's chunks in order, one row (about 1 MiB) at a time. A job uploaded before migration 0021 has its
    /// file in the <c>csv</c> column: that is read with <see cref="System.Data.CommandBehavior.SequentialAccess"/> and the column's
    /// stream (incremental blob I/O on SQLite when the rowid is selected).
    /// </remarks>
    public async ValueTask<bool> CopyCsvToAsync(string jobId, Stream destination, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        await using var connection = await db.OpenConnectionAsync(ct);
        var uploadId = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT upload_id FROM user_import_jobs WHERE job_id = @jobId", new { jobId }, cancellationToken: ct));
        await using var command = connection.CreateCommand();
        command.CommandText = uploadId is not null
            ? "SELECT data FROM user_import_chunks WHERE job_id = @jobId AND upload_id = @uploadId ORDER BY seq"
            : db.Provider == "postgres"
                ? "SELECT csv FROM user_import_jobs WHERE job_id = @jobId"
                : "SELECT csv, rowid FROM user_import_jobs WHERE job_id = @jobId";
        AddParameter(command, "jobId", jobId);
        if (uploadId is not null) AddParameter(command, "uploadId", uploadId);
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, ct);
        if (uploadId is not null)
        {
            while (await reader.ReadAsync(ct))
            {
                await using var chunk = reader.GetStream(0);
                await chunk.CopyToAsync(destination, 1 << 16, ct);
            }
            return true;
        }
        if (!await reader.ReadAsync(ct) || await reader.IsDBNullAsync(0, ct)) return false;
        await using var blob = reader.GetStream(0);
        await blob.CopyToAsync(destination, 1 << 16, ct);
        return true;

        static void AddParameter(DbCommand command, string name, string value)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            command.Parameters.Add(p);
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> TransitionAsync(string jobId, string from, string to, DateTimeOffset now, DateTimeOffset? startDate = null, string? completionMessage = null, CancellationToken ct = default)
    {
        bool final = ImportJobStatus.IsFinal(to);
        await using var connection = await db.OpenWriteConnectionAsync(ct);
        var moved = await connection.ExecuteAsync(new CommandDefinition(
            final
                ? """
                  UPDATE user_import_jobs SET status = @to, completed_at = @now, completion_message = @completionMessage, csv = NULL, upload_id = NULL,
                      lease_owner = NULL, lease_until = NULL
                  WHERE job_id = @jobId AND status = @from
                  """
                : "UPDATE user_import_jobs SET status = @to, started_at = COALESCE(@startedAt, started_at) WHERE job_id = @jobId AND status = @from",
            new { to, from, jobId, now = UnixTime.ToMs(now), startedAt = UnixTime.ToMs(startDate), completionMessage }, cancellationToken: ct)) == 1;
        if (moved && final) await DropChunksAsync(connection, jobId, ct);
        return moved;
    }

    /// <summary>Deletes every upload chunk of a job that has ended (its file is no longer needed).</summary>
    private static Task<int> DropChunksAsync(DbConnection connection, string jobId, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition("DELETE FROM user_import_chunks WHERE job_id = @jobId", new { jobId }, cancellationToken: ct));

    /// <inheritdoc />
    public async ValueTask<UserImportJob?> TryLeaseAsync(string owner, DateTimeOffset now, TimeSpan lease, CancellationToken ct = default)
    {
        var nowMs = UnixTime.ToMs(now);
        string? jobId;
        await using (var read = await db.OpenConnectionAsync(ct))
        {
            jobId = await read.QueryFirstOrDefaultAsync<string?>(new CommandDefinition(
                $"SELECT job_id FROM user_import_jobs WHERE {Runnable} AND (lease_until IS NULL OR lease_until < @nowMs) ORDER BY started_at, job_id LIMIT 1",
                new { nowMs }, cancellationToken: ct));
        }
        if (jobId is null) return null;
        await using var connection = await db.OpenWriteConnectionAsync(ct);
        var taken = await connection.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE user_import_jobs
            SET lease_owner = @owner, lease_until = @until, status = CASE WHEN status = 'Stopping' THEN 'Stopping' ELSE 'InProgress' END
            WHERE job_id = @jobId AND {Runnable} AND (lease_until IS NULL OR lease_until < @nowMs)
            """,
            new { owner, until = nowMs + (long)lease.TotalMilliseconds, jobId, nowMs }, cancellationToken: ct));
        if (taken != 1) return null;
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM user_import_jobs WHERE job_id = @jobId", new { jobId }, cancellationToken: ct));
        return row?.ToJob();
    }

    /// <inheritdoc />
    /// <remarks>
    /// Fast path: one query per 500 values finds which identifiers of the batch are already taken; those rows (and a later row of
    /// the batch that repeats an earlier row's name) are skipped, the rest inserted with reused prepared commands and no savepoints.
    /// If an insert still hits a unique violation (a name taken concurrently on PostgreSQL after the check), the whole transaction
    /// is rolled back and the batch redone with one savepoint per row.
    /// </remarks>
    public async ValueTask<ImportBatchResult> CommitBatchAsync(string jobId, string owner, ImportBatch batch, DateTimeOffset now, TimeSpan lease, int maxStoredErrors, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        try
        {
            return await CommitBatchOnceAsync(jobId, owner, batch, now, lease, maxStoredErrors, perRow: false, ct);
        }
        catch (DbException e) when (db.Dialect.IsUniqueViolation(e))
        {
            return await CommitBatchOnceAsync(jobId, owner, batch, now, lease, maxStoredErrors, perRow: true, ct);
        }
    }

    private async Task<ImportBatchResult> CommitBatchOnceAsync(string jobId, string owner, ImportBatch batch, DateTimeOffset now, TimeSpan lease, int maxStoredErrors, bool perRow, CancellationToken ct)
    {
        return await db.RunWriteAsync(async connection =>
        {
                await using var tx = await db.BeginWriteTransactionAsync(connection, ct);
                var state = await connection.QuerySingleOrDefaultAsync<LeaseRow>(new CommandDefinition(
                    "SELECT status AS Status, lease_owner AS LeaseOwner, stored_errors AS StoredErrors FROM user_import_jobs WHERE job_id = @jobId" +
                    (db.Provider == "postgres" ? " FOR UPDATE" : ""),
                    new { jobId }, tx, cancellationToken: ct));
                if (state is null || state.LeaseOwner != owner || state.Status is not (ImportJobStatus.InProgress or ImportJobStatus.Stopping))
                {
                    await tx.RollbackAsync(CancellationToken.None);
                    return new ImportBatchResult(false, state?.Status ?? ImportJobStatus.Failed, []);
                }
                var outcomes = new List<ImportRowOutcome>(batch.Users.Count);
                long imported = 0, skipped = 0;
                if (!perRow && batch.Users.Count > 0)
                {
                    var taken = await _users.TakenIdentifiersAsync(connection, tx, batch.Users[0].User.UserPoolId, batch.Users.SelectMany(u => u.Identifiers), ct);
                    var fresh = new List<(User User, IReadOnlyCollection<UserIdentifier> Identifiers)>(batch.Users.Count);
                    foreach (var (user, identifiers, _) in batch.Users)
                    {
                        if (identifiers.Any(i => taken.Contains((i.Kind, i.Value))))
                        {
                            outcomes.Add(ImportRowOutcome.Skipped);
                            skipped++;
                            continue;
                        }
                        foreach (var i in identifiers) taken.Add((i.Kind, i.Value));
                        fresh.Add((user, identifiers));
                        outcomes.Add(ImportRowOutcome.Imported);
                        imported++;
                    }
                    await _users.InsertManyAsync(connection, tx, fresh, ct);
                }
                else
                {
                    foreach (var (user, identifiers, _) in batch.Users)
                    {
                        await tx.SaveAsync("import_row", ct);
                        try
                        {
                            await _users.InsertInTransactionAsync(connection, tx, user, identifiers, ct);
                            await tx.ReleaseAsync("import_row", ct);
                            outcomes.Add(ImportRowOutcome.Imported);
                            imported++;
                        }
                        catch (DbException e) when (db.Dialect.IsUniqueViolation(e))
                        {
                            await tx.RollbackAsync("import_row", ct);
                            await tx.ReleaseAsync("import_row", ct);
                            outcomes.Add(ImportRowOutcome.Skipped);
                            skipped++;
                        }
                    }
                }
                var nowMs = UnixTime.ToMs(now);
                var kept = LogLines(batch, outcomes, Math.Max(0, maxStoredErrors - state.StoredErrors));
                foreach (var line in kept)
                {
                    await connection.ExecuteAsync(new CommandDefinition(
                        "INSERT INTO user_import_errors (job_id, row_number, username, message, outcome, logged_at) VALUES (@jobId, @Row, @Username, @Message, @Outcome, @nowMs) ON CONFLICT DO NOTHING",
                        new { jobId, line.Row, line.Username, line.Message, line.Outcome, nowMs }, tx, cancellationToken: ct));
                }
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    UPDATE user_import_jobs
                    SET imported_users = imported_users + @imported, skipped_users = skipped_users + @skipped, failed_users = failed_users + @failed,
                        next_row = next_row + @rows, stored_errors = stored_errors + @stored, lease_until = @until
                    WHERE job_id = @jobId
                    """,
                    new { imported, skipped, failed = (long)batch.Errors.Count, rows = batch.RowsRead, stored = (long)kept.Count, until = nowMs + (long)lease.TotalMilliseconds, jobId },
                    tx, cancellationToken: ct));
                var status = await connection.ExecuteScalarAsync<string>(new CommandDefinition(
                    "SELECT status FROM user_import_jobs WHERE job_id = @jobId", new { jobId }, tx, cancellationToken: ct));
                await tx.CommitAsync(ct);
                return new ImportBatchResult(true, status ?? state.Status, outcomes);
        }, ct);
    }

    /// <inheritdoc />
    public async ValueTask<bool> FinishAsync(string jobId, string owner, string status, string message, DateTimeOffset now, CancellationToken ct = default)
    {
        await using var connection = await db.OpenWriteConnectionAsync(ct);
        var finished = await connection.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE user_import_jobs SET status = @status, completed_at = @now, completion_message = @message, csv = NULL, upload_id = NULL, lease_owner = NULL, lease_until = NULL
            WHERE job_id = @jobId AND lease_owner = @owner AND {Runnable}
            """,
            new { status, now = UnixTime.ToMs(now), message, jobId, owner }, cancellationToken: ct)) == 1;
        if (finished) await DropChunksAsync(connection, jobId, ct);
        return finished;
    }

    /// <summary>
    /// The batch's result-log lines in row order, FAILED rows (<see cref="ImportBatch.Errors"/>) and SKIPPED ones (users whose outcome
    /// is <see cref="ImportRowOutcome.Skipped"/>), at most <paramref name="room"/>.
    /// </summary>
    private static List<(long Row, string? Username, string Message, string Outcome)> LogLines(ImportBatch batch, List<ImportRowOutcome> outcomes, long room)
    {
        var lines = new List<(long Row, string? Username, string Message, string Outcome)>();
        if (room <= 0) return lines;
        foreach (var e in batch.Errors) lines.Add((e.Row, e.Username, e.Message, ImportLogOutcome.Failed));
        for (int i = 0; i < outcomes.Count; i++)
        {
            if (outcomes[i] == ImportRowOutcome.Skipped) lines.Add((batch.Users[i].Row, null, ImportLogOutcome.SkippedMessage, ImportLogOutcome.Skipped));
        }
        lines.Sort((a, b) => a.Row.CompareTo(b.Row));
        if (lines.Count > room) lines.RemoveRange((int)room, lines.Count - (int)room);
        return lines;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<UserImportError>> ListErrorsAsync(string jobId, int limit, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<ErrorRow>(new CommandDefinition(
            "SELECT row_number AS RowNumber, username AS Username, message AS Message FROM user_import_errors WHERE job_id = @jobId AND outcome = 'FAILED' ORDER BY row_number LIMIT @limit",
            new { jobId, limit }, cancellationToken: ct));
        return rows.Select(r => new UserImportError(r.RowNumber, r.Username, r.Message)).ToList();
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<ImportLogEvent>> ListLogEventsAsync(string jobId, long afterRow, long beforeRow, long? startTimeMs, long? endTimeMs, int limit, bool fromEnd, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<LogRow>(new CommandDefinition(
            $"""
            SELECT row_number AS RowNumber, outcome AS Outcome, message AS Message, logged_at AS LoggedAt FROM user_import_errors
            WHERE job_id = @jobId AND row_number > @afterRow AND row_number < @beforeRow
              {(startTimeMs is null ? "" : "AND logged_at >= @startTimeMs")} {(endTimeMs is null ? "" : "AND logged_at <= @endTimeMs")}
            ORDER BY row_number {(fromEnd ? "DESC" : "")} LIMIT @limit
            """,
            new { jobId, afterRow, beforeRow, startTimeMs, endTimeMs, limit }, cancellationToken: ct))).ToList();
        if (fromEnd) rows.Reverse();
        return rows.Select(r => new ImportLogEvent(r.RowNumber, r.Outcome, r.Message, UnixTime.FromMs(r.LoggedAt))).ToList();
    }

    /// <inheritdoc />
    public async ValueTask<(DateTimeOffset First, DateTimeOffset Last)?> LogEventBoundsAsync(string jobId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var bounds = await connection.QuerySingleAsync<BoundsRow>(new CommandDefinition(
            "SELECT MIN(logged_at) AS First, MAX(logged_at) AS Last FROM user_import_errors WHERE job_id = @jobId", new { jobId }, cancellationToken: ct));
        return bounds.First is { } first && bounds.Last is { } last ? (UnixTime.FromMs(first), UnixTime.FromMs(last)) : null;
    }

    /// <inheritdoc />
    public async ValueTask<bool> HasRunningJobAsync(string userPoolId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM user_import_jobs WHERE user_pool_id = @userPoolId AND {Runnable}", new { userPoolId }, cancellationToken: ct)) > 0;
    }

    private sealed class LeaseRow
    {
        public string Status { get; set; } = "";
        public string? LeaseOwner { get; set; }
        public long StoredErrors { get; set; }
    }

    private sealed class PreviousUpload
    {
        public string? UploadId { get; set; }
        public string Status { get; set; } = "";
    }

    private sealed class LogRow
    {
        public long RowNumber { get; set; }
        public string Outcome { get; set; } = "";
        public string Message { get; set; } = "";
        public long LoggedAt { get; set; }
    }

    private sealed class BoundsRow
    {
        public long? First { get; set; }
        public long? Last { get; set; }
    }

    private sealed class ErrorRow
    {
        public long RowNumber { get; set; }
        public string? Username { get; set; }
        public string Message { get; set; } = "";
    }

    private sealed class Row
    {
        public string JobId { get; set; } = "";
        public string UserPoolId { get; set; } = "";
        public string JobName { get; set; } = "";
        public string Status { get; set; } = "";
        public string RoleArn { get; set; } = "";
        public long CreatedAt { get; set; }
        public long? StartedAt { get; set; }
        public long? CompletedAt { get; set; }
        public string? CompletionMessage { get; set; }
        public long ImportedUsers { get; set; }
        public long SkippedUsers { get; set; }
        public long FailedUsers { get; set; }
        public long UploadExpiresAt { get; set; }
        public long? CsvBytes { get; set; }
        public string? UploadError { get; set; }
        public long NextRow { get; set; }

        public UserImportJob ToJob() => new()
        {
            JobId = JobId,
            UserPoolId = UserPoolId,
            JobName = JobName,
            Status = Status,
            CloudWatchLogsRoleArn = RoleArn,
            CreationDate = UnixTime.FromMs(CreatedAt),
            StartDate = UnixTime.FromMs(StartedAt),
            CompletionDate = UnixTime.FromMs(CompletedAt),
            CompletionMessage = CompletionMessage,
            ImportedUsers = ImportedUsers,
            SkippedUsers = SkippedUsers,
            FailedUsers = FailedUsers,
            UploadExpiresAt = UnixTime.FromMs(UploadExpiresAt),
            CsvBytes = CsvBytes,
            UploadError = UploadError,
            NextRow = NextRow,
        };
    }
}
