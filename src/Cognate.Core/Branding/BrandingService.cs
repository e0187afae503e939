using System.Text.RegularExpressions;
using Cognate.Core.Domains;
using Cognate.Core.Errors;
using Cognate.Core.Pools;

namespace Cognate.Core.Branding;

/// <summary>
/// SetUICustomization / GetUICustomization (hosted UI classic: CSS limited to Cognito's <c>*-customizable</c> classes, a PNG or
/// JPEG logo of at most 100 KB, per pool or per client, a domain required) and the managed login branding actions
/// (Create/Describe/DescribeByClient/Update/DeleteManagedLoginBranding: one style per client, Settings and Assets stored as given).
/// </summary>
public sealed partial class BrandingService(IUICustomizationStore customizations, IManagedLoginBrandingStore brandings, IUserPoolDomainStore domains, TimeProvider time)
{
    /// <summary>Largest logo, bytes (Cognito: 100 KB).</summary>
    public const int MaxImageBytes = 100 * 1024;

    /// <summary>The CSS selectors Cognito's hosted UI (classic) accepts.</summary>
    public static IReadOnlySet<string> AllowedSelectors { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        ".background-customizable", ".banner-customizable", ".errorMessage-customizable", ".idpButton-customizable",
        ".idpButton-customizable:hover", ".idpDescription-customizable", ".inputField-customizable", ".inputField-customizable:focus",
        ".label-customizable", ".legalText-customizable", ".logo-customizable", ".passwordCheck-valid-customizable",
        ".passwordCheck-notValid-customizable", ".redirect-customizable", ".socialButton-customizable", ".submitButton-customizable",
        ".submitButton-customizable:hover", ".textDescription-customizable",
    };

