namespace Cognate.Core.Risk;

/// <summary>
/// Cognito <c>RiskConfigurationType</c> (DescribeRiskConfiguration / SetRiskConfiguration): the threat-protection settings of a
/// pool (<see cref="ClientId"/> null) or of one app client, which then replace the pool's for sign-ins through that client.
/// </summary>
/// <param name="UserPoolId">The pool.</param>
/// <param name="ClientId">The app client, or null for the pool's own configuration.</param>
/// <param name="CompromisedCredentialsRiskConfiguration">Breached-password checks, or null.</param>
/// <param name="AccountTakeoverRiskConfiguration">Adaptive-authentication actions and notification emails, or null.</param>
/// <param name="RiskExceptionConfiguration">Blocked and skipped IP ranges (CIDR), or null.</param>
/// <param name="LastModifiedDate">When it was last set (UTC).</param>
public sealed record RiskConfiguration(
    string UserPoolId,
    string? ClientId,
    CompromisedCredentialsRiskConfigurationType? CompromisedCredentialsRiskConfiguration,
    AccountTakeoverRiskConfigurationType? AccountTakeoverRiskConfiguration,
    RiskExceptionConfigurationType? RiskExceptionConfiguration,
    DateTimeOffset? LastModifiedDate);

/// <summary>Cognito <c>CompromisedCredentialsRiskConfigurationType</c>.</summary>
/// <param name="EventFilter">Where to check: <c>SIGN_IN</c>, <c>PASSWORD_CHANGE</c>, <c>SIGN_UP</c>; null or empty means all three.</param>
/// <param name="Actions">What to do when a breached password is used.</param>
public sealed record CompromisedCredentialsRiskConfigurationType(List<string>? EventFilter, CompromisedCredentialsActionsType Actions);

/// <summary>Cognito <c>CompromisedCredentialsActionsType</c>.</summary>
/// <param name="EventAction"><c>BLOCK</c> or <c>NO_ACTION</c>.</param>
public sealed record CompromisedCredentialsActionsType(string EventAction);

/// <summary>Cognito <c>AccountTakeoverRiskConfigurationType</c>.</summary>
/// <param name="NotifyConfiguration">The notification emails, or null.</param>
/// <param name="Actions">The action per risk level.</param>
public sealed record AccountTakeoverRiskConfigurationType(NotifyConfigurationType? NotifyConfiguration, AccountTakeoverActionsType Actions);

/// <summary>Cognito <c>NotifyConfigurationType</c>: sender and the three email templates.</summary>
/// <param name="From">Sender address, or null (the server's default sender).</param>
/// <param name="ReplyTo">Reply-to address, or null.</param>
/// <param name="SourceArn">The SES identity ARN (recorded; Cognate sends through its own mail configuration).</param>
/// <param name="BlockEmail">Sent when a sign-in was blocked.</param>
/// <param name="NoActionEmail">Sent when a risky sign-in was allowed.</param>
/// <param name="MfaEmail">Sent when a risky sign-in was challenged with MFA.</param>
public sealed record NotifyConfigurationType(string? From, string? ReplyTo, string SourceArn, NotifyEmailType? BlockEmail, NotifyEmailType? NoActionEmail, NotifyEmailType? MfaEmail);

/// <summary>Cognito <c>NotifyEmailType</c>.</summary>
/// <param name="Subject">Subject line.</param>
/// <param name="HtmlBody">HTML body template, or null.</param>
/// <param name="TextBody">Text body template, or null.</param>
public sealed record NotifyEmailType(string Subject, string? HtmlBody, string? TextBody);

/// <summary>Cognito <c>AccountTakeoverActionsType</c>: one action per risk level.</summary>
public sealed record AccountTakeoverActionsType(AccountTakeoverActionType? LowAction, AccountTakeoverActionType? MediumAction, AccountTakeoverActionType? HighAction);

/// <summary>Cognito <c>AccountTakeoverActionType</c>.</summary>
/// <param name="Notify">Whether to email the user.</param>
/// <param name="EventAction"><c>BLOCK</c>, <c>MFA_IF_CONFIGURED</c>, <c>MFA_REQUIRED</c> or <c>NO_ACTION</c>.</param>
public sealed record AccountTakeoverActionType(bool Notify, string EventAction);

/// <summary>Cognito <c>RiskExceptionConfigurationType</c>: IP ranges in CIDR notation (IPv4 or IPv6), at most 200 each.</summary>
/// <param name="BlockedIPRangeList">Sign-ins from these addresses are always blocked.</param>
/// <param name="SkippedIPRangeList">Sign-ins from these addresses skip risk detection.</param>
public sealed record RiskExceptionConfigurationType(List<string>? BlockedIPRangeList, List<string>? SkippedIPRangeList);

/// <summary>Risk configurations per pool and app client.</summary>
public interface IRiskConfigurationStore
{
    /// <summary>The configuration of the pool (<paramref name="clientId"/> null) or of one app client, or null when none was set.</summary>
    ValueTask<RiskConfiguration?> GetAsync(string userPoolId, string? clientId, CancellationToken ct = default);

    /// <summary>Creates or replaces the configuration of <see cref="RiskConfiguration.UserPoolId"/> / <see cref="RiskConfiguration.ClientId"/>.</summary>
    ValueTask PutAsync(RiskConfiguration configuration, CancellationToken ct = default);

    /// <summary>Removes the configuration of the pool or client (the pool's defaults, or the client inherits the pool's).</summary>
    ValueTask DeleteAsync(string userPoolId, string? clientId, CancellationToken ct = default);
}
