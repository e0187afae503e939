namespace Cognate.Core.Groups;

/// <summary>
/// A user pool group (Cognito <c>GroupType</c>). <see cref="Precedence"/> is a non-negative integer, lower wins,
/// null means lowest priority; <see cref="RoleArn"/> feeds the <c>cognito:roles</c> / <c>cognito:preferred_role</c> claims.
/// </summary>
public sealed record Group
{
    /// <summary>Pool id.</summary>
    public required string UserPoolId { get; init; }
    /// <summary>Name, 1..128 characters, case-sensitive.</summary>
    public required string GroupName { get; init; }
    /// <summary>Description, at most 2048 characters.</summary>
    public string? Description { get; init; }
    /// <summary>IAM role ARN.</summary>
    public string? RoleArn { get; init; }
    /// <summary>Precedence (0 and up; lower wins).</summary>
    public int? Precedence { get; init; }
    /// <summary>Creation time, UTC.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>Last modification time, UTC.</summary>
    public required DateTimeOffset ModifiedAt { get; init; }
}

/// <summary>The group claims of a user's tokens (reference §7.5).</summary>
/// <param name="Groups">Group names for <c>cognito:groups</c>, by precedence (lower first, unset last), then name.</param>
/// <param name="Roles">Distinct role ARNs for <c>cognito:roles</c>, in the same order.</param>
/// <param name="PreferredRole">The role of the lowest-precedence groups with a role, when they agree; else null.</param>
public sealed record GroupClaims(IReadOnlyList<string> Groups, IReadOnlyList<string> Roles, string? PreferredRole)
{
    /// <summary>No groups.</summary>
    public static GroupClaims None { get; } = new([], [], null);

    /// <summary>
    /// Claims for <paramref name="groups"/>. As Cognito documents for <c>Precedence</c>: groups with a role and the lowest
    /// precedence give <c>cognito:preferred_role</c>; when several such groups have different roles it is left out.
    /// </summary>
    public static GroupClaims From(IEnumerable<Group> groups)
    {
        var ordered = groups.OrderBy(g => g.Precedence ?? int.MaxValue).ThenBy(g => g.GroupName, StringComparer.Ordinal).ToList();
        if (ordered.Count == 0) return None;
        var withRole = ordered.Where(g => !string.IsNullOrEmpty(g.RoleArn)).ToList();
        var roles = withRole.Select(g => g.RoleArn!).Distinct(StringComparer.Ordinal).ToList();
        string? preferred = null;
        if (withRole.Count > 0)
        {
            var best = withRole[0].Precedence;
            var top = withRole.Where(g => g.Precedence == best).Select(g => g.RoleArn!).Distinct(StringComparer.Ordinal).ToList();
            if (top.Count == 1) preferred = top[0];
        }
        return new GroupClaims(ordered.Select(g => g.GroupName).ToList(), roles, preferred);
    }
}