    [GeneratedRegex(@"/\*.*?\*/", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex Comments();

    [GeneratedRegex(@"^\s*-?[a-zA-Z][a-zA-Z0-9-]*\s*:[^;{}]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Declaration();

    static CognitoException InvalidCss(string why) => CognitoErrors.InvalidParameter($"The CSS is invalid: {why}");

    /// <summary>
    /// Checks <paramref name="css"/>: only rules whose selectors are in <see cref="AllowedSelectors"/>, plain <c>property: value</c>
    /// declarations, no at-rules, <c>url(...)</c>, <c>expression(...)</c>, escapes or markup (nothing can load a resource or leave
    /// the style element).
    /// </summary>
    /// <exception cref="CognitoException">InvalidParameterException.</exception>
    public static void ValidateCss(string css)
    {
        var text = Comments().Replace(css, " ");
        if (text.Contains('@', StringComparison.Ordinal)) throw InvalidCss("at-rules are not allowed.");
        if (text.IndexOfAny(['<', '>', '\\', '"', '\'', '`']) >= 0) throw InvalidCss("quotes, escapes and markup are not allowed.");
        var lower = text.ToLowerInvariant();
        if (lower.Contains("url(", StringComparison.Ordinal) || lower.Contains("expression(", StringComparison.Ordinal) || lower.Contains("image-set(", StringComparison.Ordinal))
        {
            throw InvalidCss("url(), image-set() and expression() are not allowed.");
        }
        int pos = 0;
        while (true)
        {
            int open = text.IndexOf('{', pos);
            if (open < 0)
            {
                if (text[pos..].Trim().Length > 0 || text.IndexOf('}', pos) >= 0) throw InvalidCss("unbalanced braces.");
                return;
            }
            int close = text.IndexOf('}', open);
            if (close < 0 || text.IndexOf('{', open + 1) is var next && next >= 0 && next < close) throw InvalidCss("unbalanced braces.");
            foreach (var selector in text[pos..open].Split(','))
            {
                var s = selector.Trim();
                if (!AllowedSelectors.Contains(s)) throw InvalidCss($"the selector {(s.Length > 64 ? s[..64] : s)} is not one of the customizable classes.");
            }
            foreach (var decl in text[(open + 1)..close].Split(';'))
            {
                if (decl.Trim().Length > 0 && !Declaration().IsMatch(decl)) throw InvalidCss("a declaration is not of the form property: value.");
            }
            pos = close + 1;
        }
    }

    /// <summary><c>png</c> or <c>jpeg</c> from the file's signature.</summary>
    /// <exception cref="CognitoException">InvalidParameterException for another format or a file over 100 KB.</exception>
    public static string ImageTypeOf(byte[] image)
    {
        if (image.Length > MaxImageBytes) throw CognitoErrors.InvalidParameter("The image file is too large. The maximum size is 100 KB.");
        if (image.AsSpan().StartsWith((byte[])[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])) return "png";
        if (image.AsSpan().StartsWith((byte[])[0xFF, 0xD8, 0xFF])) return "jpeg";
        throw CognitoErrors.InvalidParameter("The image file must be a PNG or JPEG image.");
    }

    /// <summary>
    /// SetUICustomization: replaces the CSS and the logo together for <paramref name="clientId"/> (an existing client of the pool,
    /// or null / <c>ALL</c> for the pool). The pool needs a domain.
    /// </summary>
    /// <exception cref="CognitoException">InvalidParameterException (no domain, CSS, image).</exception>
    public async ValueTask<UICustomization> SetUICustomizationAsync(UserPool pool, string? clientId, string? css, byte[]? image, CancellationToken ct = default)
    {
        if ((await domains.ListForPoolAsync(pool.Id, ct).ConfigureAwait(false)).Count == 0)
        {
            throw CognitoErrors.InvalidParameter("There has to be an existing domain associated with this user pool");
        }
        if (!string.IsNullOrEmpty(css)) ValidateCss(css);
        string? type = image is { Length: > 0 } ? ImageTypeOf(image) : null;
        var key = string.IsNullOrEmpty(clientId) ? UICustomization.AllClients : clientId;
        var now = time.GetUtcNow();
        var existing = await customizations.GetAsync(pool.Id, key, ct).ConfigureAwait(false);
        var set = new UICustomization
        {
            UserPoolId = pool.Id, ClientId = key, Css = string.IsNullOrEmpty(css) ? null : css, Image = type is null ? null : image, ImageType = type,
            CreatedAt = existing?.CreatedAt ?? now, ModifiedAt = now,
        };
        await customizations.SetAsync(set, ct).ConfigureAwait(false);
        return set;
    }

    /// <summary>
    /// GetUICustomization: the client's own customization, else the pool's (<c>ALL</c>), else null.
    /// </summary>
    public async ValueTask<UICustomization?> GetUICustomizationAsync(UserPool pool, string? clientId, CancellationToken ct = default)
    {
        var key = string.IsNullOrEmpty(clientId) ? UICustomization.AllClients : clientId;
        return await customizations.GetAsync(pool.Id, key, ct).ConfigureAwait(false)
            ?? (key == UICustomization.AllClients ? null : await customizations.GetAsync(pool.Id, UICustomization.AllClients, ct).ConfigureAwait(false));
    }

    static CognitoException BrandingNotFound() => CognitoErrors.ResourceNotFound("Managed login branding style does not exist.");

    static void CheckExclusive(bool useCognito, string? settingsJson, IReadOnlyList<BrandingAsset>? assets)
    {
        if (useCognito && (settingsJson is not null || assets is { Count: > 0 }))
        {
            throw CognitoErrors.InvalidParameter("Settings and Assets must be omitted when UseCognitoProvidedValues is true.");
        }
    }

    /// <summary>CreateManagedLoginBranding for an existing client of the pool (checked by the caller).</summary>
    /// <exception cref="CognitoException">ManagedLoginBrandingExistsException, InvalidParameterException.</exception>
    public async ValueTask<ManagedLoginBranding> CreateBrandingAsync(UserPool pool, string clientId, bool useCognito, string? settingsJson, IReadOnlyList<BrandingAsset>? assets, CancellationToken ct = default)
    {
        CheckExclusive(useCognito, settingsJson, assets);
        var now = time.GetUtcNow();
        var branding = new ManagedLoginBranding
        {
            Id = Guid.NewGuid().ToString(), UserPoolId = pool.Id, ClientId = clientId, UseCognitoProvidedValues = useCognito,
            SettingsJson = settingsJson, Assets = assets ?? [], CreatedAt = now, ModifiedAt = now,
        };
        if (!await brandings.CreateAsync(branding, ct).ConfigureAwait(false))
        {
            throw new CognitoException(new CognitoError("ManagedLoginBrandingExistsException", "A managed login branding style already exists for this app client."));
        }
        return branding;
    }

    /// <summary>DescribeManagedLoginBranding.</summary>
    /// <exception cref="CognitoException">ResourceNotFoundException.</exception>
    public async ValueTask<ManagedLoginBranding> GetBrandingAsync(UserPool pool, string id, CancellationToken ct = default) =>
        await brandings.GetAsync(pool.Id, id, ct).ConfigureAwait(false) ?? throw BrandingNotFound();

    /// <summary>DescribeManagedLoginBrandingByClient.</summary>
    /// <exception cref="CognitoException">ResourceNotFoundException.</exception>
    public async ValueTask<ManagedLoginBranding> GetBrandingByClientAsync(UserPool pool, string clientId, CancellationToken ct = default) =>
        await brandings.GetByClientAsync(pool.Id, clientId, ct).ConfigureAwait(false) ?? throw BrandingNotFound();

    /// <summary>
    /// UpdateManagedLoginBranding: UseCognitoProvidedValues true clears Settings and Assets; otherwise given Settings / Assets
    /// replace the stored ones and omitted ones are kept.
    /// </summary>
    /// <exception cref="CognitoException">ResourceNotFoundException, InvalidParameterException.</exception>
    public async ValueTask<ManagedLoginBranding> UpdateBrandingAsync(UserPool pool, string id, bool? useCognito, string? settingsJson, IReadOnlyList<BrandingAsset>? assets, CancellationToken ct = default)
    {
        CheckExclusive(useCognito == true, settingsJson, assets);
        var current = await GetBrandingAsync(pool, id, ct).ConfigureAwait(false);
        var updated = useCognito == true
            ? current with { UseCognitoProvidedValues = true, SettingsJson = null, Assets = [], ModifiedAt = time.GetUtcNow() }
            : current with
            {
                UseCognitoProvidedValues = useCognito ?? (current.UseCognitoProvidedValues && settingsJson is null && assets is null),
                SettingsJson = settingsJson ?? current.SettingsJson,
                Assets = assets ?? current.Assets,
                ModifiedAt = time.GetUtcNow(),
            };
        if (!await brandings.UpdateAsync(updated, ct).ConfigureAwait(false)) throw BrandingNotFound();
        return updated;
    }

    /// <summary>DeleteManagedLoginBranding.</summary>
    /// <exception cref="CognitoException">ResourceNotFoundException.</exception>
    public async ValueTask DeleteBrandingAsync(UserPool pool, string id, CancellationToken ct = default)
    {
        if (!await brandings.DeleteAsync(pool.Id, id, ct).ConfigureAwait(false)) throw BrandingNotFound();
    }
}
