using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cognate.Client.SigV4;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Cognate.Server.Tests.Infrastructure;

/// <summary>
/// The AWS Lambda Invoke API (API reference "Invoke") on a loopback port, running functions the tests register in-process:
/// <c>POST /2015-03-31/functions/{FunctionName}/invocations</c>, where <c>{FunctionName}</c> is the function ARN (percent-encoded
/// or not), the partial ARN <c>{account}:function:{name}</c> or the bare name, each with an optional <c>:{qualifier}</c> or
/// <c>?Qualifier=</c> (ignored: every function has only <c>$LATEST</c>).
/// </summary>
/// <remarks>
/// <para>Answers as Lambda does: the function's answer with 200 (<c>X-Amz-Invocation-Type: RequestResponse</c>, the default);
/// 202 and an empty body for <c>Event</c> (the function then runs in the background, its answer dropped); a function error as 200
/// with <c>X-Amz-Function-Error: Unhandled</c> and <c>{"errorType", "errorMessage"}</c>; an unknown function as 404
/// <c>ResourceNotFoundException</c>. Requests must be SigV4-signed for service <c>lambda</c> in <see cref="Region"/> with
/// <see cref="AccessKeyId"/> / <see cref="SecretAccessKey"/> (403 <c>MissingAuthenticationTokenException</c>,
/// <c>InvalidSignatureException</c>, … otherwise), so <see cref="ServerEnvironment"/> configures the server with those keys.</para>
/// <para>Every event is recorded as it arrived, before the function sees (and possibly mutates) its own copy; <see cref="Events"/>
/// returns copies. Thread-safe: the server invokes functions concurrently.</para>
/// </remarks>
public sealed class FakeLambda : IAsyncDisposable
{
    /// <summary>The region of the registered functions' ARNs and of the signatures this service accepts.</summary>
    public const string Region = "us-east-1";

    /// <summary>The account id of the registered functions' ARNs.</summary>
    public const string Account = "123456789012";

    /// <summary>The access key id the caller must sign with.</summary>
    public const string AccessKeyId = "AKIAFAKELAMBDAINVOKE";

    /// <summary>The secret access key the caller must sign with.</summary>
    public const string SecretAccessKey = "fake-lambda-secret-access-key";

    const string InvocationsPrefix = "/2015-03-31/functions/";
    const string InvocationsSuffix = "/invocations";
    const string ArnPrefix = $"arn:aws:lambda:{Region}:{Account}:function:";

    readonly WebApplication app;
    readonly Dictionary<string, Function> functions = new(StringComparer.Ordinal); // by function name
    readonly SigV4Verifier verifier = new(
        keyId => keyId == AccessKeyId ? new AwsCredentials(AccessKeyId, SecretAccessKey) : null, TimeProvider.System, service: "lambda");
    int next;

    sealed class Function(Func<JsonObject, Task<JsonObject>> handler)
    {
        public Func<JsonObject, Task<JsonObject>> Handler { get; } = handler;
        public List<JsonObject> Events { get; } = [];
    }

    FakeLambda(WebApplication app)
    {
        this.app = app;
        app.Run(HandleAsync);
    }

    /// <summary>The base URL of the Invoke API, e.g. <c>http://127.0.0.1:41234/</c> (for <c>Cognate:Lambda:Endpoint</c>).</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Starts the service on a free 127.0.0.1 port chosen by the OS.</summary>
    public static async Task<FakeLambda> StartAsync()
    {
        // The empty builder reads no appsettings, environment variables or command line, and logs nothing.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var fake = new FakeLambda(builder.Build());
        await fake.app.StartAsync();
        var address = fake.app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        fake.Endpoint = new Uri(address.EndsWith('/') ? address : address + "/");
        return fake;
    }

    /// <summary>The environment that points a <see cref="CognateServer"/> at this service (<c>Cognate:Lambda:Endpoint</c>, region and keys).</summary>
    public Dictionary<string, string> ServerEnvironment() => new()
    {
        ["Cognate__Lambda__Endpoint"] = Endpoint.ToString().TrimEnd('/'),
        ["Cognate__Lambda__Region"] = Region,
        ["Cognate__Lambda__AccessKeyId"] = AccessKeyId,
        ["Cognate__Lambda__SecretAccessKey"] = SecretAccessKey,
    };

    /// <summary>Registers a function that answers <paramref name="handler"/>'s result (a throw answers a function error with the
    /// exception's message); returns its new ARN <c>arn:aws:lambda:us-east-1:123456789012:function:fake-{n}</c>.</summary>
    public string Register(Func<JsonObject, JsonObject> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Register(e => Task.FromResult(handler(e)));
    }

    /// <summary>Registers an asynchronous function (a throw or a faulted task answers a function error with the exception's
    /// message); returns its new ARN <c>arn:aws:lambda:us-east-1:123456789012:function:fake-{n}</c>.</summary>
    public string Register(Func<JsonObject, Task<JsonObject>> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var name = "fake-" + Interlocked.Increment(ref next);
        lock (functions) functions.Add(name, new Function(handler));
        return ArnPrefix + name;
    }

