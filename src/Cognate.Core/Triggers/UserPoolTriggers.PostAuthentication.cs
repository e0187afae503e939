using System.Text.Json.Nodes;
using Cognate.Core.Pools;
using Cognate.Core.Users;

namespace Cognate.Core.Triggers;

public sealed partial class UserPoolTriggers
{
    /// <summary>triggerSource of the post authentication trigger.</summary>
    public const string PostAuthenticationSource = "PostAuthentication_Authentication";

    /// <summary>
    /// PostAuthentication (AWS guide "Post authentication Lambda trigger"): runs once a sign-in has succeeded (after MFA), before
    /// tokens are issued. Request: <c>newDeviceUsed</c> (always false: device tracking is not built), <c>userAttributes</c>, and
    /// <c>clientMetadata</c> when the sign-in completes in RespondToAuthChallenge / AdminRespondToAuthChallenge (the API
    /// reference: InitiateAuth's ClientMetadata is not given to this trigger). The answer's <c>response</c> is not read;
    /// throwing denies the sign-in (no tokens).
    /// </summary>
    /// <param name="pool">The pool.</param>
    /// <param name="clientId">The app client signing in.</param>
    /// <param name="user">The signed-in user.</param>
    /// <param name="clientMetadata">The completing challenge response's ClientMetadata (an empty map when none was sent), or null
    /// to leave the field out (the sign-in completed in InitiateAuth or on the managed-login pages).</param>
    /// <param name="ct">Cancellation.</param>
    /// <returns>False when the pool has no PostAuthentication trigger.</returns>
    /// <exception cref="Errors.CognitoException">UserLambdaValidationException "PostAuthentication failed with error {message}.",
    /// InvalidLambdaResponseException, UnexpectedLambdaException.</exception>
    public async ValueTask<bool> PostAuthenticationAsync(UserPool pool, string clientId, User user, IReadOnlyDictionary<string, string>? clientMetadata,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(user);
        if (!Has(pool, TriggerNames.PostAuthentication)) return false;
        var request = new JsonObject
        {
            ["newDeviceUsed"] = false,
            ["userAttributes"] = TriggerEvent.UserAttributes(user.Attributes, user.Status),
        };
        if (clientMetadata is not null) request["clientMetadata"] = TriggerEvent.Map(clientMetadata);
        var evt = TriggerEvent.Create(pool, PostAuthenticationSource, user.Username, clientId, request);
        return await InvokeAsync(pool, TriggerNames.PostAuthentication, evt, ct).ConfigureAwait(false) is not null;
    }
}
