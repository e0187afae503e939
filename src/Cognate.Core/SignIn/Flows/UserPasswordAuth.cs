using Cognate.Core.Errors;
using Cognate.Core.SignIn.Steps;
using Cognate.Core.Users;
using static Cognate.Core.CognitoConstants;

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
/// Triggers: an unknown name is first offered to the pool's UserMigration function (<see cref="UserMigrationService"/>; the
/// migrated user then signs in in the same call), then PreAuthentication runs before anything about the user is judged
/// (<see cref="AuthenticationTriggers"/>).
/// </remarks>
public sealed class UserPasswordAuth(UserService users, PasswordProof proof, AfterFirstFactor afterFirstFactor,
    UserMigrationService? migration = null, AuthenticationTriggers? triggers = null) : ISignInFlow
{
    /// <inheritdoc/>
    public IReadOnlyList<string> Names { get; } = [AuthFlows.UserPasswordAuth, AuthFlows.AdminUserPasswordAuth, AuthFlows.AdminNoSrpAuth];

    /// <inheritdoc/>
    public async ValueTask<StepResult> StartAsync(SignInRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Get(AuthParameters.Username) is not { } username) return new StepResult.Fail(SignInRequest.Missing(AuthParameters.Username));
        if (request.Get(AuthParameters.Password) is not { } password) return new StepResult.Fail(SignInRequest.Missing(AuthParameters.Password));
        if (UserLookup.SecretHashError(request.Client, request.Raw(AuthParameters.SecretHash), username) is { } hashError) return new StepResult.Fail(hashError);
        var pool = request.Pool;
        var user = await users.FindAsync(pool, username, ct).ConfigureAwait(false);
        if (user is null && migration is not null && UserMigrationService.Enabled(pool))
        {
            try
            {
                user = await migration.OnSignInAsync(pool, request.Client, username, password, request.ClientMetadata, ct).ConfigureAwait(false);
            }
            catch (CognitoException ex)
            {
                return StepResult.Failed(ex); // nothing was written
            }
        }
        bool hide = UserLookup.HidesExistence(request);
        if ((user is not null || hide) && triggers is not null && await triggers.PreAuthenticationAsync(request, user, username, ct).ConfigureAwait(false) is { } denied)
        {
            return denied;
        }
        if (user is null)
        {
            if (!hide) return StepResult.Failed(CognitoErrors.UserNotFound());
            UserService.CheckPasswordOfUnknownUser(pool, username, password); // the same exponentiation as a real check
            return StepResult.Failed(CognitoErrors.IncorrectUsernameOrPassword());
        }
        if (!hide && UserLookup.CannotSignIn(user) is { } early) return new StepResult.Fail(early); // LEGACY: before the password
        return await proof.CheckAsync(request, user, () => UserService.CheckPassword(pool, user, password), next =>
            // PreventUserExistenceErrors: only once the password is proven
            UserLookup.CannotSignIn(user) is { } refused ? ValueTask.FromResult<StepResult>(new StepResult.Fail(refused))
                : afterFirstFactor.NextAsync(next, user, ct), ct, password).ConfigureAwait(false);
    }
}
