using Cognate.Core.Errors;
using Cognate.Core.Users;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Users;

/// <summary>ConfirmSignUp: confirms a user with the emailed/texted code.</summary>
[CognitoAction("ConfirmSignUp")]
internal static class ConfirmSignUp
{
    internal sealed record Request(string ClientId, string? SecretHash, string Username, string ConfirmationCode, bool? ForceAliasCreation);

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var (client, pool) = await Callers.ClientAsync(ctx, r.ClientId, r.SecretHash, true, r.Username);
        var users = ctx.Get<UserService>();
        var user = await users.FindAsync(pool, r.Username, ctx.Aborted)
            ?? throw (Callers.HidesUsers(client) ? CognitoErrors.CodeMismatch() : CognitoErrors.UserNotFound());
        await users.ConfirmSignUpAsync(pool, user, r.ConfirmationCode, r.ForceAliasCreation == true, ctx.Aborted);
        return EmptyResponse.Instance;
    }
}
