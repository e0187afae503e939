using Cognate.Core.Users;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Users;

/// <summary>AdminSetUserPassword: sets a permanent (CONFIRMED) or temporary (FORCE_CHANGE_PASSWORD) password.</summary>
[CognitoAction("AdminSetUserPassword")]
internal static class AdminSetUserPassword
{
    internal sealed record Request(string UserPoolId, string Username, string Password, bool? Permanent);

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var (pool, user) = await Callers.AdminUserAsync(ctx, r.UserPoolId, r.Username);
        await ctx.Get<UserService>().AdminSetPasswordAsync(pool, user, r.Password, r.Permanent == true, ctx.Aborted);
        return EmptyResponse.Instance;
    }
}
