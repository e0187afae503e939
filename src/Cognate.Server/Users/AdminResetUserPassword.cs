using Cognate.Core.Users;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Users;

/// <summary>AdminResetUserPassword: RESET_REQUIRED, tokens revoked, a reset code to the verified recovery channel.</summary>
[CognitoAction("AdminResetUserPassword")]
internal static class AdminResetUserPassword
{
    internal sealed record Request(string UserPoolId, string Username, Dictionary<string, string>? ClientMetadata);

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var (pool, user) = await Callers.AdminUserAsync(ctx, r.UserPoolId, r.Username);
        await ctx.Get<UserService>().AdminResetPasswordAsync(pool, user, ctx.Aborted);
        return EmptyResponse.Instance;
    }
}
