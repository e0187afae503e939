using System.Text.Json;
using Cognate.Client.SigV4;
using Cognate.Core.Errors;
using Cognate.Server.Options;
using Cognate.Server.Protocol;
using Microsoft.Extensions.Options;

namespace Cognate.Server.CloudWatchLogs;

/// <summary>
/// A minimal Amazon CloudWatch Logs API (JSON 1.1, <c>X-Amz-Target: Logs_20140328.*</c>, SigV4 with service name <c>logs</c> and
/// the admin key pair) on Cognate's own endpoint, serving the result logs of user import jobs where Cognito writes them: log group
/// <c>/aws/cognito/userpools/USER_POOL_ID/USER_POOL_NAME</c>, log stream <c>JOB_ID/JOB_NAME</c> (AWS guide "Viewing the user pool
/// import results in the CloudWatch console"). Targets: <see cref="GetLogEvents"/>, <see cref="DescribeLogStreams"/> and
/// <see cref="FilterLogEvents"/>; any other answers <c>UnsupportedOperationException</c>. Errors are written as CloudWatch Logs
/// writes them (<c>__type</c>, <c>message</c>, HTTP 400): <c>ResourceNotFoundException</c>, <c>InvalidParameterException</c>;
/// signature errors as for the Cognito API (<see cref="SigV4Verifier"/>). Shapes: botocore <c>data/logs/2014-03-28/service-2.json</c>.
/// </summary>
internal sealed partial class LogsApi(IOptions<CognateOptions> options, TimeProvider time, ImportLogGroups groups, ILogger<LogsApi> logger)
{
    /// <summary>The JSON 1.1 target prefix of CloudWatch Logs.</summary>
    public const string TargetPrefix = "Logs_20140328.";
    /// <summary>The SigV4 signing name of CloudWatch Logs.</summary>
    public const string SigningName = "logs";

    readonly SigV4Authenticator _authenticator = new(options, time, SigningName);

    /// <summary>True when the request names a CloudWatch Logs target (so it is this API's, not the Cognito dispatcher's).</summary>
    public static bool IsLogsTarget(HttpContext http) =>
        http.Request.Headers["X-Amz-Target"].ToString().StartsWith(TargetPrefix, StringComparison.Ordinal);

    /// <summary>Handles one CloudWatch Logs request: body (1 MiB at most) → SigV4 (always required) → target → JSON → handler.</summary>
    public async Task HandleAsync(HttpContext http)
    {
        http.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        var target = http.Request.Headers["X-Amz-Target"].ToString()[TargetPrefix.Length..];
        try
        {
            var body = await Dispatcher.ReadBodyAsync(http).ConfigureAwait(false);
            var auth = _authenticator.Authenticate(http.Request, body);
            if (auth.Error is not null) throw new CognitoException(auth.Error);
            using var doc = JsonBody.Parse(body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new CognitoException(new CognitoError("SerializationException", "The request body must be a JSON object."));
            var request = new LogsRequest(doc.RootElement);
            var region = auth.Region ?? options.Value.Region;
            object result = target switch
            {
                "GetLogEvents" => await GetLogEvents.HandleAsync(groups, request, http.RequestAborted).ConfigureAwait(false),
                "DescribeLogStreams" => await DescribeLogStreams.HandleAsync(groups, request, region, options.Value.AccountId, http.RequestAborted).ConfigureAwait(false),
                "FilterLogEvents" => await FilterLogEvents.HandleAsync(groups, request, http.RequestAborted).ConfigureAwait(false),
                _ => throw new CognitoException(new CognitoError("UnsupportedOperationException",
                    $"{target} is not supported by Cognate: it serves GetLogEvents, DescribeLogStreams and FilterLogEvents for user import jobs.")),
            };
            http.Response.StatusCode = 200;
            http.Response.ContentType = "application/x-amz-json-1.1";
            await JsonSerializer.SerializeAsync(http.Response.Body, result, result.GetType(), CognitoJson.Options, http.RequestAborted).ConfigureAwait(false);
        }
        catch (CognitoException ex)
        {
            await Dispatcher.WriteErrorAsync(http, ex.Error).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // client went away
        }
        catch (Dispatcher.ClientGoneException)
        {
            // the client closed the connection mid-body
        }
        catch (Exception ex)
        {
            LogUnhandled(logger, target, ex.GetType().Name, ex);
            await Dispatcher.WriteErrorAsync(http, new CognitoError("ServiceUnavailableException", "The service cannot complete the request.", 500)).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled {ExceptionType} in CloudWatch Logs {Target}")]
    static partial void LogUnhandled(ILogger logger, string target, string exceptionType, Exception ex);
}

/// <summary>The CloudWatch Logs errors this API answers (HTTP 400, messages as CloudWatch Logs words them).</summary>
internal static class LogsErrors
{
    /// <summary><c>ResourceNotFoundException</c>: "The specified log group does not exist."</summary>
    public static CognitoException GroupNotFound() => new(new CognitoError("ResourceNotFoundException", "The specified log group does not exist."));

    /// <summary><c>ResourceNotFoundException</c>: "The specified log stream does not exist."</summary>
    public static CognitoException StreamNotFound() => new(new CognitoError("ResourceNotFoundException", "The specified log stream does not exist."));

    /// <summary><c>InvalidParameterException</c> with <paramref name="message"/>.</summary>
    public static CognitoException InvalidParameter(string message) => new(new CognitoError("InvalidParameterException", message));

    /// <summary><c>InvalidParameterException</c> for a member that breaks its model constraint, in the AWS validation wording.</summary>
    public static CognitoException Validation(string member, string value, string constraint) =>
        InvalidParameter($"1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: {constraint}");
}

/// <summary>Typed reads of a CloudWatch Logs request's members; a member of the wrong JSON type answers <c>SerializationException</c>.</summary>
internal sealed class LogsRequest(JsonElement root)
{
    JsonElement? Get(string name, JsonValueKind kind, string typeName)
    {
        if (!root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != kind && !(kind == JsonValueKind.True && v.ValueKind == JsonValueKind.False))
        {
            throw new CognitoException(new CognitoError("SerializationException", $"{name} must be a {typeName}."));
        }
        return v;
    }

    /// <summary>A string member, or null when absent.</summary>
    public string? String(string name) => Get(name, JsonValueKind.String, "string")?.GetString();

    /// <summary>A boolean member, or null when absent.</summary>
    public bool? Bool(string name) => Get(name, JsonValueKind.True, "boolean")?.GetBoolean();

    /// <summary>An integer member (long), or null when absent.</summary>
    public long? Long(string name) => Get(name, JsonValueKind.Number, "number") is { } v
        ? v.TryGetInt64(out var n) ? n : throw new CognitoException(new CognitoError("SerializationException", $"{name} must be an integer."))
        : null;

    /// <summary>A list of strings, or null when absent.</summary>
    public IReadOnlyList<string>? Strings(string name) => Get(name, JsonValueKind.Array, "list")?.EnumerateArray()
        .Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : throw new CognitoException(new CognitoError("SerializationException", $"{name} must be a list of strings.")))
        .ToList();

    /// <summary>A long member checked against [<paramref name="min"/>, <paramref name="max"/>] (InvalidParameterException otherwise).</summary>
    public long? Bounded(string name, long min, long max)
    {
        var v = Long(name);
        if (v < min) throw LogsErrors.Validation(name, v.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), $"Member must have value greater than or equal to {min}");
        if (v > max) throw LogsErrors.Validation(name, v.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), $"Member must have value less than or equal to {max}");
        return v;
    }
}
