using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace Cognate.Storage.Sqlite;

/// <summary>
/// A busy handler with millisecond granularity, used instead of <c>PRAGMA busy_timeout</c>.
/// </summary>
/// <remarks>
/// The bundled e_sqlite3 (SQLitePCLRaw 2.0.6) is built without <c>HAVE_USLEEP</c>, so SQLite's own busy handler
/// sleeps in whole seconds: with 16 concurrent writers (sign-ups, refresh tokens, SRP sessions) a writer that found
/// the lock taken waited ~1 s, capping password sign-in at ~490/s with a 2.2 s p99 (bench/load.sh). This handler
/// yields, then sleeps 1 ms at a time, and gives up (SQLITE_BUSY) after the same timeout the pragma had.
/// </remarks>
internal static unsafe partial class SqliteBusyHandler
{
    [ThreadStatic]
    private static long _waitingSince;

    /// <summary>Registers the handler on <paramref name="connection"/>'s native handle (replaces any busy timeout).</summary>
    public static void Install(SqliteConnection connection, int timeoutMilliseconds)
    {
        var handle = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        int rc = sqlite3_busy_handler(handle.DangerousGetHandle(), &OnBusy, timeoutMilliseconds);
        if (rc != 0)
        {
            throw new InvalidOperationException($"sqlite3_busy_handler failed with {rc}.");
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnBusy(nint timeoutMilliseconds, int count)
    {
        if (count == 0)
        {
            _waitingSince = Stopwatch.GetTimestamp();
        }
        else if (Stopwatch.GetElapsedTime(_waitingSince).TotalMilliseconds >= timeoutMilliseconds)
        {
            return 0; // give up: the statement fails with SQLITE_BUSY, as after busy_timeout
        }

        if (count < 3)
        {
            Thread.Yield();
        }
        else
        {
            Thread.Sleep(1);
        }

        return 1;
    }

    [LibraryImport("e_sqlite3")]
    private static partial int sqlite3_busy_handler(nint db, delegate* unmanaged[Cdecl]<nint, int, int> callback, nint argument);
}
