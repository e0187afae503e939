using System.Net;
using System.Text;

namespace Cognate.Server.ManagedLogin;

/// <summary>
/// Cognate's managed-login error page (Cognito's <c>/error</c>, reference §9.2): HTTP 400, a small accessible HTML page with the
/// message in an element with <c>role="alert"</c>. Used when the app's redirect_uri cannot be trusted (unknown client,
/// unregistered redirect_uri), so the user is never sent anywhere. The one renderer for <c>/oauth2/authorize</c>,
/// <c>/logout</c> and the pages.
/// </summary>
internal static class ErrorPage
{
    /// <summary>The message shown when nothing more specific is known.</summary>
    public const string GenericMessage = "An error was encountered with the requested page.";

    /// <summary>A 400 HTML page showing <paramref name="message"/> (HTML-encoded; never a request value the caller did not vet).</summary>
    public static IResult Render(string message) => new Result(message);

    /// <summary>The page's HTML for <paramref name="message"/>.</summary>
    internal static string Html(string message)
    {
        var m = WebUtility.HtmlEncode(message);
        return $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Error</title>
            <style>body{"{"}font-family:system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem{"}"}[role=alert]{"{"}border:1px solid #b00020;color:#b00020;padding:.75rem;border-radius:.25rem{"}"}</style>
            </head>
            <body>
            <main>
            <h1>Something went wrong</h1>
            <p role="alert">{m}</p>
            </main>
            </body>
            </html>
            """;
    }

    sealed class Result(string message) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = StatusCodes.Status400BadRequest;
            response.ContentType = "text/html; charset=utf-8";
            response.Headers.CacheControl = "no-store";
            response.Headers.Pragma = "no-cache";
            response.Headers.XFrameOptions = "DENY";
            response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";
            var bytes = Encoding.UTF8.GetBytes(Html(message));
            response.ContentLength = bytes.Length;
            await response.Body.WriteAsync(bytes, httpContext.RequestAborted);
        }
    }
}
