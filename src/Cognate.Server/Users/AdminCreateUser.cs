using Cognate.Core.Users;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Users;

/// <summary>AdminCreateUser: creates a FORCE_CHANGE_PASSWORD user with a temporary password and invites it.</summary>
[CognitoAction("AdminCreateUser")]
internal static class AdminCreateUser
{
    internal sealed record Request(string UserPoolId, string Username, List<AttributeType>? UserAttributes, string? TemporaryPassword,
        bool? ForceAliasCreation, string? MessageAction, List<string>? DesiredDeliveryMediums, List<AttributeType>? ValidationData);
    internal sealed record Response(UserType User);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var pool = await Callers.PoolAsync(ctx, r.UserPoolId);
        var user = await ctx.Get<UserService>().AdminCreateUserAsync(pool, r.Username, Wire.Pairs(r.UserAttributes), r.TemporaryPassword, r.MessageAction, r.DesiredDeliveryMediums, r.ForceAliasCreation == true, Wire.Map(r.ValidationData), ctx.Aborted);
        return new Response(UserType.From(user));
    }
}
