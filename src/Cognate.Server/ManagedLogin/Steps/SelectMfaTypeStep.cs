using System.Text.Json;

namespace Cognate.Server.ManagedLogin.Steps;

/// <summary>
/// SELECT_MFA_TYPE: the user has several MFA factors and no preferred one. Radio buttons <c>Authenticator app</c>,
/// <c>SMS</c>, <c>Email</c> for the factors of MFAS_CAN_CHOOSE; button <c>Continue</c>; the answer is ANSWER.
/// </summary>
internal sealed class SelectMfaTypeStep : IChallengeStep
{
    public IReadOnlyList<string> Names { get; } = ["SELECT_MFA_TYPE"];

    public PageWriter Render(PageContext page, FlowState state, string sealedState, string? error)
    {
        var w = new PageWriter { Title = "Choose a sign-in method" }
            .Alert(error)
            .Text("How do you want to receive your sign-in code?")
            .FormStart(page.Url("/login"), page.CsrfToken, sealedState)
            .Trusted("<fieldset><legend class=\"label-customizable\">MFA type</legend>\n");
        bool first = true;
        foreach (var factor in Factors(state))
        {
            w.Radio("mfa", factor, LabelOf(factor), first);
            first = false;
        }
        return w.Trusted("</fieldset>\n").Button("Continue").FormEnd();
    }

    public async ValueTask<IResult> AnswerAsync(PageContext page, FlowState state, IFormCollection form)
    {
        var choice = form["mfa"].ToString();
        if (!Factors(state).Contains(choice, StringComparer.Ordinal)) return SignInPages.Again(page, state, "Choose a sign-in method.");
        return await SignInPages.RespondAsync(page, state, "SELECT_MFA_TYPE", new Dictionary<string, string>(StringComparer.Ordinal) { ["ANSWER"] = choice });
    }

    static string LabelOf(string factor) => factor switch
    {
        "SOFTWARE_TOKEN_MFA" => "Authenticator app",
        "SMS_MFA" => "SMS",
        "EMAIL_OTP" => "Email",
        _ => factor,
    };

    static List<string> Factors(FlowState state)
    {
        try { return state.Parameter("MFAS_CAN_CHOOSE") is { } json ? JsonSerializer.Deserialize(json, StepJson.Default.ListString) ?? [] : []; }
        catch (JsonException) { return []; }
    }
}
