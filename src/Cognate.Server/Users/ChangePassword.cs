using Cognate.Core.Users;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Users;

/// <summary>ChangePassword: the signed-in user replaces its password (all refresh tokens are revoked).</summary>
[CognitoAction("ChangePassword")]
internal static class ChangePassword
{
    internal sealed record Request(string? PreviousPassword, string ProposedPassword, string AccessToken);

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var token = await Callers.TokenAsync(ctx, r.AccessToken);
        await ctx.Get<UserService>().ChangePasswordAsync(token.Pool, token.User, r.PreviousPassword, r.ProposedPassword, ctx.Aborted);
        return EmptyResponse.Instance;
    }
}
