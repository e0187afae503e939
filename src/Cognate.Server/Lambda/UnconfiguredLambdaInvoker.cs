using System.Text.Json.Nodes;
using Cognate.Core.Errors;
using Cognate.Core.Triggers;

namespace Cognate.Server.Lambda;

/// <summary>
/// The transport used until Lambda invocation is configured: every trigger call fails with
/// <c>UnexpectedLambdaException</c>, as a call to a function that cannot be reached fails on Cognito.
/// </summary>
internal sealed class UnconfiguredLambdaInvoker : ILambdaInvoker
{
    /// <inheritdoc />
    public ValueTask<JsonObject?> InvokeAsync(LambdaInvocation invocation, CancellationToken ct = default) =>
        throw CognitoErrors.UnexpectedLambda($"{invocation.TriggerName} could not be invoked: no Lambda endpoint or webhook is configured for it (Cognate:Lambda).");
}
