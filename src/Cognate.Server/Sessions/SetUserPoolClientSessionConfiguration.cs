using Cognate.Core.Errors;
using Cognate.Core.Sessions;
using Cognate.Server.Protocol;

namespace Cognate.Server.Sessions;

/// <summary>
/// SetUserPoolClientSessionConfiguration: replaces the client's SSOSession.MaxValidityMinutes (0..129600); the pool must have
/// session tracking ENABLED. Stored and returned, not enforced (Cognate has no SSO sessions). Errors: ResourceNotFoundException,
/// InvalidParameterException.
/// </summary>
[CognitoAction("SetUserPoolClientSessionConfiguration")]
internal static class SetUserPoolClientSessionConfiguration
{
    internal sealed record Request(string UserPoolId, string ClientId, ClientSSOSessionConfigType? SSOSession);
    internal sealed record Response(string UserPoolId, string ClientId, ClientSSOSessionConfigType SSOSession);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        if (r.SSOSession is null) throw CognitoErrors.InvalidParameter("SSOSession is required.");
        var config = await ctx.Get<SessionService>().SetClientConfigAsync(r.UserPoolId, r.ClientId, r.SSOSession.MaxValidityMinutes, ctx.Aborted);
        return new Response(r.UserPoolId, config.ClientId, new ClientSSOSessionConfigType(config.SsoMaxValidityMinutes));
    }
}
