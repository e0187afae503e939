using Cognate.Core.Errors;
using Cognate.Core.Users;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Users;

/// <summary>
/// ForgotPassword: sends a password-reset code to a verified channel. A name the pool does not know is first offered to the
/// pool's UserMigration function (UserMigration_ForgotPassword, with ClientMetadata as <c>clientMetadata</c>): the user it returns
/// is created RESET_REQUIRED and gets the code.
/// </summary>
[CognitoAction("ForgotPassword")]
internal static class ForgotPassword
{
    internal sealed record Request(string ClientId, string? SecretHash, string Username, Dictionary<string, string>? ClientMetadata = null);
    internal sealed record Response(CodeDeliveryDetailsType? CodeDeliveryDetails);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var (client, pool) = await Callers.ClientAsync(ctx, r.ClientId, r.SecretHash, true, r.Username);
        var user = await ctx.Get<UserService>().FindAsync(pool, r.Username, ctx.Aborted);
        if (user is null && UserMigrationService.Enabled(pool))
        {
            user = await ctx.Get<UserMigrationService>().OnForgotPasswordAsync(pool, client, r.Username, r.ClientMetadata, ctx.Aborted);
        }
        user ??= Callers.HidesUsers(client) ? null : throw CognitoErrors.UserNotFoundForClient();
        if (user is null) return new Response(Wire.Simulated(r.Username));
        // PreventUserExistenceErrors: a disabled user or one without a verified channel answers like an unknown user.
        var details = await ctx.Get<UserService>().ForgotPasswordAsync(pool, user, Callers.HidesUsers(client), ctx.Aborted);
        return new Response(details is null ? Wire.Simulated(r.Username) : CodeDeliveryDetailsType.From(details));
    }
}
