using Cognate.Core.Auth;
using Cognate.Core.Users;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Users;

/// <summary>
/// SignUp: registers an UNCONFIRMED user and sends the confirmation code. Password may be omitted where the pool allows a
/// passwordless first factor; <c>Session</c> (clients with ALLOW_USER_AUTH) goes to ConfirmSignUp for sign-in after sign-up.
/// </summary>
[CognitoAction("SignUp")]
internal static class SignUp
{
    internal sealed record Request(string ClientId, string? SecretHash, string Username, string? Password, List<AttributeType>? UserAttributes,
        List<AttributeType>? ValidationData);
    internal sealed record Response(bool UserConfirmed, string UserSub, CodeDeliveryDetailsType? CodeDeliveryDetails, string? Session);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var (client, pool) = await Callers.ClientAsync(ctx, r.ClientId, r.SecretHash, true, r.Username);
        var users = ctx.Get<UserService>();
        if (r.Password is not null && Core.Risk.RiskService.Mode(pool) != "OFF")
        {
            PasswordPolicyValidator.Validate(pool.Config.Policies?.PasswordPolicy, r.Password); // the policy's answer first
            await ctx.Get<Core.Risk.RiskService>().CheckNewPasswordAsync(pool, client.ClientId, ctx.Http.Connection.RemoteIpAddress?.ToString(),
                Core.Risk.RiskService.Events.SignUp, r.Password, ctx.Aborted);
        }
        var result = await users.SignUpAsync(pool, client, r.Username, r.Password, Wire.Pairs(r.UserAttributes), Wire.Map(r.ValidationData), ctx.Aborted);
        var user = await users.FindAsync(pool, r.Username, ctx.Aborted);
        var session = user is null ? null : await ctx.Get<Core.SignIn.Flows.UserAuth>().NewSignUpSessionAsync(pool, client, user.Username, ctx.Aborted);
        return new Response(result.UserConfirmed, result.UserSub, CodeDeliveryDetailsType.From(result.CodeDeliveryDetails), session);
    }
}
