using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Cognate.Storage.Sqlite;

/// <summary>
/// Group commit for SQLite: concurrent small writes (a sign-in's auth event and refresh token, a sign-up, a challenge
/// session) run one after another inside one <c>BEGIN IMMEDIATE</c> transaction instead of one transaction each.
/// </summary>
/// <remarks>
/// <para>SQLite admits one writer at a time, and a commit costs far more than the statements of a typical Cognito write
/// (the write turn's hand-over, <c>BEGIN</c>/<c>COMMIT</c>, appending every touched page to the WAL, and the periodic
/// checkpoint). A single loop takes whatever writes are queued (at most <see cref="MaxBatch"/>), runs each in its own
/// <c>SAVEPOINT</c> — a write that fails is rolled back to its savepoint alone and its caller gets the exception, the
/// others are unaffected — and commits once. A caller's task completes only after that commit (a failed write's too, so a
/// caller refused by a conflict with an earlier write of the batch sees that write when it reads), so a completed write is
/// as durable as before (<c>synchronous=NORMAL</c> in WAL mode). With one write in flight a batch has one item: the
/// cost is the same as a plain transaction. Writes run in arrival order, so the outcome equals running them one by one.</para>
/// <para>The loop holds the database's write turn (<see cref="SqliteDatabase.OpenWriteAsync"/>) for a batch, so it
/// interleaves fairly with the writes that open their own transaction.</para>
/// </remarks>
internal sealed class SqliteGroupCommit
{
    /// <summary>Most writes committed together.</summary>
    public const int MaxBatch = 64;

    private readonly SqliteDatabase _db;
    private readonly Channel<Item> _queue = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = true });
    private int _running;

    public SqliteGroupCommit(SqliteDatabase db) => _db = db;

    private abstract class Item
    {
        public abstract CancellationToken Cancellation { get; }
        public abstract Task RunAsync(SqliteConnection connection, SqliteTransaction transaction);
        public abstract void Commit();
        public abstract void Fail(Exception error);
    }

    private sealed class Item<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct) : Item
    {
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T _result = default!;

        public Task<T> Task => _done.Task;

        public override CancellationToken Cancellation => ct;

        public override async Task RunAsync(SqliteConnection connection, SqliteTransaction transaction) =>
            _result = await work(connection, transaction);

        public override void Commit() => _done.TrySetResult(_result);

        public override void Fail(Exception error)
        {
            if (error is OperationCanceledException && ct.IsCancellationRequested) _done.TrySetCanceled(ct);
            else _done.TrySetException(error);
        }
    }

    /// <summary>Queues <paramref name="work"/> for the next batch and completes when its batch has committed.</summary>
    /// <param name="work">Statements to run with the given connection and transaction; must not commit or roll back.</param>
    /// <param name="ct">Cancels the write while it waits in the queue.</param>
    /// <exception cref="DbException">What <paramref name="work"/> threw (its statements rolled back), or the commit failed.</exception>
    public Task<T> RunAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct)
    {
        var item = new Item<T>(work, ct);
        _queue.Writer.TryWrite(item);
        if (Interlocked.CompareExchange(ref _running, 1, 0) == 0)
        {
            _ = Task.Run(DrainAsync, CancellationToken.None);
        }

        return item.Task;
    }

    /// <summary>Runs batches while writes are queued, then stops (restarted by the next write).</summary>
    private async Task DrainAsync()
    {
        var batch = new List<Item>(MaxBatch);
        while (true)
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var item))
            {
                if (item.Cancellation.IsCancellationRequested) item.Fail(new OperationCanceledException(item.Cancellation));
                else batch.Add(item);
            }

            if (batch.Count == 0)
            {
                Volatile.Write(ref _running, 0);
                // A write queued after the last TryRead but before the flag was cleared found the loop running and did
                // not start one: take it over unless another loop already did.
                if (!_queue.Reader.TryPeek(out _) || Interlocked.CompareExchange(ref _running, 1, 0) != 0) return;
                continue;
            }

            await CommitBatchAsync(batch);
            batch.Clear();
        }
    }

    private async Task CommitBatchAsync(List<Item> batch)
    {
        var committed = new List<Item>(batch.Count);
        var failed = new List<(Item Item, Exception Error)>();
        try
        {
            await using var connection = await _db.OpenWriteAsync(CancellationToken.None);
            await using var transaction = SqliteDatabase.BeginWrite(connection);
            var pooled = (PooledSqliteConnection)connection;
            foreach (var item in batch)
            {
                await RunStatementAsync(pooled, transaction, "SAVEPOINT w");
                try
                {
                    await item.RunAsync(connection, transaction);
                    await RunStatementAsync(pooled, transaction, "RELEASE w");
                    committed.Add(item);
                }
                catch (Exception e)
                {
                    await RunStatementAsync(pooled, transaction, "ROLLBACK TO w");
                    await RunStatementAsync(pooled, transaction, "RELEASE w");
                    failed.Add((item, e));
                }
            }

            await transaction.CommitAsync();
        }
        catch (Exception e)
        {
            // BEGIN, a savepoint statement or COMMIT failed: nothing of this batch is stored.
            foreach (var (item, error) in failed) item.Fail(error);
            foreach (var item in batch) item.Fail(e); // no-op for those failed above
            return;
        }

        // A failed write is reported only now too: its failure may be a conflict with an earlier write of this batch (two
        // sign-ups of one username), and its caller must find that write when it looks (the uniqueness answer's user).
        foreach (var (item, error) in failed) item.Fail(error);
        foreach (var item in committed) item.Commit();
    }

    private static Task<int> RunStatementAsync(PooledSqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        var command = connection.Statement(sql);
        command.Transaction = transaction;
        command.Parameters.Clear();
        return command.ExecuteNonQueryAsync();
    }
}
