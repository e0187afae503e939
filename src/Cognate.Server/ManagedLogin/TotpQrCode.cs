using QRCoder;

namespace Cognate.Server.ManagedLogin;

/// <summary>
/// The QR code of a TOTP secret for authenticator apps: the Key Uri Format <c>otpauth://totp/{issuer}:{account}?secret=…&amp;issuer=…</c>
/// rendered as inline SVG by QRCoder (no image request, no script; the page's CSP allows neither).
/// </summary>
internal static class TotpQrCode
{
    /// <summary>The otpauth URI of <paramref name="secret"/> (base32) for <paramref name="account"/> at <paramref name="issuer"/>.</summary>
    public static string Uri(string issuer, string account, string secret) =>
        "otpauth://totp/" + System.Uri.EscapeDataString(issuer) + ":" + System.Uri.EscapeDataString(account)
        + "?secret=" + System.Uri.EscapeDataString(secret) + "&issuer=" + System.Uri.EscapeDataString(issuer);

    /// <summary>An <c>&lt;svg role="img"&gt;</c> element of the QR code of <paramref name="text"/> (error correction M), scalable by CSS.</summary>
    public static string Svg(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var svg = new SvgQRCode(data).GetGraphic(4, "#000000", "#ffffff", true, SvgQRCode.SizingMode.ViewBoxAttribute);
        int start = svg.IndexOf("<svg", StringComparison.Ordinal);
        svg = start > 0 ? svg[start..] : svg;
        return svg.Replace("<svg ", "<svg role=\"img\" aria-label=\"QR code for your authenticator app\" ", StringComparison.Ordinal);
    }
}
