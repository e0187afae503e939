using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Cognate.Server.ManagedLogin;

/// <summary>
/// CSRF protection of the managed-login forms: a double-submit token. A random 256-bit value lives in the <c>HttpOnly</c>,
/// <c>SameSite=Lax</c> cookie <see cref="CookieName"/>; every form carries the same value in the hidden field
/// <see cref="FieldName"/>, and a POST whose field does not equal the cookie (constant-time) is refused with 400. The sealed
/// flow state is bound to the same value (<see cref="FlowState.CsrfHash"/>), so a state cannot be replayed from another browser.
/// </summary>
internal static class Csrf
{
    /// <summary>The cookie holding the token.</summary>
    public const string CookieName = "cognate-csrf";

    /// <summary>The hidden form field holding the token.</summary>
    public const string FieldName = "_csrf";

    /// <summary>The browser's token, creating (and setting) one when it has none or a malformed one.</summary>
    public static string Ensure(HttpContext http)
    {
        if (http.Request.Cookies.TryGetValue(CookieName, out var existing) && IsWellFormed(existing)) return existing!;
        if (http.Items[CookieName] is string issued) return issued;
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        http.Items[CookieName] = token;
        http.Response.Cookies.Append(CookieName, token, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = http.Request.IsHttps,
            Path = "/",
            IsEssential = true,
        });
        return token;
    }

    /// <summary>True when the POSTed form carries the browser's token.</summary>
    public static bool IsValid(HttpContext http, IFormCollection form)
    {
        if (!http.Request.Cookies.TryGetValue(CookieName, out var cookie) || !IsWellFormed(cookie)) return false;
        var field = form[FieldName].ToString();
        return field.Length == cookie!.Length
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(field), Encoding.ASCII.GetBytes(cookie));
    }

    static bool IsWellFormed(string? token) => token is { Length: 43 } && Base64Url.IsValid(token);
}
