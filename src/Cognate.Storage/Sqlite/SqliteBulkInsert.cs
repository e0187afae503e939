using System.Buffers;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Cognate.Storage.Sqlite;

/// <summary>
/// Runs one INSERT statement for many rows on an open <see cref="SqliteConnection"/> through SQLite's own statement API
/// (<c>sqlite3_prepare_v2</c> once, then <c>bind</c> by position, <c>step</c>, <c>reset</c> per row), inside whatever transaction the
/// connection has open. Used by bulk writers (user import jobs), where Microsoft.Data.Sqlite's per-execution work — parameters bound by
/// name (<c>sqlite3_bind_parameter_index</c> for every value of every row), a data reader per execution — cost more CPU than SQLite's
/// B-tree inserts themselves.
/// </summary>
/// <remarks>
/// Values: <see langword="null"/>/<see cref="DBNull"/> → NULL, <see cref="string"/> → TEXT (UTF-8), <see cref="long"/>, <see cref="int"/>
/// and <see cref="bool"/> → INTEGER, <c>byte[]</c> → BLOB. A failed step is thrown as the <see cref="SqliteException"/> Microsoft.Data.Sqlite
/// would throw (same <see cref="SqliteException.SqliteErrorCode"/> and extended code), so callers' unique-violation handling is unchanged.
/// </remarks>
internal static class SqliteBulkInsert
{
    /// <summary>
    /// Executes <paramref name="sql"/> (with <c>?</c> parameters, one per column) once per row of <paramref name="rows"/>; every row
    /// must have as many values as the statement has parameters.
    /// </summary>
    /// <exception cref="SqliteException">Preparing or stepping failed (e.g. a constraint violation).</exception>
    public static void Run(SqliteConnection connection, string sql, IReadOnlyList<object?[]> rows)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return;
        }

        var db = connection.Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");
        var rc = raw.sqlite3_prepare_v2(db, sql, out sqlite3_stmt stmt);
        SqliteException.ThrowExceptionForRC(rc, db);
        var buffer = ArrayPool<byte>.Shared.Rent(1024);
        try
        {
            foreach (var row in rows)
            {
                for (var i = 0; i < row.Length; i++)
                {
                    rc = Bind(stmt, i + 1, row[i], ref buffer);
                    SqliteException.ThrowExceptionForRC(rc, db);
                }

                rc = raw.sqlite3_step(stmt);
                if (rc != raw.SQLITE_DONE)
                {
                    // The error of a failed step is read before reset (which would report it again as its own result).
                    var exception = new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), rc, raw.sqlite3_extended_errcode(db));
                    raw.sqlite3_reset(stmt);
                    throw exception;
                }

                raw.sqlite3_reset(stmt);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            stmt.Dispose();
        }
    }

    private static int Bind(sqlite3_stmt stmt, int index, object? value, ref byte[] buffer)
    {
        switch (value)
        {
            case null or DBNull:
                return raw.sqlite3_bind_null(stmt, index);
            case "":
                // An empty span would reach SQLite as a NULL pointer, which binds NULL: the string overload binds ''.
                return raw.sqlite3_bind_text(stmt, index, string.Empty);
            case string s:
                var length = Encoding.UTF8.GetMaxByteCount(s.Length);
                if (length > buffer.Length)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = ArrayPool<byte>.Shared.Rent(length);
                }

                var written = Encoding.UTF8.GetBytes(s, buffer);
                // The span overload binds a copy (SQLITE_TRANSIENT), so the buffer is reused for the next value.
                return raw.sqlite3_bind_text(stmt, index, buffer.AsSpan(0, written));
            case long l:
                return raw.sqlite3_bind_int64(stmt, index, l);
            case int i:
                return raw.sqlite3_bind_int64(stmt, index, i);
            case bool b:
                return raw.sqlite3_bind_int64(stmt, index, b ? 1 : 0);
            case byte[] { Length: 0 }:
                return raw.sqlite3_bind_zeroblob(stmt, index, 0);
            case byte[] bytes:
                return raw.sqlite3_bind_blob(stmt, index, bytes);
            default:
                throw new ArgumentException($"Cannot bind a value of type {value.GetType().Name}.", nameof(value));
        }
    }
}
