using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cognate.Client.SigV4;
using Cognate.Core.Errors;
using Cognate.Core.Triggers;
using Microsoft.Extensions.Options;

namespace Cognate.Server.Lambda;

/// <summary>
/// Runs triggers through the AWS Lambda Invoke API (API reference "Invoke"): <c>POST {Endpoint}/2015-03-31/functions/{FunctionName}/invocations</c>
/// with the event as the JSON body, <c>X-Amz-Invocation-Type: RequestResponse</c> (or <c>Event</c> for the custom senders), SigV4-signed
/// for service <c>lambda</c> when credentials are configured.
/// </summary>
/// <remarks>
/// Cognito's invocation rules (reference §10.1): each attempt times out after <see cref="LambdaOptions.TimeoutSeconds"/> (5 s); an
/// invocation failure (connection refused, timeout, 429, 5xx) is retried up to <see cref="LambdaOptions.MaxAttempts"/> (3) attempts in
/// all and then answers <c>UnexpectedLambdaException</c>; a function error (<c>X-Amz-Function-Error</c> header, body
/// <c>{"errorMessage", "errorType"}</c>) is not retried and answers <c>UserLambdaValidationException</c>
/// "{Trigger} failed with error {errorMessage}."; an answer that is not a JSON object answers <c>InvalidLambdaResponseException</c>
/// "Unrecognizable lambda output". Nothing here logs an event or an answer (they carry user attributes, passwords and codes).
/// </remarks>
internal sealed partial class LambdaInvokeTransport : ILambdaInvoker, IDisposable
{
    readonly LambdaOptions options;
    readonly HttpClient http;
    readonly AwsCredentials? credentials;
    readonly ILogger<LambdaInvokeTransport> logger;

    /// <summary>Creates the transport from <c>Cognate:Lambda</c>.</summary>
    public LambdaInvokeTransport(IOptions<LambdaOptions> options, ILogger<LambdaInvokeTransport> logger, HttpMessageHandler? handler = null)
    {
        this.options = options.Value;
        this.logger = logger;
        http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        http.Timeout = Timeout.InfiniteTimeSpan; // per attempt, below
        var id = this.options.AccessKeyId ?? Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID");
        var secret = this.options.SecretAccessKey ?? Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY");
        if (!string.IsNullOrEmpty(id) && !string.IsNullOrEmpty(secret))
        {
            credentials = new AwsCredentials(id, secret, this.options.SessionToken ?? NullIfEmpty(Environment.GetEnvironmentVariable("AWS_SESSION_TOKEN")));
        }
    }

    /// <inheritdoc />
    public ValueTask<JsonObject?> InvokeAsync(LambdaInvocation invocation, CancellationToken ct = default) => InvokeAsync(invocation, null, ct);

