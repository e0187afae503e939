namespace Cognate.Server.ManagedLogin;

/// <summary>
/// <c>/error</c> (status 400): the page shown instead of a redirect when the authorization request cannot be trusted
/// (unknown client, unregistered redirect_uri, …; reference §9.2), or when a form cannot be accepted (missing CSRF token,
/// forged or expired flow state). The message is in <c>role="alert"</c>. <c>GET /error</c> itself shows Cognito's
/// generic text: a message is never taken from the URL (no content spoofing).
/// </summary>
internal static class PageError
{
    /// <summary>Cognito's generic text.</summary>
    public const string GenericMessage = "An error was encountered with the requested page.";

    /// <summary>The error page with <paramref name="message"/>.</summary>
    public static IResult Result(string message, int status = StatusCodes.Status400BadRequest)
    {
        var page = new PageWriter { Title = "Error" }.Alert(message);
        return new HtmlResult(page.Render("en", null), status);
    }

    /// <summary><c>GET /error</c>.</summary>
    public static IResult Get() => Result(GenericMessage);
}
