using Cognate.Core.Sessions;
using Cognate.Server.Protocol;

namespace Cognate.Server.Sessions;

/// <summary>
/// GetUserPoolClientSessionConfiguration: the client's SSOSession.MaxValidityMinutes as last set, or Cognito's default 60.
/// Errors: ResourceNotFoundException (pool or client).
/// </summary>
[CognitoAction("GetUserPoolClientSessionConfiguration")]
internal static class GetUserPoolClientSessionConfiguration
{
    internal sealed record Request(string UserPoolId, string ClientId);
    internal sealed record Response(string UserPoolId, string ClientId, ClientSSOSessionConfigType SSOSession);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var config = await ctx.Get<SessionService>().GetClientConfigAsync(r.UserPoolId, r.ClientId, ctx.Aborted);
        return new Response(r.UserPoolId, config.ClientId, new ClientSSOSessionConfigType(config.SsoMaxValidityMinutes));
    }
}
