using Cognate.Core.Passkeys;
using Cognate.Core.SignIn.Steps;
using static Cognate.Core.CognitoConstants;

namespace Cognate.Core.SignIn.Challenges;

/// <summary>
/// WEB_AUTHN (USER_AUTH with a passkey): ChallengeParameters CREDENTIAL_REQUEST_OPTIONS; response USERNAME, CREDENTIAL (the
/// AuthenticationResponseJSON as a string). The session is taken once, so the challenge in it is single use; the assertion
/// is checked by <see cref="PasskeyService.VerifyAssertionAsync"/> (one of this user's passkeys, origin, rpIdHash, user
/// presence / verification, signature, counter). A missing CREDENTIAL keeps the session; any failed check ends it with
/// NotAuthorizedException. A passkey is a first factor that already proves possession and (as configured) user
/// verification, so no MFA follows (as Cognito: passwordless sign-in does not prompt for MFA).
/// </summary>
public sealed class WebAuthn(SessionUser sessionUser, PasskeyService passkeys, Completion completion) : IChallenge
{
    /// <inheritdoc/>
    public string Name => ChallengeNames.WebAuthn;

    /// <inheritdoc/>
    public async ValueTask<StepResult> RespondAsync(SignInRequest request, SignInState? state, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(state);
        var (user, stop) = await sessionUser.ResolveAsync(request, state, SessionUser.Default, ct).ConfigureAwait(false);
        if (stop is not null) return stop;
        if (request.Get(ChallengeParameters.Credential) is not { } credential) return new StepResult.Retry(SignInRequest.Missing(ChallengeParameters.Credential), state);
        if (state.RequestOptions is null) return new StepResult.Fail(SignInEngine.StaleSession);
        if (await passkeys.VerifyAssertionAsync(request.Pool, user!, state.RequestOptions, credential, ct).ConfigureAwait(false) is { } error) return new StepResult.Fail(error);
        return await completion.SignedInAsync(request, user!, ct).ConfigureAwait(false);
    }
}
