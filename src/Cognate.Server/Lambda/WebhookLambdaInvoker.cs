using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cognate.Core.Errors;
using Cognate.Core.Triggers;

namespace Cognate.Server.Lambda;

/// <summary>
/// The webhook transport (<c>Cognate:Lambda:Functions:{arn}:Url</c>): for teams without any Lambda runtime, the trigger's event
/// is POSTed as JSON to a URL and the answer body is the answered event, exactly what a Lambda handler returns. Cognito's
/// invocation rules hold (reference §10.1): each attempt has <see cref="AttemptTimeout"/>, an invocation failure (connection
/// refused or reset, timeout) is retried up to <see cref="MaxAttempts"/> attempts in all, then <c>UnexpectedLambdaException</c>.
/// </summary>
/// <remarks>
/// Answers: 2xx with a JSON object → the answered event, unless it is a Lambda-style error body
/// <c>{"errorMessage": …, "errorType": …}</c> (no <c>response</c>), which is a function error like a non-2xx answer:
/// <c>UserLambdaValidationException</c> "{Trigger} failed with error {errorMessage}." (non-2xx without such a body: the status
/// text). 2xx with anything but a JSON object → <c>InvalidLambdaResponseException</c>. Function errors are not retried (Cognito
/// retries invocation failures only). <c>Event</c> invocations (custom senders) are sent the same way with
/// <c>X-Amz-Invocation-Type: Event</c> and their answer is not read. Nothing is logged but the trigger, the status and the
/// time taken: never the event (it carries attributes, codes and passwords).
/// </remarks>
internal sealed partial class WebhookLambdaInvoker(ILogger<WebhookLambdaInvoker> logger, TimeProvider time) : IDisposable
{
    /// <summary>Timeout of one attempt (Cognito: 5 seconds).</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Attempts in all for one invocation (Cognito: 3).</summary>
    public const int MaxAttempts = 3;

    /// <summary>Largest answer read (bytes): a Lambda synchronous response is at most 6 MB.</summary>
    public const int MaxAnswerBytes = 6 * 1024 * 1024;

    readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2), AllowAutoRedirect = false })
    {
        Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        MaxResponseContentBufferSize = MaxAnswerBytes,
    };

    /// <summary>Timeout of one attempt (<see cref="AttemptTimeout"/>; tests shorten it).</summary>
    internal TimeSpan Timeout { get; init; } = AttemptTimeout;

    /// <summary>Delay before attempt n+1 (tests shorten it).</summary>
    internal TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Invokes the function behind <paramref name="url"/>; see the class remarks for the answer rules.</summary>
    /// <exception cref="CognitoException">UserLambdaValidationException, InvalidLambdaResponseException, UnexpectedLambdaException.</exception>
    public async ValueTask<JsonObject?> InvokeAsync(Uri url, LambdaInvocation invocation, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(invocation);
        var body = JsonSerializer.SerializeToUtf8Bytes(invocation.Event, LambdaJson.Default.JsonObject);
        var started = time.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(Timeout);
            string failure;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.TryAddWithoutValidation("X-Amz-Invocation-Type", invocation.Type.ToString());
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                LogAnswered(logger, invocation.TriggerName, status, attempt, time.GetElapsedTime(started).TotalMilliseconds);
                if (invocation.Type == LambdaInvocationType.Event) return null;
                var bytes = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
                return Answer(invocation.TriggerName, status, response.ReasonPhrase, bytes);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                failure = "timed out";
            }
            catch (HttpRequestException e)
            {
                failure = e.HttpRequestError.ToString();
            }
            LogAttemptFailed(logger, invocation.TriggerName, attempt, failure);
            if (attempt >= MaxAttempts)
            {
                throw CognitoErrors.UnexpectedLambda($"{invocation.TriggerName} invocation failed due to error {failure}.");
            }
            await Task.Delay(RetryDelay, time, ct).ConfigureAwait(false);
        }
    }

    /// <summary>The answered event from a webhook answer (status, body), or the Cognito error it stands for.</summary>
    internal static JsonObject Answer(string trigger, int status, string? reason, byte[] body)
    {
        JsonNode? parsed = null;
        try
        {
            if (body.Length > 0) parsed = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            parsed = null;
        }
        var errorMessage = parsed is JsonObject o && o["response"] is null && o["errorMessage"] is JsonValue m && m.TryGetValue<string>(out var text) ? text : null;
        if (status is < 200 or > 299)
        {
            throw CognitoErrors.UserLambdaValidation(trigger, errorMessage ?? $"HTTP {status.ToString(CultureInfo.InvariantCulture)}{(string.IsNullOrEmpty(reason) ? "" : " " + reason)}");
        }
        if (errorMessage is not null) throw CognitoErrors.UserLambdaValidation(trigger, errorMessage);
        return parsed as JsonObject ?? throw CognitoErrors.InvalidLambdaResponse($"Invalid lambda response from {trigger}.");
    }

    public void Dispose() => _http.Dispose();

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Trigger} webhook answered {Status} on attempt {Attempt} after {ElapsedMs} ms")]
    static partial void LogAnswered(ILogger logger, string trigger, int status, int attempt, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Trigger} webhook attempt {Attempt} failed: {Failure}")]
    static partial void LogAttemptFailed(ILogger logger, string trigger, int attempt, string failure);
}

/// <summary>Source-generated JSON for the Lambda transports.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(JsonObject))]
internal sealed partial class LambdaJson : System.Text.Json.Serialization.JsonSerializerContext;

/// <summary>
/// The <see cref="ILambdaInvoker"/> Cognate registers: a function with a webhook URL (<see cref="LambdaFunctionRoutes"/>) goes
/// to <see cref="WebhookLambdaInvoker"/>, every other one to the Lambda Invoke API transport, at the function's own
/// <c>:Endpoint</c> when it has one.
/// </summary>
internal sealed class LambdaRouter(LambdaFunctionRoutes routes, WebhookLambdaInvoker webhook, LambdaInvokeTransport invokeApi) : ILambdaInvoker
{
    /// <inheritdoc />
    public ValueTask<JsonObject?> InvokeAsync(LambdaInvocation invocation, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var route = routes.For(invocation.FunctionArn);
        return route?.Url is { } url ? webhook.InvokeAsync(url, invocation, ct) : invokeApi.InvokeAsync(invocation, route?.Endpoint, ct);
    }
}
