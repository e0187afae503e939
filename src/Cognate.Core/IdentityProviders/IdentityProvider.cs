namespace Cognate.Core.IdentityProviders;

/// <summary>Cognito <c>IdentityProviderTypeType</c> values (CreateIdentityProvider's <c>ProviderType</c>).</summary>
public static class IdentityProviderTypes
{
    /// <summary>A SAML 2.0 identity provider (ADFS, Entra ID, Okta, …).</summary>
    public const string Saml = "SAML";
    /// <summary>An OpenID Connect provider.</summary>
    public const string Oidc = "OIDC";
    /// <summary>Google (OIDC with fixed endpoints; ProviderName must be <c>Google</c>).</summary>
    public const string Google = "Google";
    /// <summary>Facebook (OAuth 2.0 with the Graph API; ProviderName must be <c>Facebook</c>).</summary>
    public const string Facebook = "Facebook";
    /// <summary>Login with Amazon (ProviderName must be <c>LoginWithAmazon</c>).</summary>
    public const string LoginWithAmazon = "LoginWithAmazon";
    /// <summary>Sign in with Apple (ProviderName must be <c>SignInWithApple</c>).</summary>
    public const string SignInWithApple = "SignInWithApple";

    /// <summary>Every type Cognito accepts.</summary>
    public static readonly IReadOnlyList<string> All = [Saml, Oidc, Google, Facebook, LoginWithAmazon, SignInWithApple];

    /// <summary>True for the four social providers, whose ProviderName equals their type.</summary>
    public static bool IsSocial(string type) => type is Google or Facebook or LoginWithAmazon or SignInWithApple;

    /// <summary>True for the types whose upstream protocol is OIDC / OAuth 2.0 (all but SAML).</summary>
    public static bool IsOAuth(string type) => type != Saml;
}

/// <summary>
/// An identity provider of a pool (Cognito <c>IdentityProviderType</c>; CreateIdentityProvider … ListIdentityProviders).
/// <see cref="ProviderDetails"/> holds Cognito's keys as given and completed at create/update time:
/// <list type="bullet">
/// <item>OIDC: <c>client_id</c>, <c>client_secret</c> (optional), <c>authorize_scopes</c> (space-separated),
/// <c>attributes_request_method</c> (<c>GET</c>|<c>POST</c>), <c>oidc_issuer</c>, and — discovered from
/// <c>{oidc_issuer}/.well-known/openid-configuration</c> when not given — <c>authorize_url</c>, <c>token_url</c>,
/// <c>attributes_url</c>, <c>jwks_uri</c>; Cognito also adds <c>attributes_url_add_attributes</c>.</item>
/// <item>Google / Facebook / LoginWithAmazon / SignInWithApple: <c>client_id</c>, <c>client_secret</c> (Apple: <c>team_id</c>,
/// <c>key_id</c>, <c>private_key</c>), <c>authorize_scopes</c>, <c>api_version</c> (Facebook); Cognito adds the fixed
/// <c>authorize_url</c>, <c>token_url</c>, <c>attributes_url</c>, … (overridable in Development only).</item>
/// <item>SAML: <c>MetadataURL</c> or <c>MetadataFile</c>, <c>IDPSignout</c>, <c>IDPInit</c>, <c>EncryptedResponses</c>
/// (<c>"true"</c>/<c>"false"</c>), <c>RequestSigningAlgorithm</c> (<c>rsa-sha256</c>); Cognito adds
/// <c>SSORedirectBindingURI</c>, <c>SLORedirectBindingURI</c> (and <c>ActiveEncryptionCertificate</c> with encryption).</item>
/// </list>
/// Secrets (<c>client_secret</c>, <c>private_key</c>) are sealed at rest by the store.
/// </summary>
public sealed record IdentityProvider
{
    /// <summary>Owning pool.</summary>
    public required string UserPoolId { get; init; }
    /// <summary>Name, 1..32 characters, unique in the pool (social: equal to the type). Case as given.</summary>
    public required string ProviderName { get; init; }
    /// <summary>One of <see cref="IdentityProviderTypes"/>.</summary>
    public required string ProviderType { get; init; }
    /// <summary>Provider details by Cognito key (ordinal).</summary>
    public required IReadOnlyDictionary<string, string> ProviderDetails { get; init; }
    /// <summary>User pool attribute → provider attribute (e.g. <c>email</c> → <c>email</c>, <c>username</c> → <c>sub</c>).</summary>
    public required IReadOnlyDictionary<string, string> AttributeMapping { get; init; }
    /// <summary>Up to 50 identifiers (1..40 characters, unique in the pool) for <c>idp_identifier</c> and email-domain routing.</summary>
    public required IReadOnlyList<string> IdpIdentifiers { get; init; }
    /// <summary>Creation time, UTC.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>Last modification time, UTC.</summary>
    public required DateTimeOffset ModifiedAt { get; init; }

    /// <summary>A provider detail, or null.</summary>
    public string? Detail(string key) => ProviderDetails.TryGetValue(key, out var v) ? v : null;
}

/// <summary>Stored identity providers, keyed by (pool, provider name); identifiers unique per pool.</summary>
public interface IIdentityProviderStore
{
    /// <summary>Inserts; <see cref="IdentityProviderWriteResult.NameTaken"/> or <see cref="IdentityProviderWriteResult.IdentifierTaken"/> on a clash.</summary>
    ValueTask<IdentityProviderWriteResult> CreateAsync(IdentityProvider provider, CancellationToken ct = default);
    /// <summary>The provider by exact name, or null.</summary>
    ValueTask<IdentityProvider?> GetAsync(string userPoolId, string providerName, CancellationToken ct = default);
    /// <summary>The provider owning <paramref name="idpIdentifier"/> (exact), or null.</summary>
    ValueTask<IdentityProvider?> GetByIdentifierAsync(string userPoolId, string idpIdentifier, CancellationToken ct = default);
    /// <summary>Providers ordered by name after <paramref name="afterName"/> (exclusive), at most <paramref name="limit"/>.</summary>
    ValueTask<IReadOnlyList<IdentityProvider>> ListAsync(string userPoolId, string? afterName, int limit, CancellationToken ct = default);
    /// <summary>Replaces details, mapping, identifiers and modification time; <see cref="IdentityProviderWriteResult.NotFound"/> if missing.</summary>
    ValueTask<IdentityProviderWriteResult> UpdateAsync(IdentityProvider provider, CancellationToken ct = default);
    /// <summary>Deletes; false if missing.</summary>
    ValueTask<bool> DeleteAsync(string userPoolId, string providerName, CancellationToken ct = default);
    /// <summary>Number of providers in the pool.</summary>
    ValueTask<int> CountAsync(string userPoolId, CancellationToken ct = default);
}

/// <summary>Outcome of an identity-provider write.</summary>
public enum IdentityProviderWriteResult
{
    /// <summary>Written.</summary>
    Ok,
    /// <summary>The name exists in the pool (create).</summary>
    NameTaken,
    /// <summary>One of the IdpIdentifiers belongs to another provider of the pool.</summary>
    IdentifierTaken,
    /// <summary>The provider does not exist (update).</summary>
    NotFound,
}
