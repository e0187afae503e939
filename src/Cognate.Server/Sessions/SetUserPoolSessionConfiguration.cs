using Cognate.Core.Errors;
using Cognate.Core.Sessions;
using Cognate.Server.Protocol;

namespace Cognate.Server.Sessions;

/// <summary>
/// SetUserPoolSessionConfiguration: replaces the pool's session configuration (every field required). With tracking ENABLED
/// the session actions work and TokenSession.MaxPerUser (1..100) evicts a user's least recently used token sessions at sign-in.
/// Errors: ResourceNotFoundException, InvalidParameterException.
/// </summary>
[CognitoAction("SetUserPoolSessionConfiguration")]
internal static class SetUserPoolSessionConfiguration
{
    internal sealed record Request(string UserPoolId, string UserSessionTracking, UserPoolTokenSessionConfigType? TokenSession);
    internal sealed record Response(string UserPoolId, string UserSessionTracking, UserPoolTokenSessionConfigType TokenSession);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        if (r.TokenSession is null) throw CognitoErrors.InvalidParameter("TokenSession is required.");
        var config = await ctx.Get<SessionService>().SetPoolConfigAsync(r.UserPoolId, r.UserSessionTracking, r.TokenSession.MaxPerUser, ctx.Aborted);
        return new Response(r.UserPoolId, config.UserSessionTracking, new UserPoolTokenSessionConfigType(config.MaxPerUser));
    }
}
