using System.Text.Json;
using Cognate.Core.Errors;

namespace Cognate.Server.Protocol;

/// <summary>
/// The AWS JSON 1.1 endpoint: <c>POST /</c> with <c>X-Amz-Target: AWSCognitoIdentityProviderService.Action</c>.
/// Order: target → body size → SigV4 (signed operations) → a handler exists (else UnsupportedOperationException) → JSON parse →
/// model validation → quotas → handler.
/// Every failure is written as Cognito does (<c>__type</c>, <c>message</c>, <c>x-amzn-ErrorType</c>), and every
/// failure before the handler is a 4xx: bad framing 400/413/408 (<see cref="ReadBodyAsync"/>), a signature that misses
/// <c>X-Amz-Target</c> or <c>Content-Type</c> 400 (<see cref="SigV4Authenticator"/>), bytes that are not UTF-8 JSON 400
/// (<see cref="JsonBody"/>), model violations including null map values 400 (<see cref="RequestValidator"/>). A client
/// gone mid-body gets no answer and leaves no log. Only unexpected exceptions (bugs) answer
/// <c>InternalErrorException</c> (500), without details (docs/security.md, "Request handling").
/// </summary>
internal sealed partial class Dispatcher(ServiceModel model, ActionRegistry registry, ISigV4Authenticator authenticator, Microsoft.Extensions.Options.IOptions<Options.CognateOptions> options, ILogger<Dispatcher> logger)
{
    public const string TargetPrefix = "AWSCognitoIdentityProviderService.";
    /// <summary>Largest accepted request body, in bytes (1 MiB).</summary>
    public const int MaxBodyBytes = 1 << 20;

