namespace Cognate.Core.SignIn;

/// <summary>
/// One Cognito AuthFlow (InitiateAuth / AdminInitiateAuth), e.g. USER_SRP_AUTH. Registered in DI; <see cref="SignInEngine"/>
/// finds it by each of its <see cref="Names"/> after the door's checks (admin-only flows, the client's ExplicitAuthFlows).
/// </summary>
public interface ISignInFlow
{
    /// <summary>The AuthFlow values this type starts (e.g. <c>REFRESH_TOKEN_AUTH</c> and <c>REFRESH_TOKEN</c>).</summary>
    IReadOnlyList<string> Names { get; }

    /// <summary>Starts the flow with <see cref="SignInRequest.Parameters"/> (AuthParameters).</summary>
    /// <returns><see cref="StepResult.SignedIn"/>, <see cref="StepResult.Challenge"/> or <see cref="StepResult.Fail"/>
    /// (a flow has no session to keep, so never <see cref="StepResult.Retry"/>).</returns>
    ValueTask<StepResult> StartAsync(SignInRequest request, CancellationToken ct);
}
