using Cognate.Core.LogDelivery;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.LogDelivery;

/// <summary>
/// SetLogDeliveryConfiguration: replaces the pool's log configurations (0-2, one per event source). <c>userNotification</c>:
/// LogLevel ERROR to a CloudWatch Logs log group; <c>userAuthEvents</c>: LogLevel INFO to one of a log group, an S3 bucket or a
/// Firehose stream, PLUS feature plan only. Cognate does not call AWS: it appends the events as JSON lines to one file per
/// destination ARN under <c>Cognate:LogDelivery:Directory</c> (<see cref="LogDeliveryWriter"/>). Errors: ResourceNotFoundException,
/// InvalidParameterException, FeatureUnavailableInTierException, OperationNotEnabledException (called with a replica id).
/// </summary>
[CognitoAction("SetLogDeliveryConfiguration")]
internal static class SetLogDeliveryConfiguration
{
    internal sealed record Request(string UserPoolId, List<LogConfigurationType> LogConfigurations);
    internal sealed record Response(LogDeliveryConfigurationType LogDeliveryConfiguration);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        Callers.RequirePrimary(ctx, "SetLogDeliveryConfiguration");
        var configs = await ctx.Get<LogDeliveryService>().SetAsync(r.UserPoolId, (r.LogConfigurations ?? []).Select(c => c.ToCore()).ToList(), ctx.Aborted);
        return new Response(LogDeliveryConfigurationType.From(r.UserPoolId, configs));
    }
}
