using System.Data.Common;
using Cognate.Core.Groups;
using Cognate.Core.Stores;
using Dapper;

namespace Cognate.Storage.Stores;

/// <summary>
/// <see cref="IGroupStore"/> over SQLite or PostgreSQL: <c>groups</c> keyed by (pool, name) and <c>user_groups</c> memberships, which
/// go with their group or user by foreign-key cascade. Names and usernames compare by byte (SQLite's BINARY, PostgreSQL's
/// <c>COLLATE "C"</c>), so pages follow the same order on both engines.
/// </summary>
internal sealed class SqlGroupStore : IGroupStore
{
    private const string Columns =
        "g.user_pool_id AS UserPoolId, g.group_name AS GroupName, g.description AS Description, g.role_arn AS RoleArn, " +
        "g.precedence AS Precedence, g.created_at AS CreatedAt, g.modified_at AS ModifiedAt";

    private readonly ISqlDatabase _db;

    /// <summary>Creates the store over <paramref name="database"/>.</summary>
    public SqlGroupStore(ISqlDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _db = database;
    }

    /// <inheritdoc />
    /// <exception cref="DbException">The pool does not exist (foreign key).</exception>
    public async ValueTask<bool> CreateAsync(Group group, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(group);
        await using var connection = await _db.OpenWriteConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO groups (user_pool_id, group_name, description, role_arn, precedence, created_at, modified_at)
            VALUES (@UserPoolId, @GroupName, @Description, @RoleArn, @Precedence, @CreatedAt, @ModifiedAt)
            ON CONFLICT (user_pool_id, group_name) DO NOTHING
            """,
            Parameters(group),
            cancellationToken: ct)) == 1;
    }

    /// <inheritdoc />
    public async ValueTask<Group?> GetAsync(string userPoolId, string groupName, CancellationToken ct = default)
    {
        await using var connection = await _db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<GroupRow>(new CommandDefinition(
            $"SELECT {Columns} FROM groups g WHERE g.user_pool_id = @userPoolId AND g.group_name = @groupName",
            new { userPoolId, groupName },
            cancellationToken: ct));
        return row?.ToGroup();
    }

    /// <inheritdoc />
    public async ValueTask<bool> UpdateAsync(Group group, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(group);
        await using var connection = await _db.OpenWriteConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE groups SET description = @Description, role_arn = @RoleArn, precedence = @Precedence, modified_at = @ModifiedAt
            WHERE user_pool_id = @UserPoolId AND group_name = @GroupName
            """,
            Parameters(group),
            cancellationToken: ct)) == 1;
    }

    /// <inheritdoc />
    public async ValueTask<bool> DeleteAsync(string userPoolId, string groupName, CancellationToken ct = default)
    {
        await using var connection = await _db.OpenWriteConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM groups WHERE user_pool_id = @userPoolId AND group_name = @groupName",
            new { userPoolId, groupName },
            cancellationToken: ct)) == 1;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<Group>> ListAsync(string userPoolId, string? afterName, int limit, CancellationToken ct = default)
    {
        await using var connection = await _db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<GroupRow>(new CommandDefinition(
            $"""
            SELECT {Columns} FROM groups g
            WHERE g.user_pool_id = @userPoolId AND (@afterName IS NULL OR g.group_name > @afterName)
            ORDER BY g.group_name LIMIT @limit
            """,
            new { userPoolId, afterName, limit },
            cancellationToken: ct));
        return rows.Select(r => r.ToGroup()).ToList();
    }

    /// <inheritdoc />
    /// <remarks>An existing membership is kept (<c>ON CONFLICT DO NOTHING</c>); a missing group or user is a foreign-key violation, answered with false.</remarks>
    public async ValueTask<bool> AddMemberAsync(string userPoolId, string groupName, string username, CancellationToken ct = default)
    {
        await using var connection = await _db.OpenWriteConnectionAsync(ct);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO user_groups (user_pool_id, group_name, username) VALUES (@userPoolId, @groupName, @username)
                ON CONFLICT (user_pool_id, group_name, username) DO NOTHING
                """,
                new { userPoolId, groupName, username },
                cancellationToken: ct));
            return true;
        }
        catch (DbException e) when (_db.Dialect.IsForeignKeyViolation(e))
        {
            return false; // the group or the user is gone
        }
    }

    /// <inheritdoc />
    public async ValueTask RemoveMemberAsync(string userPoolId, string groupName, string username, CancellationToken ct = default)
    {
        await using var connection = await _db.OpenWriteConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM user_groups WHERE user_pool_id = @userPoolId AND group_name = @groupName AND username = @username",
            new { userPoolId, groupName, username },
            cancellationToken: ct));
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<Group>> ListForUserAsync(string userPoolId, string username, string? afterName, int limit, CancellationToken ct = default)
    {
        await using var connection = await _db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<GroupRow>(new CommandDefinition(
            $"""
            SELECT {Columns} FROM user_groups m JOIN groups g ON g.user_pool_id = m.user_pool_id AND g.group_name = m.group_name
            WHERE m.user_pool_id = @userPoolId AND m.username = @username AND (@afterName IS NULL OR m.group_name > @afterName)
            ORDER BY m.group_name LIMIT @limit
            """,
            new { userPoolId, username, afterName, limit },
            cancellationToken: ct));
        return rows.Select(r => r.ToGroup()).ToList();
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<string>> ListMembersAsync(string userPoolId, string groupName, string? afterUsername, int limit, CancellationToken ct = default)
    {
        await using var connection = await _db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<string>(new CommandDefinition(
            """
            SELECT username FROM user_groups
            WHERE user_pool_id = @userPoolId AND group_name = @groupName AND (@afterUsername IS NULL OR username > @afterUsername)
            ORDER BY username LIMIT @limit
            """,
            new { userPoolId, groupName, afterUsername, limit },
            cancellationToken: ct));
        return rows.ToList();
    }

    private static object Parameters(Group g) => new
    {
        g.UserPoolId,
        g.GroupName,
        g.Description,
        g.RoleArn,
        Precedence = (long?)g.Precedence,
        CreatedAt = UnixTime.ToMs(g.CreatedAt),
        ModifiedAt = UnixTime.ToMs(g.ModifiedAt),
    };

    private sealed class GroupRow
    {
        public string UserPoolId { get; set; } = "";
        public string GroupName { get; set; } = "";
        public string? Description { get; set; }
        public string? RoleArn { get; set; }
        public long? Precedence { get; set; }
        public long CreatedAt { get; set; }
        public long ModifiedAt { get; set; }

        public Group ToGroup() => new()
        {
            UserPoolId = UserPoolId,
            GroupName = GroupName,
            Description = Description,
            RoleArn = RoleArn,
            Precedence = Precedence is { } p ? checked((int)p) : null,
            CreatedAt = UnixTime.FromMs(CreatedAt),
            ModifiedAt = UnixTime.FromMs(ModifiedAt),
        };
    }
}
