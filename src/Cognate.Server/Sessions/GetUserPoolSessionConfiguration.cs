using Cognate.Core.Sessions;
using Cognate.Server.Protocol;

namespace Cognate.Server.Sessions;

/// <summary>
/// GetUserPoolSessionConfiguration: UserSessionTracking and TokenSession.MaxPerUser as last set, or Cognito's defaults
/// (DISABLED, 20). Errors: ResourceNotFoundException.
/// </summary>
[CognitoAction("GetUserPoolSessionConfiguration")]
internal static class GetUserPoolSessionConfiguration
{
    internal sealed record Request(string UserPoolId);
    internal sealed record Response(string UserPoolId, string UserSessionTracking, UserPoolTokenSessionConfigType TokenSession);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var config = await ctx.Get<SessionService>().GetPoolConfigAsync(r.UserPoolId, ctx.Aborted);
        return new Response(r.UserPoolId, config.UserSessionTracking, new UserPoolTokenSessionConfigType(config.MaxPerUser));
    }
}
