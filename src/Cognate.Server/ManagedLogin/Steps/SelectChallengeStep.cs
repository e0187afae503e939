namespace Cognate.Server.ManagedLogin.Steps;

/// <summary>
/// The passwordless choice of choice-based sign-in (USER_AUTH SELECT_CHALLENGE, managed login v2): one button per first
/// factor the engine offers (AvailableChallenges, from the pool's AllowedFirstAuthFactors and the user's verified
/// channels and passkeys): <c>Sign in with password</c> (then <see cref="PasswordStep"/>), <c>Email me a code</c>, <c>Text me a code</c>,
/// <c>Sign in with passkey</c> (then <see cref="WebAuthnStep"/>).
/// When the password is the only factor offered, the password page is shown at once.
/// </summary>
internal sealed class SelectChallengeStep : IChallengeStep
{
    static readonly (string Factor, string Label)[] Buttons =
        [("PASSWORD", "Sign in with password"), ("EMAIL_OTP", "Email me a code"), ("SMS_OTP", "Text me a code"), ("WEB_AUTHN", "Sign in with passkey")];

    public IReadOnlyList<string> Names { get; } = ["SELECT_CHALLENGE"];

    /// <summary>Only the password is offered (the user has no verified channel for a code): the password page at once.</summary>
    public ValueTask<FlowState> PrepareAsync(PageContext page, FlowState state) =>
        ValueTask.FromResult(state.Options is { } o && o.Contains("PASSWORD") && !o.Contains("EMAIL_OTP") && !o.Contains("SMS_OTP") && !o.Contains("WEB_AUTHN")
            ? state with { Step = "PASSWORD" }
            : state);

    public PageWriter Render(PageContext page, FlowState state, string sealedState, string? error)
    {
        var w = new PageWriter { Title = "Sign in" }
            .Alert(error)
            .Text($"Choose how to sign in as {state.Username}.")
            .FormStart(page.Url("/login"), page.CsrfToken, sealedState);
        foreach (var (factor, label) in Buttons)
        {
            if (state.Options?.Contains(factor) == true) w.Button(label, factor, secondary: factor != "PASSWORD");
        }
        return w.FormEnd().Link(page.Url("/login"), "Sign in as a different user");
    }

    public async ValueTask<IResult> AnswerAsync(PageContext page, FlowState state, IFormCollection form)
    {
        var answer = form["action"].ToString();
        if (state.Options?.Contains(answer) != true || answer is not ("PASSWORD" or "EMAIL_OTP" or "SMS_OTP" or "WEB_AUTHN"))
        {
            return SignInPages.Again(page, state, "Choose a sign-in method.");
        }
        if (answer == "PASSWORD")
        {
            var next = state with { Step = "PASSWORD" };
            return SignInPages.Again(page, next, null);
        }
        return await SignInPages.RespondAsync(page, state, "SELECT_CHALLENGE", new Dictionary<string, string>(StringComparer.Ordinal) { ["ANSWER"] = answer });
    }
}
