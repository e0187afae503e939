using System.Text.RegularExpressions;
using Cognate.Core.Errors;
using Cognate.Core.Pools;
using Cognate.Core.Stores;

namespace Cognate.Core.IdentityProviders;

/// <summary>
/// CreateIdentityProvider, DescribeIdentityProvider, UpdateIdentityProvider, DeleteIdentityProvider, ListIdentityProviders and
/// GetIdentityProviderByIdentifier (API reference pages of those names, <c>API_IdentityProviderType</c>; developer guide "Adding
/// user pool sign-in through a third party", "Specifying identity provider attribute mappings"). Checks names, ProviderDetails per
/// type, AttributeMapping and IdpIdentifiers, lets the registered <see cref="IIdentityProviderDetailsCompleter"/> fill the keys
/// Cognito adds, and stores through <see cref="IIdentityProviderStore"/>. Quota: 300 providers per pool.
/// </summary>
/// <remarks>
/// Wordings marked "observed" come from real Cognito (CloudTrail, client logs quoted in public issues); the others are Cognate's
/// and may differ from Cognito's text (the error <c>__type</c> is always Cognito's).
/// </remarks>
public sealed partial class IdentityProviderService(
    IIdentityProviderStore providers,
    IAppClientStore clients,
    TimeProvider time,
    IEnumerable<IIdentityProviderDetailsCompleter>? completers = null)
{
    /// <summary>Identity providers per pool (Cognito quota).</summary>
    public const int MaxPerPool = 300;
    /// <summary>Largest ListIdentityProviders page (ListProvidersLimitType max) and the default.</summary>
    public const int MaxPageSize = 60;
    /// <summary>IdpIdentifiers per provider (IdpIdentifiersListType max).</summary>
    public const int MaxIdentifiers = 50;

    readonly IIdentityProviderDetailsCompleter[] _completers = completers?.ToArray() ?? [];

    // ProviderNameTypeV2 (CreateIdentityProvider), IdpIdentifierType: botocore's patterns, whole value.
    [GeneratedRegex(@"^[^_\p{Z}][\p{L}\p{M}\p{S}\p{N}\p{P}][^_\p{Z}]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ProviderNamePattern();
    [GeneratedRegex(@"^[\w\s+=.@-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierPattern();

    /// <summary>Keys Cognito sets itself and returns from Describe (accepted in requests, replaced by the completers).</summary>
    public static readonly IReadOnlySet<string> OAuthComputedKeys = new HashSet<string>(StringComparer.Ordinal)
    {
        "authorize_url", "token_url", "attributes_url", "jwks_uri", "attributes_url_add_attributes", "token_request_method", "oidc_issuer",
    };

    static readonly string[] SamlBooleanKeys = ["IDPSignout", "IDPInit", "EncryptedResponses"];
    static readonly HashSet<string> SamlKeys = new(StringComparer.Ordinal)
    {
        "MetadataURL", "MetadataFile", "IDPSignout", "IDPInit", "EncryptedResponses", "RequestSigningAlgorithm",
        // Read-only keys Cognito returns from Describe (clients such as Terraform send them back on update).
        "SSORedirectBindingURI", "SLORedirectBindingURI", "ActiveEncryptionCertificate",
    };
    static readonly HashSet<string> OidcKeys = new(StringComparer.Ordinal)
    {
        "client_id", "client_secret", "authorize_scopes", "attributes_request_method", "oidc_issuer",
        "authorize_url", "token_url", "attributes_url", "jwks_uri", "attributes_url_add_attributes",
    };

    static CognitoException NotFound(string name) => CognitoErrors.ResourceNotFound($"Identity provider {name} does not exist.");

    /// <summary>CreateIdentityProvider.</summary>
    /// <param name="pool">The pool.</param>
    /// <param name="providerName">1..32 characters (ProviderNameTypeV2); social types: equal to the type; never <c>COGNITO</c>.</param>
    /// <param name="providerType">One of <see cref="IdentityProviderTypes.All"/>.</param>
    /// <param name="details">ProviderDetails as given (keys per type, see <see cref="IdentityProvider"/>).</param>
    /// <param name="attributeMapping">User pool attribute → provider attribute; null: none (OIDC and social get <c>username</c> → <c>sub</c>).</param>
    /// <param name="idpIdentifiers">Up to 50 identifiers unique in the pool; null: none.</param>
    /// <param name="ct">Cancellation.</param>
    /// <exception cref="CognitoException">InvalidParameterException (name, type, details, mapping, identifiers), DuplicateProviderException
    /// (name or identifier taken), LimitExceededException (300 per pool).</exception>
    public async ValueTask<IdentityProvider> CreateAsync(UserPool pool, string providerName, string providerType,
        IReadOnlyDictionary<string, string> details, IReadOnlyDictionary<string, string>? attributeMapping, IReadOnlyList<string>? idpIdentifiers,
        CancellationToken ct = default)
    {
        CheckName(providerName, providerType);
        var identifiers = CheckIdentifiers(idpIdentifiers);
        var mapping = CheckMapping(pool, providerType, attributeMapping);
        CheckDetails(providerType, details);
        if (await providers.CountAsync(pool.Id, ct).ConfigureAwait(false) >= MaxPerPool)
        {
            throw CognitoErrors.LimitExceeded($"You have exceeded the limit of {MaxPerPool} identity providers for this user pool.");
        }
        if (await providers.GetAsync(pool.Id, providerName, ct).ConfigureAwait(false) is not null) throw Duplicate(providerName, pool.Id);
        var completed = await CompleteAsync(pool, providerType, details, ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var provider = new IdentityProvider
        {
            UserPoolId = pool.Id, ProviderName = providerName, ProviderType = providerType, ProviderDetails = completed,
            AttributeMapping = mapping, IdpIdentifiers = identifiers, CreatedAt = now, ModifiedAt = now,
        };
        switch (await providers.CreateAsync(provider, ct).ConfigureAwait(false))
        {
            case IdentityProviderWriteResult.Ok: return provider;
            case IdentityProviderWriteResult.NameTaken: throw Duplicate(providerName, pool.Id);
            case IdentityProviderWriteResult.IdentifierTaken: throw await IdentifierTakenAsync(pool.Id, providerName, identifiers, ct).ConfigureAwait(false);
            default: throw CognitoErrors.InternalError();
        }
    }

    /// <summary>DescribeIdentityProvider: the provider by exact name.</summary>
    /// <exception cref="CognitoException">ResourceNotFoundException.</exception>
    public async ValueTask<IdentityProvider> GetAsync(UserPool pool, string providerName, CancellationToken ct = default) =>
        await providers.GetAsync(pool.Id, providerName, ct).ConfigureAwait(false) ?? throw NotFound(providerName);

    /// <summary>GetIdentityProviderByIdentifier: the provider that owns <paramref name="idpIdentifier"/> (exact).</summary>
    /// <exception cref="CognitoException">ResourceNotFoundException.</exception>
    public async ValueTask<IdentityProvider> GetByIdentifierAsync(UserPool pool, string idpIdentifier, CancellationToken ct = default) =>
        await providers.GetByIdentifierAsync(pool.Id, idpIdentifier, ct).ConfigureAwait(false)
            ?? throw CognitoErrors.ResourceNotFound($"Identity provider with identifier {idpIdentifier} does not exist.");

    /// <summary>
    /// UpdateIdentityProvider: only the members given change. <paramref name="details"/> replaces ProviderDetails (completed again:
    /// OIDC discovery, fixed social endpoints, SAML metadata); Sign in with Apple keeps its stored <c>private_key</c> when the new
    /// details leave it out (Describe never returns it). <paramref name="attributeMapping"/> replaces the mapping (OIDC and social
    /// keep <c>username</c> → <c>sub</c> unless it maps <c>username</c>); <paramref name="idpIdentifiers"/> replaces the identifiers.
    /// </summary>
    /// <exception cref="CognitoException">ResourceNotFoundException, InvalidParameterException, DuplicateProviderException (identifier taken).</exception>
    public async ValueTask<IdentityProvider> UpdateAsync(UserPool pool, string providerName, IReadOnlyDictionary<string, string>? details,
        IReadOnlyDictionary<string, string>? attributeMapping, IReadOnlyList<string>? idpIdentifiers, CancellationToken ct = default)
    {
        var current = await GetAsync(pool, providerName, ct).ConfigureAwait(false);
        var identifiers = idpIdentifiers is null ? current.IdpIdentifiers : CheckIdentifiers(idpIdentifiers);
        var mapping = attributeMapping is null ? current.AttributeMapping : CheckMapping(pool, current.ProviderType, attributeMapping);
        var newDetails = current.ProviderDetails;
        if (details is not null)
        {
            var given = details;
            if (current.ProviderType == IdentityProviderTypes.SignInWithApple && !details.ContainsKey("private_key") && current.Detail("private_key") is { } key)
            {
                given = new Dictionary<string, string>(details, StringComparer.Ordinal) { ["private_key"] = key };
            }
            CheckDetails(current.ProviderType, given);
            newDetails = await CompleteAsync(pool, current.ProviderType, given, ct).ConfigureAwait(false);
        }
        var updated = current with { ProviderDetails = newDetails, AttributeMapping = mapping, IdpIdentifiers = identifiers, ModifiedAt = time.GetUtcNow() };
        return await providers.UpdateAsync(updated, ct).ConfigureAwait(false) switch
        {
            IdentityProviderWriteResult.Ok => updated,
            IdentityProviderWriteResult.NotFound => throw NotFound(providerName),
            IdentityProviderWriteResult.IdentifierTaken => throw await IdentifierTakenAsync(pool.Id, providerName, identifiers, ct).ConfigureAwait(false),
            _ => throw CognitoErrors.InternalError(),
        };
    }

    /// <summary>
    /// DeleteIdentityProvider. App clients of the pool that list the provider in SupportedIdentityProviders lose it from that list
    /// (as the Cognito console tells before the deletion), so their configuration never names a provider that does not exist.
    /// </summary>
    /// <exception cref="CognitoException">ResourceNotFoundException.</exception>
    public async ValueTask DeleteAsync(UserPool pool, string providerName, CancellationToken ct = default)
    {
        if (!await providers.DeleteAsync(pool.Id, providerName, ct).ConfigureAwait(false)) throw NotFound(providerName);
        string? after = null;
        while (true)
        {
            var page = await clients.ListAsync(pool.Id, after, 100, ct).ConfigureAwait(false);
            foreach (var client in page)
            {
                await RemoveFromClientAsync(client, providerName, ct).ConfigureAwait(false);
            }
            if (page.Count < 100) break;
            after = page[^1].ClientId;
        }
    }

    async ValueTask RemoveFromClientAsync(Clients.AppClient client, string providerName, CancellationToken ct)
    {
        for (int attempt = 0; attempt < 3; attempt++)
        {
            var list = client.Config.SupportedIdentityProviders;
            if (list is null || !list.Contains(providerName, StringComparer.Ordinal)) return;
            var updated = client with { Config = client.Config with { SupportedIdentityProviders = [.. list.Where(p => p != providerName)] }, ModifiedAt = time.GetUtcNow() };
            if (await clients.UpdateAsync(updated, ct).ConfigureAwait(false)) return;
            client = await clients.GetAsync(client.ClientId, ct).ConfigureAwait(false) ?? client;
            if (client.UserPoolId != updated.UserPoolId) return;
        }
    }

    /// <summary>ListIdentityProviders: by name (ordinal), <paramref name="maxResults"/> (1..60; null or 0: 60) per page.</summary>
    /// <exception cref="CognitoException">InvalidParameterException for a bad MaxResults or a malformed token.</exception>
    public async ValueTask<ResultPage<IdentityProvider>> ListAsync(UserPool pool, int? maxResults, string? nextToken, CancellationToken ct = default)
    {
        int size = maxResults is null or 0 ? MaxPageSize : maxResults.Value;
        if (size is < 0 or > MaxPageSize)
        {
            throw CognitoErrors.Validation($"Value '{size}' at 'maxResults' failed to satisfy constraint: Member must have value {(size < 0 ? "greater than or equal to 0" : "less than or equal to 60")}");
        }
        var after = PageToken.Decode(nextToken, n => n.Length is > 0 and <= 32);
        var items = await providers.ListAsync(pool.Id, after, size + 1, ct).ConfigureAwait(false);
        if (items.Count <= size) return new ResultPage<IdentityProvider>(items, null);
        var page = items.Take(size).ToList();
        return new ResultPage<IdentityProvider>(page, PageToken.Encode(page[^1].ProviderName));
    }

    /// <summary>
    /// The pool's provider names that exist, out of <paramref name="names"/> (for app clients' SupportedIdentityProviders; COGNITO is
    /// not a stored provider and never returned).
    /// </summary>
    public async ValueTask<IReadOnlySet<string>> ExistingNamesAsync(string userPoolId, IEnumerable<string> names, CancellationToken ct = default)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names.Distinct(StringComparer.Ordinal))
        {
            if (name == "COGNITO") continue;
            if (await providers.GetAsync(userPoolId, name, ct).ConfigureAwait(false) is not null) found.Add(name);
        }
        return found;
    }

    static CognitoException Duplicate(string name, string poolId) =>
        CognitoErrors.DuplicateProvider($"{name} already exists in user pool {poolId}"); // observed (CloudTrail)

    async ValueTask<CognitoException> IdentifierTakenAsync(string poolId, string providerName, IReadOnlyList<string> identifiers, CancellationToken ct)
    {
        foreach (var id in identifiers)
        {
            if (await providers.GetByIdentifierAsync(poolId, id, ct).ConfigureAwait(false) is { } owner && owner.ProviderName != providerName)
            {
                return CognitoErrors.DuplicateProvider($"Identifier {id} is already assigned to identity provider {owner.ProviderName}.");
            }
        }
        return CognitoErrors.DuplicateProvider("An identifier is already assigned to another identity provider of this user pool.");
    }

    async ValueTask<IReadOnlyDictionary<string, string>> CompleteAsync(UserPool pool, string type, IReadOnlyDictionary<string, string> details, CancellationToken ct)
    {
        var completer = _completers.FirstOrDefault(c => c.Handles(type));
        var result = completer is null ? details : await completer.CompleteAsync(pool, type, details, ct).ConfigureAwait(false);
        return new Dictionary<string, string>(result.OrderBy(kv => kv.Key, StringComparer.Ordinal), StringComparer.Ordinal);
    }

    /// <summary>
    /// ProviderName rules: 1..32 characters of ProviderNameTypeV2 (at least 3 in practice), not <c>COGNITO</c> in any case; a social
    /// provider's name equals its type ("Provider {name} cannot be of type {type}." — observed); the social type names are reserved
    /// for their types.
    /// </summary>
    /// <exception cref="CognitoException">InvalidParameterException.</exception>
    public static void CheckName(string providerName, string providerType)
    {
        if (!IdentityProviderTypes.All.Contains(providerType, StringComparer.Ordinal))
        {
            throw CognitoErrors.Validation($"Value '{providerType}' at 'providerType' failed to satisfy constraint: Member must satisfy enum value set: [SAML, Facebook, Google, LoginWithAmazon, SignInWithApple, OIDC]");
        }
        if (providerName.Length is < 1 or > 32)
        {
            throw CognitoErrors.Validation($"Value '{providerName}' at 'providerName' failed to satisfy constraint: Member must have length {(providerName.Length < 1 ? "greater than or equal to 1" : "less than or equal to 32")}");
        }
        if (!ProviderNamePattern().IsMatch(providerName))
        {
            throw CognitoErrors.Validation($"Value '{providerName}' at 'providerName' failed to satisfy constraint: Member must satisfy regular expression pattern: [^_\\p{{Z}}][\\p{{L}}\\p{{M}}\\p{{S}}\\p{{N}}\\p{{P}}][^_\\p{{Z}}]+");
        }
        if (string.Equals(providerName, "COGNITO", StringComparison.OrdinalIgnoreCase))
        {
            throw CognitoErrors.InvalidParameter($"Provider name {providerName} is reserved.");
        }
        if (IdentityProviderTypes.IsSocial(providerType) ? providerName != providerType : IdentityProviderTypes.IsSocial(providerName))
        {
            throw CognitoErrors.InvalidParameter($"Provider {providerName} cannot be of type {providerType}.");
        }
    }

    /// <summary>IdpIdentifiers: at most 50, each 1..40 of <c>[\w\s+=.@-]</c>, no repeats.</summary>
    /// <exception cref="CognitoException">InvalidParameterException.</exception>
    public static IReadOnlyList<string> CheckIdentifiers(IReadOnlyList<string>? identifiers)
    {
        var list = identifiers ?? [];
        if (list.Count > MaxIdentifiers)
        {
            throw CognitoErrors.Validation($"Value at 'idpIdentifiers' failed to satisfy constraint: Member must have length less than or equal to {MaxIdentifiers}");
        }
        for (int i = 0; i < list.Count; i++)
        {
            var id = list[i];
            if (id.Length is < 1 or > 40 || !IdentifierPattern().IsMatch(id))
            {
                throw CognitoErrors.Validation($"Value '{id}' at 'idpIdentifiers.{i + 1}.member' failed to satisfy constraint: Member must have length between 1 and 40 and satisfy regular expression pattern: [\\w\\s+=.@-]+");
            }
        }
        var dup = list.GroupBy(x => x, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw CognitoErrors.InvalidParameter($"Duplicate identifier: {dup.Key}");
        return [.. list];
    }

    /// <summary>
    /// AttributeMapping: keys are the pool's attributes (standard, <c>custom:…</c> / <c>dev:…</c> as defined) and, for OIDC and social
    /// providers, <c>username</c>; never <c>sub</c>; a mapped attribute must be mutable (a federated user's attributes are rewritten
    /// at every sign-in). OIDC and social providers map <c>username</c> → <c>sub</c> unless told otherwise, as Cognito shows in Describe.
    /// </summary>
    /// <exception cref="CognitoException">InvalidParameterException.</exception>
    public static IReadOnlyDictionary<string, string> CheckMapping(UserPool pool, string providerType, IReadOnlyDictionary<string, string>? mapping)
    {
        var schema = pool.Config.SchemaAttributes ?? [.. StandardSchema.Attributes];
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in mapping ?? new Dictionary<string, string>())
        {
            if (key == "username")
            {
                if (!IdentityProviderTypes.IsOAuth(providerType)) throw CognitoErrors.InvalidParameter("username can only be mapped for OIDC and social identity providers.");
            }
            else
            {
                var attribute = schema.FirstOrDefault(s => s.Name == key)
                    ?? (key.StartsWith("custom:", StringComparison.Ordinal) ? schema.FirstOrDefault(s => s.Name == "dev:" + key) : null);
                if (attribute is null || key == "sub")
                {
                    throw CognitoErrors.InvalidParameter($"Attribute {key} does not exist in the user pool schema and cannot be mapped.");
                }
                if (attribute.Mutable == false)
                {
                    throw CognitoErrors.InvalidParameter($"Attribute {key} is not mutable and cannot be mapped: a federated user's mapped attributes change at every sign-in.");
                }
            }
            if (value.Length == 0) throw CognitoErrors.InvalidParameter($"The mapping of {key} names no provider attribute.");
            result[key] = value;
        }
        if (IdentityProviderTypes.IsOAuth(providerType) && !result.ContainsKey("username")) result["username"] = "sub";
        return new Dictionary<string, string>(result, StringComparer.Ordinal);
    }

    /// <summary>
    /// ProviderDetails per type: the keys each type requires and accepts (besides the read-only keys Cognito adds, which it accepts
    /// back), value forms (<c>attributes_request_method</c> GET|POST; SAML booleans <c>"true"</c>/<c>"false"</c>,
    /// <c>RequestSigningAlgorithm</c> <c>rsa-sha256</c>, exactly one of MetadataURL / MetadataFile).
    /// </summary>
    /// <exception cref="CognitoException">InvalidParameterException.</exception>
    public static void CheckDetails(string providerType, IReadOnlyDictionary<string, string> details)
    {
        switch (providerType)
        {
            case IdentityProviderTypes.Saml:
                CheckKeys(details, SamlKeys);
                bool url = details.TryGetValue("MetadataURL", out var u) && u.Length > 0, file = details.TryGetValue("MetadataFile", out var f) && f.Length > 0;
                if (url == file) throw CognitoErrors.InvalidParameter("Exactly one of MetadataURL or MetadataFile must be specified.");
                foreach (var key in SamlBooleanKeys)
                {
                    if (details.TryGetValue(key, out var v) && v is not ("true" or "false"))
                    {
                        throw CognitoErrors.InvalidParameter($"{key} must be either true or false.");
                    }
                }
                if (details.TryGetValue("RequestSigningAlgorithm", out var alg) && alg != "rsa-sha256")
                {
                    throw CognitoErrors.InvalidParameter("RequestSigningAlgorithm must be rsa-sha256.");
                }
                break;
            case IdentityProviderTypes.Oidc:
                CheckKeys(details, OidcKeys);
                Require(details, "client_id, authorize_scopes and oidc_issuer are all required idp details.", "client_id", "authorize_scopes", "oidc_issuer");
                if (details.TryGetValue("attributes_request_method", out var method) && method is not ("GET" or "POST"))
                {
                    throw CognitoErrors.InvalidParameter("attributes_request_method must be GET or POST.");
                }
                break;
            case IdentityProviderTypes.SignInWithApple:
                CheckKeys(details, new HashSet<string>(OAuthComputedKeys.Concat(["client_id", "team_id", "key_id", "private_key", "authorize_scopes"]), StringComparer.Ordinal));
                Require(details, "client_id, team_id, key_id, private_key and authorize_scopes are all required idp details.", "client_id", "team_id", "key_id", "private_key", "authorize_scopes");
                break;
            case IdentityProviderTypes.Google or IdentityProviderTypes.Facebook or IdentityProviderTypes.LoginWithAmazon:
                var allowed = new HashSet<string>(OAuthComputedKeys.Concat(["client_id", "client_secret", "authorize_scopes"]), StringComparer.Ordinal);
                if (providerType == IdentityProviderTypes.Facebook) allowed.Add("api_version");
                CheckKeys(details, allowed);
                // observed (Amplify CLI logs of CreateIdentityProvider / UpdateIdentityProvider)
                Require(details, "client_id, client_secret and authorize_scopes are all required idp details.", "client_id", "client_secret", "authorize_scopes");
                if (details.TryGetValue("api_version", out var version) && !ApiVersionPattern().IsMatch(version))
                {
                    throw CognitoErrors.InvalidParameter("api_version must look like v17.0.");
                }
                break;
            default:
                throw CognitoErrors.InvalidParameter($"Unsupported provider type {providerType}.");
        }
    }

    [GeneratedRegex(@"^v\d{1,3}\.\d{1,3}$", RegexOptions.CultureInvariant)]
    private static partial Regex ApiVersionPattern();

    static void CheckKeys(IReadOnlyDictionary<string, string> details, IReadOnlySet<string> allowed)
    {
        var unknown = details.Keys.Where(k => !allowed.Contains(k)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0) throw CognitoErrors.InvalidParameter($"Invalid provider details: {string.Join(", ", unknown)} {(unknown.Count == 1 ? "is" : "are")} not supported for this provider type.");
    }

    static void Require(IReadOnlyDictionary<string, string> details, string message, params string[] keys)
    {
        if (keys.Any(k => !details.TryGetValue(k, out var v) || string.IsNullOrWhiteSpace(v))) throw CognitoErrors.InvalidParameter(message);
    }
}
