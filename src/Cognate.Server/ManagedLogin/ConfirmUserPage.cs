using System.Text.Json;
using System.Text.Json.Nodes;
using Cognate.Core.Errors;

namespace Cognate.Server.ManagedLogin;

/// <summary>
/// <c>/confirmUser</c>: the sign-up confirmation page, <c>Confirmation code</c> and <c>Confirm account</c>, link
/// <c>Resend code</c>. After a sign-up on these pages the flow state carries the username and the SignUp Session, and a
/// correct code signs the user in (ConfirmSignUp's Session → USER_AUTH → the 302 with a code); reached directly it also asks
/// for the username and, once confirmed, shows the sign-in page. The emailed link form
/// <c>/confirmUser?client_id=&amp;user_name=&amp;confirmation_code=</c> (no authorization request) confirms at once.
/// </summary>
internal static class ConfirmUserPage
{
    const string Step = "CONFIRM_SIGN_UP";

    /// <summary>The confirmation page for <paramref name="username"/> (null: the page asks for it).</summary>
    public static IResult Render(PageContext page, string? username, string? session, string? destination, string? error, string? status)
    {
        var sealedState = username is null ? null : page.Seal(Step, username, session,
            destination is null ? null : new Dictionary<string, string>(StringComparer.Ordinal) { ["CODE_DELIVERY_DESTINATION"] = destination });
        var w = new PageWriter { Title = "Confirm your account" }.Alert(error).Status(status);
        w.Text(destination is { Length: > 0 } ? $"We sent a code to {destination}. Enter it below to confirm your account." : "Enter the code we sent you to confirm your account.");
        w.FormStart(page.Url("/confirmUser"), page.CsrfToken, sealedState);
        if (username is null) w.Input("username", page.UsernameLabel, page.UsernameType, "username", page.Valid.Request.LoginHint);
        w.Input("code", "Confirmation code", "text", "one-time-code", inputMode: "numeric").Button("Confirm account").FormEnd();
        if (sealedState is not null)
        {
            w.Link(page.Url("/confirmUser") + "&resend=1&_state=" + Uri.EscapeDataString(sealedState), "Resend code", "Didn't receive a code?");
        }
        return page.Page(w);
    }

    /// <summary><c>GET /confirmUser</c>: the page, the emailed link form, or (<c>resend=1</c> with the sealed state) a new code.</summary>
    public static async Task<IResult> GetAsync(HttpContext http)
    {
        var query = http.Request.Query;
        if (!query.ContainsKey("redirect_uri") && query.ContainsKey("user_name") && query.ContainsKey("confirmation_code"))
        {
            return await ConfirmLinkAsync(http, query["client_id"].ToString(), query["user_name"].ToString(), query["confirmation_code"].ToString());
        }
        var (page, stop) = await PageContext.OpenAsync(http);
        if (stop is not null) return stop;
        if (query["resend"] == "1")
        {
            var state = page!.OpenState(query["_state"].ToString());
            if (state is null || state.Step != Step) return ErrorPage.Render(PageForms.StateMessage);
            return await ResendAndRenderAsync(page, state.Username, state.Session);
        }
        return Render(page!, null, null, null, null, null);
    }

    /// <summary>ResendConfirmationCode for <paramref name="username"/>, then the confirmation page (the action's error on it).</summary>
    public static async ValueTask<IResult> ResendAndRenderAsync(PageContext page, string username, string? session)
    {
        try
        {
            var response = await PageActions.InvokeAsync(page.Http, "ResendConfirmationCode", page.UserActionBody(username));
            return Render(page, username, session, PageActions.DeliveryDestination(response), null, "We sent you a new code.");
        }
        catch (CognitoException ex)
        {
            return Render(page, username, session, null, ex.Error.Message, null);
        }
    }

    /// <summary><c>POST /confirmUser</c>: ConfirmSignUp with the code; with the sign-up Session, then signs in.</summary>
    public static async Task<IResult> PostAsync(HttpContext http)
    {
        var (form, page, stop) = await PageContext.OpenPostAsync(http);
        if (stop is not null) return stop;
        if (!page!.TryOpenState(form!, Step, out var state)) return ErrorPage.Render(PageForms.StateMessage);
        var body = page.ConfirmationBody(form!, state, out var username);
        if (state?.Session is { Length: > 0 } signUpSession) body["Session"] = signUpSession;
        JsonElement response;
        try
        {
            response = await PageActions.InvokeAsync(http, "ConfirmSignUp", body);
        }
        catch (CognitoException ex)
        {
            return Render(page, state?.Username, state?.Session, state?.Parameter("CODE_DELIVERY_DESTINATION"), ex.Error.Message, null);
        }
        return PageActions.String(response, "Session") is { } session
            ? await SignInAfterConfirmAsync(page, username, session)
            : LoginPage.Render(page, username, null, "Your account is confirmed. Sign in.");
    }

    /// <summary>Signs the just-confirmed user in with ConfirmSignUp's Session (USER_AUTH), as Cognito's managed login does.</summary>
    public static ValueTask<IResult> SignInAfterConfirmAsync(PageContext page, string username, string session) =>
        SignInPages.StartAsync(page, "USER_AUTH", username, new Dictionary<string, string>(StringComparer.Ordinal) { ["USERNAME"] = username }, session);

    /// <summary>The emailed link: ConfirmSignUp for the client named by <c>client_id</c>; a page saying whether it worked.</summary>
    static async Task<IResult> ConfirmLinkAsync(HttpContext http, string clientId, string username, string code)
    {
        if (!RateLimiting.RequestQuotas.LooksLikeClientId(clientId)) return ErrorPage.Render(ErrorPage.GenericMessage);
        var body = new JsonObject { ["ClientId"] = clientId, ["Username"] = username, ["ConfirmationCode"] = code };
        try
        {
            var (client, _) = await http.RequestServices.GetRequiredService<Core.Clients.AppClientService>().GetWithPoolAsync(clientId, http.RequestAborted);
            if (client.ClientSecret is { } secret) body["SecretHash"] = Core.Crypto.SecretHash.Compute(secret, username, clientId);
            await PageActions.InvokeAsync(http, "ConfirmSignUp", body);
        }
        catch (CognitoException ex)
        {
            return ErrorPage.Render(ex.Error.Message);
        }
        var page = new PageWriter { Title = "Account confirmed" }.Status("Your registration has been confirmed!").Text("You can now sign in to the application.");
        return new HtmlResult(page.Render("en", null), StatusCodes.Status200OK);
    }
}
