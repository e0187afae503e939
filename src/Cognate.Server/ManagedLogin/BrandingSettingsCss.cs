using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Cognate.Server.ManagedLogin;

/// <summary>
/// The part of a managed login branding style's <c>Settings</c> document (CreateManagedLoginBranding) that maps onto these
/// pages, as CSS: the light-mode colors of <c>components.pageBackground</c> (<c>color</c>), <c>components.form</c>
/// (<c>backgroundColor</c>, <c>borderColor</c>, and <c>borderRadius</c>), <c>components.primaryButton</c> (<c>defaults</c> and
/// <c>hover</c>: <c>backgroundColor</c>, <c>textColor</c>), <c>components.pageText</c> (<c>bodyColor</c>, <c>headingColor</c>),
/// <c>components.link</c> (<c>defaults.textColor</c>) and <c>components.input</c> (<c>defaults.backgroundColor</c>,
/// <c>defaults.borderColor</c>, <c>borderRadius</c>). Everything else (dark mode, layout, header/footer, language selector,
/// background images) is stored but not applied. Only <c>RRGGBB</c>/<c>RRGGBBAA</c> hex colors and radii of 0–48 px reach
/// the CSS; any other value is ignored, so nothing from the document can escape the style element.
/// </summary>
internal static class BrandingSettingsCss
{
    /// <summary>The CSS of <paramref name="settingsJson"/>, or null when nothing maps (or the JSON is malformed).</summary>
    public static string? From(string? settingsJson)
    {
        if (string.IsNullOrWhiteSpace(settingsJson)) return null;
        JsonDocument doc;
        try { doc = JsonDocument.Parse(settingsJson, new JsonDocumentOptions { MaxDepth = 32 }); }
        catch (JsonException) { return null; }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("components", out var c) || c.ValueKind != JsonValueKind.Object) return null;
            var css = new StringBuilder();
            Rule(css, "body", ("background-color", Color(c, "pageBackground", "lightMode", "color")), ("color", Color(c, "pageText", "lightMode", "bodyColor")));
            Rule(css, "main", ("background-color", Color(c, "form", "lightMode", "backgroundColor")), ("border", Color(c, "form", "lightMode", "borderColor") is { } b ? "1px solid " + b : null),
                ("border-radius", Radius(c, "form", "borderRadius")));
            Rule(css, "h1", ("color", Color(c, "pageText", "lightMode", "headingColor")));
            Rule(css, ".btn-primary", ("background-color", Color(c, "primaryButton", "lightMode", "defaults", "backgroundColor")), ("color", Color(c, "primaryButton", "lightMode", "defaults", "textColor")));
            Rule(css, ".btn-primary:hover", ("background-color", Color(c, "primaryButton", "lightMode", "hover", "backgroundColor")), ("color", Color(c, "primaryButton", "lightMode", "hover", "textColor")));
            Rule(css, "a", ("color", Color(c, "link", "lightMode", "defaults", "textColor")));
            Rule(css, "input[type=text],input[type=password],input[type=email],input[type=tel]",
                ("background-color", Color(c, "input", "lightMode", "defaults", "backgroundColor")), ("border-color", Color(c, "input", "lightMode", "defaults", "borderColor")),
                ("border-radius", Radius(c, "input", "borderRadius")));
            return css.Length == 0 ? null : css.ToString();
        }
    }

    static void Rule(StringBuilder css, string selector, params (string Property, string? Value)[] declarations)
    {
        var set = declarations.Where(d => d.Value is not null).ToList();
        if (set.Count == 0) return;
        css.Append(selector).Append('{');
        foreach (var (property, value) in set) css.Append(property).Append(':').Append(value).Append(';');
        css.Append('}');
    }

    /// <summary>A Cognito color (<c>RRGGBB</c> or <c>RRGGBBAA</c> hex) as CSS <c>#…</c>, or null.</summary>
    static string? Color(JsonElement root, params string[] path) =>
        Find(root, path) is { ValueKind: JsonValueKind.String } e && e.GetString() is { Length: 6 or 8 } hex && hex.All(char.IsAsciiHexDigit) ? "#" + hex : null;

    static string? Radius(JsonElement root, params string[] path) =>
        Find(root, path) is { ValueKind: JsonValueKind.Number } e && e.TryGetDouble(out var r) && r is >= 0 and <= 48
            ? r.ToString("0.##", CultureInfo.InvariantCulture) + "px" : null;

    static JsonElement? Find(JsonElement e, string[] path)
    {
        foreach (var name in path)
        {
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out e)) return null;
        }
        return e;
    }
}
