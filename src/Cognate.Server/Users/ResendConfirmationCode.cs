using Cognate.Core.Users;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Users;

/// <summary>ResendConfirmationCode: a new sign-up code for an UNCONFIRMED user.</summary>
[CognitoAction("ResendConfirmationCode")]
internal static class ResendConfirmationCode
{
    internal sealed record Request(string ClientId, string? SecretHash, string Username);
    internal sealed record Response(CodeDeliveryDetailsType? CodeDeliveryDetails);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var (client, pool) = await Callers.ClientAsync(ctx, r.ClientId, r.SecretHash, true, r.Username);
        var user = await Callers.UserOrHiddenAsync(ctx, pool, client, r.Username, clientCombination: true);
        if (user is null) return new Response(Wire.Simulated(r.Username));
        // PreventUserExistenceErrors: a confirmed user or one without a channel answers like an unknown user.
        var details = await ctx.Get<UserService>().ResendConfirmationCodeAsync(pool, user, Callers.HidesUsers(client), ctx.Aborted);
        return new Response(details is null ? Wire.Simulated(r.Username) : CodeDeliveryDetailsType.From(details));
    }
}
