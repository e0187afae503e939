namespace Cognate.Server.ManagedLogin;

/// <summary>
/// <c>/login</c>: the sign-in page (where <c>/oauth2/authorize</c> sends a user without a session) and the page every
/// challenge step posts back to. Username (or Email) and Password, button <c>Sign in</c>, links <c>Forgot your password?</c>
/// and <c>Sign up</c>. When the client has ALLOW_USER_AUTH and the pool's AllowedFirstAuthFactors offer EMAIL_OTP or SMS_OTP
/// (choice-based sign-in, managed login v2), the page asks for the username only and starts USER_AUTH, whose SELECT_CHALLENGE
/// is the passwordless choice page; otherwise it starts USER_PASSWORD_AUTH. When the pool allows WEB_AUTHN (with a relying
/// party) and the client ALLOW_USER_AUTH, a second button <c>Sign in with passkey</c> starts USER_AUTH with
/// PREFERRED_CHALLENGE=WEB_AUTHN for the username (the passkey page, <see cref="Steps.WebAuthnStep"/>; a user without a
/// passkey gets the choice or password page).
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
        bool native = Native(page);
        var w = new PageWriter { Title = "Sign in" }
            .Alert(error)
            .Status(status);
        if (native)
        {
            w.FormStart(page.Url("/login"), page.CsrfToken)
                .Input("username", page.UsernameLabel, page.UsernameType, "username", username ?? page.Valid.Request.LoginHint);
            if (!choice) w.Input("password", "Password", "password", "current-password");
            w.Button("Sign in");
            if (PasskeysAddPage.PasskeysOffered(page)) w.Button("Sign in with passkey", "WEB_AUTHN", secondary: true);
            w.FormEnd();
        }
        w.ProviderButtons(ProviderLinks(page), afterForm: native);
        if (native && !choice) w.Link(page.Url("/forgotPassword"), "Forgot your password?");
        if (native && PageForms.SelfSignUp(page)) w.Link(page.Url("/signup"), "Sign up", "Need an account?");
        return page.Page(w);
    }

    /// <summary>True when the client offers sign-in with the pool's own users (COGNITO among its SupportedIdentityProviders).</summary>
    public static bool Native(PageContext page) => page.Client.Config.SupportedIdentityProviders?.Contains("COGNITO", StringComparer.Ordinal) == true;

    /// <summary>
    /// One <c>/oauth2/authorize</c> link per external provider of the client (its SupportedIdentityProviders other than
    /// COGNITO, in their order): the authorization request with <c>identity_provider={name}</c>, as Cognito's buttons.
    /// </summary>
    internal static IReadOnlyList<(string Href, string Name)> ProviderLinks(PageContext page)
    {
        var supported = page.Client.Config.SupportedIdentityProviders ?? [];
        if (supported.All(static p => p == "COGNITO")) return [];
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in PageContext.OAuthParameters)
        {
            if (name is "identity_provider" or "idp_identifier") continue;
            if (page.Http.Request.Query.TryGetValue(name, out var v) && v.Count > 0 && v[0] is { } value) parameters[name] = value;
        }
        var links = new List<(string, string)>();
        foreach (var provider in supported)
        {
            if (provider == "COGNITO") continue;
            parameters["identity_provider"] = provider;
            links.Add((page.Http.Request.PathBase + "/oauth2/authorize" + PageContext.CanonicalQuery(parameters), provider));
        }
        return links;
    }

    /// <summary><c>GET /login</c>.</summary>
    public static Task<IResult> GetAsync(HttpContext http) => PageContext.RenderAsync(http, page => Render(page, null, null));

    /// <summary><c>POST /login</c>: the sign-in form, or (with <c>_state</c>) the answer to a challenge step.</summary>
    public static async Task<IResult> PostAsync(HttpContext http)
    {
        var (form, page, stop) = await PageContext.OpenPostAsync(http);
        if (stop is not null) return stop;
        if (!Native(page!)) return ErrorPage.Render(ErrorPage.GenericMessage);
        if (form!.ContainsKey("_state"))
        {
            var state = page!.OpenState(form);
            if (state is null || SignInPages.StepOf(state) is not { } step) return ErrorPage.Render(PageForms.StateMessage);
            return await step.AnswerAsync(page, state, form);
        }
        var username = PageForms.Field(form, "username");
        if (form["action"].ToString() == "WEB_AUTHN" && PasskeysAddPage.PasskeysOffered(page!))
        {
            return await SignInPages.StartAsync(page!, "USER_AUTH", username,
                new Dictionary<string, string>(StringComparer.Ordinal) { ["USERNAME"] = username, ["PREFERRED_CHALLENGE"] = "WEB_AUTHN" });
        }
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
