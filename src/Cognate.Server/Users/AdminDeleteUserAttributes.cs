using Cognate.Core.Users;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Users;

/// <summary>AdminDeleteUserAttributes: an administrator removes attributes.</summary>
[CognitoAction("AdminDeleteUserAttributes")]
internal static class AdminDeleteUserAttributes
{
    internal sealed record Request(string UserPoolId, string Username, List<string> UserAttributeNames);

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var (pool, user) = await Callers.AdminUserAsync(ctx, r.UserPoolId, r.Username);
        await ctx.Get<UserService>().DeleteAttributesAsync(pool, user, r.UserAttributeNames, AttributeWriter.Admin, null, ctx.Aborted);
        return EmptyResponse.Instance;
    }
}
