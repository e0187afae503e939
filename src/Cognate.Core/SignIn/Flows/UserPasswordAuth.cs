using Cognate.Core.Errors;
using Cognate.Core.SignIn.Steps;
using Cognate.Core.Users;

namespace Cognate.Core.SignIn.Flows;

/// <summary>
/// USER_PASSWORD_AUTH (InitiateAuth), ADMIN_USER_PASSWORD_AUTH and ADMIN_NO_SRP_AUTH (AdminInitiateAuth; the engine's door
/// rules decide which name is allowed where): the password sent in the clear over TLS. AuthParameters: USERNAME (or an alias),
/// PASSWORD, SECRET_HASH when the client has a secret.
/// </summary>
/// <remarks>
/// Order: USERNAME, PASSWORD, SECRET_HASH, the user; then by PreventUserExistenceErrors: LEGACY answers UserNotFoundException,
/// and a disabled / RESET_REQUIRED / UNCONFIRMED user before the password; ENABLED answers "Incorrect username or password."
/// for an unknown user (after the same password work as a real check) and tells a user's state only once the password is
/// proven. Then the lockout (<see cref="PasswordProof"/>) and <see cref="AfterFirstFactor"/>.
/// </remarks>
public sealed class UserPasswordAuth(UserService users, PasswordProof proof, AfterFirstFactor afterFirstFactor) : ISignInFlow
{
    /// <inheritdoc/>
    public IReadOnlyList<string> Names { get; } = ["USER_PASSWORD_AUTH", "ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"];

    /// <inheritdoc/>
    public async ValueTask<StepResult> StartAsync(SignInRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Get("USERNAME") is not { } username) return new StepResult.Fail(SignInRequest.Missing("USERNAME"));
        if (request.Get("PASSWORD") is not { } password) return new StepResult.Fail(SignInRequest.Missing("PASSWORD"));
        if (UserLookup.SecretHashError(request.Client, request.Raw("SECRET_HASH"), username) is { } hashError) return new StepResult.Fail(hashError);
        var pool = request.Pool;
        var user = await users.FindAsync(pool, username, ct).ConfigureAwait(false);
        bool hide = UserLookup.HidesExistence(request);
        if (user is null)
        {
            if (!hide) return StepResult.Failed(CognitoErrors.UserNotFound());
            UserService.CheckPasswordOfUnknownUser(pool, username, password); // the same exponentiation as a real check
            return StepResult.Failed(CognitoErrors.IncorrectUsernameOrPassword());
        }
        if (!hide && UserLookup.CannotSignIn(user) is { } early) return new StepResult.Fail(early); // LEGACY: before the password
        return await proof.CheckAsync(pool, user, () => UserService.CheckPassword(pool, user, password), () =>
            // PreventUserExistenceErrors: only once the password is proven
            UserLookup.CannotSignIn(user) is { } refused ? ValueTask.FromResult<StepResult>(new StepResult.Fail(refused))
                : afterFirstFactor.NextAsync(request, user, ct), ct).ConfigureAwait(false);
    }
}
