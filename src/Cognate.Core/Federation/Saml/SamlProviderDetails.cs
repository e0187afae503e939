using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Cognate.Core.Errors;
using Cognate.Core.IdentityProviders;
using Cognate.Core.Pools;

namespace Cognate.Core.Federation.Saml;

/// <summary>Cognito's SAML <c>ProviderDetails</c> keys.</summary>
public static class SamlDetails
{
    /// <summary>URL of the IdP metadata (fetched at create/update and re-read at sign-in).</summary>
    public const string MetadataUrl = "MetadataURL";
    /// <summary>The IdP metadata document itself.</summary>
    public const string MetadataFile = "MetadataFile";
    /// <summary><c>"true"</c>: /logout signs the user out of the IdP too (SAML single logout).</summary>
    public const string IdpSignout = "IDPSignout";
    /// <summary><c>"true"</c>: IdP-initiated sign-in is accepted.</summary>
    public const string IdpInit = "IDPInit";
    /// <summary><c>"true"</c>: assertions must be encrypted with the pool's encryption certificate.</summary>
    public const string EncryptedResponses = "EncryptedResponses";
    /// <summary><c>rsa-sha256</c>: AuthnRequests are signed.</summary>
    public const string RequestSigningAlgorithm = "RequestSigningAlgorithm";
    /// <summary>Added by Cognito: SingleSignOnService (HTTP-Redirect).</summary>
    public const string SsoRedirectBindingUri = "SSORedirectBindingURI";
    /// <summary>Added by Cognito: SingleLogoutService (HTTP-Redirect).</summary>
    public const string SloRedirectBindingUri = "SLORedirectBindingURI";
    /// <summary>Added by Cognito with EncryptedResponses: the pool's encryption certificate (base64 DER).</summary>
    public const string ActiveEncryptionCertificate = "ActiveEncryptionCertificate";

    /// <summary>True when the detail is the string <c>"true"</c> (case-insensitive).</summary>
    public static bool Flag(IReadOnlyDictionary<string, string> details, string key) =>
        details.TryGetValue(key, out var v) && string.Equals(v, "true", StringComparison.OrdinalIgnoreCase);
}

/// <summary>Fetches a metadata document from a <c>MetadataURL</c> (the server's HTTP client, with its scheme and size rules).</summary>
public interface ISamlMetadataFetcher
{
    /// <summary>The document at <paramref name="url"/>.</summary>
    /// <exception cref="SamlException">The URL is not allowed, unreachable, or answers too much.</exception>
    ValueTask<string> FetchAsync(string url, CancellationToken ct);
}

/// <summary>
/// The parsed metadata of a SAML provider at sign-in: <c>MetadataFile</c> parsed once per content, <c>MetadataURL</c> fetched and
/// kept <see cref="UrlLifetime"/> (an IdP's certificate rollover reaches Cognate within that time).
/// </summary>
public sealed class SamlMetadataSource(ISamlMetadataFetcher fetcher, TimeProvider time)
{
    /// <summary>How long a fetched metadata document is reused.</summary>
    public static readonly TimeSpan UrlLifetime = TimeSpan.FromMinutes(15);

