using System.Text.RegularExpressions;
using Cognate.Core.Clients;
using Cognate.Core.Errors;
using Cognate.Core.Pools;

namespace Cognate.Core.Terms;

/// <summary>
/// Terms documents of app clients (CreateTerms, DescribeTerms, DescribeTermsByClient, ListTerms, UpdateTerms, DeleteTerms):
/// links to a terms-of-use and a privacy-policy page per managed-login language, shown on the client's sign-up page.
/// Source: Cognito API reference for these actions and the developer guide "Terms documents" (managed login).
/// </summary>
public sealed partial class TermsService(UserPoolService pools, AppClientService clients, ITermsStore store, TimeProvider time)
{
    /// <summary>Largest ListTerms page.</summary>
    public const int MaxPageSize = 60;

    /// <summary>The two document names Cognito accepts.</summary>
    public static readonly IReadOnlySet<string> Names = new HashSet<string>(["terms-of-use", "privacy-policy"], StringComparer.Ordinal);

    /// <summary>The managed-login language ids a link may be given for (<c>LanguageIdType</c>).</summary>
    public static readonly IReadOnlySet<string> Languages = new HashSet<string>(
    [
        "cognito:default", "cognito:dutch", "cognito:english", "cognito:french", "cognito:spanish", "cognito:german",
        "cognito:bahasa-indonesia", "cognito:italian", "cognito:japanese", "cognito:korean", "cognito:portuguese-brazil",
        "cognito:chinese-simplified", "cognito:chinese-traditional",
    ], StringComparer.Ordinal);

    /// <summary>The managed-login <c>lang</c> codes and the language ids of their links.</summary>
    static readonly Dictionary<string, string> LanguageOfLang = new(StringComparer.OrdinalIgnoreCase)
    {
        ["en"] = "cognito:english", ["nl"] = "cognito:dutch", ["fr"] = "cognito:french", ["es"] = "cognito:spanish", ["de"] = "cognito:german",
        ["id"] = "cognito:bahasa-indonesia", ["it"] = "cognito:italian", ["ja"] = "cognito:japanese", ["ko"] = "cognito:korean",
        ["pt-BR"] = "cognito:portuguese-brazil", ["zh-CN"] = "cognito:chinese-simplified", ["zh-TW"] = "cognito:chinese-traditional",
    };

    /// <summary>
    /// The URL a managed-login page in language <paramref name="lang"/> (<c>en</c>, <c>fr</c>, <c>pt-BR</c>, …; null for none) links
    /// for <paramref name="terms"/>: that language's link, else <c>cognito:default</c>, else null.
    /// </summary>
    public static string? LinkFor(TermsDocument terms, string? lang)
    {
        ArgumentNullException.ThrowIfNull(terms);
        if (lang is not null && LanguageOfLang.TryGetValue(lang, out var language) && terms.Links.TryGetValue(language, out var url)) return url;
        return terms.Links.GetValueOrDefault("cognito:default");
    }

