using System.Data.Common;
using System.Globalization;
using System.Text;
using Cognate.Core.Stores;
using Cognate.Core.Users;
using Dapper;

namespace Cognate.Storage.Stores;

/// <summary>
/// The ListUsers side of <see cref="SqlUserStore"/>: the <c>user_search</c> table holds
/// <see cref="UserSearchKeys.For"/> of every user, rewritten in the transaction of each user write, and is read
/// through its primary key (pool, attribute, value, username) (on PostgreSQL <c>COLLATE "C"</c>): <c>=</c> is an equality
/// seek and <c>^=</c> the range <c>value &gt;= @p AND value &lt; @p || U+10FFFF</c>, both already in (value, username)
/// order (<see cref="ISqlDialect.SearchMatch"/>). A <c>sub</c> filter reads the users table's unique (pool, sub) index instead
/// (<see cref="SubSearchSql"/>; on PostgreSQL the column is <c>COLLATE "C"</c> since migration 0023).
/// </summary>
internal sealed partial class SqlUserStore : IUserSearchStore
{
    private static async Task WriteSearchKeysAsync(DbConnection connection, DbTransaction tx, User user, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM user_search WHERE user_pool_id = @UserPoolId AND username = @Username",
            new { user.UserPoolId, user.Username },
            tx,
            cancellationToken: ct));

        // All keys in one multi-row INSERT: one round trip on either engine.
        var sql = new StringBuilder("INSERT INTO user_search (user_pool_id, attribute, value, username) VALUES ");
        var parameters = new DynamicParameters(new { user.UserPoolId, user.Username });
        var count = 0;
        foreach (var (attribute, value) in UserSearchKeys.For(user))
        {
            sql.Append(count == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"(@UserPoolId, @a{count}, @v{count}, @Username)");
            parameters.Add($"a{count}", attribute);
            parameters.Add($"v{count}", value);
            count++;
        }

        if (count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(sql.Append(" ON CONFLICT DO NOTHING").ToString(), parameters, tx, cancellationToken: ct));
        }
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<User>> ListAsync(string userPoolId, string? afterUsername, int limit, CancellationToken ct = default)
    {
        await using var connection = await _db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<UserRow>(new CommandDefinition(
            afterUsername is null
                ? $"SELECT {Columns} FROM users u WHERE u.user_pool_id = @userPoolId ORDER BY u.username LIMIT @limit"
                : $"SELECT {Columns} FROM users u WHERE u.user_pool_id = @userPoolId AND u.username > @afterUsername ORDER BY u.username LIMIT @limit",
            new { userPoolId, afterUsername, limit },
            cancellationToken: ct));
        return rows.Select(ToUser).ToList();
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<UserSearchHit>> SearchAsync(string userPoolId, string attribute, string value, bool prefix, string? afterValue, string? afterUsername, int limit, CancellationToken ct = default)
    {
        await using var connection = await _db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<SearchRow>(new CommandDefinition(
            attribute == "sub" ? SubSearchSql(_db.Dialect, prefix, afterValue is not null) : SearchSql(_db.Dialect, prefix, afterValue is not null),
            new { userPoolId, attribute, value, afterValue, afterUsername = afterUsername ?? "", limit },
            cancellationToken: ct));
        return rows.Select(r => new UserSearchHit(ToUser(r), r.SearchKey)).ToList();
    }

    /// <summary>The ListUsers search query (parameters @userPoolId, @attribute, @value, @afterValue, @afterUsername, @limit).</summary>
    internal static string SearchSql(ISqlDialect dialect, bool prefix, bool withCursor)
    {
        // The cursor's key always starts with (prefix) or equals (=) @value, as UserDirectory checks, so it is the
        // lower bound of the index range; how to say so for each engine's planner is the dialect's.
        var match = dialect.SearchMatch(prefix, withCursor);
        return $"""
            SELECT s.value AS SearchKey, {Columns}
            FROM user_search s JOIN users u ON u.user_pool_id = s.user_pool_id AND u.username = s.username
            WHERE s.user_pool_id = @userPoolId AND s.attribute = @attribute AND {match}
            ORDER BY s.value, s.username LIMIT @limit
            """;
    }

    /// <summary>
    /// The ListUsers query for a <c>sub</c> filter (same parameters as <see cref="SearchSql"/>; @attribute unused): the users table's
    /// unique (pool, sub) index, in (sub, username) order, with the sub as the search key.
    /// </summary>
    internal static string SubSearchSql(ISqlDialect dialect, bool prefix, bool withCursor)
    {
        var match = dialect.SearchMatch(prefix, withCursor, "u.sub", "u.username");
        return $"""
            SELECT u.sub AS SearchKey, {Columns}
            FROM users u
            WHERE u.user_pool_id = @userPoolId AND {match}
            ORDER BY u.sub, u.username LIMIT @limit
            """;
    }

    private sealed class SearchRow : UserRow
    {
        public string SearchKey { get; set; } = "";
    }
}
