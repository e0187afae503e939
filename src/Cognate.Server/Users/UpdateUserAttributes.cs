using Cognate.Core.Users;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Users;

/// <summary>UpdateUserAttributes: the signed-in user changes the attributes its client may write.</summary>
[CognitoAction("UpdateUserAttributes")]
internal static class UpdateUserAttributes
{
    internal sealed record Request(string AccessToken, List<AttributeType> UserAttributes);
    internal sealed record Response(List<CodeDeliveryDetailsType> CodeDeliveryDetailsList);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var token = await Callers.TokenAsync(ctx, r.AccessToken);
        var client = await Callers.TokenClientAsync(ctx, token);
        var details = await ctx.Get<UserService>().UpdateAttributesAsync(token.Pool, token.User, Wire.Pairs(r.UserAttributes), AttributeWriter.User, client?.Config.WriteAttributes, ctx.Aborted);
        return new Response(details.Select(d => CodeDeliveryDetailsType.From(d)!).ToList());
    }
}
