namespace Cognate.Server.ManagedLogin;

/// <summary>The common start of every page POST: an <c>application/x-www-form-urlencoded</c> body carrying the CSRF token.</summary>
internal static class PageForms
{
    /// <summary>The message of a form refused for its CSRF token.</summary>
    public const string CsrfMessage = "The form has expired or was not sent by this page. Go back and try again.";

    /// <summary>The form, or the 400 error page when the body is not a form or the CSRF token is missing or wrong.</summary>
    public static async ValueTask<(IFormCollection? Form, IResult? Stop)> ReadAsync(HttpContext http)
    {
        var form = await OAuth.OAuthEndpoints.ReadFormAsync(http.Request);
        if (form is null || !Csrf.IsValid(http, form)) return (null, ErrorPage.Render(CsrfMessage));
        return (form, null);
    }

    /// <summary>The first value of a field, trimmed of surrounding white space (never used for passwords).</summary>
    public static string Field(IFormCollection form, string name) => form[name].ToString().Trim();

    /// <summary>True when the pool lets users sign themselves up (AllowAdminCreateUserOnly is false).</summary>
    public static bool SelfSignUp(PageContext page) => page.Pool.Config.AdminCreateUserConfig?.AllowAdminCreateUserOnly != true;

    /// <summary>The invalid-state message (a sealed flow state forged, expired, or issued to another browser or client).</summary>
    public const string StateMessage = "Your sign-in session is invalid or has expired. Start again.";
}
