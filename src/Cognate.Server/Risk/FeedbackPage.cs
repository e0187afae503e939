using System.Net;
using Cognate.Core.Errors;
using Cognate.Core.Pools;
using Cognate.Core.Risk;
using Cognate.Core.Users;

namespace Cognate.Server.Risk;

/// <summary>
/// The target of the threat-protection email's one-click links (<c>{one-click-link-valid}</c> / <c>{one-click-link-invalid}</c>):
/// <c>GET /{poolId}/risk/feedback?username=…&amp;event_id=…&amp;feedback_token=…&amp;feedback_value=Valid|Invalid</c> renders a page
/// with one button that posts the same fields back (a GET changes nothing, so mail scanners that follow links give no feedback);
/// <c>POST</c> stores the feedback exactly as UpdateAuthEventFeedback does (token compared by its SHA-256 in constant time). A
/// wrong link answers 400 with one text whatever was wrong. No script, no external resource.
/// </summary>
internal static class FeedbackPage
{
    public static IEndpointRouteBuilder MapRiskFeedback(this IEndpointRouteBuilder app)
    {
        app.MapGet("/{poolId}/risk/feedback", (HttpContext http, string poolId) =>
        {
            var q = http.Request.Query;
            string value = q["feedback_value"] == "Invalid" ? "Invalid" : "Valid";
            string button = value == "Valid" ? "Yes, this sign-in was me" : "No, this sign-in was not me";
            return Page(StatusCodes.Status200OK, "Sign-in feedback", $"""
                <p>Tell us about the sign-in attempt to your account <strong>{E(q["username"])}</strong>.</p>
                <form method="post">
                <input type="hidden" name="username" value="{E(q["username"])}">
                <input type="hidden" name="event_id" value="{E(q["event_id"])}">
                <input type="hidden" name="feedback_token" value="{E(q["feedback_token"])}">
                <input type="hidden" name="feedback_value" value="{value}">
                <button type="submit">{button}</button>
                </form>
                """);
        });
        app.MapPost("/{poolId}/risk/feedback", async (HttpContext http, string poolId, UserPoolService pools, UserService users, RiskService risk) =>
        {
            if (!http.Request.HasFormContentType) return Invalid();
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            string? username = form["username"], eventId = form["event_id"], token = form["feedback_token"], value = form["feedback_value"];
            if (string.IsNullOrEmpty(username) || string.IsNullOrEmpty(eventId) || string.IsNullOrEmpty(token) || value is not ("Valid" or "Invalid")) return Invalid();
            try
            {
                var pool = await pools.GetAsync(poolId, http.RequestAborted);
                var user = await users.FindAsync(pool, username, http.RequestAborted);
                await risk.UpdateFeedbackAsync(pool, user?.Username, eventId, token, value, http.RequestAborted);
            }
            catch (CognitoException)
            {
                return Invalid();
            }
            return Page(StatusCodes.Status200OK, "Thank you", "<p>Your feedback on this sign-in was recorded.</p>");
        });
        return app;
    }

    static IResult Invalid() => Page(StatusCodes.Status400BadRequest, "Link not valid", "<p>This feedback link is not valid.</p>");

    static string E(string? s) => WebUtility.HtmlEncode(s ?? "");

    static IResult Page(int status, string title, string body) => new PageResult(status, $"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{title}</title>
        <style>body{"{"}font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#222{"}"}</style>
        </head><body><h1>{title}</h1>
        {body}
        </body></html>
        """);

    sealed class PageResult(int status, string html) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = "text/html; charset=utf-8";
            httpContext.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'";
            httpContext.Response.Headers.CacheControl = "no-store";
            httpContext.Response.Headers["Referrer-Policy"] = "no-referrer";
            return httpContext.Response.WriteAsync(html, httpContext.RequestAborted);
        }
    }
}
