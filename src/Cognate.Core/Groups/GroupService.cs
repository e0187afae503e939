using Cognate.Core.Errors;
using Cognate.Core.Pools;
using Cognate.Core.Stores;
using Cognate.Core.Users;

namespace Cognate.Core.Groups;

/// <summary>
/// User pool groups: CreateGroup, GetGroup, UpdateGroup, DeleteGroup, ListGroups, AdminAddUserToGroup,
/// AdminRemoveUserFromGroup, AdminListGroupsForUser, ListUsersInGroup, and the group claims put in tokens.
/// Membership changes and deletions show in the next issued tokens (refresh included).
/// </summary>
public sealed class GroupService(IGroupStore groups, IUserStore users, TimeProvider time)
{
    /// <summary>Largest page (QueryLimitType max) and the default when Limit is 0 or omitted.</summary>
    public const int MaxPageSize = 60;
    /// <summary>Most groups a user's token claims list (Cognito: 100 groups per user).</summary>
    public const int MaxGroupsPerUser = 100;

    static CognitoException GroupNotFound() => CognitoErrors.ResourceNotFound("Group not found.");

    static int PageSize(int? limit) => limit is null or 0 ? MaxPageSize : limit.Value;

    static string? After(string? nextToken) => PageToken.Decode(nextToken, id => id.Length is > 0 and <= 128);

    /// <summary>CreateGroup.</summary>
    /// <exception cref="CognitoException">GroupExistsException "A group with the name {name} already exists.".</exception>
    public async ValueTask<Group> CreateAsync(UserPool pool, string groupName, string? description, string? roleArn, int? precedence, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var group = new Group { UserPoolId = pool.Id, GroupName = groupName, Description = description, RoleArn = roleArn, Precedence = precedence, CreatedAt = now, ModifiedAt = now };
        if (!await groups.CreateAsync(group, ct).ConfigureAwait(false))
        {
            throw new CognitoException(new CognitoError("GroupExistsException", $"A group with the name {groupName} already exists."));
        }
        return group;
    }

    /// <summary>GetGroup.</summary>
    /// <exception cref="CognitoException">ResourceNotFoundException "Group not found.".</exception>
    public async ValueTask<Group> GetAsync(UserPool pool, string groupName, CancellationToken ct = default) =>
        await groups.GetAsync(pool.Id, groupName, ct).ConfigureAwait(false) ?? throw GroupNotFound();

    /// <summary>UpdateGroup: replaces the members given; omitted ones keep their values.</summary>
    /// <exception cref="CognitoException">ResourceNotFoundException.</exception>
    public async ValueTask<Group> UpdateAsync(UserPool pool, string groupName, string? description, string? roleArn, int? precedence, CancellationToken ct = default)
    {
        var current = await GetAsync(pool, groupName, ct).ConfigureAwait(false);
        var updated = current with
        {
            Description = description ?? current.Description,
            RoleArn = roleArn ?? current.RoleArn,
            Precedence = precedence ?? current.Precedence,
            ModifiedAt = time.GetUtcNow(),
        };
        if (!await groups.UpdateAsync(updated, ct).ConfigureAwait(false)) throw GroupNotFound();
        return updated;
    }

    /// <summary>DeleteGroup: the group and its memberships.</summary>
    /// <exception cref="CognitoException">ResourceNotFoundException.</exception>
    public async ValueTask DeleteAsync(UserPool pool, string groupName, CancellationToken ct = default)
    {
        if (!await groups.DeleteAsync(pool.Id, groupName, ct).ConfigureAwait(false)) throw GroupNotFound();
    }

    /// <summary>ListGroups: by name, <paramref name="limit"/> per page (0/omitted: 60).</summary>
    /// <exception cref="CognitoException">InvalidParameterException for a malformed token.</exception>
    public async ValueTask<ResultPage<Group>> ListAsync(UserPool pool, int? limit, string? nextToken, CancellationToken ct = default)
    {
        int size = PageSize(limit);
        var items = await groups.ListAsync(pool.Id, After(nextToken), size + 1, ct).ConfigureAwait(false);
        return Page(items, size, g => g.GroupName);
    }

    /// <summary>AdminAddUserToGroup (idempotent).</summary>
    /// <exception cref="CognitoException">ResourceNotFoundException, UserNotFoundException.</exception>
    public async ValueTask AddUserAsync(UserPool pool, string groupName, User user, CancellationToken ct = default)
    {
        await GetAsync(pool, groupName, ct).ConfigureAwait(false);
        if (!await groups.AddMemberAsync(pool.Id, groupName, user.Username, ct).ConfigureAwait(false))
        {
            if (await groups.GetAsync(pool.Id, groupName, ct).ConfigureAwait(false) is null) throw GroupNotFound();
            throw CognitoErrors.UserNotFound();
        }
    }

    /// <summary>AdminRemoveUserFromGroup (idempotent for a non-member).</summary>
    /// <exception cref="CognitoException">ResourceNotFoundException.</exception>
    public async ValueTask RemoveUserAsync(UserPool pool, string groupName, User user, CancellationToken ct = default)
    {
        await GetAsync(pool, groupName, ct).ConfigureAwait(false);
        await groups.RemoveMemberAsync(pool.Id, groupName, user.Username, ct).ConfigureAwait(false);
    }

    /// <summary>AdminListGroupsForUser: by name.</summary>
    /// <exception cref="CognitoException">InvalidParameterException for a malformed token.</exception>
    public async ValueTask<ResultPage<Group>> ListForUserAsync(UserPool pool, User user, int? limit, string? nextToken, CancellationToken ct = default)
    {
        int size = PageSize(limit);
        var items = await groups.ListForUserAsync(pool.Id, user.Username, After(nextToken), size + 1, ct).ConfigureAwait(false);
        return Page(items, size, g => g.GroupName);
    }

    /// <summary>ListUsersInGroup: members by username.</summary>
    /// <exception cref="CognitoException">ResourceNotFoundException, InvalidParameterException.</exception>
    public async ValueTask<ResultPage<User>> ListUsersAsync(UserPool pool, string groupName, int? limit, string? nextToken, CancellationToken ct = default)
    {
        await GetAsync(pool, groupName, ct).ConfigureAwait(false);
        int size = PageSize(limit);
        var after = PageToken.Decode(nextToken, id => id.Length is > 0 and <= 128);
        var names = await groups.ListMembersAsync(pool.Id, groupName, after, size + 1, ct).ConfigureAwait(false);
        var page = Page(names, size, n => n);
        var list = new List<User>(page.Items.Count);
        foreach (var name in page.Items)
        {
            if (await users.GetAsync(pool.Id, name, ct).ConfigureAwait(false) is { } u) list.Add(u);
        }
        return new ResultPage<User>(list, page.NextToken);
    }

    /// <summary>The group claims for a user's next tokens.</summary>
    public async ValueTask<GroupClaims> ClaimsAsync(string userPoolId, string username, CancellationToken ct = default)
    {
        var list = await groups.ListForUserAsync(userPoolId, username, null, MaxGroupsPerUser, ct).ConfigureAwait(false);
        return list.Count == 0 ? GroupClaims.None : GroupClaims.From(list);
    }

    static ResultPage<T> Page<T>(IReadOnlyList<T> items, int size, Func<T, string> key)
    {
        if (items.Count <= size) return new ResultPage<T>(items, null);
        var page = items.Take(size).ToList();
        return new ResultPage<T>(page, PageToken.Encode(key(page[^1])));
    }
}
