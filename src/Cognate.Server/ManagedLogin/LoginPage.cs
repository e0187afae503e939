namespace Cognate.Server.ManagedLogin;

/// <summary>
/// <c>/login</c>: the sign-in page (where <c>/oauth2/authorize</c> sends a user without a session) and the page every
/// challenge step posts back to. Username (or Email) and Password, button <c>Sign in</c>, links <c>Forgot your password?</c>
/// and <c>Sign up</c>. When the client has ALLOW_USER_AUTH and the pool's AllowedFirstAuthFactors offer EMAIL_OTP or SMS_OTP
/// (choice-based sign-in, managed login v2), the page asks for the username only and starts USER_AUTH, whose SELECT_CHALLENGE
/// is the passwordless choice page; otherwise it starts USER_PASSWORD_AUTH.
/// </summary>
internal static class LoginPage
{
    /// <summary>True when the pages use choice-based sign-in (USER_AUTH) for this client.</summary>
    public static bool UsesChoice(PageContext page) =>
        page.Client.Config.ExplicitAuthFlows?.Contains("ALLOW_USER_AUTH") == true
        && Core.SignIn.Steps.FirstFactor.AllowsPasswordless(page.Pool);

    /// <summary>The sign-in page, with <paramref name="error"/> in <c>role="alert"</c> and <paramref name="status"/> as a status line.</summary>
    public static IResult Render(PageContext page, string? username, string? error, string? status = null)
    {
        bool choice = UsesChoice(page);
        var w = new PageWriter { Title = "Sign in" }
            .Alert(error)
            .Status(status)
            .FormStart(page.Url("/login"), page.CsrfToken)
            .Input("username", page.UsernameLabel, page.UsernameType, "username", username ?? page.Valid.Request.LoginHint);
        if (!choice) w.Input("password", "Password", "password", "current-password");
        w.Button("Sign in").FormEnd();
        if (!choice) w.Link(page.Url("/forgotPassword"), "Forgot your password?");
        if (PageForms.SelfSignUp(page)) w.Link(page.Url("/signup"), "Sign up", "Need an account?");
        return page.Page(w);
    }

    /// <summary><c>GET /login</c>.</summary>
    public static Task<IResult> GetAsync(HttpContext http) => PageContext.RenderAsync(http, page => Render(page, null, null));

    /// <summary><c>POST /login</c>: the sign-in form, or (with <c>_state</c>) the answer to a challenge step.</summary>
    public static async Task<IResult> PostAsync(HttpContext http)
    {
        var (form, page, stop) = await PageContext.OpenPostAsync(http);
        if (stop is not null) return stop;
        if (form!.ContainsKey("_state"))
        {
            var state = page!.OpenState(form);
            if (state is null || SignInPages.StepOf(state) is not { } step) return ErrorPage.Render(PageForms.StateMessage);
            return await step.AnswerAsync(page, state, form);
        }
        var username = PageForms.Field(form, "username");
        if (UsesChoice(page!))
        {
            return await SignInPages.StartAsync(page!, "USER_AUTH", username,
                new Dictionary<string, string>(StringComparer.Ordinal) { ["USERNAME"] = username });
        }
        return await SignInPages.StartAsync(page!, "USER_PASSWORD_AUTH", username, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["USERNAME"] = username,
            ["PASSWORD"] = form["password"].ToString(),
        });
    }
}
