using Cognate.Core.Import;
using Cognate.Core.Stores;
using Cognate.Core.Users;
using Cognate.Storage.Stores;
using static Cognate.Storage.Tests.Sqlite.TestDatabase;

namespace Cognate.Storage.Tests.Specification;

/// <summary>
/// Migration 0015 on every provider: user import jobs. One owner holds a job's lease at a time (concurrent takers: one wins), a batch
/// commit by anyone else writes nothing, a taken username skips its row alone inside the batch, status changes are compare-and-set,
/// and jobs go with their pool.
/// </summary>
public abstract class UserImportJobStoreSpecification
{
    private const string Pool = "us-east-1_TestPool1";

    private protected abstract Task<StoreHarness> OpenAsync();

    static UserImportJob Job(string id) => new()
    {
        JobId = id, UserPoolId = Pool, JobName = "j", Status = ImportJobStatus.Created, CloudWatchLogsRoleArn = "arn:aws:iam::000000000000:role/r",
        CreationDate = T0, UploadExpiresAt = T0.AddMinutes(15),
    };

    [Fact]
    public async Task Lease_OneOwnerAtATime_BatchByOthersRefused_TakenNameSkipped_GoneWithPool()
    {
        await using var h = await OpenAsync();
        (await h.Pools.CreateAsync(NewPool(Pool), Ct)).ShouldBeTrue();
        var jobs = new SqlUserImportJobStore(h.Database, h.Users);
        await jobs.CreateAsync(Job("import-AAAAAAAAAA"), Ct);
        (await jobs.PutCsvAsync(Pool, "import-AAAAAAAAAA", [1, 2, 3], null, Ct)).ShouldBeTrue();
        (await jobs.TryLeaseAsync("a", T0, TimeSpan.FromMinutes(1), Ct)).ShouldBeNull(); // Created is not runnable
        (await jobs.TransitionAsync("import-AAAAAAAAAA", ImportJobStatus.Created, ImportJobStatus.Pending, T0, startDate: T0, ct: Ct)).ShouldBeTrue();
        (await jobs.TransitionAsync("import-AAAAAAAAAA", ImportJobStatus.Created, ImportJobStatus.Pending, T0, ct: Ct)).ShouldBeFalse();
        (await jobs.PutCsvAsync(Pool, "import-AAAAAAAAAA", [4], null, Ct)).ShouldBeFalse();

        var takers = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => jobs.TryLeaseAsync("node" + i, T0, TimeSpan.FromMinutes(1), Ct).AsTask()));
        takers.Count(t => t is not null).ShouldBe(1);
        var owner = "node" + Array.FindIndex(takers, t => t is not null);
        takers.Single(t => t is not null)!.Status.ShouldBe(ImportJobStatus.InProgress);
        (await jobs.TryLeaseAsync("late", T0.AddSeconds(30), TimeSpan.FromMinutes(1), Ct)).ShouldBeNull();

        var existing = NewUser(Pool, "taken");
        (await h.Users.CreateAsync(existing, IdentifiersOf(existing), Ct)).ShouldBe(UserWriteResult.Ok);
        var alice = NewUser(Pool, "alice");
        alice.Status = UserStatus.ResetRequired;
        var taken = NewUser(Pool, "taken");
        var batch = new ImportBatch([(alice, [new UserIdentifier("username", "alice")], 1L), (taken, [new UserIdentifier("username", "taken")], 2L)],
            [new UserImportError(3, "bad", "Invalid email address format.")], 3);
        (await jobs.CommitBatchAsync("import-AAAAAAAAAA", "intruder", batch, T0, TimeSpan.FromMinutes(1), 10, Ct)).LeaseHeld.ShouldBeFalse();
        (await h.Users.GetAsync(Pool, "alice", Ct)).ShouldBeNull();
        var result = await jobs.CommitBatchAsync("import-AAAAAAAAAA", owner, batch, T0, TimeSpan.FromMinutes(1), 10, Ct);
        result.LeaseHeld.ShouldBeTrue();
        result.Outcomes.ShouldBe([ImportRowOutcome.Imported, ImportRowOutcome.Skipped]);
        (await h.Users.GetAsync(Pool, "alice", Ct))!.Status.ShouldBe(UserStatus.ResetRequired);
        var job = (await jobs.GetAsync(Pool, "import-AAAAAAAAAA", Ct))!;
        (job.ImportedUsers, job.SkippedUsers, job.FailedUsers, job.NextRow).ShouldBe((1, 1, 1, 3));
        (await jobs.ListErrorsAsync("import-AAAAAAAAAA", 10, Ct)).ShouldBe([new UserImportError(3, "bad", "Invalid email address format.")]);
        (await jobs.HasRunningJobAsync(Pool, Ct)).ShouldBeTrue();

        // After the lease expires another node takes over; the old owner can no longer finish.
        var next = await jobs.TryLeaseAsync("b", T0.AddMinutes(2), TimeSpan.FromMinutes(1), Ct);
        next!.NextRow.ShouldBe(3);
        (await jobs.FinishAsync("import-AAAAAAAAAA", owner, ImportJobStatus.Succeeded, "x", T0, Ct)).ShouldBeFalse();
        (await jobs.FinishAsync("import-AAAAAAAAAA", "b", ImportJobStatus.Succeeded, "done", T0.AddMinutes(2), Ct)).ShouldBeTrue();
        (await jobs.GetCsvAsync("import-AAAAAAAAAA", Ct)).ShouldBeNull();
        (await jobs.HasRunningJobAsync(Pool, Ct)).ShouldBeFalse();
        (await jobs.ListAsync(Pool, 0, 10, Ct)).Single().CompletionMessage.ShouldBe("done");

        (await h.Pools.DeleteAsync(Pool, Ct)).ShouldBeTrue();
        (await h.CountAsync("SELECT COUNT(*) FROM user_import_jobs")).ShouldBe(0);
        (await h.CountAsync("SELECT COUNT(*) FROM user_import_errors")).ShouldBe(0);
    }

    [Fact]
    public async Task Batch_UniqueViolationAfterTheCheck_RedoneRowByRow_OnlyThatRowSkipped_NothingHalfWritten()
    {
        await using var h = await OpenAsync();
        (await h.Pools.CreateAsync(NewPool(Pool), Ct)).ShouldBeTrue();
        var jobs = new SqlUserImportJobStore(h.Database, h.Users);
        await jobs.CreateAsync(Job("import-BBBBBBBBBB"), Ct);
        (await jobs.PutCsvAsync(Pool, "import-BBBBBBBBBB", [1], null, Ct)).ShouldBeTrue();
        (await jobs.TransitionAsync("import-BBBBBBBBBB", ImportJobStatus.Created, ImportJobStatus.Pending, T0, startDate: T0, ct: Ct)).ShouldBeTrue();
        (await jobs.TryLeaseAsync("n", T0, TimeSpan.FromMinutes(1), Ct)).ShouldNotBeNull();

        // The batch check looks at usernames and aliases only; a sub that collides inside the batch is met by the insert itself
        // (the users table's unique (pool, sub) index), which sends the batch down the savepoint-per-row path.
        var first = NewUser(Pool, "first");
        var fresh = NewUser(Pool, "second");
        var second = new User
        {
            UserPoolId = Pool, Username = "second", Sub = first.Sub, Status = fresh.Status, CreatedAt = T0, ModifiedAt = T0, Attributes = fresh.Attributes,
        };
        var third = NewUser(Pool, "third");
        var batch = new ImportBatch(
            [(first, IdentifiersOf(first), 1L), (second, IdentifiersOf(second), 2L), (third, IdentifiersOf(third), 3L)], [], 3);
        var result = await jobs.CommitBatchAsync("import-BBBBBBBBBB", "n", batch, T0, TimeSpan.FromMinutes(1), 10, Ct);

        result.LeaseHeld.ShouldBeTrue();
        result.Outcomes.ShouldBe([ImportRowOutcome.Imported, ImportRowOutcome.Skipped, ImportRowOutcome.Imported]);
        (await h.Users.GetAsync(Pool, "first", Ct)).ShouldNotBeNull();
        (await h.Users.GetAsync(Pool, "second", Ct)).ShouldBeNull();
        (await h.Users.GetAsync(Pool, "third", Ct)).ShouldNotBeNull();
        (await h.CountAsync("SELECT COUNT(*) FROM user_identifiers WHERE username = 'second'")).ShouldBe(0);
        (await h.CountAsync("SELECT COUNT(*) FROM user_search WHERE username = 'second'")).ShouldBe(0);
        var job = (await jobs.GetAsync(Pool, "import-BBBBBBBBBB", Ct))!;
        (job.ImportedUsers, job.SkippedUsers, job.FailedUsers, job.NextRow).ShouldBe((2, 1, 0, 3));
    }

    [Fact]
    public async Task Upload_Chunks_LastCompletedWins_DiscardedLeavesNothing_DroppedWhenJobEnds()
    {
        await using var h = await OpenAsync();
        (await h.Pools.CreateAsync(NewPool(Pool), Ct)).ShouldBeTrue();
        var jobs = new SqlUserImportJobStore(h.Database, h.Users);
        const string id = "import-CCCCCCCCCC";
        await jobs.CreateAsync(Job(id), Ct);

        // Two uploads interleaved: b's chunks arrive while a completes, then b completes and replaces a.
        await jobs.AppendUploadChunkAsync(id, "a", 0, [1, 2], Ct);
        await jobs.AppendUploadChunkAsync(id, "b", 0, [7], Ct);
        await jobs.AppendUploadChunkAsync(id, "a", 1, [3], Ct);
        (await jobs.CompleteUploadAsync(Pool, id, "a", 3, Ct)).ShouldBeTrue();
        (await jobs.GetCsvAsync(id, Ct)).ShouldBe([1, 2, 3]);
        await jobs.AppendUploadChunkAsync(id, "b", 1, [8, 9], Ct);
        (await jobs.CompleteUploadAsync(Pool, id, "b", 3, Ct)).ShouldBeTrue();
        (await jobs.GetCsvAsync(id, Ct)).ShouldBe([7, 8, 9]);
        (await jobs.GetAsync(Pool, id, Ct))!.CsvBytes.ShouldBe(3);
        (await h.CountAsync("SELECT COUNT(*) FROM user_import_chunks WHERE upload_id = 'a'")).ShouldBe(0);

        // An abandoned upload is discarded; discarding the current one is refused.
        await jobs.AppendUploadChunkAsync(id, "c", 0, [5], Ct);
        await jobs.DiscardUploadAsync(id, "c", Ct);
        await jobs.DiscardUploadAsync(id, "b", Ct);
        (await h.CountAsync("SELECT COUNT(*) FROM user_import_chunks")).ShouldBe(2);
        (await jobs.GetCsvAsync(id, Ct)).ShouldBe([7, 8, 9]);

        // Once started, a late upload is refused and deletes its own chunks; the job's end drops the rest.
        (await jobs.TransitionAsync(id, ImportJobStatus.Created, ImportJobStatus.Pending, T0, startDate: T0, ct: Ct)).ShouldBeTrue();
        await jobs.AppendUploadChunkAsync(id, "d", 0, [6], Ct);
        (await jobs.CompleteUploadAsync(Pool, id, "d", 1, Ct)).ShouldBeFalse();
        (await h.CountAsync("SELECT COUNT(*) FROM user_import_chunks WHERE upload_id = 'd'")).ShouldBe(0);
        var copy = new MemoryStream();
        (await jobs.CopyCsvToAsync(id, copy, Ct)).ShouldBeTrue();
        copy.ToArray().ShouldBe([7, 8, 9]);
        (await jobs.TransitionAsync(id, ImportJobStatus.Pending, ImportJobStatus.Stopped, T0, ct: Ct)).ShouldBeTrue();
        (await h.CountAsync("SELECT COUNT(*) FROM user_import_chunks")).ShouldBe(0);
        (await jobs.GetCsvAsync(id, Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task Upload_RefusedAsTooLarge_DropsTheCurrentUpload()
    {
        await using var h = await OpenAsync();
        (await h.Pools.CreateAsync(NewPool(Pool), Ct)).ShouldBeTrue();
        var jobs = new SqlUserImportJobStore(h.Database, h.Users);
        await jobs.CreateAsync(Job("import-DDDDDDDDDD"), Ct);
        (await jobs.PutCsvAsync(Pool, "import-DDDDDDDDDD", new byte[SqlUserImportJobStore.ChunkBytes + 1], null, Ct)).ShouldBeTrue();
        (await h.CountAsync("SELECT COUNT(*) FROM user_import_chunks")).ShouldBe(2);
        (await jobs.PutCsvAsync(Pool, "import-DDDDDDDDDD", null, "too large", Ct)).ShouldBeTrue();
        (await h.CountAsync("SELECT COUNT(*) FROM user_import_chunks")).ShouldBe(0);
        var job = (await jobs.GetAsync(Pool, "import-DDDDDDDDDD", Ct))!;
        (job.UploadError, job.CsvBytes).ShouldBe(("too large", null));
        (await jobs.GetCsvAsync("import-DDDDDDDDDD", Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task LogLines_FailedAndSkippedRowsInRowOrder_BoundedPerJob_CountersComplete()
    {
        await using var h = await OpenAsync();
        (await h.Pools.CreateAsync(NewPool(Pool), Ct)).ShouldBeTrue();
        var jobs = new SqlUserImportJobStore(h.Database, h.Users);
        const string id = "import-EEEEEEEEEE";
        await jobs.CreateAsync(Job(id), Ct);
        (await jobs.TransitionAsync(id, ImportJobStatus.Created, ImportJobStatus.Pending, T0, startDate: T0, ct: Ct)).ShouldBeTrue();
        (await jobs.TryLeaseAsync("n", T0, TimeSpan.FromMinutes(1), Ct)).ShouldNotBeNull();
        var existing = NewUser(Pool, "taken");
        (await h.Users.CreateAsync(existing, IdentifiersOf(existing), Ct)).ShouldBe(UserWriteResult.Ok);

        ImportBatch Batch(long first) => new(
            [(NewUser(Pool, "taken"), [new UserIdentifier("username", "taken")], first), (NewUser(Pool, "u" + first), [new UserIdentifier("username", "u" + first)], first + 2)],
            [new UserImportError(first + 1, "x", "Invalid email address format.")], 3);
        (await jobs.CommitBatchAsync(id, "n", Batch(1), T0, TimeSpan.FromMinutes(1), 4, Ct)).LeaseHeld.ShouldBeTrue();
        (await jobs.CommitBatchAsync(id, "n", Batch(4), T0.AddSeconds(1), TimeSpan.FromMinutes(1), 4, Ct)).LeaseHeld.ShouldBeTrue();

        var all = await jobs.ListLogEventsAsync(id, 0, long.MaxValue, null, null, 100, false, Ct);
        all.Select(e => e.Text).ShouldBe([
            "[SKIPPED] Line Number 2 - The user already exists.",
            "[FAILED] Line Number 3 - Invalid email address format.",
            "[SKIPPED] Line Number 5 - The user already exists.",
            "[FAILED] Line Number 6 - Invalid email address format.",
        ]);
        all.Select(e => e.Timestamp).ShouldBe([T0, T0, T0.AddSeconds(1), T0.AddSeconds(1)]);
        (await jobs.ListLogEventsAsync(id, 0, long.MaxValue, null, null, 1, true, Ct)).Single().Row.ShouldBe(5);
        (await jobs.ListLogEventsAsync(id, 1, 4, null, null, 10, false, Ct)).Single().Row.ShouldBe(2);
        (await jobs.ListLogEventsAsync(id, 0, long.MaxValue, UnixMs(T0.AddSeconds(1)), null, 10, false, Ct)).Select(e => e.Row).ShouldBe([4, 5]);
        (await jobs.LogEventBoundsAsync(id, Ct)).ShouldBe((T0, T0.AddSeconds(1)));
        (await jobs.ListErrorsAsync(id, 10, Ct)).Select(e => e.Row).ShouldBe([2, 5]);

        // A third batch finds the bound reached: nothing stored, everything counted.
        (await jobs.CommitBatchAsync(id, "n", Batch(7), T0.AddSeconds(2), TimeSpan.FromMinutes(1), 4, Ct)).LeaseHeld.ShouldBeTrue();
        (await jobs.ListLogEventsAsync(id, 0, long.MaxValue, null, null, 100, false, Ct)).Count.ShouldBe(4);
        var job = (await jobs.GetAsync(Pool, id, Ct))!;
        (job.ImportedUsers, job.SkippedUsers, job.FailedUsers).ShouldBe((3, 3, 3));
    }

    static long UnixMs(DateTimeOffset t) => t.ToUnixTimeMilliseconds();
}

/// <summary>The user import job specification on SQLite.</summary>
public sealed class SqliteUserImportJobStoreSpecificationTests : UserImportJobStoreSpecification
{
    private protected override Task<StoreHarness> OpenAsync() => StoreHarness.SqliteAsync(migrate: true);
}

/// <summary>The user import job specification on PostgreSQL.</summary>
public sealed class PostgresUserImportJobStoreSpecificationTests : UserImportJobStoreSpecification
{
    private protected override Task<StoreHarness> OpenAsync() => StoreHarness.PostgresAsync(migrate: true);
}
