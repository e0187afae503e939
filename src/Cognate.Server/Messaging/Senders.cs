using System.ComponentModel.DataAnnotations;
using Cognate.Core.Errors;
using Cognate.Core.Messaging;
using Cognate.Core.Stores;
using Cognate.Server.Options;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Cognate.Server.Messaging;

/// <summary><c>Cognate:Email:Smtp:TimeoutSeconds</c>: how long one SMTP delivery (connect, TLS, auth, send) may take.</summary>
public sealed class SmtpDeliveryOptions
{
    /// <summary>Configuration section (shared with <see cref="SmtpOptions"/>).</summary>
    public const string Section = "Cognate:Email:Smtp";

    /// <summary>Seconds, 1–60 (default 5). A server that does not answer within it fails the message with CodeDeliveryFailureException.</summary>
    [Range(1, 60)]
    public int TimeoutSeconds { get; set; } = 5;
}

/// <summary>
/// The one <see cref="IMessageSender"/> of the server. First the delivery budgets (<see cref="MessageBudget"/>): a message over
/// its recipient's or its pool's budget is not sent (LimitExceededException, or a silent drop where the action hides user
/// existence). Then it keeps the message in the development outbox when enabled, delivers emails through SMTP (MailKit, with
/// <see cref="SmtpDeliveryOptions.TimeoutSeconds"/> for the whole exchange) when <c>Cognate:Email:Smtp</c> is set, and SMS to the
/// operator's webhook (<c>Cognate:Sms:WebhookUrl</c>, <see cref="SmsWebhook"/>) when set. Nothing here logs a code, an address or a body.
/// </summary>
internal sealed partial class MessageSender(IOutboxStore outbox, IOptions<CognateOptions> options, IOptions<SmtpDeliveryOptions> smtpDelivery, IHostEnvironment environment, TimeProvider time, SmsWebhook smsWebhook, MessageBudget budget, ILogger<MessageSender> logger) : IMessageSender
{
    public bool OutboxEnabled { get; } = options.Value.Email.Outbox ?? environment.IsDevelopment();

    public async ValueTask SendAsync(OutgoingMessage message, CancellationToken ct = default)
    {
        var verdict = budget.TryConsume(message.UserPoolId, message.Medium, message.To);
        if (verdict != BudgetVerdict.Allowed)
        {
            LogOverBudget(logger, message.UserPoolId, message.Medium, verdict.ToString());
            if (MessageBudget.HideExistence.Value) return;
            throw verdict == BudgetVerdict.RecipientExhausted ? CognitoErrors.AttemptLimitExceeded()
                : message.Medium == DeliveryMedium.Sms ? CognitoErrors.LimitExceeded("Exceeded the SMS limit for the user pool. If a higher limit is required, raise Cognate:MessageBudgets:SmsPerPool.")
                : CognitoErrors.LimitExceeded("Exceeded daily email limit for the operation or the account. If a higher limit is required, please configure your user pool to use your own Amazon SES configuration for sending email.");
        }
        if (OutboxEnabled)
        {
            await outbox.AddAsync(new OutboxMessage(Guid.NewGuid().ToString(), message.UserPoolId, message.To, message.Subject, message.Body, message.Code, time.GetUtcNow()), ct).ConfigureAwait(false);
        }
        var smtp = options.Value.Email.Smtp;
        if (message.Medium == DeliveryMedium.Email && smtp is not null && !string.IsNullOrEmpty(smtp.Host))
        {
            await SendSmtpAsync(smtp, message, ct).ConfigureAwait(false);
        }
        else if (message.Medium == DeliveryMedium.Sms && smsWebhook.Enabled)
        {
            await smsWebhook.SendAsync(message, ct).ConfigureAwait(false);
        }
        else if (!OutboxEnabled)
        {
            LogUndelivered(logger, message.UserPoolId, message.Medium);
        }
    }

    async ValueTask SendSmtpAsync(SmtpOptions smtp, OutgoingMessage message, CancellationToken ct)
    {
        var timeout = TimeSpan.FromSeconds(smtpDelivery.Value.TimeoutSeconds);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            using var mail = new MimeMessage();
            mail.From.Add(MailboxAddress.Parse(options.Value.Email.From));
            mail.To.Add(MailboxAddress.Parse(message.To));
            mail.Subject = message.Subject;
            mail.Body = new TextPart("plain") { Text = message.Body };
            using var client = new SmtpClient { Timeout = (int)timeout.TotalMilliseconds };
            var security = !smtp.EnableSsl ? SecureSocketOptions.None : smtp.Port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls;
            await client.ConnectAsync(smtp.Host, smtp.Port, security, deadline.Token).ConfigureAwait(false);
            if (!string.IsNullOrEmpty(smtp.UserName)) await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? "", deadline.Token).ConfigureAwait(false);
            await client.SendAsync(mail, deadline.Token).ConfigureAwait(false);
            await client.DisconnectAsync(true, deadline.Token).ConfigureAwait(false);
            LogSent(logger, message.UserPoolId, message.Medium);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && ex is OperationCanceledException or IOException or System.Net.Sockets.SocketException
            or MailKit.ProtocolException or MailKit.CommandException or MailKit.Security.AuthenticationException or ParseException or TimeoutException)
        {
            LogFailed(logger, message.UserPoolId, ex.GetType().Name);
            throw CognitoErrors.CodeDeliveryFailure("Unable to deliver the message to the email address.");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Message sent for pool {UserPoolId} via {Medium}")]
    static partial void LogSent(ILogger logger, string userPoolId, string medium);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMTP delivery failed for pool {UserPoolId}: {Status}")]
    static partial void LogFailed(ILogger logger, string userPoolId, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A {Medium} message of pool {UserPoolId} was not sent: {Verdict}")]
    static partial void LogOverBudget(ILogger logger, string userPoolId, string medium, string verdict);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No delivery configured for a {Medium} message of pool {UserPoolId} (set Cognate:Email:Smtp / Cognate:Sms:WebhookUrl or enable the outbox)")]
    static partial void LogUndelivered(ILogger logger, string userPoolId, string medium);
}
