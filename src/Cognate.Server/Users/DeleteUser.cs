using Cognate.Core.Users;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Users;

/// <summary>DeleteUser: the signed-in user deletes itself.</summary>
[CognitoAction("DeleteUser")]
internal static class DeleteUser
{
    internal sealed record Request(string AccessToken);

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var token = await Callers.TokenAsync(ctx, r.AccessToken);
        await ctx.Get<UserService>().DeleteAsync(token.Pool, token.User, ctx.Aborted);
        return EmptyResponse.Instance;
    }
}
