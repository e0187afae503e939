using Cognate.Core.IdentityProviders;
using Cognate.Core.Pools;
using Cognate.Server.Options;
using Microsoft.Extensions.Options;

namespace Cognate.Server.IdentityProviders;

/// <summary>
/// Completes Google, Facebook, Login with Amazon and Sign in with Apple providers with the fixed endpoints Cognito adds (the
/// "Describe response" examples of <c>ProviderDetails</c> in the CreateIdentityProvider API reference): <c>authorize_url</c>,
/// <c>token_url</c>, <c>token_request_method</c>, <c>attributes_url</c>, <c>attributes_url_add_attributes</c> and (Google, Apple)
/// <c>oidc_issuer</c>; Facebook's URLs carry its <c>api_version</c> when given. Values a caller sent for those keys are replaced.
/// In Development, <c>Cognate:Federation:Endpoints:{ProviderType}:{key}</c> replaces a fixed value (and may add <c>jwks_uri</c>)
/// so tests can stand in a local provider.
/// </summary>
internal sealed class SocialDetailsCompleter(IOptions<FederationOptions> options) : IIdentityProviderDetailsCompleter
{
    public bool Handles(string providerType) => IdentityProviderTypes.IsSocial(providerType);

    public ValueTask<IReadOnlyDictionary<string, string>> CompleteAsync(UserPool pool, string providerType, IReadOnlyDictionary<string, string> details, CancellationToken ct)
    {
        var result = new Dictionary<string, string>(details, StringComparer.Ordinal);
        foreach (var key in IdentityProviderService.OAuthComputedKeys) result.Remove(key);
        foreach (var (key, value) in Fixed(providerType, details.GetValueOrDefault("api_version"))) result[key] = value;
        foreach (var key in FederationOptions.EndpointKeys)
        {
            if (options.Value.Endpoint(providerType, key) is { } overridden) result[key] = overridden;
        }
        return ValueTask.FromResult<IReadOnlyDictionary<string, string>>(result);
    }

    /// <summary>The keys Cognito adds for <paramref name="providerType"/>.</summary>
    public static IReadOnlyDictionary<string, string> Fixed(string providerType, string? facebookApiVersion = null)
    {
        switch (providerType)
        {
            case IdentityProviderTypes.Google:
                return new Dictionary<string, string>
                {
                    ["attributes_url"] = "https://people.googleapis.com/v1/people/me?personFields=",
                    ["attributes_url_add_attributes"] = "true",
                    ["authorize_url"] = "https://accounts.google.com/o/oauth2/v2/auth",
                    ["oidc_issuer"] = "https://accounts.google.com",
                    ["token_request_method"] = "POST",
                    ["token_url"] = "https://www.googleapis.com/oauth2/v4/token",
                };
            case IdentityProviderTypes.Facebook:
                var v = string.IsNullOrEmpty(facebookApiVersion) ? "" : facebookApiVersion + "/";
                return new Dictionary<string, string>
                {
                    ["attributes_url"] = $"https://graph.facebook.com/{v}me?fields=",
                    ["attributes_url_add_attributes"] = "true",
                    ["authorize_url"] = $"https://www.facebook.com/{v}dialog/oauth",
                    ["token_request_method"] = "GET",
                    ["token_url"] = $"https://graph.facebook.com/{v}oauth/access_token",
                };
            case IdentityProviderTypes.LoginWithAmazon:
                return new Dictionary<string, string>
                {
                    ["attributes_url"] = "https://api.amazon.com/user/profile",
                    ["attributes_url_add_attributes"] = "false",
                    ["authorize_url"] = "https://www.amazon.com/ap/oa",
                    ["token_request_method"] = "POST",
                    ["token_url"] = "https://api.amazon.com/auth/o2/token",
                };
            case IdentityProviderTypes.SignInWithApple:
                return new Dictionary<string, string>
                {
                    ["attributes_url_add_attributes"] = "false",
                    ["authorize_url"] = "https://appleid.apple.com/auth/authorize",
                    ["oidc_issuer"] = "https://appleid.apple.com",
                    ["token_request_method"] = "POST",
                    ["token_url"] = "https://appleid.apple.com/auth/token",
                };
            default:
                return new Dictionary<string, string>();
        }
    }
}
