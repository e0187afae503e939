using Cognate.Core.Users;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Users;

/// <summary>
/// ListUsers: optional Cognito Filter (<c>attribute = "value"</c> / <c>attribute ^= "value"</c>), AttributesToGet,
/// Limit (0..60, 0: 60) and PaginationToken; results sorted by the filtered attribute.
/// </summary>
[CognitoAction("ListUsers")]
internal static class ListUsers
{
    internal sealed record Request(string UserPoolId, List<string>? AttributesToGet, int? Limit, string? PaginationToken, string? Filter);
    internal sealed record Response(List<UserType> Users, string? PaginationToken);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var pool = await Callers.PoolAsync(ctx, r.UserPoolId);
        var page = await ctx.Get<UserDirectory>().ListUsersAsync(pool, r.Filter, r.Limit, r.PaginationToken, ctx.Aborted);
        var users = page.Items.Select(UserType.From);
        if (r.AttributesToGet is { Count: > 0 } wanted)
        {
            users = users.Select(u => u with { Attributes = [.. u.Attributes.Where(a => wanted.Contains(a.Name))] });
        }
        return new Response([.. users], page.NextToken);
    }
}
