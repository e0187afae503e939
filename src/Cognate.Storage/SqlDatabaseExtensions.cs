using System.Data.Common;

namespace Cognate.Storage;

/// <summary>Provider-neutral helpers over <see cref="ISqlDatabase"/>.</summary>
internal static class SqlDatabaseExtensions
{
    /// <summary>
    /// Runs <paramref name="work"/> on a fresh write connection (<see cref="ISqlDatabase.OpenWriteConnectionAsync"/>), again
    /// (up to <see cref="ISqlDialect.MaxWriteAttempts"/> times in all) when the engine aborted it as a deadlock victim or
    /// for a serialization failure: <paramref name="work"/> must be one whole transaction.
    /// </summary>
    public static async Task<T> RunWriteAsync<T>(this ISqlDatabase database, Func<DbConnection, Task<T>> work, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var connection = await database.OpenWriteConnectionAsync(ct);
            try
            {
                return await work(connection);
            }
            catch (DbException e) when (database.Dialect.IsTransient(e) && attempt < database.Dialect.MaxWriteAttempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(10 * attempt), ct);
            }
        }
    }
}
