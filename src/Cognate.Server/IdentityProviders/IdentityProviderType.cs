using Cognate.Core.IdentityProviders;

namespace Cognate.Server.IdentityProviders;

/// <summary>
/// Cognito <c>IdentityProviderType</c> (API reference <c>API_IdentityProviderType</c>): the provider as Describe returns it. Dates are
/// epoch seconds. ProviderDetails carry the keys Cognito adds (discovered OIDC endpoints, fixed social endpoints,
/// <c>attributes_url_add_attributes</c>, SAML binding URIs) and the <c>client_secret</c>; Sign in with Apple's <c>private_key</c>
/// is never returned (as Cognito's Describe response shows).
/// </summary>
internal sealed record IdentityProviderType(
    string UserPoolId, string ProviderName, string ProviderType, Dictionary<string, string> ProviderDetails,
    Dictionary<string, string> AttributeMapping, List<string> IdpIdentifiers, DateTimeOffset LastModifiedDate, DateTimeOffset CreationDate)
{
    public static IdentityProviderType From(IdentityProvider p) => new(
        p.UserPoolId, p.ProviderName, p.ProviderType,
        p.ProviderDetails.Where(kv => !(p.ProviderType == IdentityProviderTypes.SignInWithApple && kv.Key == "private_key"))
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
        p.AttributeMapping.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
        [.. p.IdpIdentifiers], p.ModifiedAt, p.CreatedAt);
}

/// <summary>Cognito <c>ProviderDescription</c> (ListIdentityProviders items): name, type and the two dates (epoch seconds).</summary>
internal sealed record ProviderDescription(string ProviderName, string ProviderType, DateTimeOffset LastModifiedDate, DateTimeOffset CreationDate)
{
    public static ProviderDescription From(IdentityProvider p) => new(p.ProviderName, p.ProviderType, p.ModifiedAt, p.CreatedAt);
}
