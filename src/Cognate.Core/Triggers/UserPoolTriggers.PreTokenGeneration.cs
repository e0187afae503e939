using System.Text.Json.Nodes;
using Cognate.Core.Groups;
using Cognate.Core.Pools;
using Cognate.Core.Users;

namespace Cognate.Core.Triggers;

/// <summary>What Cognito would write into the tokens, as the PreTokenGeneration event presents it.</summary>
/// <param name="Generation">The trigger source and ClientMetadata.</param>
/// <param name="ClientId">The app client the tokens are for (<c>callerContext.clientId</c>).</param>
/// <param name="User">The user, or null for a client_credentials token (V3).</param>
/// <param name="Groups">The user's group claims (<c>request.groupConfiguration</c>).</param>
/// <param name="Scopes">The scopes the access token is being granted (<c>request.scopes</c>, V2/V3).</param>
public sealed record PreTokenGenerationInput(TokenGeneration Generation, string ClientId, User? User, GroupClaims Groups, IReadOnlyList<string> Scopes);

public sealed partial class UserPoolTriggers
{
    /// <summary>
    /// Runs the pool's PreTokenGeneration function, if any (AWS developer guide "Pre token generation Lambda trigger"; reference §10.4),
    /// and returns its validated changes. The event's <c>version</c> follows the pool's <c>PreTokenGenerationConfig.LambdaVersion</c>:
    /// <c>"1"</c> (V1_0, the default and the legacy <c>PreTokenGeneration</c> key), <c>"2"</c> (V2_0, adds <c>scopes</c>) or <c>"3"</c>
    /// (V3_0, identical to V2 and also sent for client_credentials tokens).
    /// </summary>
    /// <param name="pool">The pool.</param>
    /// <param name="input">The tokens about to be minted.</param>
    /// <param name="ct">Cancellation.</param>
    /// <returns>The changes, or null when the pool has no function for this token (none configured; client_credentials below V3_0).</returns>
    /// <exception cref="Errors.CognitoException">UserLambdaValidationException (the function failed), InvalidLambdaResponseException
    /// (malformed answer), UnexpectedLambdaException (could not be invoked).</exception>
    public async ValueTask<TokenCustomization?> PreTokenGenerationAsync(UserPool pool, PreTokenGenerationInput input, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(input);
        if (!Has(pool, TriggerNames.PreTokenGeneration)) return null;
        int version = PreTokenGenerationVersion(pool);
        bool machine = input.Generation.TriggerSource == TokenGenerationSources.ClientCredentials;
        if (machine && version < 3) return null; // V1_0 and V2_0 apply to user authentication only
        var response = await InvokeAsync(pool, TriggerNames.PreTokenGeneration, PreTokenGenerationEvent(pool, input, version), ct).ConfigureAwait(false);
        return response is null ? null : TokenCustomization.Parse(response, version);
    }

    /// <summary>The event version of the pool's PreTokenGeneration configuration: 1, 2 or 3.</summary>
    public static int PreTokenGenerationVersion(UserPool pool) => LambdaConfigReader.PreTokenGenerationVersion(pool) switch
    {
        "V3_0" => 3,
        "V2_0" => 2,
        _ => 1,
    };

    /// <summary>
    /// The PreTokenGeneration event: the common envelope with <c>request</c> =
    /// <c>{ userAttributes, groupConfiguration: { groupsToOverride, iamRolesToOverride, preferredRole }, clientMetadata?, scopes (V2/V3) }</c>.
    /// A client_credentials event has no user: <c>userName</c> is the client id and <c>userAttributes</c> is empty.
    /// </summary>
    public static JsonObject PreTokenGenerationEvent(UserPool pool, PreTokenGenerationInput input, int version)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(input);
        var request = new JsonObject
        {
            ["userAttributes"] = input.User is { } user ? TriggerEvent.UserAttributes(user.Attributes, user.Status) : new JsonObject(),
            ["groupConfiguration"] = new JsonObject
            {
                ["groupsToOverride"] = Array(input.Groups.Groups),
                ["iamRolesToOverride"] = Array(input.Groups.Roles),
                ["preferredRole"] = input.Groups.PreferredRole,
            },
        };
        if (input.Generation.ClientMetadata is { Count: > 0 } metadata) request["clientMetadata"] = TriggerEvent.Map(metadata);
        if (version >= 2) request["scopes"] = Array(input.Scopes);
        return TriggerEvent.Create(pool, input.Generation.TriggerSource, input.User?.Username ?? input.ClientId, input.ClientId, request,
            version.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    static JsonArray Array(IReadOnlyList<string> values)
    {
        var a = new JsonArray();
        foreach (var v in values) a.Add(v);
        return a;
    }
}
