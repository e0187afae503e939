using Cognate.Core.Branding;
using Cognate.Core.Clients;
using Cognate.Core.Pools;

namespace Cognate.Server.ManagedLogin;

/// <summary>
/// What of a pool's branding the pages apply: the hosted UI (classic) customization of the client, else of the pool
/// (GetUICustomization: the whitelisted CSS, already checked when stored, and the logo), and — when there is no classic
/// logo — the <c>FORM_LOGO</c> or <c>PAGE_HEADER_LOGO</c> asset of the client's managed login branding style.
/// The logo is served by <c>GET /managedlogin/logo?client_id=</c> (<see cref="ServeLogoAsync"/>). Managed login branding
/// <c>Settings</c> (colors, layout of the v2 pages) are stored but not mapped onto these pages.
/// </summary>
internal static class PageBrandingLoader
{
    /// <summary>The path of the logo endpoint.</summary>
    public const string LogoPath = "/managedlogin/logo";

    /// <summary>The branding of <paramref name="client"/>'s pages, or null when there is none.</summary>
    public static async ValueTask<PageBranding?> LoadAsync(HttpContext http, UserPool pool, AppClient client, CancellationToken ct)
    {
        var classic = await http.RequestServices.GetRequiredService<BrandingService>().GetUICustomizationAsync(pool, client.ClientId, ct);
        // Checked by ValidateCss when stored (no markup, at-rules or url()); a '<' would still end the style element, so never emit one.
        var css = classic?.Css is { Length: > 0 } c && !c.Contains('<', StringComparison.Ordinal) ? c : null;
        var logo = await LogoAsync(http, pool, client, classic, ct);
        if (css is null && logo is null) return null;
        var version = logo is null ? "" : "&v=" + (classic?.ModifiedAt ?? DateTimeOffset.UnixEpoch).ToUnixTimeSeconds();
        return new PageBranding(css, logo is null ? null : LogoPath + "?client_id=" + Uri.EscapeDataString(client.ClientId) + version);
    }

    /// <summary><c>GET /managedlogin/logo?client_id=</c>: the logo of the client's pages (404 when none).</summary>
    public static async Task<IResult> ServeLogoAsync(HttpContext http, string? client_id, AppClientService clients, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(client_id) || !RateLimiting.RequestQuotas.LooksLikeClientId(client_id)) return Results.NotFound();
        AppClient client;
        UserPool pool;
        try
        {
            (client, pool) = await clients.GetWithPoolAsync(client_id, ct);
        }
        catch (Core.Errors.CognitoException)
        {
            return Results.NotFound();
        }
        var classic = await http.RequestServices.GetRequiredService<BrandingService>().GetUICustomizationAsync(pool, client.ClientId, ct);
        var logo = await LogoAsync(http, pool, client, classic, ct);
        if (logo is null) return Results.NotFound();
        http.Response.Headers.CacheControl = "public, max-age=300";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        // An SVG opened directly must not run script.
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; sandbox";
        return Results.Bytes(logo.Value.Bytes, logo.Value.ContentType);
    }

    static async ValueTask<(byte[] Bytes, string ContentType)?> LogoAsync(HttpContext http, UserPool pool, AppClient client, UICustomization? classic, CancellationToken ct)
    {
        if (classic?.Image is { Length: > 0 } image) return (image, classic.ImageType == "png" ? "image/png" : "image/jpeg");
        var style = await http.RequestServices.GetRequiredService<IManagedLoginBrandingStore>().GetByClientAsync(pool.Id, client.ClientId, ct);
        if (style is null || style.UseCognitoProvidedValues) return null;
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
