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

    /// <summary>
    /// Replaces the default VFS's <c>xSleep</c> with a microsecond sleep. Without <c>HAVE_USLEEP</c> SQLite's own
    /// rounds every sleep up to whole seconds, and it sleeps a few microseconds inside WAL read-transaction start
    /// when the wal-index is being rewritten by a concurrent commit or checkpoint: under ~1,700 writes/s (password
    /// sign-ins) that froze a write transaction, and with it the write queue, for exactly 1 s several times a
    /// minute (every request then took ≈ 1,010–1,030 ms; probe clients saw it simultaneously). Called once,
    /// before the first connection opens. Leaves the VFS alone if its layout is not the expected one.
    /// </summary>
    public static void InstallSubsecondSleep()
    {
        nint vfs = sqlite3_vfs_find(0);
        if (vfs == 0)
        {
            return;
        }

        // struct sqlite3_vfs (64-bit): int iVersion; int szOsFile; int mxPathname; sqlite3_vfs* pNext @16;
        // const char* zName @24; void* pAppData @32; xOpen @40 … xRandomness @104, xSleep @112.
        if (IntPtr.Size != 8 || Marshal.ReadInt32(vfs) < 1 || Marshal.PtrToStringUTF8(Marshal.ReadIntPtr(vfs, 24)) != "unix")
        {
            return;
        }

        delegate* unmanaged[Cdecl]<nint, int, int> sleep = &OnSleep;
        Marshal.WriteIntPtr(vfs, XSleepOffset, (nint)sleep);
    }

    private const int XSleepOffset = 112;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnSleep(nint vfs, int microseconds)
    {
        _ = usleep((uint)Math.Max(0, microseconds));
        return microseconds;
    }

    [LibraryImport("libc")]
    private static partial int usleep(uint microseconds);

    [LibraryImport("e_sqlite3")]
    private static partial nint sqlite3_vfs_find(nint name);

    [LibraryImport("e_sqlite3")]
    private static partial int sqlite3_busy_handler(nint db, delegate* unmanaged[Cdecl]<nint, int, int> callback, nint argument);
}
