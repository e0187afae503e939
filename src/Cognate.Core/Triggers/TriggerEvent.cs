using System.Text.Json.Nodes;
using Cognate.Core.Pools;

namespace Cognate.Core.Triggers;

/// <summary>
/// Builds the common envelope every trigger receives (reference §10.1):
/// <c>{ version, triggerSource, region, userPoolId, userName, callerContext: { awsSdkVersion, clientId }, request, response: {} }</c>.
/// </summary>
public static class TriggerEvent
{
    /// <summary><c>callerContext.clientId</c> of admin operations without an app client (AdminCreateUser, AdminConfirmSignUp, …).</summary>
    public const string ClientIdNotApplicable = "CLIENT_ID_NOT_APPLICABLE";
    /// <summary><c>callerContext.awsSdkVersion</c> when the caller's SDK is unknown.</summary>
    public const string UnknownSdk = "aws-sdk-unknown-unknown";

    /// <summary>The envelope with <paramref name="request"/> and an empty <c>response</c>.</summary>
    /// <param name="pool">The pool (its id and region).</param>
    /// <param name="triggerSource">e.g. <c>PreSignUp_SignUp</c> (reference §10.2).</param>
    /// <param name="userName">The internal username (UserMigration: what the user typed).</param>
    /// <param name="clientId">The app client id, or null for <see cref="ClientIdNotApplicable"/>.</param>
    /// <param name="request">The trigger's <c>request</c> object (owned by the event afterwards).</param>
    /// <param name="version"><c>"1"</c> for every classic trigger; <c>"2"</c> for PreTokenGeneration V2/V3.</param>
    /// <param name="awsSdkVersion">From the caller's User-Agent when known, else <see cref="UnknownSdk"/>.</param>
    public static JsonObject Create(UserPool pool, string triggerSource, string userName, string? clientId, JsonObject request,
        string version = "1", string? awsSdkVersion = null)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return new JsonObject
        {
            ["version"] = version,
            ["triggerSource"] = triggerSource,
            ["region"] = pool.Region,
            ["userPoolId"] = pool.Id,
            ["userName"] = userName,
            ["callerContext"] = new JsonObject
            {
                ["awsSdkVersion"] = awsSdkVersion ?? UnknownSdk,
                ["clientId"] = clientId ?? ClientIdNotApplicable,
            },
            ["request"] = request,
            ["response"] = new JsonObject(),
        };
    }

    /// <summary><c>request.userAttributes</c>: every attribute as a string plus <c>cognito:user_status</c> (reference §10.1).</summary>
    public static JsonObject UserAttributes(IReadOnlyDictionary<string, string> attributes, string? userStatus)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        var o = new JsonObject();
        foreach (var (k, v) in attributes) o[k] = v;
        if (userStatus is not null) o["cognito:user_status"] = userStatus;
        return o;
    }

    /// <summary>A string map (ClientMetadata, ValidationData) as a JSON object; null or empty → an empty object.</summary>
    public static JsonObject Map(IReadOnlyDictionary<string, string>? values)
    {
        var o = new JsonObject();
        if (values is null) return o;
        foreach (var (k, v) in values) o[k] = v;
        return o;
    }
}
