namespace Cognate.Server.ManagedLogin.Steps;

/// <summary>
/// A one-time code: SOFTWARE_TOKEN_MFA (authenticator app), SMS_MFA, EMAIL_OTP (email MFA, passwordless first factor, and
/// the code step of MFA setup by email) and SMS_OTP (passwordless). Input <c>Code</c>, button <c>Sign in</c>; where the code
/// was sent (CODE_DELIVERY_DESTINATION, masked) is shown. A wrong code is a Retry until the engine ends the challenge.
/// </summary>
internal sealed class CodeStep : IChallengeStep
{
    public IReadOnlyList<string> Names { get; } = ["SOFTWARE_TOKEN_MFA", "SMS_MFA", "EMAIL_OTP", "SMS_OTP"];

    public PageWriter Render(PageContext page, FlowState state, string sealedState, string? error)
    {
        var w = new PageWriter { Title = state.Step == "SOFTWARE_TOKEN_MFA" ? "Authenticator app" : "Enter your code" }.Alert(error);
        if (state.Step == "SOFTWARE_TOKEN_MFA")
        {
            w.Text("Enter the code from your authenticator app" + (state.Parameter("FRIENDLY_DEVICE_NAME") is { Length: > 0 } device ? $" ({device})." : "."));
        }
        else
        {
            var medium = state.Parameter("CODE_DELIVERY_DELIVERY_MEDIUM") == "SMS" ? "text message" : "email";
            w.Text(state.Parameter("CODE_DELIVERY_DESTINATION") is { Length: > 0 } to
                ? $"We sent a code by {medium} to {to}. Enter it below."
                : $"We sent a code by {medium}. Enter it below.");
        }
        return w.FormStart(page.Url("/login"), page.CsrfToken, sealedState)
            .Input("code", "Code", "text", "one-time-code", inputMode: "numeric")
            .Button("Sign in")
            .FormEnd();
    }

    public async ValueTask<IResult> AnswerAsync(PageContext page, FlowState state, IFormCollection form)
    {
        var field = state.Step switch
        {
            "SOFTWARE_TOKEN_MFA" => "SOFTWARE_TOKEN_MFA_CODE",
            "SMS_MFA" => "SMS_MFA_CODE",
            "EMAIL_OTP" => "EMAIL_OTP_CODE",
            _ => "SMS_OTP_CODE",
        };
        var code = form["code"].ToString().Trim();
        return await SignInPages.RespondAsync(page, state, state.Step, new Dictionary<string, string>(StringComparer.Ordinal) { [field] = code });
    }
}
