using System.Security.Claims;
using System.Text.Encodings.Web;
using Cognate.AspNetCore;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Cognate.Samples.HostedLogin;

/// <summary>
/// The app's routes: the server-rendered home page (<c>Hello {email}</c> when signed in), <c>POST /signin</c> and <c>POST /register</c>
/// (to the hosted <c>/oauth2/authorize</c> and <c>/signup</c>), <c>POST /logout</c> (the app's cookie, then the hosted <c>/logout</c>
/// with <c>logout_uri</c> = the app's root URL), and <c>GET /api/me</c> (a bearer access token, checked by Cognate.AspNetCore).
/// Every form carries an antiforgery token; a POST without it is 400.
/// </summary>
public static class HomePage
{
    /// <summary>Maps the routes.</summary>
    public static IEndpointRouteBuilder MapHostedLoginApp(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", Home);
        app.MapPost("/signin", (HttpContext http, IAntiforgery csrf) => ChallengeAsync(http, csrf, page: null));
        app.MapPost("/register", (HttpContext http, IAntiforgery csrf) => ChallengeAsync(http, csrf, page: "signup"));
        app.MapPost("/logout", LogoutAsync);
        app.MapGet("/api/me", (ClaimsPrincipal user) => Results.Json(new
        {
            sub = user.FindFirstValue(CognitoClaimTypes.Subject),
            username = user.FindFirstValue(CognitoClaimTypes.Username),
            client_id = user.FindFirstValue(CognitoClaimTypes.ClientId),
        })).RequireAuthorization("api");
        return app;
    }

    static IResult Home(HttpContext http, IAntiforgery csrf)
    {
        var tokens = csrf.GetAndStoreTokens(http);
        var user = http.User.Identity?.IsAuthenticated == true ? http.User : null;
        var greeting = user is null
            ? "<p id=\"status\">You are not signed in.</p>"
            : $"<p id=\"greeting\">Hello {Html(user.FindFirstValue("email") ?? user.FindFirstValue("cognito:username") ?? "")}</p>";
        var body = $"""
            <h1>Cognito hosted login sample</h1>
            {greeting}
            <div class="actions">
            {Form("/signin", "Sign in", tokens)}
            {Form("/register", "Register", tokens)}
            {Form("/logout", "Logout", tokens)}
            </div>
            """;
        return Results.Content(Document("Cognito hosted login sample", body), "text/html; charset=utf-8");
    }

    static async Task ChallengeAsync(HttpContext http, IAntiforgery csrf, string? page)
    {
        if (!await IsValidAsync(http, csrf)) return;
        var properties = new AuthenticationProperties { RedirectUri = "/" };
        if (page is not null) properties.Items[HostedLoginApp.HostedPageItem] = page;
        await http.ChallengeAsync(properties);
    }

    static async Task LogoutAsync(HttpContext http, IAntiforgery csrf, Microsoft.Extensions.Options.IOptions<CognitoSettings> options)
    {
        if (!await IsValidAsync(http, csrf)) return;
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        // Cognito's logout endpoint: client_id + logout_uri (exactly one of the client's LogoutURLs) clears the managed-login session.
        var settings = options.Value;
        var logoutUri = $"{http.Request.Scheme}://{http.Request.Host}/";
        http.Response.Redirect($"{settings.HostedUiBase}/logout?client_id={Uri.EscapeDataString(settings.ClientId)}&logout_uri={Uri.EscapeDataString(logoutUri)}");
    }

    static async Task<bool> IsValidAsync(HttpContext http, IAntiforgery csrf)
    {
        if (await csrf.IsRequestValidAsync(http)) return true;
        http.Response.StatusCode = StatusCodes.Status400BadRequest;
        await WriteErrorAsync(http.Response, "The form has expired. Go back to the home page and try again.");
        return false;
    }

    /// <summary>Writes an error page (the message HTML-encoded, in an element with <c>role="alert"</c>).</summary>
    internal static Task WriteErrorAsync(HttpResponse response, string message)
    {
        response.ContentType = "text/html; charset=utf-8";
        return response.WriteAsync(Document("Sign-in error", $"<h1>Sign-in error</h1><p role=\"alert\">{Html(message)}</p><p><a href=\"/\">Home</a></p>"));
    }

    static string Form(string action, string label, AntiforgeryTokenSet tokens) =>
        $"<form method=\"post\" action=\"{action}\"><input type=\"hidden\" name=\"{Html(tokens.FormFieldName)}\" value=\"{Html(tokens.RequestToken ?? "")}\"><button type=\"submit\">{label}</button></form>";

    static string Html(string value) => HtmlEncoder.Default.Encode(value);

    static string Document(string title, string body) => $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{Html(title)}}</title>
        <style>
        body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; }
        .actions { display: flex; gap: .5rem; flex-wrap: wrap; }
        button { font-size: 1rem; padding: .5rem 1rem; }
        </style>
        </head>
        <body>
        <main>
        {{body}}
        </main>
        </body>
        </html>
        """;
}