    /// <summary>Invokes through the Lambda Invoke API at <paramref name="endpoint"/> (a function's own
    /// <c>Cognate:Lambda:Functions:{arn}:Endpoint</c>), or at <c>Cognate:Lambda:Endpoint</c> when null.</summary>
    /// <exception cref="CognitoException">As <see cref="InvokeAsync(LambdaInvocation, CancellationToken)"/>.</exception>
    public async ValueTask<JsonObject?> InvokeAsync(LambdaInvocation invocation, Uri? endpoint, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var baseUrl = endpoint?.ToString() ?? options.Endpoint;
        if (string.IsNullOrEmpty(baseUrl))
        {
            throw CognitoErrors.UnexpectedLambda($"{invocation.TriggerName} invocation failed due to error no Lambda endpoint is configured (Cognate:Lambda:Endpoint).");
        }
        var function = LambdaFunctionArn.TryParse(invocation.FunctionArn);
        var uri = InvocationUri(baseUrl, options.FunctionNameInPath, invocation.FunctionArn, function);
        var body = JsonSerializer.SerializeToUtf8Bytes(invocation.Event);
        string failure = "unknown";
        for (int attempt = 1; attempt <= options.MaxAttempts; attempt++)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(options.TimeoutSeconds));
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new("application/json");
                request.Headers.TryAddWithoutValidation("X-Amz-Invocation-Type", invocation.Type == LambdaInvocationType.Event ? "Event" : "RequestResponse");
                if (credentials is not null)
                {
                    new SigV4Signer(credentials, options.Region ?? function?.Region ?? "us-east-1", "lambda").Sign(request, body);
                }
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
                var answer = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    if (response.Headers.Contains("X-Amz-Function-Error")) throw FunctionError(invocation.TriggerName, answer);
                    if (invocation.Type == LambdaInvocationType.Event) return null;
                    return ParseAnswer(answer);
                }
                failure = ErrorName(response, answer);
                if (!IsRetryable(response.StatusCode)) break;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                failure = "Socket timeout while invoking Lambda function";
            }
            catch (HttpRequestException ex)
            {
                failure = ex.HttpRequestError == HttpRequestError.ConnectionError ? "Connection refused while invoking Lambda function" : "HTTP request to Lambda failed";
            }
            LogAttemptFailed(logger, invocation.TriggerName, attempt, failure);
        }
        throw CognitoErrors.UnexpectedLambda($"{invocation.TriggerName} invocation failed due to error {failure}.");
    }

    /// <summary>The Invoke URL for <paramref name="arn"/>: the whole ARN escaped, or (<c>FunctionNameInPath = Name</c>) the function name
    /// with the version or alias as <c>?Qualifier=</c>.</summary>
    internal static Uri InvocationUri(LambdaOptions options, string arn, LambdaFunctionArn? function) =>
        InvocationUri(options.Endpoint!, options.FunctionNameInPath, arn, function);

    static Uri InvocationUri(string endpoint, string functionNameInPath, string arn, LambdaFunctionArn? function)
    {
        var baseUrl = endpoint.TrimEnd('/');
        if (functionNameInPath == "Name" && function is not null)
        {
            var q = function.Qualifier is null ? "" : "?Qualifier=" + Uri.EscapeDataString(function.Qualifier);
            return new Uri($"{baseUrl}/2015-03-31/functions/{Uri.EscapeDataString(function.Name)}/invocations{q}");
        }
        return new Uri($"{baseUrl}/2015-03-31/functions/{Uri.EscapeDataString(arn)}/invocations");
    }

    static JsonObject ParseAnswer(byte[] answer)
    {
        try
        {
            if (JsonNode.Parse(answer) is JsonObject o) return o;
        }
        catch (JsonException)
        {
        }
        throw CognitoErrors.InvalidLambdaResponse("Unrecognizable lambda output");
    }

    static CognitoException FunctionError(string trigger, byte[] answer)
    {
        string message = "Unhandled";
        try
        {
            if (JsonNode.Parse(answer) is JsonObject o && o["errorMessage"] is JsonValue m && m.TryGetValue<string>(out var text)) message = text;
        }
        catch (JsonException)
        {
        }
        return CognitoErrors.UserLambdaValidation(trigger, message);
    }

    static string ErrorName(HttpResponseMessage response, byte[] answer)
    {
        if (response.Headers.TryGetValues("X-Amzn-ErrorType", out var types) && types.FirstOrDefault() is { Length: > 0 } t) return t.Split(':')[0];
        try
        {
            if (JsonNode.Parse(answer) is JsonObject o && (o["__type"] ?? o["Type"]) is JsonValue v && v.TryGetValue<string>(out var type)) return type.Split('#')[^1];
        }
        catch (JsonException)
        {
        }
        return $"HTTP {(int)response.StatusCode}";
    }

    static bool IsRetryable(HttpStatusCode status) => status == HttpStatusCode.TooManyRequests || (int)status >= 500;

    static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lambda trigger {Trigger}: attempt {Attempt} failed ({Failure})")]
    static partial void LogAttemptFailed(ILogger logger, string trigger, int attempt, string failure);

    /// <inheritdoc />
    public void Dispose() => http.Dispose();
}

/// <summary>A Lambda function ARN <c>arn:{partition}:lambda:{region}:{account}:function:{name}[:{qualifier}]</c>.</summary>
/// <param name="Region">e.g. <c>us-east-1</c>.</param>
/// <param name="Name">The function name.</param>
/// <param name="Qualifier">Version or alias, or null.</param>
internal sealed record LambdaFunctionArn(string Region, string Name, string? Qualifier)
{
    /// <summary>Parses <paramref name="arn"/>; null when it is not a function ARN.</summary>
    public static LambdaFunctionArn? TryParse(string arn)
    {
        var parts = arn.Split(':');
        if (parts.Length is < 7 or > 8 || parts[0] != "arn" || parts[2] != "lambda" || parts[5] != "function" || parts[6].Length == 0) return null;
        return new LambdaFunctionArn(parts[3], parts[6], parts.Length == 8 && parts[7].Length > 0 ? parts[7] : null);
    }
}
