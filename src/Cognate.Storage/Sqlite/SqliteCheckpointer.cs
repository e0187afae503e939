using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Cognate.Storage.Sqlite;

/// <summary>
/// WAL checkpoints off the write path, for a file database in WAL mode whose connections set <c>wal_autocheckpoint = 0</c>.
/// </summary>
/// <remarks>
/// <para>SQLite's automatic checkpoint runs inside the commit that crosses 1,000 WAL pages: it copies the pages into the
/// database file and fsyncs it while holding the only write turn, so every write queued behind it waits too. A sign-in
/// commits ~10 pages, so under load that happened several times a second. Measured with bench/load.sh PasswordSignIn:
/// turning fsync off entirely (diagnosis only) raised throughput ~20 % and cut p99 from ~30 to ~24 ms; a 10× larger
/// automatic threshold gave the throughput but doubled p99 (each checkpoint stalled 10× longer).</para>
/// <para>Here, <see cref="Interval"/> after the first write since the last pass, a <c>PASSIVE</c> checkpoint (which never
/// blocks readers or writers) copies and syncs whatever was committed. A PASSIVE checkpoint alone cannot keep the WAL
/// bounded under a steady write stream (new frames always follow it; the WAL grew ~30 MB/s), so once the WAL holds more
/// than <see cref="RestartFrames"/> frames the pass takes this process's write turn for one more PASSIVE checkpoint —
/// short, since only the frames written since the previous pass are left — after which the next writer restarts the WAL
/// from its beginning. Durability is unchanged: <c>synchronous = NORMAL</c> still syncs every checkpoint before the WAL
/// is reused.</para>
/// </remarks>
internal sealed class SqliteCheckpointer : IDisposable
{
    /// <summary>Delay between the first write after a pass and the next pass.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// WAL size, in frames (pages), above which a pass also lets the WAL restart (65,536 frames ≈ 256 MB of WAL file at most under a
    /// steady write stream). That pass takes the write turn; at 4,096 frames (16 MB) a bulk write crossed the threshold on every pass,
    /// so every 100 ms the import waited for a checkpoint and its fsync (bench/import.sh, 1,000,000 users: 17,312 → 21,584 users/s;
    /// bench/load.sh PasswordSignIn, one 15 s run each: 912/s p99 51.6 ms at 4,096, 977–1,097/s p99 41.8–47.1 ms at 65,536).
    /// </summary>
    public const int RestartFrames = 65536;

    private readonly Func<CancellationToken, ValueTask<SqliteConnection>> _openRead;
    private readonly Func<CancellationToken, ValueTask<SqliteConnection>> _openWrite;
    private readonly Timer _timer;
    private int _armed;
    private volatile bool _disposed;

    /// <summary>Creates the checkpointer; <paramref name="openRead"/> rents any connection, <paramref name="openWrite"/> one holding the write turn.</summary>
    public SqliteCheckpointer(Func<CancellationToken, ValueTask<SqliteConnection>> openRead, Func<CancellationToken, ValueTask<SqliteConnection>> openWrite)
    {
        _openRead = openRead;
        _openWrite = openWrite;
        _timer = new Timer(_ => _ = PassAsync(), null, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>Called on every write: schedules a pass unless one is already scheduled.</summary>
    public void Written()
    {
        if (!_disposed && Interlocked.Exchange(ref _armed, 1) == 0)
        {
            try
            {
                _timer.Change(Interval, Timeout.InfiniteTimeSpan);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    private async Task PassAsync()
    {
        // Writes from now on schedule the next pass.
        Volatile.Write(ref _armed, 0);
        if (_disposed) return;
        try
        {
            long frames;
            await using (var connection = await _openRead(CancellationToken.None))
            {
                frames = await CheckpointAsync(connection);
            }

            if (frames > RestartFrames && !_disposed)
            {
                await using var writer = await _openWrite(CancellationToken.None);
                await CheckpointAsync(writer);
            }
        }
        catch (DbException)
        {
            Written(); // e.g. another process holds the checkpoint lock: try again later
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Runs <c>PRAGMA wal_checkpoint(PASSIVE)</c>; returns the WAL's size in frames.</summary>
    private static async Task<long> CheckpointAsync(SqliteConnection connection)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? reader.GetInt64(1) : 0;
    }

    /// <summary>Stops scheduling passes.</summary>
    public void Dispose()
    {
        _disposed = true;
        _timer.Dispose();
    }
}
