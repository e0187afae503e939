using Cognate.Core.Stores;
using Cognate.Core.Users;
using Dapper;
using Npgsql;

namespace Cognate.Storage.Postgres;

/// <summary>
/// The ListUsers side of <see cref="PostgresUserStore"/>: the <c>user_search</c> table holds
/// <see cref="UserSearchKeys.For"/> of every user, rewritten in the transaction of each user write, and is read
/// through its primary key (pool, attribute, value, username), all <c>COLLATE "C"</c>: <c>=</c> is an equality seek and
/// <c>^=</c> the range <c>value &gt;= @p AND value &lt; @p || chr(0x10FFFF)</c>, both already in (value, username)
/// order; a page cursor is the row-value lower bound <c>(value, username) &gt; (@afterValue, @afterUsername)</c>.
/// </summary>
public sealed partial class PostgresUserStore : IUserSearchStore
{
    private static async Task WriteSearchKeysAsync(NpgsqlConnection connection, NpgsqlTransaction tx, User user, CancellationToken ct)
    {
        var keys = UserSearchKeys.For(user).ToList();
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM user_search WHERE user_pool_id = @UserPoolId AND username = @Username",
            new { user.UserPoolId, user.Username },
            tx,
            cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO user_search (user_pool_id, attribute, value, username)
            SELECT @UserPoolId, k.attribute, k.value, @Username FROM unnest(@attributes, @values) AS k (attribute, value)
            ON CONFLICT DO NOTHING
            """,
            new { user.UserPoolId, user.Username, attributes = keys.Select(k => k.Key).ToArray(), values = keys.Select(k => k.Value).ToArray() },
            tx,
            cancellationToken: ct));
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
            new { userPoolId, attribute, value, afterValue, afterUsername = afterUsername ?? "", limit },
            cancellationToken: ct));
        return rows.Select(r => new UserSearchHit(ToUser(r), r.SearchKey)).ToList();
    }

    /// <summary>The ListUsers search query (parameters @userPoolId, @attribute, @value, @afterValue, @afterUsername, @limit).</summary>
    internal static string SearchSql(bool prefix, bool withCursor)
    {
        // The cursor's key always starts with (prefix) or equals (=) @value, as UserDirectory checks, so it is the
        // lower bound of the index range.
        var match = (prefix, withCursor) switch
        {
            (false, false) => "s.value = @value",
            (false, true) => "s.value = @value AND s.username > @afterUsername",
            (true, false) => "s.value >= @value AND s.value < (@value || chr(1114111))",
            (true, true) => "(s.value, s.username) > (@afterValue, @afterUsername) AND s.value >= @value AND s.value < (@value || chr(1114111))",
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
