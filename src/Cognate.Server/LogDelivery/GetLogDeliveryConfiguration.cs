using Cognate.Core.LogDelivery;
using Cognate.Server.Protocol;

namespace Cognate.Server.LogDelivery;

/// <summary>
/// GetLogDeliveryConfiguration: the pool's log configurations (an empty <c>LogConfigurations</c> list when none are set).
/// Errors: ResourceNotFoundException.
/// </summary>
[CognitoAction("GetLogDeliveryConfiguration")]
internal static class GetLogDeliveryConfiguration
{
    internal sealed record Request(string UserPoolId);
    internal sealed record Response(LogDeliveryConfigurationType LogDeliveryConfiguration);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var configs = await ctx.Get<LogDeliveryService>().GetAsync(r.UserPoolId, ctx.Aborted);
        return new Response(LogDeliveryConfigurationType.From(r.UserPoolId, configs));
    }
}
