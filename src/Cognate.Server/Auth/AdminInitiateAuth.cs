using Cognate.Core.Auth;
using Cognate.Core.Errors;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Auth;

/// <summary>AdminInitiateAuth: server-side sign-in (ADMIN_USER_PASSWORD_AUTH / ADMIN_NO_SRP_AUTH, USER_SRP_AUTH, USER_AUTH, REFRESH_TOKEN_AUTH).</summary>
[CognitoAction("AdminInitiateAuth")]
internal static class AdminInitiateAuth
{
    internal sealed record Request(string UserPoolId, string ClientId, string AuthFlow, Dictionary<string, string>? AuthParameters, string? Session);

    public static async ValueTask<AuthResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var (client, pool) = await Callers.ClientAsync(ctx, r.ClientId);
        if (pool.Id != r.UserPoolId) throw CognitoErrors.ClientNotFound(r.ClientId);
        var outcome = await ctx.Get<AuthService>().InitiateAuthAsync(pool, client, r.AuthFlow, r.AuthParameters ?? [], AuthCaller.Admin, Callers.Issuer(ctx, pool), r.Session, ctx.Aborted);
        return AuthResponse.From(outcome);
    }
}
