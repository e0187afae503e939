using System.Text.Json.Nodes;
using Cognate.Core.Errors;
using Cognate.Core.LogDelivery;
using Cognate.Core.Messaging;
using Cognate.Core.Stores;

namespace Cognate.Server.LogDelivery;

/// <summary>
/// <c>userNotification</c> delivery: wraps the server's message sender and writes an ERROR event for every message that could not
/// be delivered with a Cognito error (CodeDeliveryFailureException from SMTP, LimitExceededException over a delivery budget), then
/// rethrows. The event names the pool, the medium and the error, never the address, the body or the code.
/// </summary>
internal sealed class LogDeliveringMessageSender(IMessageSender inner, LogDeliveryWriter writer) : IMessageSender
{
    public async ValueTask SendAsync(OutgoingMessage message, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            await inner.SendAsync(message, ct).ConfigureAwait(false);
        }
        catch (CognitoException ex)
        {
            await writer.WriteAsync(message.UserPoolId, LogDeliveryService.UserNotification, new JsonObject
            {
                ["eventType"] = message.Medium == DeliveryMedium.Sms ? "SMS_DELIVERY_FAILURE" : "EMAIL_DELIVERY_FAILURE",
                ["message"] = ex.Error.Message,
                ["error"] = ex.Error.Type,
                ["deliveryMedium"] = message.Medium,
            }, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }
}

/// <summary>
/// <c>userAuthEvents</c> delivery: wraps the sign-in history store and writes an INFO event for every auth event it records
/// (the events AdminListUserAuthEvents lists: SignIn with Pass/Fail and the challenge results, and — when the pool's threat protection
/// scored it — <c>eventRisk</c> {riskDecision, riskLevel, compromisedCredentialsDetected} and <c>eventContextData</c> {ipAddress}).
/// </summary>
internal sealed class LogDeliveringAuthEventStore(IAuthEventStore inner, LogDeliveryWriter writer) : IAuthEventStore
{
    public async ValueTask AddAsync(AuthEventRecord record, DateTimeOffset retainAfter, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await inner.AddAsync(record, retainAfter, ct).ConfigureAwait(false);
        var line = new JsonObject
        {
            ["eventId"] = record.EventId,
            ["eventType"] = record.EventType,
            ["eventResponse"] = record.EventResponse,
            ["userName"] = record.Username,
            ["challengeName"] = record.ChallengeName,
            ["challengeResponse"] = record.ChallengeResponse,
            ["creationDate"] = record.CreatedAt.ToUnixTimeMilliseconds(),
        };
        // Threat protection's verdict and the source address, as AdminListUserAuthEvents returns them (EventRiskType, EventContextData).
        if (record.Risk is { } risk)
        {
            line["eventRisk"] = new JsonObject
            {
                ["riskDecision"] = risk.RiskDecision,
                ["riskLevel"] = risk.RiskLevel,
                ["compromisedCredentialsDetected"] = risk.CompromisedCredentialsDetected,
            };
        }
        if (record.IpAddress is { } ip)
        {
            line["eventContextData"] = new JsonObject { ["ipAddress"] = ip };
        }
        await writer.WriteAsync(record.UserPoolId, LogDeliveryService.UserAuthEvents, line, CancellationToken.None).ConfigureAwait(false);
    }

    public ValueTask<IReadOnlyList<AuthEventRecord>> ListAsync(string userPoolId, string username, DateTimeOffset? beforeTime, string? beforeId, int limit, CancellationToken ct = default) =>
        inner.ListAsync(userPoolId, username, beforeTime, beforeId, limit, ct);

    public ValueTask<AuthEventRecord?> GetAsync(string userPoolId, string username, string eventId, CancellationToken ct = default) =>
        inner.GetAsync(userPoolId, username, eventId, ct);

    public ValueTask<bool> SetFeedbackAsync(string userPoolId, string username, string eventId, AuthEventFeedback feedback, CancellationToken ct = default) =>
        inner.SetFeedbackAsync(userPoolId, username, eventId, feedback, ct);
}
