using System.Text.Json;
using Cognate.Core.Errors;

namespace Cognate.Server.ManagedLogin;

/// <summary>
/// <c>/forgotPassword</c>: Username (or Email), button <c>Reset my password</c>. Runs the ForgotPassword action (same
/// existence hiding, message budgets and quotas as the API), then shows <see cref="ConfirmForgotPasswordPage"/>.
/// </summary>
internal static class ForgotPasswordPage
{
    /// <summary>The page, with <paramref name="error"/> in <c>role="alert"</c>.</summary>
    public static IResult Render(PageContext page, string? username, string? error)
    {
        var w = new PageWriter { Title = "Forgot your password?" }
            .Alert(error)
            .Text("Enter your " + page.UsernameLabel.ToLowerInvariant() + " below and we will send a code to reset your password.")
            .FormStart(page.Url("/forgotPassword"), page.CsrfToken)
            .Input("username", page.UsernameLabel, page.UsernameType, "username", username ?? page.Valid.Request.LoginHint)
            .Button("Reset my password")
            .FormEnd()
            .Link(page.Url("/login"), "Sign in", "Remembered it?");
        return page.Page(w);
    }

    /// <summary><c>GET /forgotPassword</c>.</summary>
    public static Task<IResult> GetAsync(HttpContext http) => PageContext.RenderAsync(http, page => Render(page, null, null));

    /// <summary><c>POST /forgotPassword</c>: ForgotPassword, then the code + new password page.</summary>
    public static async Task<IResult> PostAsync(HttpContext http)
    {
        var (form, page, stop) = await PageContext.OpenPostAsync(http);
        if (stop is not null) return stop;
        var username = PageForms.Field(form!, "username");
        var body = page!.UserActionBody(username);
        JsonElement response;
        try
        {
            response = await PageActions.InvokeAsync(http, "ForgotPassword", body);
        }
        catch (CognitoException ex)
        {
            return Render(page, username, ex.Error.Message);
        }
        return ConfirmForgotPasswordPage.Render(page, username, PageActions.DeliveryDestination(response), null);
    }
}
