using Cognate.Core.Users;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Users;

/// <summary>DeleteUserAttributes: the signed-in user removes attributes.</summary>
[CognitoAction("DeleteUserAttributes")]
internal static class DeleteUserAttributes
{
    internal sealed record Request(List<string> UserAttributeNames, string AccessToken);

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var token = await Callers.TokenAsync(ctx, r.AccessToken);
        var client = await Callers.TokenClientAsync(ctx, token);
        await ctx.Get<UserService>().DeleteAttributesAsync(token.Pool, token.User, r.UserAttributeNames, AttributeWriter.User, client?.Config.WriteAttributes, ctx.Aborted);
        return EmptyResponse.Instance;
    }
}
