using Cognate.Core.Branding;
using Cognate.Core.Clients;
using Cognate.Core.Pools;

namespace Cognate.Server.ManagedLogin;

/// <summary>
/// What of a pool's branding the pages apply: the hosted UI (classic) customization of the client, else of the pool
/// (GetUICustomization: the whitelisted CSS, already checked when stored, and the logo), and the client's managed login
/// branding style: the light-mode colors and radii of its <c>Settings</c> that map onto these pages
/// (<see cref="BrandingSettingsCss"/>, before the classic CSS) and, when there is no classic logo, its <c>FORM_LOGO</c> or
/// <c>PAGE_HEADER_LOGO</c> asset. The classic logo is served at the <c>ImageUrl</c> GetUICustomization returns,
/// <c>/_ui/{poolId}/{clientId|ALL}/logo.{png|jpeg}</c> (<see cref="ServeClassicLogoAsync"/>); the style's logo at
/// <c>/managedlogin/logo?client_id=</c> (<see cref="ServeStyleLogoAsync"/>).
/// </summary>
internal static class PageBrandingLoader
{
    /// <summary>The path of the branding style's logo.</summary>
    public const string StyleLogoPath = "/managedlogin/logo";

    /// <summary>The route of the classic logo (GetUICustomization's ImageUrl).</summary>
    public const string ClassicLogoRoute = "/_ui/{poolId}/{clientId}/{file}";

    /// <summary>The branding of <paramref name="client"/>'s pages, or null when there is none.</summary>
    public static async ValueTask<PageBranding?> LoadAsync(HttpContext http, UserPool pool, AppClient client, CancellationToken ct)
    {
        var classic = await http.RequestServices.GetRequiredService<BrandingService>().GetUICustomizationAsync(pool, client.ClientId, ct);
        var style = await http.RequestServices.GetRequiredService<IManagedLoginBrandingStore>().GetByClientAsync(pool.Id, client.ClientId, ct);
        if (style is { UseCognitoProvidedValues: true }) style = null;
        var styleCss = BrandingSettingsCss.From(style?.SettingsJson);
        // Checked by ValidateCss when stored (no markup, at-rules or url()); a '<' would still end the style element, so never emit one.
        var classicCss = classic?.Css is { Length: > 0 } c && !c.Contains('<', StringComparison.Ordinal) ? c : null;
        var css = styleCss is null ? classicCss : classicCss is null ? styleCss : styleCss + "\n" + classicCss;
        string? logo = null;
        if (classic is { Image.Length: > 0, ImageType: { } type })
        {
            logo = $"/_ui/{Uri.EscapeDataString(pool.Id)}/{Uri.EscapeDataString(classic.ClientId)}/logo.{type}?v={classic.ModifiedAt.ToUnixTimeMilliseconds()}";
        }
        else if (style is not null && StyleLogo(style) is not null)
        {
            logo = StyleLogoPath + "?client_id=" + Uri.EscapeDataString(client.ClientId) + "&v=" + style.ModifiedAt.ToUnixTimeMilliseconds();
        }
        return css is null && logo is null ? null : new PageBranding(css, logo);
    }

    /// <summary><c>GET /_ui/{poolId}/{clientId}/logo.{png|jpeg}</c>: the logo of a UI customization (404 when none).</summary>
    public static async Task<IResult> ServeClassicLogoAsync(HttpContext http, string poolId, string clientId, string file, IUICustomizationStore customizations, CancellationToken ct)
    {
        if (!RateLimiting.RequestQuotas.LooksLikePoolId(poolId)
            || (clientId != UICustomization.AllClients && !RateLimiting.RequestQuotas.LooksLikeClientId(clientId))
            || file is not ("logo.png" or "logo.jpeg"))
        {
            return Results.NotFound();
        }
        var customization = await customizations.GetAsync(poolId, clientId, ct);
        if (customization is not { Image.Length: > 0 } || file != "logo." + customization.ImageType) return Results.NotFound();
        return Image(http, customization.Image, customization.ImageType == "png" ? "image/png" : "image/jpeg");
    }

    /// <summary><c>GET /managedlogin/logo?client_id=</c>: the logo of the client's branding style (404 when none).</summary>
    public static async Task<IResult> ServeStyleLogoAsync(HttpContext http, string? client_id, AppClientService clients, IManagedLoginBrandingStore styles, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(client_id) || !RateLimiting.RequestQuotas.LooksLikeClientId(client_id)) return Results.NotFound();
        AppClient client;
        try
        {
            (client, _) = await clients.GetWithPoolAsync(client_id, ct);
        }
        catch (Core.Errors.CognitoException)
        {
            return Results.NotFound();
        }
        var style = await styles.GetByClientAsync(client.UserPoolId, client.ClientId, ct);
        return style is { UseCognitoProvidedValues: false } && StyleLogo(style) is { } logo ? Image(http, logo.Bytes, logo.ContentType) : Results.NotFound();
    }

    static IResult Image(HttpContext http, byte[] bytes, string contentType)
    {
        http.Response.Headers.CacheControl = "public, max-age=300";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        // An image opened directly (an SVG asset) must not run script.
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; sandbox";
        return Results.Bytes(bytes, contentType);
    }

    static (byte[] Bytes, string ContentType)? StyleLogo(ManagedLoginBranding style)
    {
        var asset = style.Assets.FirstOrDefault(a => a.Category == "FORM_LOGO" && a.Bytes is not null)
            ?? style.Assets.FirstOrDefault(a => a.Category == "PAGE_HEADER_LOGO" && a.Bytes is not null);
        if (asset?.Bytes is null) return null;
        var type = asset.Extension switch
        {
            "PNG" => "image/png",
            "JPEG" => "image/jpeg",
            "SVG" => "image/svg+xml",
            "WEBP" => "image/webp",
            "ICO" => "image/x-icon",
            _ => null,
        };
        if (type is null) return null;
        try { return (Convert.FromBase64String(asset.Bytes), type); }
        catch (FormatException) { return null; }
    }
}
