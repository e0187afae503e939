using Cognate.Core.Errors;

namespace Cognate.Server.ManagedLogin;

/// <summary>
/// <c>/confirmforgotPassword</c>: <c>Code</c> and <c>New password</c>, button <c>Change password</c>. Runs the
/// ConfirmForgotPassword action (password policy first, code attempts, refresh tokens revoked); on success the sign-in
/// page says so. After <c>/forgotPassword</c> the sealed flow state carries the username; reached directly, the page asks for it.
/// </summary>
internal static class ConfirmForgotPasswordPage
{
    const string Step = "CONFIRM_FORGOT_PASSWORD";

    /// <summary>The page for <paramref name="username"/> (null: the page asks for it).</summary>
    public static IResult Render(PageContext page, string? username, string? destination, string? error)
    {
        var sealedState = username is null ? null : page.Seal(Step, username, null,
            destination is null ? null : new Dictionary<string, string>(StringComparer.Ordinal) { ["CODE_DELIVERY_DESTINATION"] = destination });
        var w = new PageWriter { Title = "Reset your password" }
            .Alert(error)
            .Text(destination is { Length: > 0 } ? $"We sent a password reset code to {destination}. Enter it below with your new password." : "Enter the password reset code we sent you and your new password.")
            .FormStart(page.Url("/confirmforgotPassword"), page.CsrfToken, sealedState);
        if (username is null) w.Input("username", page.UsernameLabel, page.UsernameType, "username", page.Valid.Request.LoginHint);
        w.Input("code", "Code", "text", "one-time-code", inputMode: "numeric")
            .Input("new_password", "New password", "password", "new-password")
            .Button("Change password")
            .FormEnd()
            .Link(page.Url("/forgotPassword"), "Send a new code", "Didn't receive a code?");
        return page.Page(w);
    }

    /// <summary><c>GET /confirmforgotPassword</c>.</summary>
    public static Task<IResult> GetAsync(HttpContext http) => PageContext.RenderAsync(http, page => Render(page, null, null, null));

    /// <summary><c>POST /confirmforgotPassword</c>: ConfirmForgotPassword, then the sign-in page.</summary>
    public static async Task<IResult> PostAsync(HttpContext http)
    {
        var (form, page, stop) = await PageContext.OpenPostAsync(http);
        if (stop is not null) return stop;
        if (!page!.TryOpenState(form!, Step, out var state)) return ErrorPage.Render(PageForms.StateMessage);
        var body = page.ConfirmationBody(form!, state, out var username);
        body["Password"] = form!["new_password"].ToString();
        try
        {
            await PageActions.InvokeAsync(http, "ConfirmForgotPassword", body);
        }
        catch (CognitoException ex)
        {
            return Render(page, state?.Username, state?.Parameter("CODE_DELIVERY_DESTINATION"), ex.Error.Message);
        }
        return LoginPage.Render(page, username, null, "Your password has been changed. Sign in with your new password.");
    }
}
