using System.Text.Json.Nodes;
using Cognate.Core.Errors;
using Cognate.Core.Triggers;

namespace Cognate.Core.Tests.SignIn;

/// <summary>
/// A fake <see cref="ILambdaInvoker"/>: functions by ARN, each a handler that gets a copy of the event and returns the whole
/// event with <c>response</c> filled (as a Node Lambda handler does). Every event is recorded (a deep copy, before the handler runs).
/// </summary>
internal sealed class ScriptedLambda : ILambdaInvoker
{
    readonly Dictionary<string, Func<JsonObject, JsonObject?>> functions = new(StringComparer.Ordinal);
    readonly List<(string Arn, JsonObject Event)> calls = [];
    int next;

    /// <summary>Registers <paramref name="handler"/> and returns its ARN.</summary>
    public string Register(Func<JsonObject, JsonObject?> handler)
    {
        var arn = $"arn:aws:lambda:us-east-1:000000000000:function:scripted-{++next}";
        functions[arn] = handler;
        return arn;
    }

    /// <summary>A function that fails (UserLambdaValidationException "{Trigger} failed with error {message}.").</summary>
    public string RegisterError(string message) => Register(_ => throw new ScriptedFunctionError(message));

    /// <summary>The events <paramref name="arn"/> received, oldest first.</summary>
    public IReadOnlyList<JsonObject> Events(string arn) => [.. calls.Where(c => c.Arn == arn).Select(c => c.Event)];

    /// <summary>Every call, oldest first (trigger order).</summary>
    public IReadOnlyList<string> Order => [.. calls.Select(c => c.Event["triggerSource"]!.GetValue<string>())];

    public ValueTask<JsonObject?> InvokeAsync(LambdaInvocation invocation, CancellationToken ct = default)
    {
        if (!functions.TryGetValue(invocation.FunctionArn, out var handler))
        {
            throw CognitoErrors.UnexpectedLambda($"{invocation.TriggerName} could not be invoked: no such function.");
        }
        calls.Add((invocation.FunctionArn, (JsonObject)invocation.Event.DeepClone()));
        try
        {
            return ValueTask.FromResult(handler((JsonObject)invocation.Event.DeepClone()));
        }
        catch (ScriptedFunctionError e)
        {
            throw CognitoErrors.UserLambdaValidation(invocation.TriggerName, e.Message);
        }
    }

    sealed class ScriptedFunctionError(string message) : Exception(message);
}
