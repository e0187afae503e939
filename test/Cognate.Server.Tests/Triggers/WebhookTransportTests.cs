using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Cognate.Core.Errors;
using Cognate.Core.Triggers;
using Cognate.Server.Lambda;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Triggers;

/// <summary>
/// The webhook transport (Cognate:Lambda:Functions:{arn}:Url) against a real HTTP listener on 127.0.0.1: the answered event,
/// function errors (Lambda-style body, non-2xx), garbage, unreachable and timeouts with Cognito's 3 attempts; and the routing.
/// </summary>
public sealed class WebhookTransportTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    const string Arn = "arn:aws:lambda:us-east-1:123456789012:function:pre-signup";

    static LambdaInvocation Invocation(LambdaInvocationType type = LambdaInvocationType.RequestResponse) => new(Arn, TriggerNames.PreSignUp, new JsonObject
    {
        ["version"] = "1", ["triggerSource"] = "PreSignUp_SignUp", ["userName"] = "jane",
        ["request"] = new JsonObject { ["userAttributes"] = new JsonObject { ["email"] = "jane@example.com" } },
        ["response"] = new JsonObject(),
    }, type);

    static WebhookLambdaInvoker Invoker(TimeSpan? timeout = null) =>
        new(NullLogger<WebhookLambdaInvoker>.Instance, TimeProvider.System) { RetryDelay = TimeSpan.FromMilliseconds(10), Timeout = timeout ?? TimeSpan.FromSeconds(5) };

    /// <summary>A one-route HTTP server: answers every POST with <paramref name="answer"/> and counts the requests.</summary>
    sealed class Hook : IDisposable
    {
        readonly HttpListener _listener = new();
        readonly Func<JsonObject, Task<(int Status, string Body)>> _answer;
        public int Calls;
        public List<JsonObject> Events { get; } = [];
        public List<string?> InvocationTypes { get; } = [];
        public Uri Url { get; }

        public Hook(Func<JsonObject, Task<(int Status, string Body)>> answer)
        {
            _answer = answer;
            var port = FreePort();
            Url = new Uri($"http://127.0.0.1:{port}/hook/");
            _listener.Prefixes.Add(Url.ToString());
            _listener.Start();
            _ = Task.Run(LoopAsync);
        }

        async Task LoopAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try { context = await _listener.GetContextAsync(); }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
                Interlocked.Increment(ref Calls);
                _ = Task.Run(() => AnswerAsync(context));
            }
        }

        async Task AnswerAsync(HttpListenerContext context)
        {
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var ev = JsonNode.Parse(await reader.ReadToEndAsync())!.AsObject();
            lock (Events) { Events.Add(ev); InvocationTypes.Add(context.Request.Headers["X-Amz-Invocation-Type"]); }
            var (status, body) = await _answer(ev);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            var bytes = Encoding.UTF8.GetBytes(body);
            try { await context.Response.OutputStream.WriteAsync(bytes); context.Response.Close(); }
            catch (HttpListenerException) { }
        }

        public void Dispose() => _listener.Close();
    }

    static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    [Fact]
    public async Task Invoke_HandlerAnswersEvent_ReturnsAnsweredEventAndSentTheWholeEvent()
    {
        using var hook = new Hook(ev =>
        {
            ev["response"] = new JsonObject { ["autoConfirmUser"] = true };
            return Task.FromResult((200, ev.ToJsonString()));
        });
        using var invoker = Invoker();

        var answer = await invoker.InvokeAsync(hook.Url, Invocation(), Ct);

        ((bool)answer!["response"]!["autoConfirmUser"]!).ShouldBeTrue();
        hook.Calls.ShouldBe(1);
        ((string?)hook.Events[0]["triggerSource"]).ShouldBe("PreSignUp_SignUp");
        ((string?)hook.Events[0]["request"]!["userAttributes"]!["email"]).ShouldBe("jane@example.com");
        hook.InvocationTypes[0].ShouldBe("RequestResponse");
    }

    [Fact]
    public async Task Invoke_LambdaStyleErrorBodyWith200_UserLambdaValidationNotRetried()
    {
        using var hook = new Hook(_ => Task.FromResult((200, """{"errorType":"Error","errorMessage":"Domain not allowed"}""")));
        using var invoker = Invoker();

        var ex = await Should.ThrowAsync<CognitoException>(() => invoker.InvokeAsync(hook.Url, Invocation(), Ct).AsTask());

        ex.Error.Type.ShouldBe("UserLambdaValidationException");
        ex.Error.Message.ShouldBe("PreSignUp failed with error Domain not allowed.");
        hook.Calls.ShouldBe(1);
    }

    [Fact]
    public async Task Invoke_Non2xxWithErrorBody_UserLambdaValidationWithItsMessage()
    {
        using var hook = new Hook(_ => Task.FromResult((500, """{"errorType":"Error","errorMessage":"Deliberate failure"}""")));
        using var invoker = Invoker();

        var ex = await Should.ThrowAsync<CognitoException>(() => invoker.InvokeAsync(hook.Url, Invocation(), Ct).AsTask());

        ex.Error.Type.ShouldBe("UserLambdaValidationException");
        ex.Error.Message.ShouldBe("PreSignUp failed with error Deliberate failure.");
        hook.Calls.ShouldBe(1);
    }

    [Fact]
    public async Task Invoke_Non2xxWithoutErrorBody_UserLambdaValidationWithStatus()
    {
        using var hook = new Hook(_ => Task.FromResult((403, "forbidden")));
        using var invoker = Invoker();

        var ex = await Should.ThrowAsync<CognitoException>(() => invoker.InvokeAsync(hook.Url, Invocation(), Ct).AsTask());

        ex.Error.Type.ShouldBe("UserLambdaValidationException");
        ex.Error.Message.ShouldStartWith("PreSignUp failed with error HTTP 403");
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("\"a string\"")]
    [InlineData("[1,2]")]
    [InlineData("")]
    public async Task Invoke_2xxNotAnObject_InvalidLambdaResponse(string body)
    {
        using var hook = new Hook(_ => Task.FromResult((200, body)));
        using var invoker = Invoker();

        var ex = await Should.ThrowAsync<CognitoException>(() => invoker.InvokeAsync(hook.Url, Invocation(), Ct).AsTask());

        ex.Error.Type.ShouldBe("InvalidLambdaResponseException");
        hook.Calls.ShouldBe(1);
    }

    [Fact]
    public async Task Invoke_NobodyListening_ThreeAttemptsThenUnexpectedLambda()
    {
        using var invoker = Invoker();

        var ex = await Should.ThrowAsync<CognitoException>(() => invoker.InvokeAsync(new Uri($"http://127.0.0.1:{FreePort()}/down"), Invocation(), Ct).AsTask());

        ex.Error.Type.ShouldBe("UnexpectedLambdaException");
        ex.Error.Message.ShouldStartWith("PreSignUp invocation failed due to error");
    }

    [Fact]
    public async Task Invoke_HandlerSlowerThanTimeout_RetriedThreeTimesThenUnexpectedLambda()
    {
        using var hook = new Hook(async ev =>
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            return (200, ev.ToJsonString());
        });
        using var invoker = Invoker(TimeSpan.FromMilliseconds(300));

        var ex = await Should.ThrowAsync<CognitoException>(() => invoker.InvokeAsync(hook.Url, Invocation(), Ct).AsTask());

        ex.Error.Type.ShouldBe("UnexpectedLambdaException");
        ex.Error.Message.ShouldBe("PreSignUp invocation failed due to error timed out.");
        hook.Calls.ShouldBe(WebhookLambdaInvoker.MaxAttempts);
    }

    [Fact]
    public async Task Invoke_EventType_SentWithEventHeaderAndAnswerNotRead()
    {
        using var hook = new Hook(_ => Task.FromResult((202, "")));
        using var invoker = Invoker();

        (await invoker.InvokeAsync(hook.Url, Invocation(LambdaInvocationType.Event), Ct)).ShouldBeNull();

        hook.InvocationTypes.ShouldBe(["Event"]);
    }

    [Fact]
    public async Task Router_WebhookForConfiguredArnQualifiedArnAndName_InvokeApiForTheRest()
    {
        using var hook = new Hook(ev => Task.FromResult((200, ev.ToJsonString())));
        var routes = LambdaFunctionRoutes.Read(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"Cognate:Lambda:Functions:{Arn}:Url"] = hook.Url.ToString(),
            ["Cognate:Lambda:Functions:by-name:Url"] = hook.Url.ToString(),
            ["Cognate:Lambda:Functions:own-endpoint:Endpoint"] = "http://127.0.0.1:3003",
        }).Build());
        routes.Failures.ShouldBeEmpty();
        var other = new RecordingHandler();
        using var invokeApi = new LambdaInvokeTransport(Microsoft.Extensions.Options.Options.Create(new LambdaOptions
        {
            Endpoint = "http://127.0.0.1:3002", FunctionNameInPath = "Name", AccessKeyId = "AKIATEST", SecretAccessKey = "test-secret",
        }), NullLogger<LambdaInvokeTransport>.Instance, other);
        using var webhook = Invoker();
        var router = new LambdaRouter(routes, webhook, invokeApi);

        await router.InvokeAsync(Invocation(), Ct);
        await router.InvokeAsync(Invocation() with { FunctionArn = Arn + ":live" }, Ct);
        await router.InvokeAsync(Invocation() with { FunctionArn = "arn:aws:lambda:eu-west-1:123456789012:function:by-name" }, Ct);
        await router.InvokeAsync(Invocation() with { FunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:elsewhere" }, Ct);
        await router.InvokeAsync(Invocation() with { FunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:own-endpoint" }, Ct);

        hook.Calls.ShouldBe(3);
        other.Uris.ShouldBe([
            "http://127.0.0.1:3002/2015-03-31/functions/elsewhere/invocations",
            "http://127.0.0.1:3003/2015-03-31/functions/own-endpoint/invocations",
        ]);
    }

    [Theory]
    [InlineData("http://example.com/hook", "Url must be an absolute https URL")]
    [InlineData("ftp://127.0.0.1/hook", "Url must be an absolute https URL")]
    [InlineData("/relative", "Url must be an absolute https URL")]
    public void Routes_BadUrl_FailureNamesTheSetting(string url, string expected)
    {
        var routes = LambdaFunctionRoutes.Read(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"Cognate:Lambda:Functions:{Arn}:Url"] = url,
        }).Build());

        routes.Failures.ShouldHaveSingleItem().ShouldBe($"Cognate:Lambda:Functions:{Arn}:{expected} (http only to a loopback address such as http://127.0.0.1:3000/pre-signup).");
    }

    [Theory]
    [InlineData("https://hooks.example.com/pre-signup")]
    [InlineData("http://127.0.0.1:3000/pre-signup")]
    [InlineData("http://localhost:3000/pre-signup")]
    [InlineData("http://[::1]:3000/pre-signup")]
    public void Routes_HttpsOrLoopbackHttp_Accepted(string url)
    {
        var routes = LambdaFunctionRoutes.Read(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cognate:Lambda:Functions:pre-signup:Url"] = url,
        }).Build());

        routes.Failures.ShouldBeEmpty();
        routes.For(Arn)!.Url.ShouldBe(new Uri(url));
    }

    [Fact]
    public void Routes_UnknownSettingOrBadEndpoint_Failures()
    {
        var routes = LambdaFunctionRoutes.Read(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cognate:Lambda:Functions:pre-signup:Uri"] = "https://hooks.example.com",
            ["Cognate:Lambda:Functions:other:Endpoint"] = "lambda.local",
        }).Build());

        routes.Failures.Count.ShouldBe(2);
        routes.Failures.ShouldContain(f => f.StartsWith("Cognate:Lambda:Functions:pre-signup:Uri: unknown setting", StringComparison.Ordinal));
        routes.Failures.ShouldContain(f => f.StartsWith("Cognate:Lambda:Functions:other:Endpoint must be an absolute http(s) URL", StringComparison.Ordinal));
    }

    /// <summary>Stands in for the Lambda Invoke API: records each request's URI and answers the event back.</summary>
    sealed class RecordingHandler : HttpMessageHandler
    {
        public List<string> Uris { get; } = [];
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Uris) Uris.Add(request.RequestUri!.ToString());
            var body = await request.Content!.ReadAsStringAsync(cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        }
    }
}
