using System.Text.Json;
using System.Text.Json.Nodes;
using Cognate.Core.Errors;
using Cognate.Core.Terms;

namespace Cognate.Server.ManagedLogin;

/// <summary>
/// <c>/signup</c>: Username (or Email), Password and one input per required attribute of the pool's schema (labelled
/// <c>Email</c>, <c>Phone number</c>, <c>Name</c>, …); button <c>Sign up</c>, link <c>Sign in</c>. The form runs the SignUp
/// action (same validation, password-policy messages, quotas); then the confirmation page asks for the code, and the
/// SignUp Session (SIGN_UP → SIGN_UP_CONFIRMED, used by USER_AUTH) signs the user in once confirmed.
/// </summary>
internal static class SignUpPage
{
    /// <summary>
    /// The attributes the form asks for: the pool's auto-verified attributes (the confirmation code is sent there) and the
    /// required attributes of its schema, in that order; the sign-in attribute itself is not asked twice.
    /// </summary>
    public static List<string> RequiredAttributes(PageContext page)
    {
        var usernameAttributes = page.Pool.Config.UsernameAttributes ?? [];
        return (page.Pool.Config.AutoVerifiedAttributes ?? [])
            .Concat((page.Pool.Config.SchemaAttributes ?? []).Where(a => a.Required == true && a.Name is { Length: > 0 } && a.Name != "sub").Select(a => a.Name!))
            .Distinct(StringComparer.Ordinal)
            .Where(name => !(usernameAttributes.Count == 1 && usernameAttributes[0] == name))
            .ToList();
    }

    /// <summary>
    /// The links of the client's terms documents for the page's <c>lang</c>, or null: Cognito shows them only once the client has
    /// both a <c>terms-of-use</c> and a <c>privacy-policy</c> document with a link for the language or <c>cognito:default</c>.
    /// </summary>
    static async ValueTask<(string TermsOfUse, string PrivacyPolicy)?> TermsAsync(PageContext page)
    {
        var docs = await page.Http.RequestServices.GetRequiredService<TermsService>().ForClientAsync(page.Pool.Id, page.Client.ClientId, page.Http.RequestAborted);
        if (!docs.TryGetValue("terms-of-use", out var terms) || !docs.TryGetValue("privacy-policy", out var privacy)) return null;
        var (t, p) = (TermsService.LinkFor(terms, page.Valid.Request.Lang), TermsService.LinkFor(privacy, page.Valid.Request.Lang));
        return t is null || p is null ? null : (t, p);
    }

    /// <summary>The sign-up page (values kept after an error, never the password), with the client's terms links when it has both.</summary>
    public static IResult Render(PageContext page, IFormCollection? values, string? error, (string TermsOfUse, string PrivacyPolicy)? terms = null)
    {
        if (!PageForms.SelfSignUp(page)) return ErrorPage.Render("SignUp is not permitted for this user pool.");
        var w = new PageWriter { Title = "Sign up" }
            .Alert(error)
            .FormStart(page.Url("/signup"), page.CsrfToken)
            .Input("username", page.UsernameLabel, page.UsernameType, "username", values is null ? page.Valid.Request.LoginHint : PageForms.Field(values, "username"))
            .Input("password", "Password", "password", "new-password", required: !Core.SignIn.Steps.FirstFactor.AllowsPasswordless(page.Pool));
        foreach (var attribute in RequiredAttributes(page))
        {
            var field = AttributeLabels.FieldOf(attribute);
            w.Input(field, AttributeLabels.Of(attribute), AttributeLabels.TypeOf(attribute), AttributeLabels.AutocompleteOf(attribute),
                values is null ? null : PageForms.Field(values, field));
        }
        if (terms is { } links) w.TermsLinks(links.TermsOfUse, links.PrivacyPolicy);
        return page.Page(w.Button("Sign up").FormEnd().Link(page.Url("/login"), "Sign in", "Already have an account?"));
    }

    /// <summary>
    /// The SIGN_UP session of a client without ALLOW_USER_AUTH (SignUp returns one only to clients with it): the managed-login
    /// door signs in with every flow of the client enabled, so sign-in after confirmation works the same for every client.
    /// </summary>
    static async ValueTask<string?> SignUpSessionAsync(PageContext page, string username)
    {
        var user = await page.Http.RequestServices.GetRequiredService<Core.Users.UserService>().FindAsync(page.Pool, username, page.Http.RequestAborted);
        if (user is null) return null;
        var client = page.Client with { Config = page.Client.Config with { ExplicitAuthFlows = [.. page.Client.Config.ExplicitAuthFlows ?? [], "ALLOW_USER_AUTH"] } };
        return await page.Http.RequestServices.GetRequiredService<Core.SignIn.Flows.UserAuth>().NewSignUpSessionAsync(page.Pool, client, user.Username, page.Http.RequestAborted);
    }

    /// <summary><c>GET /signup</c>.</summary>
    public static async Task<IResult> GetAsync(HttpContext http)
    {
        var (page, stop) = await PageContext.OpenAsync(http);
        if (stop is not null) return stop;
        return Render(page!, null, null, await TermsAsync(page!));
    }

    /// <summary><c>POST /signup</c>: SignUp, then the confirmation page (or, already confirmed, sign-in).</summary>
    public static async Task<IResult> PostAsync(HttpContext http)
    {
        var (form, page, stop) = await PageContext.OpenPostAsync(http);
        if (stop is not null) return stop;
        if (!PageForms.SelfSignUp(page!)) return ErrorPage.Render("SignUp is not permitted for this user pool.");
        var username = PageForms.Field(form!, "username");
        var password = form!["password"].ToString();
        var attributes = new JsonArray();
        foreach (var attribute in RequiredAttributes(page!))
        {
            var value = PageForms.Field(form, AttributeLabels.FieldOf(attribute));
            if (value.Length > 0) attributes.Add(new JsonObject { ["Name"] = attribute, ["Value"] = value });
        }
        var body = page!.UserActionBody(username);
        body["UserAttributes"] = attributes;
        if (password.Length > 0) body["Password"] = password;
        JsonElement response;
        try
        {
            response = await PageActions.InvokeAsync(http, "SignUp", body);
        }
        catch (CognitoException ex)
        {
            return Render(page, form, ex.Error.Message, await TermsAsync(page));
        }
        var session = PageActions.String(response, "Session") ?? await SignUpSessionAsync(page, username);
        if (response.TryGetProperty("UserConfirmed", out var confirmed) && confirmed.ValueKind == JsonValueKind.True)
        {
            // Confirmed by a trigger: sign in through the sign-up session when there is one, else ask for the password.
            return session is null
                ? LoginPage.Render(page, username, null, "Your account is confirmed. Sign in.")
                : await ConfirmUserPage.SignInAfterConfirmAsync(page, username, session);
        }
        return ConfirmUserPage.Render(page, username, session, PageActions.DeliveryDestination(response), null, null);
    }
}
