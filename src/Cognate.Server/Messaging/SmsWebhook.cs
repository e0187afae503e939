using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Cognate.Core.Errors;
using Cognate.Core.Messaging;
using Cognate.Server.Options;
using Microsoft.Extensions.Options;

namespace Cognate.Server.Messaging;

/// <summary>
/// Delivers SMS messages to an operator-run HTTP endpoint (<c>Cognate:Sms:WebhookUrl</c>), which forwards them to
/// an SMS provider. One <c>POST</c> per message with a JSON body (see <see cref="Payload"/> and the README); any
/// non-2xx answer or a timeout is a delivery failure (<c>CodeDeliveryFailureException</c>). Nothing is logged
/// but the pool id and the HTTP status.
/// </summary>
internal sealed partial class SmsWebhook(IOptions<CognateOptions> options, ILogger<SmsWebhook> logger) : IDisposable
{
    readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(Math.Clamp(options.Value.Sms.TimeoutSeconds, 1, 60)) };

    /// <summary>True when a webhook URL is configured.</summary>
    public bool Enabled => !string.IsNullOrEmpty(options.Value.Sms.WebhookUrl);

    /// <summary>The JSON body of the webhook call.</summary>
    internal sealed record Payload(
        [property: JsonPropertyName("type")] string Type,
        [property: JsonPropertyName("userPoolId")] string UserPoolId,
        [property: JsonPropertyName("phoneNumber")] string PhoneNumber,
        [property: JsonPropertyName("message")] string Message,
        [property: JsonPropertyName("code")] string? Code);

    public async ValueTask SendAsync(OutgoingMessage message, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Value.Sms.WebhookUrl)
        {
            Content = JsonContent.Create(new Payload("sms", message.UserPoolId, message.To, message.Body, message.Code)),
        };
        if (options.Value.Sms.AuthorizationHeader is { Length: > 0 } auth) request.Headers.TryAddWithoutValidation("Authorization", auth);
        try
        {
            using var response = await _http.SendAsync(request, ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                LogFailed(logger, message.UserPoolId, ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
                throw CognitoErrors.CodeDeliveryFailure("Unable to deliver the message to the phone number.");
            }
            LogSent(logger, message.UserPoolId);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            LogFailed(logger, message.UserPoolId, ex.GetType().Name);
            throw CognitoErrors.CodeDeliveryFailure("Unable to deliver the message to the phone number.");
        }
    }

    public void Dispose() => _http.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "SMS handed to the webhook for pool {UserPoolId}")]
    static partial void LogSent(ILogger logger, string userPoolId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMS webhook delivery failed for pool {UserPoolId}: {Status}")]
    static partial void LogFailed(ILogger logger, string userPoolId, string status);
}
