using Cognate.Core.Mfa;
using Cognate.Core.SignIn.Steps;

namespace Cognate.Core.SignIn.Challenges;

/// <summary>
/// SOFTWARE_TOKEN_MFA: a TOTP code from the user's authenticator app. Response: USERNAME, SOFTWARE_TOKEN_MFA_CODE,
/// SECRET_HASH when the client has a secret. A code is accepted once (±30 s window; a reused step answers
/// ExpiredCodeException). A wrong or reused code keeps the session until the third (CodeMismatchException /
/// ExpiredCodeException); a user without a TOTP secret ends it (SoftwareTokenMFANotFoundException), as does the
/// second-factor lockout.
/// </summary>
public sealed class SoftwareTokenMfa(SessionUser sessionUser, CodeChallenge codes, MfaService mfa, Completion completion) : IChallenge
{
    /// <inheritdoc/>
    public string Name => MfaFactor.SoftwareToken;

    /// <inheritdoc/>
    public async ValueTask<StepResult> RespondAsync(SignInRequest request, SignInState? state, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(state);
        var (user, stop) = await sessionUser.ResolveAsync(request, state, SessionUser.Default, ct).ConfigureAwait(false);
        if (stop is not null) return stop;
        if (request.Get("SOFTWARE_TOKEN_MFA_CODE") is not { } code) return new StepResult.Retry(SignInRequest.Missing("SOFTWARE_TOKEN_MFA_CODE"), state);
        var pool = request.Pool;
        if (await codes.CheckAsync(pool, user!, state, () => mfa.ConsumeTotpAsync(pool, user!, code, ct), ct).ConfigureAwait(false) is { } wrong) return wrong;
        return await completion.SignedInAsync(request, user!, ct).ConfigureAwait(false);
    }
}
