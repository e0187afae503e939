using Cognate.Core.Errors;

namespace Cognate.Server.ManagedLogin;

/// <summary>
/// The managed-login pages at Cognito's paths on Cognate's own URL (reference §9.1; the contract of labels and buttons is in
/// each page's type): <c>/login</c> (and every challenge step, posted back to it), <c>/signup</c>, <c>/confirmUser</c>,
/// <c>/forgotPassword</c>, <c>/confirmforgotPassword</c>, <c>/passkeys/add</c> (with its script <c>/managedlogin/passkey.js</c>), <c>/error</c>, and the branding logos (<c>/_ui/…/logo.{ext}</c>, the
/// ImageUrl of GetUICustomization, and <c>/managedlogin/logo</c>).
/// Every page validates the authorization request of its query first; every form is CSRF-protected. A page never answers a
/// stack trace or JSON: a Cognito error that escapes a page is the error page with its message, and a bug is logged and
/// answered with the generic error page (500).
/// </summary>
internal static partial class ManagedLoginEndpoints
{
    /// <summary>Maps the pages.</summary>
    public static IEndpointRouteBuilder MapManagedLogin(this IEndpointRouteBuilder app)
    {
        app.MapGet("/login", Guard(LoginPage.GetAsync));
        app.MapPost("/login", Guard(LoginPage.PostAsync)).DisableAntiforgery();
        app.MapGet("/signup", Guard(SignUpPage.GetAsync));
        app.MapPost("/signup", Guard(SignUpPage.PostAsync)).DisableAntiforgery();
        app.MapGet("/confirmUser", Guard(ConfirmUserPage.GetAsync));
        app.MapPost("/confirmUser", Guard(ConfirmUserPage.PostAsync)).DisableAntiforgery();
        app.MapGet("/forgotPassword", Guard(ForgotPasswordPage.GetAsync));
        app.MapPost("/forgotPassword", Guard(ForgotPasswordPage.PostAsync)).DisableAntiforgery();
        app.MapGet("/confirmforgotPassword", Guard(ConfirmForgotPasswordPage.GetAsync));
        app.MapPost("/confirmforgotPassword", Guard(ConfirmForgotPasswordPage.PostAsync)).DisableAntiforgery();
        app.MapGet(PasskeysAddPage.Path, Guard(PasskeysAddPage.GetAsync));
        app.MapPost(PasskeysAddPage.Path, Guard(PasskeysAddPage.PostAsync)).DisableAntiforgery();
        app.MapGet(PasskeyScript.Path, PasskeyScript.Serve);
        app.MapGet("/error", () => ErrorPage.Render(ErrorPage.GenericMessage));
        app.MapGet(PageBrandingLoader.ClassicLogoRoute, PageBrandingLoader.ServeClassicLogoAsync);
        app.MapGet(PageBrandingLoader.StyleLogoPath, PageBrandingLoader.ServeStyleLogoAsync);
        return app;
    }

    /// <summary>Runs a page; what escapes it becomes an error page (never the developer exception page or a 500 body).</summary>
    static Func<HttpContext, Task<IResult>> Guard(Func<HttpContext, Task<IResult>> page) => async http =>
    {
        try
        {
            return await page(http);
        }
        catch (CognitoException ex)
        {
            return ErrorPage.Render(ex.Error.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !http.RequestAborted.IsCancellationRequested)
        {
            LogUnhandled(http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Cognate.ManagedLogin"), http.Request.Path, ex.GetType().Name, ex);
            var body = new PageWriter { Title = "Error" }.Alert(ErrorPage.GenericMessage);
            return new HtmlResult(body.Render("en", null), StatusCodes.Status500InternalServerError);
        }
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled {ExceptionType} on managed-login page {Path}")]
    static partial void LogUnhandled(ILogger logger, string path, string exceptionType, Exception ex);
}
