using Cognate.Core.SignIn;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Auth;

/// <summary>AdminInitiateAuth: server-side sign-in (ADMIN_USER_PASSWORD_AUTH / ADMIN_NO_SRP_AUTH, USER_SRP_AUTH, USER_AUTH, CUSTOM_AUTH, REFRESH_TOKEN_AUTH) through the sign-in engine; ContextData.IpAddress is the source IP threat protection judges.</summary>
[CognitoAction("AdminInitiateAuth")]
internal static class AdminInitiateAuth
{
    internal sealed record Request(string UserPoolId, string ClientId, string AuthFlow, Dictionary<string, string>? AuthParameters, string? Session, Dictionary<string, string>? ClientMetadata = null, ContextDataType? ContextData = null);

    public static async ValueTask<AuthResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var (client, pool) = await Callers.AdminClientAsync(ctx, r.UserPoolId, r.ClientId);
        var request = new SignInRequest(pool, client, SignInDoor.JsonAdminApi, r.AuthFlow, SignInParameters.WithoutNulls(r.AuthParameters), r.Session, Callers.Issuer(ctx, pool)) { ClientMetadata = r.ClientMetadata, SourceIp = ContextDataType.EnterSessionClient(r.ContextData, ctx) };
        return AuthResponse.From(await ctx.Get<SignInEngine>().StartAsync(request, ctx.Aborted));
    }
}
