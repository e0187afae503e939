using Cognate.Core.Auth;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Auth;

/// <summary>InitiateAuth: starts a sign-in (USER_PASSWORD_AUTH, USER_SRP_AUTH, USER_AUTH, REFRESH_TOKEN_AUTH / REFRESH_TOKEN).</summary>
[CognitoAction("InitiateAuth")]
internal static class InitiateAuth
{
    internal sealed record Request(string AuthFlow, Dictionary<string, string>? AuthParameters, string ClientId, string? Session);

    public static async ValueTask<AuthResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var (client, pool) = await Callers.ClientAsync(ctx, r.ClientId);
        var outcome = await ctx.Get<AuthService>().InitiateAuthAsync(pool, client, r.AuthFlow, r.AuthParameters ?? [], AuthCaller.Public, Callers.Issuer(ctx, pool), r.Session, ctx.Aborted);
        return AuthResponse.From(outcome);
    }
}
