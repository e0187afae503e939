using Cognate.Core.Errors;
using Cognate.Core.SignIn.Steps;
using Cognate.Core.Users;
using static Cognate.Core.CognitoConstants;

namespace Cognate.Core.SignIn.Flows;

/// <summary>
/// USER_SRP_AUTH: the first half of Cognito's SRP-6a sign-in. AuthParameters: USERNAME (or an alias), SRP_A (hex),
/// SECRET_HASH when the client has a secret. Answers PASSWORD_VERIFIER (<see cref="SrpExchange.StartAsync(SignInRequest, User?, string, string, CancellationToken)"/>); an unknown
/// user is UserNotFoundException, or with PreventUserExistenceErrors a fake challenge that can never be answered.
/// PreAuthentication runs here, at SRP_A (<see cref="AuthenticationTriggers"/>). No UserMigration: the password never reaches
/// the server in SRP (AWS guide "Importing users with a user migration Lambda trigger": migration needs USER_PASSWORD_AUTH).
/// </summary>
public sealed class UserSrpAuth(UserService users, SrpExchange srp, AuthenticationTriggers? triggers = null) : ISignInFlow
{
    /// <inheritdoc/>
    public IReadOnlyList<string> Names { get; } = [AuthFlows.UserSrpAuth];

    /// <inheritdoc/>
    public async ValueTask<StepResult> StartAsync(SignInRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Get(AuthParameters.Username) is not { } username) return new StepResult.Fail(SignInRequest.Missing(AuthParameters.Username));
        if (request.Get(AuthParameters.SrpA) is not { } srpA) return new StepResult.Fail(SignInRequest.Missing(AuthParameters.SrpA));
        if (UserLookup.SecretHashError(request.Client, request.Raw(AuthParameters.SecretHash), username) is { } hashError) return new StepResult.Fail(hashError);
        var user = await users.FindAsync(request.Pool, username, ct).ConfigureAwait(false);
        if (user is null && !UserLookup.HidesExistence(request)) return StepResult.Failed(CognitoErrors.UserNotFound());
        if (triggers is not null && await triggers.PreAuthenticationAsync(request, user, username, ct).ConfigureAwait(false) is { } denied) return denied;
        return await srp.StartAsync(request, user, username, srpA, ct).ConfigureAwait(false);
    }
}
