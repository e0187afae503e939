namespace Cognate.Server.ManagedLogin.Steps;

/// <summary>
/// The password page of choice-based sign-in, after <c>Sign in with password</c> at SELECT_CHALLENGE: <c>Password</c>,
/// button <c>Sign in</c>; answers SELECT_CHALLENGE with ANSWER=PASSWORD and PASSWORD. A wrong password ends the engine's
/// session (Failed): the sign-in page is shown again with "Incorrect username or password.".
/// </summary>
internal sealed class PasswordStep : IChallengeStep
{
    public IReadOnlyList<string> Names { get; } = ["PASSWORD"];

    public PageWriter Render(PageContext page, FlowState state, string sealedState, string? error) =>
        new PageWriter { Title = "Sign in" }
            .Alert(error)
            .Text($"Enter the password of {state.Username}.")
            .FormStart(page.Url("/login"), page.CsrfToken, sealedState)
            .Input("password", "Password", "password", "current-password")
            .Button("Sign in")
            .FormEnd()
            .Link(page.Url("/forgotPassword"), "Forgot your password?");

    public async ValueTask<IResult> AnswerAsync(PageContext page, FlowState state, IFormCollection form) =>
        await SignInPages.RespondAsync(page, state, "SELECT_CHALLENGE", new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ANSWER"] = "PASSWORD",
            ["PASSWORD"] = form["password"].ToString(),
        });
}
