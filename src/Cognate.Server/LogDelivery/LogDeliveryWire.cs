using Cognate.Core.LogDelivery;

namespace Cognate.Server.LogDelivery;

/// <summary>Cognito <c>CloudWatchLogsConfigurationType</c>.</summary>
internal sealed record CloudWatchLogsConfigurationType(string? LogGroupArn);

/// <summary>Cognito <c>S3ConfigurationType</c>.</summary>
internal sealed record S3ConfigurationType(string? BucketArn);

/// <summary>Cognito <c>FirehoseConfigurationType</c>.</summary>
internal sealed record FirehoseConfigurationType(string? StreamArn);

/// <summary>Cognito <c>LogConfigurationType</c>: level, event source and one destination.</summary>
internal sealed record LogConfigurationType(string LogLevel, string EventSource, CloudWatchLogsConfigurationType? CloudWatchLogsConfiguration,
    S3ConfigurationType? S3Configuration, FirehoseConfigurationType? FirehoseConfiguration)
{
    public LogConfiguration ToCore() =>
        new(LogLevel, EventSource, CloudWatchLogsConfiguration?.LogGroupArn, S3Configuration?.BucketArn, FirehoseConfiguration?.StreamArn);

    public static LogConfigurationType From(LogConfiguration c) => new(c.LogLevel, c.EventSource,
        c.LogGroupArn is null ? null : new(c.LogGroupArn), c.BucketArn is null ? null : new(c.BucketArn), c.StreamArn is null ? null : new(c.StreamArn));
}

/// <summary>Cognito <c>LogDeliveryConfigurationType</c>.</summary>
internal sealed record LogDeliveryConfigurationType(string UserPoolId, List<LogConfigurationType> LogConfigurations)
{
    public static LogDeliveryConfigurationType From(string userPoolId, IEnumerable<LogConfiguration> configurations) =>
        new(userPoolId, configurations.Select(LogConfigurationType.From).ToList());
}
