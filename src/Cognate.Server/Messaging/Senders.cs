using System.Net;
using System.Net.Mail;
using Cognate.Core.Errors;
using Cognate.Core.Messaging;
using Cognate.Core.Stores;
using Cognate.Server.Options;
using Microsoft.Extensions.Options;

namespace Cognate.Server.Messaging;

/// <summary>
/// The one <see cref="IMessageSender"/> of the server: keeps the message in the development outbox when
/// enabled, and delivers emails through SMTP (System.Net.Mail) when <c>Cognate:Email:Smtp</c> is set.
/// SMS goes to the operator's webhook (<c>Cognate:Sms:WebhookUrl</c>, <see cref="SmsWebhook"/>) when set. Nothing here logs a code or a body.
/// </summary>
internal sealed partial class MessageSender(IOutboxStore outbox, IOptions<CognateOptions> options, IHostEnvironment environment, TimeProvider time, SmsWebhook smsWebhook, ILogger<MessageSender> logger) : IMessageSender
{
    public bool OutboxEnabled { get; } = options.Value.Email.Outbox ?? environment.IsDevelopment();

    public async ValueTask SendAsync(OutgoingMessage message, CancellationToken ct = default)
    {
        if (OutboxEnabled)
        {
            await outbox.AddAsync(new OutboxMessage(Guid.NewGuid().ToString(), message.UserPoolId, message.To, message.Subject, message.Body, message.Code, time.GetUtcNow()), ct).ConfigureAwait(false);
        }
        var smtp = options.Value.Email.Smtp;
        if (message.Medium == DeliveryMedium.Email && smtp is not null && !string.IsNullOrEmpty(smtp.Host))
        {
            try
            {
                using var client = new SmtpClient(smtp.Host, smtp.Port) { EnableSsl = smtp.EnableSsl, DeliveryMethod = SmtpDeliveryMethod.Network };
                if (!string.IsNullOrEmpty(smtp.UserName)) client.Credentials = new NetworkCredential(smtp.UserName, smtp.Password);
                using var mail = new MailMessage(options.Value.Email.From, message.To, message.Subject, message.Body);
                await client.SendMailAsync(mail, ct).ConfigureAwait(false);
                LogSent(logger, message.UserPoolId, message.Medium);
            }
            catch (SmtpException ex)
            {
                LogFailed(logger, message.UserPoolId, ex.StatusCode.ToString());
                throw CognitoErrors.CodeDeliveryFailure("Unable to deliver the message to the email address.");
            }
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Message sent for pool {UserPoolId} via {Medium}")]
    static partial void LogSent(ILogger logger, string userPoolId, string medium);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMTP delivery failed for pool {UserPoolId}: {Status}")]
    static partial void LogFailed(ILogger logger, string userPoolId, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No delivery configured for a {Medium} message of pool {UserPoolId} (set Cognate:Email:Smtp / Cognate:Sms:WebhookUrl or enable the outbox)")]
    static partial void LogUndelivered(ILogger logger, string userPoolId, string medium);
}
