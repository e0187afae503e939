using System.Collections.Frozen;
using Cognate.Core.Errors;
using Cognate.Core.SignIn;
using Cognate.Server.ManagedLogin.Steps;
using Cognate.Server.OAuth.Authorize;

namespace Cognate.Server.ManagedLogin;

/// <summary>
/// The managed-login front door of the sign-in engine: every sign-in step of the pages goes through
/// <see cref="SignInEngine"/> with <see cref="SignInDoor.ManagedLogin"/>, and its <see cref="SignInResult"/> is rendered here:
/// <see cref="SignInResult.SignedIn"/> ends with <see cref="AuthorizeCompletion"/> (the 302 to the app with a code),
/// <see cref="SignInResult.ChallengeIssued"/> is the page of that step (<see cref="IChallengeStep"/>),
/// <see cref="SignInResult.Retry"/> the same page again with the error in <c>role="alert"</c>, and
/// <see cref="SignInResult.Failed"/> the sign-in page with the error (or the confirm-sign-up / reset-code page when the
/// error is UserNotConfirmedException / PasswordResetRequiredException, as Cognito's hosted UI does).
/// </summary>
internal static class SignInPages
{
    /// <summary>The page of every challenge the pages can answer, by ChallengeName (and the <c>PASSWORD</c> page step).</summary>
    static readonly FrozenDictionary<string, IChallengeStep> Steps = new IChallengeStep[]
    {
        new NewPasswordRequiredStep(), new CodeStep(), new SelectMfaTypeStep(), new MfaSetupStep(), new SelectChallengeStep(), new PasswordStep(), new WebAuthnStep(),
    }.SelectMany(s => s.Names.Select(n => (n, s))).ToFrozenDictionary(x => x.n, x => x.s, StringComparer.Ordinal);

    /// <summary>Starts <paramref name="flow"/> (USER_PASSWORD_AUTH or USER_AUTH) with <paramref name="parameters"/> (SECRET_HASH added here).</summary>
    public static async ValueTask<IResult> StartAsync(PageContext page, string flow, string username, Dictionary<string, string> parameters, string? session = null)
    {
        if (page.SecretHashFor(username) is { } hash) parameters["SECRET_HASH"] = hash;
        SignInResult result;
        try
        {
            await PageActions.CheckQuotaAsync(page.Http, "InitiateAuth", page.Client.ClientId);
            result = await Engine(page).StartAsync(Request(page, flow, parameters, session), page.Http.RequestAborted);
        }
        catch (CognitoException ex)
        {
            result = new SignInResult.Failed(ex.Error);
        }
        return await RenderAsync(page, result, username, null);
    }

    /// <summary>Answers the challenge of <paramref name="state"/> as <paramref name="challengeName"/> with <paramref name="responses"/>
    /// (USERNAME and SECRET_HASH added here).</summary>
    public static async ValueTask<IResult> RespondAsync(PageContext page, FlowState state, string challengeName, Dictionary<string, string> responses, string? session = null)
    {
        responses["USERNAME"] = state.Username;
        if (page.SecretHashFor(state.Username) is { } hash) responses["SECRET_HASH"] = hash;
        SignInResult result;
        try
        {
            await PageActions.CheckQuotaAsync(page.Http, "RespondToAuthChallenge", page.Client.ClientId);
            result = await Engine(page).RespondAsync(Request(page, challengeName, responses, session ?? state.Session), page.Http.RequestAborted);
        }
        catch (CognitoException ex) when (ex.Error.Type == "TooManyRequestsException")
        {
            result = new SignInResult.Retry(ex.Error, session ?? state.Session ?? "");
        }
        return await RenderAsync(page, result, state.Username, state);
    }

    /// <summary>Renders the step of <paramref name="state"/> again with <paramref name="error"/> (a mistake caught by the page itself).</summary>
    public static IResult Again(PageContext page, FlowState state, string? error) =>
        Steps.TryGetValue(state.Step, out var step)
            ? page.Page(step.Render(page, state, page.Seal(state.Step, state.Username, state.Session, state.Parameters, state.Options, state.TotpSecret), error))
            : LoginPage.Render(page, state.Username, ErrorPage.GenericMessage);

