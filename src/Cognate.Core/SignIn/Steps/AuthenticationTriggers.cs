using Cognate.Core.Errors;
using Cognate.Core.Triggers;
using Cognate.Core.Users;
using static Cognate.Core.CognitoConstants;

namespace Cognate.Core.SignIn.Steps;

/// <summary>
/// The PreAuthentication and PostAuthentication triggers as steps of every sign-in (reference §10.3; AWS guide "Pre
/// authentication Lambda trigger", "Post authentication Lambda trigger"), for every door (JSON API, admin API, managed login).
/// </summary>
/// <remarks>
/// <para>PreAuthentication runs once per sign-in, at its start (InitiateAuth / AdminInitiateAuth, the login page), after the user
/// lookup and SECRET_HASH and before any password, SRP or code check and before the user's state is judged: USER_PASSWORD_AUTH /
/// ADMIN_USER_PASSWORD_AUTH before the password, USER_SRP_AUTH at SRP_A (the guide: its <c>validationData</c> comes from the
/// InitiateAuth ClientMetadata, so it cannot wait for PASSWORD_VERIFIER), USER_AUTH before the first factor (password and
/// passwordless). An unknown user reaches it only with PreventUserExistenceErrors ENABLED (<c>userNotFound: true</c>, the typed
/// name as <c>userName</c>). Never on REFRESH_TOKEN_AUTH.</para>
/// <para>PostAuthentication runs in <see cref="Completion"/>, after MFA and before tokens; a throw means no tokens.</para>
/// <para>A pool without either trigger pays one LambdaConfig lookup per sign-in.</para>
/// </remarks>
public sealed class AuthenticationTriggers(UserPoolTriggers triggers)
{
    /// <summary>
    /// Runs PreAuthentication for <paramref name="user"/> (or an unknown <paramref name="typedName"/>).
    /// </summary>
    /// <returns>Null to continue; the <see cref="StepResult.Fail"/> to answer (UserLambdaValidationException
    /// "PreAuthentication failed with error {message}.", InvalidLambdaResponseException, UnexpectedLambdaException).</returns>
    public async ValueTask<StepResult.Fail?> PreAuthenticationAsync(SignInRequest request, User? user, string typedName, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!UserPoolTriggers.Has(request.Pool, TriggerNames.PreAuthentication)) return null;
        bool? userNotFound = UserLookup.HidesExistence(request) ? user is null : null;
        try
        {
            await triggers.PreAuthenticationAsync(request.Pool, request.Client.ClientId, user, typedName, userNotFound, request.ClientMetadata, ct).ConfigureAwait(false);
            return null;
        }
        catch (CognitoException ex)
        {
            return StepResult.Failed(ex);
        }
    }

    /// <summary>Runs PostAuthentication for the signed-in <paramref name="user"/>.</summary>
    /// <returns>Null to issue tokens; otherwise the <see cref="StepResult.Fail"/> to answer.</returns>
    public async ValueTask<StepResult.Fail?> PostAuthenticationAsync(SignInRequest request, User user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!UserPoolTriggers.Has(request.Pool, TriggerNames.PostAuthentication)) return null;
        // The API reference: RespondToAuthChallenge's ClientMetadata reaches PostAuthentication as clientMetadata; InitiateAuth's does not.
        var metadata = IsFlowStart(request) || request.IsManagedLogin ? null : request.ClientMetadata ?? new Dictionary<string, string>();
        try
        {
            await triggers.PostAuthenticationAsync(request.Pool, request.Client.ClientId, user, metadata, ct).ConfigureAwait(false);
            return null;
        }
        catch (CognitoException ex)
        {
            return StepResult.Failed(ex);
        }
    }

    /// <summary>True when the request starts a flow (its Name is an AuthFlow) rather than answering a challenge.</summary>
    static bool IsFlowStart(SignInRequest request) => request.Name is AuthFlows.UserPasswordAuth or AuthFlows.AdminUserPasswordAuth or AuthFlows.AdminNoSrpAuth
        or AuthFlows.UserSrpAuth or AuthFlows.UserAuth or AuthFlows.CustomAuth or AuthFlows.RefreshTokenAuth or AuthFlows.RefreshToken;
}
