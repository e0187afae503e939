using System.Text.Json.Nodes;

namespace Cognate.Core.Triggers;

/// <summary>How a function is invoked: <c>X-Amz-Invocation-Type</c> of the Lambda Invoke API.</summary>
public enum LambdaInvocationType
{
    /// <summary>Synchronous: the answer (the whole event with <c>response</c> filled) is awaited and returned.</summary>
    RequestResponse,
    /// <summary>Asynchronous (custom senders): accepted by the transport, no answer read.</summary>
    Event,
}

/// <summary>One trigger call.</summary>
/// <param name="FunctionArn">The ARN from the pool's LambdaConfig, exactly as configured (may carry a version or alias).</param>
/// <param name="TriggerName">One of <see cref="TriggerNames"/>: used in the error message "{TriggerName} failed with error …".</param>
/// <param name="Event">The whole event (envelope + <c>request</c> + empty <c>response</c>), see <see cref="TriggerEvent"/>.</param>
/// <param name="Type">Synchronous or asynchronous.</param>
public sealed record LambdaInvocation(string FunctionArn, string TriggerName, JsonObject Event, LambdaInvocationType Type);

/// <summary>
/// The transport that runs a trigger's function: the AWS Lambda Invoke API (real Lambda, LocalStack, SAM local,
/// serverless-offline) or a webhook per ARN. Implementations own Cognito's invocation rules (reference §10.1): 5-second
/// timeout, up to 3 attempts on invocation failure, and the error mapping.
/// </summary>
public interface ILambdaInvoker
{
    /// <summary>Invokes the function and returns the event it answered (for <see cref="LambdaInvocationType.Event"/>: null).</summary>
    /// <returns>The returned event as a JSON object (callers read its <c>response</c>).</returns>
    /// <exception cref="Errors.CognitoException">
    /// <c>UserLambdaValidationException</c> "{TriggerName} failed with error {message}." when the function itself failed;
    /// <c>InvalidLambdaResponseException</c> when the answer is not a JSON object;
    /// <c>UnexpectedLambdaException</c> when it could not be invoked (no transport for the ARN, unreachable, timed out every attempt).
    /// </exception>
    ValueTask<JsonObject?> InvokeAsync(LambdaInvocation invocation, CancellationToken ct = default);
}
