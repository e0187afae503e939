namespace Cognate.Server.ManagedLogin.Steps;

/// <summary>
/// The passkey page of choice-based sign-in (USER_AUTH's WEB_AUTHN challenge, after <c>Sign in with passkey</c> on the
/// sign-in page or at SELECT_CHALLENGE): button <c>Sign in with passkey</c>, whose form runs <c>navigator.credentials.get</c>
/// with the challenge's CREDENTIAL_REQUEST_OPTIONS (<see cref="PasskeyScript"/>) and posts the AuthenticationResponseJSON as
/// CREDENTIAL; the engine checks it (<see cref="Core.SignIn.Challenges.WebAuthn"/>) and a good one ends with the redirect and
/// a code. A form posted without a credential keeps the session (the page again with Cognito's missing-parameter message);
/// a refused assertion ends it (the sign-in page with NotAuthorizedException's message).
/// </summary>
internal sealed class WebAuthnStep : IChallengeStep
{
    public IReadOnlyList<string> Names { get; } = ["WEB_AUTHN"];

    public PageWriter Render(PageContext page, FlowState state, string sealedState, string? error) =>
        new PageWriter { Title = "Sign in" }
            .Alert(error)
            .Text($"Use your passkey to sign in as {state.Username}.")
            .PasskeyFormStart(page.Url("/login"), page.CsrfToken, sealedState, "get", state.Parameter("CREDENTIAL_REQUEST_OPTIONS") ?? "{}")
            .Button("Sign in with passkey")
            .FormEnd()
            .Script(page.Http.Request.PathBase)
            .Link(page.Url("/login"), "Sign in as a different user");

    public async ValueTask<IResult> AnswerAsync(PageContext page, FlowState state, IFormCollection form)
    {
        var responses = new Dictionary<string, string>(StringComparer.Ordinal);
        if (form["credential"].ToString() is { Length: > 0 } credential) responses["CREDENTIAL"] = credential;
        return await SignInPages.RespondAsync(page, state, "WEB_AUTHN", responses);
    }
}