    public async Task HandleAsync(HttpContext http)
    {
        var requestId = Guid.NewGuid().ToString();
        http.Response.Headers["x-amzn-RequestId"] = requestId;
        string action = "";
        try
        {
            var target = http.Request.Headers["X-Amz-Target"].ToString();
            if (!target.StartsWith(TargetPrefix, StringComparison.Ordinal) || !model.Operations.TryGetValue(target[TargetPrefix.Length..], out var op))
            {
                throw new CognitoException(new CognitoError("UnknownOperationException", target.Length == 0 ? "Missing X-Amz-Target header." : "The action or operation requested is invalid. Verify that the action is typed correctly."));
            }
            action = op.Name;

            var body = await ReadBodyAsync(http).ConfigureAwait(false);

            string region = options.Value.Region;
            bool signed = false;
            if (!op.Unsigned || http.Request.Headers.ContainsKey("Authorization"))
            {
                var auth = authenticator.Authenticate(http.Request, body);
                if (auth.Error is not null)
                {
                    if (!op.Unsigned) throw new CognitoException(auth.Error);
                }
                else
                {
                    signed = true;
                    region = auth.Region ?? region;
                }
            }

            // An operation of the model without a handler is refused before its input is looked at, so a client can tell
            // "not built" (UnsupportedOperationException) from "built, input invalid" with any body.
            if (!registry.Handlers.TryGetValue(op.Name, out var handler))
            {
                throw CognitoErrors.UnsupportedOperation($"{op.Name} is not supported by Cognate.");
            }

            var doc = JsonBody.Parse(body);
            try
            {
                if (op.InputShape is not null)
                {
                    RequestValidator.Validate(model, op.InputShape, doc.RootElement);
                }
                await http.RequestServices.GetRequiredService<RateLimiting.RequestQuotas>().CheckAsync(http, op.Name, signed, doc.RootElement).ConfigureAwait(false);
                // A replica's id ({region}_{suffix}, ACTIVE) names its pool: the handler sees the pool's own id, the context keeps
                // the replica's (token issuer). Every store and service thus keys on the one real id. Only for actions whose
                // input has a UserPoolId (a stray member in another action's body is never looked up), after the quotas.
                string? replicaId = null;
                if (op.InputShape is not null && model.Shapes.TryGetValue(op.InputShape, out var input) && input.Members?.ContainsKey("UserPoolId") == true)
                {
                    (replicaId, var replaced) = await ResolveReplicaAsync(http, doc.RootElement).ConfigureAwait(false);
                    if (replaced is not null)
                    {
                        doc.Dispose();
                        doc = replaced;
                    }
                }
                var ctx = new ActionContext { Http = http, Action = op.Name, Region = region, Signed = signed, RequestId = requestId, ReplicaId = replicaId };
                Lambda.TriggerCallers.Enter(http, op.Name, doc.RootElement);
                var result = await handler(ctx, doc.RootElement).ConfigureAwait(false);
                http.Response.StatusCode = 200;
                http.Response.ContentType = "application/x-amz-json-1.1";
                await JsonSerializer.SerializeAsync(http.Response.Body, result, result.GetType(), CognitoJson.Options, http.RequestAborted).ConfigureAwait(false);
            }
            finally
            {
                doc.Dispose();
            }
        }
        catch (CognitoException ex)
        {
            if (ex.Error.StatusCode >= 500) LogInternal(logger, action, ex);
            await WriteErrorAsync(http, ex.Error).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // client went away
        }
        catch (ClientGoneException)
        {
            // The client closed or reset the connection before its body arrived: nobody is left to answer.
        }
        catch (Exception ex)
        {
            LogUnhandled(logger, action, ex.GetType().Name, ex);
            await WriteErrorAsync(http, CognitoErrors.InternalError().Error).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// When the body's <c>UserPoolId</c> is an ACTIVE replica's id, that id and the body with the pool's own id in its place;
    /// else (null, null). The lookup goes through the configuration cache (<see cref="Core.Stores.IUserPoolStore"/>), which the
    /// handler's own pool lookup then hits.
    /// </summary>
    static async ValueTask<(string? ReplicaId, JsonDocument? Replaced)> ResolveReplicaAsync(HttpContext http, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("UserPoolId", out var idElement) || idElement.ValueKind != JsonValueKind.String) return (null, null);
        var id = idElement.GetString()!;
        if (!Core.Pools.UserPoolService.IsWellFormedId(id)) return (null, null);
        var pool = await http.RequestServices.GetRequiredService<Core.Stores.IUserPoolStore>().GetAsync(id, http.RequestAborted).ConfigureAwait(false);
        if (pool?.ReplicaId is null) return (null, null);
        var node = System.Text.Json.Nodes.JsonNode.Parse(root.GetRawText())!.AsObject();
        node["UserPoolId"] = pool.Id;
        return (id, JsonSerializer.SerializeToDocument(node));
    }

    /// <summary>
    /// Reads the whole body, at most <see cref="MaxBodyBytes"/>. A larger body (declared or chunked) is
    /// <c>RequestEntityTooLargeException</c> (413); framing Kestrel refuses (a malformed chunk size, a body cut short)
    /// is <c>SerializationException</c> (400); a body slower than Kestrel's minimum data rate is
    /// <c>RequestTimeoutException</c> (408). Each of these closes the connection (<c>Connection: close</c>), since the
    /// rest of the body is never read. A client that disconnects mid-body raises <see cref="ClientGoneException"/>.
    /// </summary>
    internal static async Task<byte[]> ReadBodyAsync(HttpContext http)
    {
        if (http.Request.ContentLength > MaxBodyBytes) throw TooLarge(http);
        using var ms = new MemoryStream(http.Request.ContentLength is { } len ? (int)len : 256);
        var buffer = new byte[16 * 1024];
        int read;
        while (true)
        {
            try
            {
                read = await http.Request.Body.ReadAsync(buffer, http.RequestAborted).ConfigureAwait(false);
            }
            catch (BadHttpRequestException ex)
            {
                throw BadFraming(http, ex.StatusCode);
            }
            catch (IOException)
            {
                // Kestrel's ConnectionResetException (an IOException): the peer reset or closed the connection mid-body.
                throw new ClientGoneException();
            }
            if (read == 0) break;
            if (ms.Length + read > MaxBodyBytes) throw TooLarge(http);
            ms.Write(buffer, 0, read);
        }
        return ms.ToArray();
    }

    static CognitoException TooLarge(HttpContext http)
    {
        CloseAfterResponse(http);
        return new(new CognitoError("RequestEntityTooLargeException", $"Request body exceeds the maximum size of {MaxBodyBytes} bytes.", 413));
    }

    static CognitoException BadFraming(HttpContext http, int status)
    {
        CloseAfterResponse(http);
        return status switch
        {
            413 => TooLarge(http),
            408 => new(new CognitoError("RequestTimeoutException", "The request body was not received in time.", 408)),
            _ => new(new CognitoError("SerializationException", "The request body could not be read (malformed or incomplete HTTP framing).", 400)),
        };
    }

    /// <summary>The unread rest of a refused body is not drained: the connection closes after the answer and says so.</summary>
    static void CloseAfterResponse(HttpContext http)
    {
        if (!http.Response.HasStarted) http.Response.Headers.Connection = "close";
    }

    /// <summary>The client closed or reset the connection while its body was being read.</summary>
    internal sealed class ClientGoneException : Exception;

    /// <summary>Writes an error in the AWS JSON 1.1 shape.</summary>
    public static async Task WriteErrorAsync(HttpContext http, CognitoError error)
    {
        if (http.Response.HasStarted) return;
        http.Response.StatusCode = error.StatusCode;
        http.Response.ContentType = "application/x-amz-json-1.1";
        http.Response.Headers["x-amzn-ErrorType"] = error.Type;
        var payload = new Dictionary<string, string> { ["__type"] = error.Type, ["message"] = error.Message };
        await JsonSerializer.SerializeAsync(http.Response.Body, payload, CognitoJson.Options).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled {ExceptionType} in {Action}")]
    static partial void LogUnhandled(ILogger logger, string action, string exceptionType, Exception ex);

    [LoggerMessage(Level = LogLevel.Error, Message = "Internal error in {Action}")]
    static partial void LogInternal(ILogger logger, string action, Exception ex);
}
