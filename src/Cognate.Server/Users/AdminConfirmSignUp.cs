using Cognate.Core.Users;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Users;

/// <summary>AdminConfirmSignUp: confirms an UNCONFIRMED user without a code.</summary>
[CognitoAction("AdminConfirmSignUp")]
internal static class AdminConfirmSignUp
{
    internal sealed record Request(string UserPoolId, string Username);

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var (pool, user) = await Callers.AdminUserAsync(ctx, r.UserPoolId, r.Username);
        await ctx.Get<UserService>().AdminConfirmSignUpAsync(pool, user, ctx.Aborted);
        return EmptyResponse.Instance;
    }
}
