using Cognate.Core.IdentityProviders;
using Microsoft.Extensions.Options;

namespace Cognate.Server.Options;

/// <summary>
/// <c>Cognate:Federation:*</c>: how identity providers' ProviderDetails are completed at CreateIdentityProvider / UpdateIdentityProvider.
/// <see cref="Endpoints"/> replaces the fixed endpoints of the social providers (Development only, so tests can stand in a local
/// provider for Google, Facebook, Login with Amazon or Sign in with Apple): <c>Cognate:Federation:Endpoints:{ProviderType}:{key}</c>
/// with key <c>authorize_url</c>, <c>token_url</c>, <c>attributes_url</c>, <c>jwks_uri</c> or <c>oidc_issuer</c>.
/// </summary>
public sealed class FederationOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Cognate:Federation";

    /// <summary>The keys <see cref="Endpoints"/> may set per provider type.</summary>
    public static readonly IReadOnlyList<string> EndpointKeys = ["authorize_url", "token_url", "attributes_url", "jwks_uri", "oidc_issuer"];

    /// <summary>Provider type (Google, Facebook, LoginWithAmazon, SignInWithApple) → ProviderDetails key → absolute http(s) URL. Development only.</summary>
    public Dictionary<string, Dictionary<string, string>> Endpoints { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Seconds an OIDC discovery request (<c>{oidc_issuer}/.well-known/openid-configuration</c>) may take (1..60, default 10).</summary>
    public int DiscoveryTimeoutSeconds { get; set; } = 10;

    /// <summary>The override of <paramref name="key"/> for <paramref name="providerType"/>, or null.</summary>
    public string? Endpoint(string providerType, string key)
    {
        foreach (var (type, keys) in Endpoints)
        {
            if (!string.Equals(type, providerType, StringComparison.OrdinalIgnoreCase)) continue;
            foreach (var (k, v) in keys)
            {
                if (string.Equals(k, key, StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(v)) return v.Trim();
            }
        }
        return null;
    }
}

/// <summary>
/// Startup checks of <see cref="FederationOptions"/>: endpoint overrides only in Development, only for the four social types and the
/// keys of <see cref="FederationOptions.EndpointKeys"/>, each an absolute http(s) URL; the discovery timeout 1..60 s. Each failure
/// names the setting.
/// </summary>
/// <param name="development">True when the host environment is <c>Development</c>.</param>
internal sealed class FederationOptionsValidator(bool development) : IValidateOptions<FederationOptions>
{
    public ValidateOptionsResult Validate(string? name, FederationOptions options)
    {
        var failures = new List<string>();
        if (options.DiscoveryTimeoutSeconds is < 1 or > 60)
        {
            failures.Add($"{FederationOptions.Section}:DiscoveryTimeoutSeconds must be between 1 and 60.");
        }
        foreach (var (type, keys) in options.Endpoints)
        {
            var social = IdentityProviderTypes.All.FirstOrDefault(t => IdentityProviderTypes.IsSocial(t) && string.Equals(t, type, StringComparison.OrdinalIgnoreCase));
            if (!development)
            {
                failures.Add($"{FederationOptions.Section}:Endpoints:{type} is allowed only in the Development environment (it replaces a social provider's endpoints with a stand-in): remove it.");
                continue;
            }
            if (social is null)
            {
                failures.Add($"{FederationOptions.Section}:Endpoints:{type}: unknown provider type; use Google, Facebook, LoginWithAmazon or SignInWithApple.");
                continue;
            }
            foreach (var (key, value) in keys)
            {
                if (!FederationOptions.EndpointKeys.Contains(key, StringComparer.OrdinalIgnoreCase))
                {
                    failures.Add($"{FederationOptions.Section}:Endpoints:{type}:{key}: unknown key; use {string.Join(", ", FederationOptions.EndpointKeys)}.");
                }
                else if (!Uri.TryCreate(value?.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
                {
                    failures.Add($"{FederationOptions.Section}:Endpoints:{type}:{key} must be an absolute http(s) URL, e.g. http://127.0.0.1:4000/authorize.");
                }
            }
        }
        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
