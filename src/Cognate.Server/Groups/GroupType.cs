using Cognate.Core.Groups;

namespace Cognate.Server.Groups;

/// <summary>Cognito <c>GroupType</c>; dates are epoch seconds on the wire.</summary>
internal sealed record GroupType(string GroupName, string UserPoolId, string? Description, string? RoleArn, int? Precedence, DateTimeOffset LastModifiedDate, DateTimeOffset CreationDate)
{
    public static GroupType From(Group g) => new(g.GroupName, g.UserPoolId, g.Description, g.RoleArn, g.Precedence, g.ModifiedAt, g.CreatedAt);
}
