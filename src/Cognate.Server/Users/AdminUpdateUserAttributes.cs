using Cognate.Core.Users;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Users;

/// <summary>AdminUpdateUserAttributes: an administrator sets any attribute but sub, including the _verified flags.</summary>
[CognitoAction("AdminUpdateUserAttributes")]
internal static class AdminUpdateUserAttributes
{
    internal sealed record Request(string UserPoolId, string Username, List<AttributeType> UserAttributes);

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var (pool, user) = await Callers.AdminUserAsync(ctx, r.UserPoolId, r.Username);
        await ctx.Get<UserService>().UpdateAttributesAsync(pool, user, Wire.Pairs(r.UserAttributes), AttributeWriter.Admin, null, ctx.Aborted);
        return EmptyResponse.Instance;
    }
}
