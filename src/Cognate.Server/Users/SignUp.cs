using Cognate.Core.Users;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Users;

/// <summary>SignUp: registers an UNCONFIRMED user and sends the confirmation code.</summary>
[CognitoAction("SignUp")]
internal static class SignUp
{
    internal sealed record Request(string ClientId, string? SecretHash, string Username, string? Password, List<AttributeType>? UserAttributes);
    internal sealed record Response(bool UserConfirmed, string UserSub, CodeDeliveryDetailsType? CodeDeliveryDetails);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var (client, pool) = await Callers.ClientAsync(ctx, r.ClientId, r.SecretHash, true, r.Username);
        var result = await ctx.Get<UserService>().SignUpAsync(pool, client, r.Username, r.Password, Wire.Pairs(r.UserAttributes), ctx.Aborted);
        return new Response(result.UserConfirmed, result.UserSub, CodeDeliveryDetailsType.From(result.CodeDeliveryDetails));
    }
}
