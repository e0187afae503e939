using Npgsql;

namespace Cognate.Storage.Postgres;

/// <summary>Classification of PostgreSQL errors (SQLSTATE) the stores turn into results or retries.</summary>
internal static class PostgresErrors
{
    /// <summary>True for a UNIQUE or PRIMARY KEY violation (23505), not for NOT NULL, CHECK or FOREIGN KEY.</summary>
    public static bool IsUniqueViolation(PostgresException e) => e.SqlState == PostgresErrorCodes.UniqueViolation;

    /// <summary>True for a FOREIGN KEY violation (23503): the referenced row (pool, group, user) does not exist.</summary>
    public static bool IsForeignKeyViolation(PostgresException e) => e.SqlState == PostgresErrorCodes.ForeignKeyViolation;

    /// <summary>True for errors after which the whole transaction can simply be run again: deadlock (40P01) and serialization failure (40001).</summary>
    public static bool IsTransient(PostgresException e) =>
        e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure;
}