    readonly ConcurrentDictionary<string, (SamlMetadata Metadata, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    /// <summary>The provider's metadata.</summary>
    /// <exception cref="SamlException">Missing, unreachable or invalid.</exception>
    public async ValueTask<SamlMetadata> GetAsync(IdentityProvider provider, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(provider);
        var now = time.GetUtcNow();
        if (provider.Detail(SamlDetails.MetadataFile) is { Length: > 0 } file)
        {
            var key = "file:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(file)));
            if (_cache.TryGetValue(key, out var hit)) return hit.Metadata;
            var parsed = SamlMetadata.Parse(file, now, requireUnexpired: false);
            _cache[key] = (parsed, DateTimeOffset.MaxValue);
            return parsed;
        }
        if (provider.Detail(SamlDetails.MetadataUrl) is { Length: > 0 } url)
        {
            var key = "url:" + url;
            if (_cache.TryGetValue(key, out var hit) && hit.Until > now) return hit.Metadata;
            var parsed = SamlMetadata.Parse(await fetcher.FetchAsync(url, ct).ConfigureAwait(false), now, requireUnexpired: false);
            _cache[key] = (parsed, now + UrlLifetime);
            return parsed;
        }
        throw new SamlException("The identity provider has no metadata.");
    }

    /// <summary>Forgets a cached URL (after UpdateIdentityProvider).</summary>
    public void Forget(string url) => _cache.TryRemove("url:" + url, out _);
}

/// <summary>
/// Completes SAML <c>ProviderDetails</c> at CreateIdentityProvider / UpdateIdentityProvider (AWS guide "Adding SAML identity
/// providers to a user pool"): exactly one of MetadataFile / MetadataURL, parsed (URLs fetched) into <c>SSORedirectBindingURI</c>
/// and <c>SLORedirectBindingURI</c>; the flags must be <c>true</c>/<c>false</c>; <c>RequestSigningAlgorithm</c> only
/// <c>rsa-sha256</c>; with <c>EncryptedResponses=true</c> the pool's encryption certificate is added as
/// <c>ActiveEncryptionCertificate</c> (created on first need).
/// </summary>
public sealed class SamlDetailsCompleter(ISamlMetadataFetcher fetcher, SamlSpKeyService keys, TimeProvider time) : IIdentityProviderDetailsCompleter
{
    /// <summary>Cognito's message when neither metadata key is given.</summary>
    public const string MissingMetadataMessage = "At least one of the MetadataURL or MetadataFile should be provided.";

    static readonly string[] Flags = [SamlDetails.IdpSignout, SamlDetails.IdpInit, SamlDetails.EncryptedResponses];

    /// <inheritdoc />
    public bool Handles(string providerType) => providerType == IdentityProviderTypes.Saml;

    /// <inheritdoc />
    public async ValueTask<IReadOnlyDictionary<string, string>> CompleteAsync(UserPool pool, string providerType, IReadOnlyDictionary<string, string> details, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(details);
        var file = details.GetValueOrDefault(SamlDetails.MetadataFile);
        var url = details.GetValueOrDefault(SamlDetails.MetadataUrl);
        if (string.IsNullOrEmpty(file) && string.IsNullOrEmpty(url)) throw CognitoErrors.InvalidParameter(MissingMetadataMessage);
        if (!string.IsNullOrEmpty(file) && !string.IsNullOrEmpty(url)) throw CognitoErrors.InvalidParameter("Only one of the MetadataURL or MetadataFile should be provided.");
        foreach (var flag in Flags)
        {
            if (details.TryGetValue(flag, out var v) && !string.Equals(v, "true", StringComparison.OrdinalIgnoreCase) && !string.Equals(v, "false", StringComparison.OrdinalIgnoreCase))
            {
                throw CognitoErrors.InvalidParameter($"{flag} must be true or false.");
            }
        }
        if (details.TryGetValue(SamlDetails.RequestSigningAlgorithm, out var alg) && alg != "rsa-sha256")
        {
            throw CognitoErrors.InvalidParameter("RequestSigningAlgorithm must be rsa-sha256.");
        }

        SamlMetadata metadata;
        try
        {
            var document = string.IsNullOrEmpty(file) ? await fetcher.FetchAsync(url!, ct).ConfigureAwait(false) : file;
            metadata = SamlMetadata.Parse(document, time.GetUtcNow());
        }
        catch (SamlException e)
        {
            throw CognitoErrors.InvalidParameter((string.IsNullOrEmpty(file) ? "Unable to use the metadata at MetadataURL: " : "Invalid MetadataFile: ") + e.Message);
        }

        var completed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in details)
        {
            if (k is SamlDetails.SsoRedirectBindingUri or SamlDetails.SloRedirectBindingUri or SamlDetails.ActiveEncryptionCertificate) continue;
            completed[k] = v;
        }
        completed[SamlDetails.SsoRedirectBindingUri] = metadata.SsoRedirect!;
        if (metadata.SloRedirect is not null) completed[SamlDetails.SloRedirectBindingUri] = metadata.SloRedirect;
        if (SamlDetails.Flag(details, SamlDetails.EncryptedResponses))
        {
            completed[SamlDetails.ActiveEncryptionCertificate] = (await keys.GetOrCreateAsync(pool.Id, SamlSpKeyUses.Encryption, ct).ConfigureAwait(false)).CertificateBase64;
        }
        return completed;
    }
}
