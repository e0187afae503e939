using System.Text.Json.Nodes;
using Cognate.Core.Errors;
using Cognate.Core.Pools;

namespace Cognate.Core.Triggers;

/// <summary>
/// Runs a pool's Lambda triggers (reference §10): finds the function in the pool's LambdaConfig, builds the event, invokes it
/// through <see cref="ILambdaInvoker"/> and hands back the <c>response</c> the function filled. A pool without the trigger
/// costs one dictionary lookup and no allocation beyond it. Per pool, per trigger: nothing here is global.
/// </summary>
/// <remarks>
/// This file is the shared core; each trigger's typed entry point (event <c>request</c> shape, validation of the answer) lives in
/// its own partial file <c>UserPoolTriggers.{Trigger}.cs</c>. Rules every caller keeps: never invoke a trigger while a database
/// transaction is open, and validate the answer before writing anything (a failed trigger leaves nothing half-done).
/// </remarks>
public sealed partial class UserPoolTriggers(ILambdaInvoker invoker)
{
    /// <summary>True when the pool has a function for <paramref name="trigger"/> (one of <see cref="TriggerNames"/>).</summary>
    public static bool Has(UserPool pool, string trigger) => LambdaConfigReader.FunctionFor(pool, trigger) is not null;

    /// <summary>
    /// Invokes the pool's <paramref name="trigger"/> synchronously with <paramref name="triggerEvent"/> (built by
    /// <see cref="TriggerEvent.Create"/>) and returns the answered <c>response</c> object (empty when the function left it null),
    /// or null when the pool has no such trigger.
    /// </summary>
    /// <exception cref="CognitoException">UserLambdaValidationException, InvalidLambdaResponseException (the answer is not an
    /// object or its <c>response</c> is not an object), UnexpectedLambdaException.</exception>
    public async ValueTask<JsonObject?> InvokeAsync(UserPool pool, string trigger, JsonObject triggerEvent, CancellationToken ct = default)
    {
        var arn = LambdaConfigReader.FunctionFor(pool, trigger);
        if (arn is null) return null;
        var answer = await invoker.InvokeAsync(new LambdaInvocation(arn, trigger, triggerEvent, LambdaInvocationType.RequestResponse), ct).ConfigureAwait(false)
            ?? throw CognitoErrors.InvalidLambdaResponse("Unrecognizable lambda output");
        return answer["response"] switch
        {
            null => [],
            JsonObject response => response,
            _ => throw CognitoErrors.InvalidLambdaResponse("Unrecognizable lambda output"),
        };
    }

    /// <summary>Invokes the pool's <paramref name="trigger"/> asynchronously (custom senders); false when the pool has none.</summary>
    /// <exception cref="CognitoException">UnexpectedLambdaException when the transport refuses the call.</exception>
    public async ValueTask<bool> InvokeEventAsync(UserPool pool, string trigger, JsonObject triggerEvent, CancellationToken ct = default)
    {
        var arn = LambdaConfigReader.FunctionFor(pool, trigger);
        if (arn is null) return false;
        await invoker.InvokeAsync(new LambdaInvocation(arn, trigger, triggerEvent, LambdaInvocationType.Event), ct).ConfigureAwait(false);
        return true;
    }
}