    /// <summary>Registers a function whose every call is a function error with <paramref name="message"/> as its
    /// <c>errorMessage</c> (what a Node.js function that throws <c>new Error(message)</c> answers); returns its ARN.</summary>
    public string RegisterError(string message)
    {
        JsonObject Fail(JsonObject _) => throw new FunctionError(message);
        return Register(Fail);
    }

    /// <summary>The events the function <paramref name="arn"/> received, oldest first, as they arrived (copies); empty for an
    /// unknown ARN.</summary>
    public IReadOnlyList<JsonObject> Events(string arn)
    {
        var function = Find(arn);
        if (function is null) return [];
        lock (function.Events) return [.. function.Events.Select(e => e.DeepClone().AsObject())];
    }

    /// <summary>Stops the service.</summary>
    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    /// <summary>Thrown by <see cref="RegisterError"/>'s functions: answered with <c>errorType</c> <c>Error</c> like Node.js.</summary>
    sealed class FunctionError(string message) : Exception(message);

    Function? Find(string functionName)
    {
        var name = NameOf(functionName);
        if (name is null) return null;
        lock (functions) return functions.GetValueOrDefault(name);
    }

    /// <summary>The function name in <paramref name="functionName"/> (ARN, partial ARN or name, each optionally qualified), or null
    /// when it names a function of another region or account.</summary>
    static string? NameOf(string functionName)
    {
        var parts = functionName.Split(':');
        return parts switch
        {
            ["arn", "aws", "lambda", Region, Account, "function", var name, ..] when parts.Length <= 8 => name,
            [Account, "function", var name, ..] when parts.Length <= 4 => name,
            [var name, ..] when parts.Length <= 2 => name,
            _ => null,
        };
    }

    async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path.Value ?? "/";
        var q = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var rawPath = q >= 0 ? rawTarget[..q] : rawTarget;
        if (!HttpMethods.IsPost(request.Method) || !rawPath.StartsWith(InvocationsPrefix, StringComparison.Ordinal)
            || !rawPath.EndsWith(InvocationsSuffix, StringComparison.Ordinal) || rawPath.Length <= InvocationsPrefix.Length + InvocationsSuffix.Length)
        {
            await ErrorAsync(context, 404, "UnknownOperationException", "Unknown operation");
            return;
        }
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();

        var signature = await verifier.VerifyAsync(request.Method, rawPath, request.QueryString.Value,
            name => request.Headers.TryGetValue(name, out var v) ? v.ToString() : null, body, context.RequestAborted);
        if (!signature.Succeeded)
        {
            await ErrorAsync(context, signature.Error.StatusCode, signature.Error.Type, signature.Error.Message);
            return;
        }
        if (signature.Region != Region)
        {
            await ErrorAsync(context, 403, SigV4ErrorTypes.InvalidSignature, $"Credential should be scoped to a valid region, not '{signature.Region}'.");
            return;
        }

        var functionName = Uri.UnescapeDataString(rawPath[InvocationsPrefix.Length..^InvocationsSuffix.Length]);
        var function = Find(functionName);
        if (function is null)
        {
            var arn = functionName.StartsWith("arn:", StringComparison.Ordinal) ? functionName : ArnPrefix + functionName.Split(':')[^1];
            await ErrorAsync(context, 404, "ResourceNotFoundException", $"Function not found: {arn}");
            return;
        }

        JsonObject received, handed;
        try
        {
            received = JsonNode.Parse(body) as JsonObject ?? throw new JsonException("not an object");
            handed = received.DeepClone().AsObject();
        }
        catch (JsonException)
        {
            // Lambda hands any valid JSON to the function; Cognito only ever sends an object, so anything else is a caller bug.
            await ErrorAsync(context, 400, "InvalidRequestContentException", "Could not parse request body into json: the event is not a JSON object");
            return;
        }
        lock (function.Events) function.Events.Add(received);

        var invocationType = request.Headers["X-Amz-Invocation-Type"].ToString();
        if (invocationType == "Event")
        {
            _ = Task.Run(async () =>
            {
                try { await function.Handler(handed); }
                catch (Exception) { } // an asynchronous invocation's failure goes nowhere the caller sees
            });
            context.Response.StatusCode = 202;
            return;
        }
        if (invocationType is not ("" or "RequestResponse"))
        {
            await ErrorAsync(context, 400, "InvalidParameterValueException", $"Unsupported invocation type {invocationType}");
            return;
        }

        JsonNode? answer;
        try
        {
            answer = await function.Handler(handed);
        }
        catch (Exception ex)
        {
            context.Response.Headers["X-Amz-Function-Error"] = "Unhandled";
            answer = new JsonObject { ["errorType"] = ex is FunctionError ? "Error" : ex.GetType().Name, ["errorMessage"] = ex.Message };
        }
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        context.Response.Headers["X-Amz-Executed-Version"] = "$LATEST";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(answer?.ToJsonString() ?? "null"), context.RequestAborted);
    }

    /// <summary>An error as the Lambda REST API writes it: the type in <c>X-Amzn-ErrorType</c>, <c>{"Type", "message"}</c> in the body.</summary>
    static async Task ErrorAsync(HttpContext context, int status, string errorType, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.Headers["X-Amzn-ErrorType"] = errorType;
        var body = new JsonObject { ["Type"] = "User", ["message"] = message };
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(body.ToJsonString()), context.RequestAborted);
    }
}