    [GeneratedRegex(@"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex TermsIdPattern();

    /// <summary>CreateTerms: a new document for an app client of the pool.</summary>
    /// <exception cref="CognitoException">ResourceNotFoundException (pool or client), InvalidParameterException (name, source,
    /// enforcement, links), TermsExistsException (the client already has a document of that name).</exception>
    public async ValueTask<TermsDocument> CreateAsync(string userPoolId, string clientId, string termsName, string termsSource, string enforcement,
        IReadOnlyDictionary<string, string>? links, CancellationToken ct = default)
    {
        await clients.GetAsync(userPoolId, clientId, ct).ConfigureAwait(false);
        ValidateName(termsName);
        ValidateSourceAndEnforcement(termsSource, enforcement);
        var validLinks = ValidateLinks(links ?? throw CognitoErrors.InvalidParameter("Links are required when TermsSource is LINK."));
        var now = time.GetUtcNow();
        var terms = new TermsDocument(Guid.NewGuid().ToString(), userPoolId, clientId, termsName, termsSource, enforcement, validLinks, now, now);
        if (!await store.CreateAsync(terms, ct).ConfigureAwait(false))
        {
            await clients.GetAsync(userPoolId, clientId, ct).ConfigureAwait(false); // deleted meanwhile: ResourceNotFoundException
            throw TermsExists(termsName, clientId);
        }
        return terms;
    }

    /// <summary>DescribeTerms: the pool's document with that id.</summary>
    /// <exception cref="CognitoException">ResourceNotFoundException (pool or document).</exception>
    public async ValueTask<TermsDocument> GetAsync(string userPoolId, string termsId, CancellationToken ct = default)
    {
        await pools.GetAsync(userPoolId, ct).ConfigureAwait(false);
        if (!TermsIdPattern().IsMatch(termsId ?? "")) throw TermsNotFound(termsId ?? "");
        return await store.GetAsync(userPoolId, termsId!.ToLowerInvariant(), ct).ConfigureAwait(false) ?? throw TermsNotFound(termsId);
    }

    /// <summary>DescribeTermsByClient: the client's document of that name.</summary>
    /// <exception cref="CognitoException">ResourceNotFoundException (pool, client or document), InvalidParameterException (name).</exception>
    public async ValueTask<TermsDocument> GetByClientAsync(string userPoolId, string clientId, string termsName, CancellationToken ct = default)
    {
        await clients.GetAsync(userPoolId, clientId, ct).ConfigureAwait(false);
        ValidateName(termsName);
        return await store.GetByClientAsync(userPoolId, clientId, termsName, ct).ConfigureAwait(false)
            ?? throw CognitoErrors.ResourceNotFound($"Terms {termsName} do not exist for client {clientId}.");
    }

    /// <summary>The client's documents by name (for the managed-login sign-up page); empty when it has none.</summary>
    public async ValueTask<IReadOnlyDictionary<string, TermsDocument>> ForClientAsync(string userPoolId, string clientId, CancellationToken ct = default)
    {
        var found = new Dictionary<string, TermsDocument>(StringComparer.Ordinal);
        foreach (var name in Names)
        {
            if (await store.GetByClientAsync(userPoolId, clientId, name, ct).ConfigureAwait(false) is { } t) found[name] = t;
        }
        return found;
    }

    /// <summary>ListTerms: the pool's documents ordered by id, at most <paramref name="maxResults"/> (1..60, default 60).</summary>
    /// <exception cref="CognitoException">ResourceNotFoundException, InvalidParameterException (NextToken).</exception>
    public async ValueTask<ResultPage<TermsDocument>> ListAsync(string userPoolId, int? maxResults, string? nextToken, CancellationToken ct = default)
    {
        int limit = maxResults ?? MaxPageSize;
        if (limit is < 1 or > MaxPageSize) throw CognitoErrors.InvalidParameter($"MaxResults must be between 1 and {MaxPageSize}.");
        await pools.GetAsync(userPoolId, ct).ConfigureAwait(false);
        var after = PageToken.Decode(nextToken, id => TermsIdPattern().IsMatch(id));
        var items = await store.ListAsync(userPoolId, after, limit + 1, ct).ConfigureAwait(false);
        if (items.Count <= limit) return new ResultPage<TermsDocument>(items, null);
        var page = items.Take(limit).ToList();
        return new ResultPage<TermsDocument>(page, PageToken.Encode(page[^1].TermsId));
    }

    /// <summary>UpdateTerms: replaces the members given (name, source, enforcement, links); omitted ones keep their values.</summary>
    /// <exception cref="CognitoException">ResourceNotFoundException, InvalidParameterException, TermsExistsException (the new name is
    /// taken on the client), ConcurrentModificationException (deleted meanwhile).</exception>
    public async ValueTask<TermsDocument> UpdateAsync(string userPoolId, string termsId, string? termsName, string? termsSource, string? enforcement,
        IReadOnlyDictionary<string, string>? links, CancellationToken ct = default)
    {
        var current = await GetAsync(userPoolId, termsId, ct).ConfigureAwait(false);
        if (termsName is not null) ValidateName(termsName);
        ValidateSourceAndEnforcement(termsSource ?? current.TermsSource, enforcement ?? current.Enforcement);
        var updated = current with
        {
            TermsName = termsName ?? current.TermsName,
            TermsSource = termsSource ?? current.TermsSource,
            Enforcement = enforcement ?? current.Enforcement,
            Links = links is null ? current.Links : ValidateLinks(links),
            ModifiedAt = time.GetUtcNow(),
        };
        return await store.UpdateAsync(updated, ct).ConfigureAwait(false) switch
        {
            TermsWriteResult.Ok => updated,
            TermsWriteResult.Duplicate => throw TermsExists(updated.TermsName, updated.ClientId),
            _ => throw CognitoErrors.ConcurrentModification(),
        };
    }

    /// <summary>DeleteTerms.</summary>
    /// <exception cref="CognitoException">ResourceNotFoundException (pool or document).</exception>
    public async ValueTask DeleteAsync(string userPoolId, string termsId, CancellationToken ct = default)
    {
        var current = await GetAsync(userPoolId, termsId, ct).ConfigureAwait(false);
        if (!await store.DeleteAsync(userPoolId, current.TermsId, ct).ConfigureAwait(false)) throw TermsNotFound(termsId);
    }

    static CognitoException TermsNotFound(string termsId) => CognitoErrors.ResourceNotFound($"Terms {termsId} do not exist.");

    static CognitoException TermsExists(string termsName, string clientId) =>
        new(new CognitoError("TermsExistsException", $"Terms with name {termsName} already exist for client {clientId}."));

    static void ValidateName(string termsName)
    {
        if (!Names.Contains(termsName)) throw CognitoErrors.InvalidParameter("TermsName must be terms-of-use or privacy-policy.");
    }

    static void ValidateSourceAndEnforcement(string termsSource, string enforcement)
    {
        if (termsSource != "LINK") throw CognitoErrors.InvalidParameter("TermsSource must be LINK.");
        if (enforcement != "NONE") throw CognitoErrors.InvalidParameter("Enforcement must be NONE.");
    }

    /// <summary>
    /// Links: 1 to 13 entries, each a managed-login language id mapped to an absolute https URL of at most 1024 characters
    /// (http only for a loopback host, for local development), with no user info and no fragment-only value.
    /// </summary>
    /// <exception cref="CognitoException">InvalidParameterException.</exception>
    public static IReadOnlyDictionary<string, string> ValidateLinks(IReadOnlyDictionary<string, string> links)
    {
        ArgumentNullException.ThrowIfNull(links);
        if (links.Count is < 1 or > 13) throw CognitoErrors.InvalidParameter("Links must have between 1 and 13 entries.");
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (language, url) in links)
        {
            if (!Languages.Contains(language)) throw CognitoErrors.InvalidParameter($"Invalid language {language} in Links.");
            if (url is null || url.Length is < 1 or > 1024 || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.UserInfo.Length > 0
                || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)) || string.IsNullOrEmpty(uri.Host))
            {
                throw CognitoErrors.InvalidParameter($"Invalid URL for {language} in Links: the URL must be an absolute https URL.");
            }
            result[language] = url;
        }
        return result;
    }
}
