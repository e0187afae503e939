using Cognate.Core.Stores;
using Cognate.Core.Users;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Cognate.Storage.Sqlite;

/// <summary>
/// The ListUsers side of <see cref="SqliteUserStore"/>: the <c>user_search</c> table holds
/// <see cref="UserSearchKeys.For"/> of every user, rewritten in the transaction of each user write, and is read
/// through its primary key (pool, attribute, value, username): <c>=</c> is an equality seek and <c>^=</c> the range
/// <c>value &gt;= @p AND value &lt; @p || char(0x10FFFF)</c>, both already in (value, username) order.
/// </summary>
public sealed partial class SqliteUserStore : IUserSearchStore
{
    private static async Task WriteSearchKeysAsync(SqliteConnection connection, SqliteTransaction tx, User user, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM user_search WHERE user_pool_id = @UserPoolId AND username = @Username",
            new { user.UserPoolId, user.Username },
            tx,
            cancellationToken: ct));
        foreach (var (attribute, value) in UserSearchKeys.For(user))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT OR IGNORE INTO user_search (user_pool_id, attribute, value, username) VALUES (@UserPoolId, @attribute, @value, @Username)",
                new { user.UserPoolId, attribute, value, user.Username },
                tx,
                cancellationToken: ct));
        }
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<User>> ListAsync(string userPoolId, string? afterUsername, int limit, CancellationToken ct = default)
    {
        await using var connection = await _db.OpenAsync(ct);
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
        await using var connection = await _db.OpenAsync(ct);
        var rows = await connection.QueryAsync<SearchRow>(new CommandDefinition(
            SearchSql(prefix, afterValue is not null),
            new { userPoolId, attribute, value, afterValue, afterUsername, limit },
            cancellationToken: ct));
        return rows.Select(r => new UserSearchHit(ToUser(r), r.SearchKey)).ToList();
    }

    /// <summary>The ListUsers search query (parameters @userPoolId, @attribute, @value, @afterValue, @afterUsername, @limit).</summary>
    internal static string SearchSql(bool prefix, bool withCursor)
    {
        // One lower bound only, so SQLite seeks the primary key to the cursor: the cursor's key always starts with
        // (prefix) or equals (=) @value, as UserDirectory checks.
        var match = (prefix, withCursor) switch
        {
            (false, false) => "s.value = @value",
            (false, true) => "s.value = @value AND s.username > @afterUsername",
            (true, false) => "s.value >= @value AND s.value < @value || char(1114111)",
            (true, true) => "s.value >= @afterValue AND s.value < @value || char(1114111) AND (s.value > @afterValue OR s.username > @afterUsername)",
        };
        return $"""
            SELECT s.value AS SearchKey, {Columns}
            FROM user_search s JOIN users u ON u.user_pool_id = s.user_pool_id AND u.username = s.username
            WHERE s.user_pool_id = @userPoolId AND s.attribute = @attribute AND {match}
            ORDER BY s.value, s.username LIMIT @limit
            """;
    }

    private sealed class SearchRow : UserRow
    {
        public string SearchKey { get; set; } = "";
    }
}
