using Cognate.Core.SignIn;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Auth;

/// <summary>InitiateAuth: starts a sign-in (USER_PASSWORD_AUTH, USER_SRP_AUTH, USER_AUTH, CUSTOM_AUTH, REFRESH_TOKEN_AUTH / REFRESH_TOKEN) through the sign-in engine.</summary>
[CognitoAction("InitiateAuth")]
internal static class InitiateAuth
{
    internal sealed record Request(string AuthFlow, Dictionary<string, string>? AuthParameters, string ClientId, string? Session, Dictionary<string, string>? ClientMetadata = null);

    public static async ValueTask<AuthResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var (client, pool) = await Callers.ClientAsync(ctx, r.ClientId);
        var request = new SignInRequest(pool, client, SignInDoor.JsonApi, r.AuthFlow, SignInParameters.WithoutNulls(r.AuthParameters), r.Session, Callers.Issuer(ctx, pool)) { ClientMetadata = r.ClientMetadata, SourceIp = ctx.Http.Connection.RemoteIpAddress?.ToString() };
        return AuthResponse.From(await ctx.Get<SignInEngine>().StartAsync(request, ctx.Aborted));
    }
}
