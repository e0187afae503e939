using System.Text.RegularExpressions;
using Cognate.Core.Errors;
using Cognate.Core.Pools;

namespace Cognate.Core.LogDelivery;

/// <summary>
/// One entry of a pool's log delivery configuration (Cognito <c>LogConfigurationType</c>): <see cref="EventSource"/>
/// <c>userNotification</c> (message delivery errors, <see cref="LogLevel"/> <c>ERROR</c>, CloudWatch Logs only) or
/// <c>userAuthEvents</c> (user activity, <c>INFO</c>, one of CloudWatch Logs, S3 or Firehose; Plus feature plan).
/// Exactly one destination ARN is set.
/// </summary>
public sealed record LogConfiguration(string LogLevel, string EventSource, string? LogGroupArn, string? BucketArn, string? StreamArn)
{
    /// <summary>The one destination ARN of this entry.</summary>
    public string DestinationArn => LogGroupArn ?? BucketArn ?? StreamArn ?? "";
}

/// <summary>Storage of a pool's log delivery configuration, deleted with the pool.</summary>
public interface ILogDeliveryStore
{
    /// <summary>The pool's configurations, empty when never set.</summary>
    ValueTask<IReadOnlyList<LogConfiguration>> GetAsync(string userPoolId, CancellationToken ct = default);

    /// <summary>Replaces the pool's configurations.</summary>
    ValueTask SetAsync(string userPoolId, IReadOnlyList<LogConfiguration> configurations, DateTimeOffset modifiedAt, CancellationToken ct = default);
}

/// <summary>
/// GetLogDeliveryConfiguration / SetLogDeliveryConfiguration with Cognito's rules (API reference <c>LogConfigurationType</c>,
/// developer guide "Exporting user pool logs").
/// </summary>
public sealed partial class LogDeliveryService(UserPoolService pools, ILogDeliveryStore store, TimeProvider time)
{
    /// <summary>The event source of message delivery errors.</summary>
    public const string UserNotification = "userNotification";
    /// <summary>The event source of user activity (sign-in) events.</summary>
    public const string UserAuthEvents = "userAuthEvents";

    [GeneratedRegex(@"^arn:[\w-]+:logs:[a-z0-9-]+:[0-9]{12}:log-group:[\.\-_/#A-Za-z0-9]{1,512}(:\*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex LogGroupArnPattern();

    [GeneratedRegex(@"^arn:[\w-]+:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex BucketArnPattern();

    [GeneratedRegex(@"^arn:[\w-]+:firehose:[a-z0-9-]+:[0-9]{12}:deliverystream/[a-zA-Z0-9_.-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex StreamArnPattern();

    /// <summary>GetLogDeliveryConfiguration: the pool's configurations (empty when none were set).</summary>
    /// <exception cref="CognitoException">ResourceNotFoundException.</exception>
    public async ValueTask<IReadOnlyList<LogConfiguration>> GetAsync(string userPoolId, CancellationToken ct = default)
    {
        await pools.GetAsync(userPoolId, ct).ConfigureAwait(false);
        return await store.GetAsync(userPoolId, ct).ConfigureAwait(false);
    }

    /// <summary>The pool's configuration for one event source, or null (the event writers' lookup; no pool check).</summary>
    public async ValueTask<LogConfiguration?> ForSourceAsync(string userPoolId, string eventSource, CancellationToken ct = default) =>
        (await store.GetAsync(userPoolId, ct).ConfigureAwait(false)).FirstOrDefault(c => c.EventSource == eventSource);

    /// <summary>
    /// SetLogDeliveryConfiguration: replaces the pool's configurations (0 to 2, at most one per event source; an empty list turns
    /// delivery off). <c>userNotification</c> needs LogLevel ERROR and a CloudWatch Logs log group; <c>userAuthEvents</c> needs
    /// LogLevel INFO, exactly one destination, and a pool on the PLUS feature plan.
    /// </summary>
    /// <exception cref="CognitoException">ResourceNotFoundException, InvalidParameterException, FeatureUnavailableInTierException.</exception>
    public async ValueTask<IReadOnlyList<LogConfiguration>> SetAsync(string userPoolId, IReadOnlyList<LogConfiguration> configurations, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(configurations);
        var pool = await pools.GetAsync(userPoolId, ct).ConfigureAwait(false);
        if (configurations.Count > 2) throw CognitoErrors.InvalidParameter("A user pool can have at most 2 log configurations.");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in configurations)
        {
            Validate(c);
            if (!seen.Add(c.EventSource)) throw CognitoErrors.InvalidParameter($"Only one log configuration per EventSource is allowed; {c.EventSource} is repeated.");
            if (c.EventSource == UserAuthEvents && pool.Config.UserPoolTier != "PLUS")
            {
                throw new CognitoException(new CognitoError("FeatureUnavailableInTierException",
                    "Exporting userAuthEvents logs requires the PLUS feature plan (UserPoolTier PLUS)."));
            }
        }
        await store.SetAsync(userPoolId, [.. configurations], time.GetUtcNow(), ct).ConfigureAwait(false);
        return configurations;
    }

    static void Validate(LogConfiguration c)
    {
        int destinations = (c.LogGroupArn is null ? 0 : 1) + (c.BucketArn is null ? 0 : 1) + (c.StreamArn is null ? 0 : 1);
        if (destinations != 1)
        {
            throw CognitoErrors.InvalidParameter("Each log configuration needs exactly one of CloudWatchLogsConfiguration, S3Configuration or FirehoseConfiguration.");
        }
        switch (c.EventSource)
        {
            case UserNotification:
                if (c.LogLevel != "ERROR") throw CognitoErrors.InvalidParameter("userNotification logs support only the ERROR LogLevel.");
                if (c.LogGroupArn is null) throw CognitoErrors.InvalidParameter("userNotification logs can only be delivered to CloudWatch Logs.");
                break;
            case UserAuthEvents:
                if (c.LogLevel != "INFO") throw CognitoErrors.InvalidParameter("userAuthEvents logs support only the INFO LogLevel.");
                break;
            default:
                throw CognitoErrors.InvalidParameter($"Invalid EventSource {c.EventSource}.");
        }
        if (c.LogGroupArn is not null && !LogGroupArnPattern().IsMatch(c.LogGroupArn))
        {
            throw CognitoErrors.InvalidParameter($"LogGroupArn {c.LogGroupArn} is not the ARN of a CloudWatch Logs log group.");
        }
        if (c.BucketArn is not null && !BucketArnPattern().IsMatch(c.BucketArn))
        {
            throw CognitoErrors.InvalidParameter($"BucketArn {c.BucketArn} is not the ARN of an S3 bucket.");
        }
        if (c.StreamArn is not null && !StreamArnPattern().IsMatch(c.StreamArn))
        {
            throw CognitoErrors.InvalidParameter($"StreamArn {c.StreamArn} is not the ARN of a Firehose delivery stream.");
        }
    }
}
