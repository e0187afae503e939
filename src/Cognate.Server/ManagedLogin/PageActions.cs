using System.Text.Json;
using System.Text.Json.Nodes;
using Cognate.Core.Errors;
using Cognate.Server.Options;
using Cognate.Server.Protocol;
using Cognate.Server.RateLimiting;
using Microsoft.Extensions.Options;

namespace Cognate.Server.ManagedLogin;

/// <summary>
/// Runs a Cognito action for a page exactly as the JSON endpoint runs it for an unsigned caller (SignUp, ConfirmSignUp,
/// ResendConfirmationCode, ForgotPassword, ConfirmForgotPassword, AssociateSoftwareToken, VerifySoftwareToken): the service
/// model's validation, the request quotas of the action's category and the per-IP budget (<see cref="RequestQuotas"/>),
/// then the action's own handler — so a page has the same validation, messages and limits as the API.
/// </summary>
internal static class PageActions
{
    /// <summary>Invokes <paramref name="action"/> with <paramref name="body"/>; returns the response as JSON.</summary>
    /// <exception cref="CognitoException">Whatever the action answers (InvalidPasswordException, CodeMismatchException,
    /// TooManyRequestsException, …).</exception>
    public static async ValueTask<JsonElement> InvokeAsync(HttpContext http, string action, JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var services = http.RequestServices;
        var model = services.GetRequiredService<ServiceModel>();
        var op = model.Operations[action];
        var element = JsonSerializer.SerializeToElement(body, CognitoJson.Options);
        if (op.InputShape is not null) RequestValidator.Validate(model, op.InputShape, element);
        await services.GetRequiredService<RequestQuotas>().CheckAsync(http, action, signed: false, element);
        if (!services.GetRequiredService<ActionRegistry>().Handlers.TryGetValue(action, out var handler))
        {
            throw CognitoErrors.UnsupportedOperation($"{action} is not supported by Cognate.");
        }
        var ctx = new ActionContext
        {
            Http = http,
            Action = action,
            Region = services.GetRequiredService<IOptions<CognateOptions>>().Value.Region,
            Signed = false,
            RequestId = Guid.NewGuid().ToString(),
        };
        Lambda.TriggerCallers.Enter(http, action, element);
        var result = await handler(ctx, element);
        return JsonSerializer.SerializeToElement(result, result.GetType(), CognitoJson.Options);
    }

    /// <summary>
    /// Applies the request quotas of a sign-in step (<c>InitiateAuth</c> or <c>RespondToAuthChallenge</c>: Cognito's
    /// UserAuthentication category and the per-IP budget) before the page calls the sign-in engine.
    /// </summary>
    /// <exception cref="CognitoException">TooManyRequestsException.</exception>
    /// <remarks>It also enters the step's trigger caller context (<see cref="Lambda.TriggerCallers"/>): the client id of the
    /// page, for the triggers the sign-in engine fires (a CustomMessage_Authentication code, …).</remarks>
    public static ValueTask CheckQuotaAsync(HttpContext http, string action, string clientId)
    {
        var element = JsonSerializer.SerializeToElement(new JsonObject { ["ClientId"] = clientId }, CognitoJson.Options);
        Lambda.TriggerCallers.Enter(http, action, element);
        return http.RequestServices.GetRequiredService<RequestQuotas>().CheckAsync(http, action, signed: false, element);
    }

    /// <summary>The masked <c>CodeDeliveryDetails.Destination</c> of an action's response (SignUp, ForgotPassword,
    /// ResendConfirmationCode), or null.</summary>
    public static string? DeliveryDestination(JsonElement response) =>
        response.ValueKind == JsonValueKind.Object && response.TryGetProperty("CodeDeliveryDetails", out var details) && details.ValueKind == JsonValueKind.Object
            ? String(details, "Destination") : null;

    /// <summary>A string member of an action's response, or null.</summary>
    public static string? String(JsonElement response, string name) =>
        response.ValueKind == JsonValueKind.Object && response.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
