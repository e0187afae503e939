using Cognate.Core.Errors;

namespace Cognate.Core.SignIn.Challenges;

/// <summary>
/// WEB_AUTHN (passkeys): not built yet. Answered before any session is taken with UnsupportedOperationException
/// "WEB_AUTHN (passkey) sign-in is not supported by Cognate yet."; USER_AUTH never offers it.
/// </summary>
public sealed class WebAuthn : IChallenge
{
    /// <summary>The error every WEB_AUTHN request answers (also PREFERRED_CHALLENGE / ANSWER = WEB_AUTHN).</summary>
    public static CognitoError Unsupported => CognitoErrors.UnsupportedOperation("WEB_AUTHN (passkey) sign-in is not supported by Cognate yet.").Error;

    /// <inheritdoc/>
    public string Name => "WEB_AUTHN";

    /// <inheritdoc/>
    public bool NeedsSession => false;

    /// <inheritdoc/>
    public ValueTask<StepResult> RespondAsync(SignInRequest request, SignInState? state, CancellationToken ct) =>
        ValueTask.FromResult<StepResult>(new StepResult.Fail(Unsupported));
}
