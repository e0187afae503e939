using Microsoft.Data.Sqlite;

namespace Cognate.Storage.Sqlite;

/// <summary>Classification of SQLite errors the stores turn into results.</summary>
internal static class SqliteErrors
{
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintPrimaryKey = 1555;
    private const int SqliteConstraintUnique = 2067;

    /// <summary>True for a UNIQUE or PRIMARY KEY violation (not for NOT NULL, CHECK or FOREIGN KEY).</summary>
    public static bool IsUniqueViolation(SqliteException e) =>
        e.SqliteErrorCode == SqliteConstraint
        && e.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey;
}
