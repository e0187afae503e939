using Cognate.Core.Users;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Users;

/// <summary>ForgotPassword: sends a password-reset code to a verified channel.</summary>
[CognitoAction("ForgotPassword")]
internal static class ForgotPassword
{
    internal sealed record Request(string ClientId, string? SecretHash, string Username);
    internal sealed record Response(CodeDeliveryDetailsType? CodeDeliveryDetails);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var (client, pool) = await Callers.ClientAsync(ctx, r.ClientId, r.SecretHash, true, r.Username);
        var user = await Callers.UserOrHiddenAsync(ctx, pool, client, r.Username);
        if (user is null) return new Response(Wire.Simulated(r.Username));
        // PreventUserExistenceErrors: a disabled user or one without a verified channel answers like an unknown user.
        var details = await ctx.Get<UserService>().ForgotPasswordAsync(pool, user, Callers.HidesUsers(client), ctx.Aborted);
        return new Response(details is null ? Wire.Simulated(r.Username) : CodeDeliveryDetailsType.From(details));
    }
}
