using Cognate.Core.Errors;
using Cognate.Core.Users;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Users;

/// <summary>ConfirmForgotPassword: sets a new password with the reset code.</summary>
[CognitoAction("ConfirmForgotPassword")]
internal static class ConfirmForgotPassword
{
    internal sealed record Request(string ClientId, string? SecretHash, string Username, string ConfirmationCode, string Password);

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var (client, pool) = await Callers.ClientAsync(ctx, r.ClientId, r.SecretHash, true, r.Username);
        var users = ctx.Get<UserService>();
        var user = await Callers.UserOrHiddenAsync(ctx, pool, client, r.Username) ?? throw CognitoErrors.CodeMismatch();
        await users.ConfirmForgotPasswordAsync(pool, user, r.ConfirmationCode, r.Password, ctx.Aborted);
        return EmptyResponse.Instance;
    }
}
