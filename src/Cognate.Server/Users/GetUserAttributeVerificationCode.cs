using Cognate.Core.Users;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Users;

/// <summary>GetUserAttributeVerificationCode: sends a code to verify email or phone_number.</summary>
[CognitoAction("GetUserAttributeVerificationCode")]
internal static class GetUserAttributeVerificationCode
{
    internal sealed record Request(string AccessToken, string AttributeName);
    internal sealed record Response(CodeDeliveryDetailsType? CodeDeliveryDetails);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var token = await Callers.TokenAsync(ctx, r.AccessToken);
        return new Response(CodeDeliveryDetailsType.From(await ctx.Get<UserService>().SendAttributeVerificationCodeAsync(token.Pool, token.User, r.AttributeName, ctx.Aborted)));
    }
}
