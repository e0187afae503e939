using Cognate.Core.Auth;
using Cognate.Core.Errors;
using Cognate.Core.Users;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Users;

/// <summary>
/// ConfirmSignUp: confirms a user with the emailed/texted code. Given SignUp's <c>Session</c>, returns a new
/// <c>Session</c> for InitiateAuth USER_AUTH (sign-in after sign-up).
/// </summary>
[CognitoAction("ConfirmSignUp")]
internal static class ConfirmSignUp
{
    internal sealed record Request(string ClientId, string? SecretHash, string Username, string ConfirmationCode, bool? ForceAliasCreation, string? Session);
    internal sealed record Response(string? Session);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var (client, pool) = await Callers.ClientAsync(ctx, r.ClientId, r.SecretHash, true, r.Username);
        var users = ctx.Get<UserService>();
        var user = await Callers.UserOrHiddenAsync(ctx, pool, client, r.Username) ?? throw CognitoErrors.CodeMismatch();
        // PreventUserExistenceErrors: a user who is no longer UNCONFIRMED has no sign-up code, like an unknown user.
        if (Callers.HidesUsers(client) && user.Status != UserStatus.Unconfirmed) throw CognitoErrors.CodeMismatch();
        await users.ConfirmSignUpAsync(pool, user, r.ConfirmationCode, r.ForceAliasCreation == true, Callers.HidesUsers(client), ctx.Aborted);
        var session = string.IsNullOrEmpty(r.Session) ? null : await ctx.Get<Core.SignIn.Flows.UserAuth>().ExchangeSignUpSessionAsync(pool, client, user, r.Session, ctx.Aborted);
        return new Response(session);
    }
}
