using System.Text.Json;
using System.Text.Json.Nodes;
using Cognate.Core.Errors;

namespace Cognate.Server.ManagedLogin.Steps;

/// <summary>
/// MFA_SETUP (the pool requires MFA and the user has none). With SOFTWARE_TOKEN_MFA in MFAS_CAN_SETUP: the page associates
/// a secret (AssociateSoftwareToken with the Session), shows it (<c>data-testid="totp-secret"</c>) and its otpauth QR code,
/// and <c>Verify</c> runs VerifySoftwareToken with <c>Code</c>, then answers MFA_SETUP. With EMAIL_OTP: <c>Email</c> and
/// <c>Send code</c> answer MFA_SETUP with EMAIL, and the engine continues with the EMAIL_OTP code page.
/// </summary>
internal sealed class MfaSetupStep : IChallengeStep
{
    public IReadOnlyList<string> Names { get; } = ["MFA_SETUP"];

    public async ValueTask<FlowState> PrepareAsync(PageContext page, FlowState state)
    {
        if (!Options(state).Contains("SOFTWARE_TOKEN_MFA") || state.TotpSecret is not null || state.Session is null) return state;
        var response = await PageActions.InvokeAsync(page.Http, "AssociateSoftwareToken", new JsonObject { ["Session"] = state.Session });
        return state with
        {
            TotpSecret = PageActions.String(response, "SecretCode"),
            Session = PageActions.String(response, "Session") ?? state.Session,
        };
    }

    public PageWriter Render(PageContext page, FlowState state, string sealedState, string? error)
    {
        var options = Options(state);
        var w = new PageWriter { Title = "Set up multi-factor authentication" }.Alert(error);
        if (options.Contains("SOFTWARE_TOKEN_MFA") && state.TotpSecret is { Length: > 0 } secret)
        {
            var issuer = page.Pool.Config.PoolName is { Length: > 0 } n ? n : page.Pool.Id;
            w.Text("Scan the QR code with your authenticator app, or enter the secret key, then enter the code the app shows.")
                .Trusted("<div class=\"qr\">" + TotpQrCode.Svg(TotpQrCode.Uri(issuer, state.Username, secret)) + "</div>\n")
                .Code("Secret key:", secret, "totp-secret")
                .FormStart(page.Url("/login"), page.CsrfToken, sealedState)
                .Input("code", "Code", "text", "one-time-code", inputMode: "numeric")
                .Button("Verify", "totp")
                .FormEnd();
        }
        if (options.Contains("EMAIL_OTP"))
        {
            if (options.Contains("SOFTWARE_TOKEN_MFA")) w.Text("Or receive your codes by email:");
            w.FormStart(page.Url("/login"), page.CsrfToken, sealedState)
                .Input("email", "Email", "email", "email")
                .Button("Send code", "email", secondary: options.Contains("SOFTWARE_TOKEN_MFA"))
                .FormEnd();
        }
        return w;
    }

    public async ValueTask<IResult> AnswerAsync(PageContext page, FlowState state, IFormCollection form)
    {
        var action = form["action"].ToString();
        if (action == "email" && Options(state).Contains("EMAIL_OTP"))
        {
            return await SignInPages.RespondAsync(page, state, "MFA_SETUP", new Dictionary<string, string>(StringComparer.Ordinal) { ["EMAIL"] = form["email"].ToString().Trim() });
        }
        if (state.Session is null || state.TotpSecret is null) return SignInPages.Again(page, state, ErrorPage.GenericMessage);
        string session;
        try
        {
            var verified = await PageActions.InvokeAsync(page.Http, "VerifySoftwareToken",
                new JsonObject { ["Session"] = state.Session, ["UserCode"] = form["code"].ToString().Trim() });
            session = PageActions.String(verified, "Session") ?? state.Session;
        }
        catch (CognitoException ex) when (ex.Error.Type != "NotAuthorizedException")
        {
            // VerifySoftwareToken keeps the MFA_SETUP session on a wrong code (EnableSoftwareTokenMFAException, CodeMismatchException).
            return SignInPages.Again(page, state, ex.Error.Message);
        }
        catch (CognitoException ex)
        {
            return LoginPage.Render(page, state.Username, ex.Error.Message);
        }
        return await SignInPages.RespondAsync(page, state, "MFA_SETUP", new Dictionary<string, string>(StringComparer.Ordinal), session);
    }

    static List<string> Options(FlowState state)
    {
        try { return state.Parameter("MFAS_CAN_SETUP") is { } json ? JsonSerializer.Deserialize(json, StepJson.Default.ListString) ?? [] : []; }
        catch (JsonException) { return []; }
    }
}
