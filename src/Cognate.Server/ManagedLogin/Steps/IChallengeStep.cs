namespace Cognate.Server.ManagedLogin.Steps;

/// <summary>
/// The page of one sign-in step (Keycloak's shape: one template per step): how it is rendered from the sealed flow
/// state and how its form becomes the engine's ChallengeResponses (<see cref="SignInPages.RespondAsync"/>).
/// </summary>
internal interface IChallengeStep
{
    /// <summary>The ChallengeNames (or page steps) this page answers.</summary>
    IReadOnlyList<string> Names { get; }

    /// <summary>Work to do when the challenge is issued, before the page is shown (MFA_SETUP: AssociateSoftwareToken).</summary>
    /// <exception cref="Core.Errors.CognitoException">Shown on the page.</exception>
    ValueTask<FlowState> PrepareAsync(PageContext page, FlowState state) => ValueTask.FromResult(state);

    /// <summary>The step's page; <paramref name="error"/> (Cognito's message) goes in <c>role="alert"</c>.</summary>
    PageWriter Render(PageContext page, FlowState state, string sealedState, string? error);

    /// <summary>Answers the step with the POSTed <paramref name="form"/>.</summary>
    ValueTask<IResult> AnswerAsync(PageContext page, FlowState state, IFormCollection form);
}
