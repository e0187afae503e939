using System.Text.Json.Nodes;
using Cognate.Core.Pools;
using Cognate.Core.Users;

namespace Cognate.Core.Triggers;

public sealed partial class UserPoolTriggers
{
    /// <summary>triggerSource of the pre authentication trigger.</summary>
    public const string PreAuthenticationSource = "PreAuthentication_Authentication";

    /// <summary>
    /// PreAuthentication (AWS guide "Pre authentication Lambda trigger"): runs before the password / SRP / first-factor check of a
    /// sign-in. Request: <c>userAttributes</c> (empty for an unknown user), <c>validationData</c> (the InitiateAuth /
    /// AdminInitiateAuth <c>ClientMetadata</c>: the API reference says that call's ClientMetadata reaches PreAuthentication as
    /// <c>validationData</c>), and <c>userNotFound</c> only when the client has PreventUserExistenceErrors ENABLED. The answer's
    /// <c>response</c> is not read: throwing denies the sign-in.
    /// </summary>
    /// <param name="pool">The pool (its LambdaConfig decides whether anything runs).</param>
    /// <param name="clientId">The app client signing in.</param>
    /// <param name="user">The user, or null for an unknown name (only invoked so with PreventUserExistenceErrors).</param>
    /// <param name="typedName">What the user typed: the envelope's <c>userName</c> when <paramref name="user"/> is null.</param>
    /// <param name="userNotFound">Null with LEGACY existence errors (the field is absent); otherwise whether the user is unknown.</param>
    /// <param name="validationData">The sign-in call's ClientMetadata, or null.</param>
    /// <param name="ct">Cancellation.</param>
    /// <returns>False when the pool has no PreAuthentication trigger (nothing was invoked).</returns>
    /// <exception cref="Errors.CognitoException">UserLambdaValidationException "PreAuthentication failed with error {message}.",
    /// InvalidLambdaResponseException, UnexpectedLambdaException.</exception>
    public async ValueTask<bool> PreAuthenticationAsync(UserPool pool, string clientId, User? user, string typedName, bool? userNotFound,
        IReadOnlyDictionary<string, string>? validationData, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (!Has(pool, TriggerNames.PreAuthentication)) return false;
        var request = new JsonObject
        {
            ["userAttributes"] = user is null ? new JsonObject() : TriggerEvent.UserAttributes(user.Attributes, user.Status),
            ["validationData"] = TriggerEvent.Map(validationData),
        };
        if (userNotFound is { } notFound) request["userNotFound"] = notFound;
        var evt = TriggerEvent.Create(pool, PreAuthenticationSource, user?.Username ?? typedName, clientId, request);
        return await InvokeAsync(pool, TriggerNames.PreAuthentication, evt, ct).ConfigureAwait(false) is not null;
    }
}
