using Cognate.Core.Errors;
using Cognate.Core.SignIn.Steps;
using Cognate.Core.Users;

namespace Cognate.Core.SignIn.Challenges;

/// <summary>
/// NEW_PASSWORD_REQUIRED (issued by <see cref="AfterFirstFactor"/> for a FORCE_CHANGE_PASSWORD user): the user sets a
/// permanent password and any missing required attributes. Response: USERNAME, NEW_PASSWORD, <c>userAttributes.{name}</c>
/// values, SECRET_HASH when the client has a secret. The user becomes CONFIRMED and the sign-in continues with
/// <see cref="SecondFactor"/>.
/// </summary>
/// <remarks>
/// Session rules (docs/design/sign-in-engine.md §1, S1): a missing USERNAME / NEW_PASSWORD, a malformed or missing attribute
/// (InvalidParameterException) and a password that breaks the policy (InvalidPasswordException) keep the session; another
/// user ("Invalid session for the user."), a bad SECRET_HASH, an attribute the client may not write (NotAuthorizedException)
/// and any error once the password is written end it. Attribute writes follow UpdateUserAttributes: a changed email /
/// phone_number becomes unverified and gets a code when the pool auto-verifies it. A disabled user is not refused here
/// (as before the engine).
/// </remarks>
public sealed class NewPasswordRequired(SessionUser sessionUser, UserService users, SecondFactor secondFactor) : IChallenge
{
    const string AttributePrefix = "userAttributes.";

    static readonly SessionUser.Rules Rules = new(SecretHashEndsSession: true, RefuseDisabled: false);

    /// <inheritdoc/>
    public string Name => "NEW_PASSWORD_REQUIRED";

    /// <inheritdoc/>
    public async ValueTask<StepResult> RespondAsync(SignInRequest request, SignInState? state, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(state);
        var (user, stop) = await sessionUser.ResolveAsync(request, state, Rules, ct).ConfigureAwait(false);
        if (stop is not null) return stop;
        if (request.Get("NEW_PASSWORD") is not { } newPassword) return new StepResult.Retry(SignInRequest.Missing("NEW_PASSWORD"), state);
        var (pool, client) = (request.Pool, request.Client);
        var attributes = request.Parameters.Where(r => r.Key.StartsWith(AttributePrefix, StringComparison.Ordinal))
            .Select(r => new KeyValuePair<string, string?>(r.Key[AttributePrefix.Length..], r.Value)).ToList();
        try
        {
            AttributeRules.ValidateWrites(pool, attributes, AttributeWriter.User, creating: false, client.Config.WriteAttributes);
            var merged = new Dictionary<string, string>(user!.Attributes, StringComparer.Ordinal);
            foreach (var (k, v) in attributes) if (v is not null) merged[k] = v;
            AttributeRules.RequireSchemaAttributes(pool, merged);
        }
        catch (CognitoException ex)
        {
            // A malformed or missing value is correctable; writing an attribute the client may not write is not.
            return ex.Error.Type == "NotAuthorizedException" ? StepResult.Failed(ex) : StepResult.Retried(ex, state);
        }
        if (PasswordPolicyValidator.Check(pool.Config.Policies?.PasswordPolicy, newPassword) is { } failure)
        {
            return StepResult.Retried(CognitoErrors.InvalidPassword(PasswordPolicyValidator.ChangePrefix + failure), state);
        }
        // From here the password is being written: every error ends the session.
        var changedChannels = new List<string>();
        var updated = await users.UpdateAsync(pool, user.Username, u =>
        {
            UserService.ApplyAttributeWrites(pool, u, attributes, changedChannels);
            users.SetPassword(pool, u, newPassword);
            u.Status = UserStatus.Confirmed;
        }, ct: ct).ConfigureAwait(false);
        await users.SendVerificationCodesAsync(pool, updated, changedChannels, ct).ConfigureAwait(false);
        return await secondFactor.NextAsync(request, updated, ct).ConfigureAwait(false);
    }
}
