using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Cognate.Core.Errors;
using Cognate.Core.Triggers;
using Cognate.Server.Lambda;
using Cognate.Server.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Triggers;

/// <summary>
/// The test fixture's <see cref="FakeLambda"/> driven by the server's own <see cref="LambdaInvokeTransport"/> in-process: both ways of
/// naming the function in the path, answers, function errors, unknown functions, <c>Event</c> invocations and the signature check.
/// </summary>
public sealed class FakeLambdaTests : IAsyncLifetime
{
    FakeLambda lambda = null!;

    public async ValueTask InitializeAsync() => lambda = await FakeLambda.StartAsync();

    public async ValueTask DisposeAsync() => await lambda.DisposeAsync();

    LambdaInvokeTransport Transport(string functionNameInPath = "Arn") => new(Microsoft.Extensions.Options.Options.Create(new LambdaOptions
    {
        Endpoint = lambda.Endpoint.ToString(), Region = FakeLambda.Region, AccessKeyId = FakeLambda.AccessKeyId, SecretAccessKey = FakeLambda.SecretAccessKey,
        FunctionNameInPath = functionNameInPath, MaxAttempts = 1,
    }), NullLogger<LambdaInvokeTransport>.Instance);

    static LambdaInvocation Call(string arn, LambdaInvocationType type = LambdaInvocationType.RequestResponse) => new(arn, TriggerNames.PreSignUp, new JsonObject
    {
        ["version"] = "1", ["triggerSource"] = "PreSignUp_SignUp", ["userName"] = "jane",
        ["request"] = new JsonObject { ["userAttributes"] = new JsonObject { ["email"] = "jane@example.com" } },
        ["response"] = new JsonObject(),
    }, type);

    [Theory]
    [InlineData("Arn", "")]
    [InlineData("Name", "")]
    [InlineData("Arn", ":live")]
    [InlineData("Name", ":live")]
    public async Task Invoke_ByArnOrName_AnswersTheHandlersEvent_RecordsTheEventAsSent(string inPath, string qualifier)
    {
        var arn = lambda.Register(e => { e["response"]!["autoConfirmUser"] = true; return e; });
        arn.ShouldMatch("^arn:aws:lambda:us-east-1:123456789012:function:fake-[0-9]+$");
        using var transport = Transport(inPath);

        var answer = await transport.InvokeAsync(Call(arn + qualifier), TestContext.Current.CancellationToken);

        ((bool?)answer!["response"]!["autoConfirmUser"]).ShouldBe(true);
        var recorded = lambda.Events(arn).ShouldHaveSingleItem();
        ((string?)recorded["userName"]).ShouldBe("jane");
        recorded["response"]!.AsObject().Count.ShouldBe(0); // the handler mutated its own copy
        recorded["response"] = "changed by the test";
        lambda.Events(arn)[0]["response"]!.AsObject().Count.ShouldBe(0); // Events hands out copies
    }

    [Fact]
    public async Task Register_Async_Awaited()
    {
        var arn = lambda.Register(async e => { await Task.Delay(50); e["response"]!["autoVerifyEmail"] = true; return e; });
        using var transport = Transport();
        var answer = await transport.InvokeAsync(Call(arn), TestContext.Current.CancellationToken);
        ((bool?)answer!["response"]!["autoVerifyEmail"]).ShouldBe(true);
    }

    [Fact]
    public async Task RegisterError_And_ThrowingHandler_FunctionErrorWithTheMessage()
    {
        var error = lambda.RegisterError("Email domain not allowed");
        var throws = lambda.Register(async e => { await Task.Yield(); throw new InvalidOperationException("boom"); });
        using var transport = Transport();

        var ex = await Should.ThrowAsync<CognitoException>(() => transport.InvokeAsync(Call(error), TestContext.Current.CancellationToken).AsTask());
        (ex.Error.Type, ex.Error.Message).ShouldBe(("UserLambdaValidationException", "PreSignUp failed with error Email domain not allowed."));
        ex = await Should.ThrowAsync<CognitoException>(() => transport.InvokeAsync(Call(throws), TestContext.Current.CancellationToken).AsTask());
        ex.Error.Message.ShouldBe("PreSignUp failed with error boom.");
        lambda.Events(error).Count.ShouldBe(1); // a function error is not retried
    }

    [Theory]
    [InlineData("arn:aws:lambda:us-east-1:123456789012:function:nobody")]
    [InlineData("arn:aws:lambda:us-east-1:000000000000:function:fake-1")] // another account's function of the same name
    public async Task UnknownFunction_404ResourceNotFound_UnexpectedLambda(string arn)
    {
        lambda.Register(e => e);
        using var transport = Transport();
        var ex = await Should.ThrowAsync<CognitoException>(() => transport.InvokeAsync(Call(arn), TestContext.Current.CancellationToken).AsTask());
        (ex.Error.Type, ex.Error.Message).ShouldBe(("UnexpectedLambdaException", "PreSignUp invocation failed due to error ResourceNotFoundException."));
        lambda.Events(arn).ShouldBeEmpty();
    }

    [Fact]
    public async Task EventInvocation_202_RecordedAndRunInTheBackground()
    {
        var ran = new TaskCompletionSource();
        var arn = lambda.Register(e => { ran.SetResult(); return e; });
        using var transport = Transport();
        (await transport.InvokeAsync(Call(arn, LambdaInvocationType.Event), TestContext.Current.CancellationToken)).ShouldBeNull();
        lambda.Events(arn).ShouldHaveSingleItem();
        await ran.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Unsigned_Or_WrongKey_403()
    {
        var arn = lambda.Register(e => e);
        using var http = new HttpClient();
        var uri = new Uri(lambda.Endpoint, "2015-03-31/functions/" + Uri.EscapeDataString(arn) + "/invocations");
        using var unsigned = await http.PostAsync(uri, new StringContent("{}", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        unsigned.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        unsigned.Headers.GetValues("X-Amzn-ErrorType").ShouldBe(["MissingAuthenticationTokenException"]);

        using var wrongKey = new LambdaInvokeTransport(Microsoft.Extensions.Options.Options.Create(new LambdaOptions
        {
            Endpoint = lambda.Endpoint.ToString(), AccessKeyId = FakeLambda.AccessKeyId, SecretAccessKey = "not-the-secret", MaxAttempts = 1,
        }), NullLogger<LambdaInvokeTransport>.Instance);
        var ex = await Should.ThrowAsync<CognitoException>(() => wrongKey.InvokeAsync(Call(arn), TestContext.Current.CancellationToken).AsTask());
        ex.Error.Message.ShouldBe("PreSignUp invocation failed due to error InvalidSignatureException.");
        lambda.Events(arn).ShouldBeEmpty();
    }
}
