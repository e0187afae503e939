using Cognate.Core.Users;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Users;

/// <summary>VerifyUserAttribute: marks email or phone_number verified with the code.</summary>
[CognitoAction("VerifyUserAttribute")]
internal static class VerifyUserAttribute
{
    internal sealed record Request(string AccessToken, string AttributeName, string Code);

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var token = await Callers.TokenAsync(ctx, r.AccessToken);
        await ctx.Get<UserService>().VerifyAttributeAsync(token.Pool, token.User, r.AttributeName, r.Code, ctx.Aborted);
        return EmptyResponse.Instance;
    }
}
