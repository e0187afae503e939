using System.Text.Json.Nodes;
using Cognate.Core.Errors;
using Cognate.Core.Federation;
using Cognate.Core.IdentityProviders;
using Cognate.Core.Pools;

namespace Cognate.Core.Triggers;

/// <summary>The <c>triggerSource</c> of the InboundFederation trigger (AWS guide "Inbound federation Lambda trigger").</summary>
public static class InboundFederationSources
{
    /// <summary>Every federated sign-in (OIDC, SAML and social providers).</summary>
    public const string ExternalProvider = "InboundFederation_ExternalProvider";
}

public sealed partial class UserPoolTriggers
{
    /// <summary>
    /// Runs the pool's InboundFederation function on a federated sign-in, before attribute mapping, with
    /// <c>request { providerName, providerType, attributes { tokenResponse, idToken, userInfo } | { samlResponse } }</c> and
    /// <c>response { userAttributesToMap: {} }</c>. Returns the provider attributes to map from: the function's
    /// <c>userAttributesToMap</c> (every string member; omitted attributes are dropped), or <paramref name="profile"/>'s own
    /// attributes when it answered an empty object or the pool has no such trigger.
    /// </summary>
    /// <param name="pool">The pool.</param>
    /// <param name="provider">The provider signing the user in.</param>
    /// <param name="userName">The federated username (<c>{ProviderName}_{UserId}</c>): the event's <c>userName</c>.</param>
    /// <param name="profile">What the provider said.</param>
    /// <param name="ct">Cancellation.</param>
    /// <exception cref="CognitoException">UserLambdaValidationException "InboundFederation failed with error {message}.",
    /// InvalidLambdaResponseException (<c>userAttributesToMap</c> not an object of strings), UnexpectedLambdaException.</exception>
    public async ValueTask<IReadOnlyDictionary<string, string>> InboundFederationAsync(UserPool pool, IdentityProvider provider, string userName,
        FederatedProfile profile, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(profile);
        if (!Has(pool, TriggerNames.InboundFederation)) return profile.Attributes;

        var attributes = new JsonObject();
        if (provider.ProviderType == IdentityProviderTypes.Saml)
        {
            attributes["samlResponse"] = profile.SamlResponse?.DeepClone() ?? TriggerEvent.Map(profile.Attributes);
        }
        else
        {
            attributes["tokenResponse"] = profile.TokenResponse?.DeepClone();
            attributes["idToken"] = profile.IdToken?.DeepClone();
            attributes["userInfo"] = profile.UserInfo?.DeepClone();
        }
        var request = new JsonObject
        {
            ["providerName"] = provider.ProviderName,
            ["providerType"] = provider.ProviderType,
            ["attributes"] = attributes,
        };
        var ev = CallerEvent(pool, InboundFederationSources.ExternalProvider, userName, request, withClientMetadata: false);
        ev["response"] = new JsonObject { ["userAttributesToMap"] = new JsonObject() };

        var response = await InvokeAsync(pool, TriggerNames.InboundFederation, ev, ct).ConfigureAwait(false) ?? [];
        switch (response["userAttributesToMap"])
        {
            case null:
                return profile.Attributes;
            case JsonObject map when map.Count == 0:
                return profile.Attributes;
            case JsonObject map:
                var result = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var (name, value) in map)
                {
                    if (value is not JsonValue v || !v.TryGetValue<string>(out var text))
                    {
                        throw CognitoErrors.InvalidLambdaResponse("Invalid lambda response: userAttributesToMap values must be strings.");
                    }
                    result[name] = text;
                }
                return result;
            default:
                throw CognitoErrors.InvalidLambdaResponse("Invalid lambda response: userAttributesToMap must be an object.");
        }
    }
}
