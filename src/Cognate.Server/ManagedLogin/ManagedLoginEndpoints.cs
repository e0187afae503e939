namespace Cognate.Server.ManagedLogin;

/// <summary>
/// The managed-login pages at Cognito's paths on Cognate's own URL (reference §9.1; the contract of labels and buttons is in
/// each page's type): <c>/login</c> (and every challenge step, posted back to it), <c>/signup</c>, <c>/confirmUser</c>,
/// <c>/forgotPassword</c>, <c>/confirmforgotPassword</c>, <c>/error</c>, and the logo of the client's branding.
/// Every page validates the authorization request of its query first; every form is CSRF-protected.
/// </summary>
internal static class ManagedLoginEndpoints
{
    /// <summary>Maps the pages.</summary>
    public static IEndpointRouteBuilder MapManagedLogin(this IEndpointRouteBuilder app)
    {
        app.MapGet("/login", (Func<HttpContext, Task<IResult>>)LoginPage.GetAsync);
        app.MapPost("/login", (Func<HttpContext, Task<IResult>>)LoginPage.PostAsync).DisableAntiforgery();
        app.MapGet("/signup", (Func<HttpContext, Task<IResult>>)SignUpPage.GetAsync);
        app.MapPost("/signup", (Func<HttpContext, Task<IResult>>)SignUpPage.PostAsync).DisableAntiforgery();
        app.MapGet("/confirmUser", (Func<HttpContext, Task<IResult>>)ConfirmUserPage.GetAsync);
        app.MapPost("/confirmUser", (Func<HttpContext, Task<IResult>>)ConfirmUserPage.PostAsync).DisableAntiforgery();
        app.MapGet("/forgotPassword", (Func<HttpContext, Task<IResult>>)ForgotPasswordPage.GetAsync);
        app.MapPost("/forgotPassword", (Func<HttpContext, Task<IResult>>)ForgotPasswordPage.PostAsync).DisableAntiforgery();
        app.MapGet("/confirmforgotPassword", (Func<HttpContext, Task<IResult>>)ConfirmForgotPasswordPage.GetAsync);
        app.MapPost("/confirmforgotPassword", (Func<HttpContext, Task<IResult>>)ConfirmForgotPasswordPage.PostAsync).DisableAntiforgery();
        app.MapGet("/error", () => ErrorPage.Render(ErrorPage.GenericMessage));
        app.MapGet(PageBrandingLoader.LogoPath, PageBrandingLoader.ServeLogoAsync);
        return app;
    }
}
