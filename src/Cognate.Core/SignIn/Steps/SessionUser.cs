using Cognate.Core.Errors;
using Cognate.Core.Users;

namespace Cognate.Core.SignIn.Steps;

/// <summary>
/// The common start of every challenge answered with a Session: USERNAME (required; a missing one keeps the session),
/// the session's user (the name may be an alias; another user ends the session with "Invalid session for the user."),
/// SECRET_HASH (computed with the typed name or the internal username), and a disabled user (ends the session).
/// </summary>
public sealed class SessionUser(UserService users)
{
    /// <summary>How a challenge treats a bad SECRET_HASH and a disabled user.</summary>
    /// <param name="SecretHashEndsSession">True: a bad SECRET_HASH is <see cref="StepResult.Fail"/> (NEW_PASSWORD_REQUIRED);
    /// false: <see cref="StepResult.Retry"/> (every other challenge).</param>
    /// <param name="RefuseDisabled">True: a disabled user is <see cref="StepResult.Fail"/> "User is disabled." (every challenge
    /// but NEW_PASSWORD_REQUIRED).</param>
    public readonly record struct Rules(bool SecretHashEndsSession, bool RefuseDisabled);

    /// <summary>The rules of every challenge except NEW_PASSWORD_REQUIRED.</summary>
    public static readonly Rules Default = new(SecretHashEndsSession: false, RefuseDisabled: true);

    /// <summary>Resolves the user of <paramref name="state"/> from the request's USERNAME.</summary>
    /// <returns>The user, or the Retry / Fail to answer instead.</returns>
    public async ValueTask<(User? User, StepResult? Stop)> ResolveAsync(SignInRequest request, SignInState state, Rules rules, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(state);
        if (request.Get("USERNAME") is not { } username) return (null, new StepResult.Retry(SignInRequest.Missing("USERNAME"), state));
        var user = await users.FindAsync(request.Pool, username, ct).ConfigureAwait(false);
        if (user is null || user.Username != state.Username) return (null, StepResult.Failed(CognitoErrors.NotAuthorized("Invalid session for the user.")));
        if (UserLookup.SecretHashError(request.Client, request.Raw("SECRET_HASH"), username, user.Username) is { } hashError)
        {
            return (null, rules.SecretHashEndsSession ? new StepResult.Fail(hashError) : new StepResult.Retry(hashError, state));
        }
        if (rules.RefuseDisabled && !user.Enabled) return (null, StepResult.Failed(CognitoErrors.NotAuthorized("User is disabled.")));
        return (user, null);
    }
}