    /// <summary>The page of a state's step (for <c>POST /login</c> with <c>_state</c>).</summary>
    public static IChallengeStep? StepOf(FlowState state) => Steps.GetValueOrDefault(state.Step);

    /// <summary>Turns an engine result into the answer of the page.</summary>
    public static async ValueTask<IResult> RenderAsync(PageContext page, SignInResult result, string username, FlowState? previous)
    {
        switch (result)
        {
            case SignInResult.SignedIn signedIn:
                if (await PasskeysAddPage.OfferAsync(page, signedIn.User, signedIn.AuthTime) is { } offer) return offer;
                return await page.Http.RequestServices.GetRequiredService<AuthorizeCompletion>()
                    .CompleteAsync(page.Http, page.Valid, signedIn.User, signedIn.AuthTime, ct: page.Http.RequestAborted);
            case SignInResult.ChallengeIssued challenge:
                return await IssueAsync(page, challenge, username);
            case SignInResult.Retry retry when previous is not null && Steps.TryGetValue(previous.Step, out var step):
                var sealedState = page.Seal(previous.Step, previous.Username, retry.Session, previous.Parameters, previous.Options, previous.TotpSecret);
                return page.Page(step.Render(page, previous with { Session = retry.Session }, sealedState, retry.Error.Message));
            case SignInResult.Retry retry:
                return LoginPage.Render(page, username, retry.Error.Message);
            case SignInResult.Failed failed:
                return await FailedAsync(page, failed.Error, username);
            default:
                throw new InvalidOperationException("Unknown SignInResult.");
        }
    }

    static async ValueTask<IResult> IssueAsync(PageContext page, SignInResult.ChallengeIssued challenge, string username)
    {
        if (!Steps.TryGetValue(challenge.ChallengeName, out var step))
        {
            return LoginPage.Render(page, username, $"The {challenge.ChallengeName} challenge is not supported by Cognate's managed login pages.");
        }
        var name = challenge.Parameters.TryGetValue("USER_ID_FOR_SRP", out var id) && id.Length > 0 ? id : username;
        var state = new FlowState(page.Client.ClientId, challenge.ChallengeName, name, challenge.Session,
            new Dictionary<string, string>(challenge.Parameters, StringComparer.Ordinal), challenge.AvailableChallenges?.ToList(), null,
            page.Now.ToUnixTimeSeconds(), FlowState.HashCsrf(page.CsrfToken));
        string? error = null;
        try
        {
            state = await step.PrepareAsync(page, state);
        }
        catch (CognitoException ex)
        {
            error = ex.Error.Message;
        }
        if (state.Step != challenge.ChallengeName && Steps.TryGetValue(state.Step, out var next)) step = next; // a step may hand over at once
        return page.Page(step.Render(page, state, page.Seal(state.Step, state.Username, state.Session, state.Parameters, state.Options, state.TotpSecret), error));
    }

    static async ValueTask<IResult> FailedAsync(PageContext page, CognitoError error, string username)
    {
        if (error.Type == "UserNotConfirmedException" && username.Length > 0)
        {
            // Cognito's hosted UI sends a new code and asks for it (the confirmed user is then asked to sign in again).
            return await ConfirmUserPage.ResendAndRenderAsync(page, username, null);
        }
        if (error.Type == "PasswordResetRequiredException" && username.Length > 0)
        {
            // AdminResetUserPassword already sent the reset code: ask for it and the new password.
            return ConfirmForgotPasswordPage.Render(page, username, null, error.Message);
        }
        return LoginPage.Render(page, username, error.Message);
    }

    static SignInEngine Engine(PageContext page) => page.Http.RequestServices.GetRequiredService<SignInEngine>();

    static SignInRequest Request(PageContext page, string name, Dictionary<string, string> parameters, string? session) =>
        new(page.Pool, page.Client, SignInDoor.ManagedLogin, name, parameters, session, OAuth.OAuthEndpoints.Issuer(page.Http, page.Pool));
}
