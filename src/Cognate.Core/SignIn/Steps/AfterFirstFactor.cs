using System.Text.Json;
using Cognate.Core.Errors;
using Cognate.Core.Users;

namespace Cognate.Core.SignIn.Steps;

/// <summary>
/// What follows a correct password or SRP proof (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_AUTH's PASSWORD,
/// PASSWORD_VERIFIER): a disabled user fails ("User is disabled."); a FORCE_CHANGE_PASSWORD user gets NEW_PASSWORD_REQUIRED
/// (or fails with "Temporary password has expired and must be reset by an administrator." once TemporaryPasswordValidityDays,
/// default 7, have passed since the temporary password was set); everyone else goes to <see cref="SecondFactor"/>.
/// </summary>
public sealed class AfterFirstFactor(SecondFactor secondFactor, TimeProvider time)
{
    /// <summary>Decides the step after a correct first factor for <paramref name="user"/>.</summary>
    public async ValueTask<StepResult> NextAsync(SignInRequest request, User user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(user);
        if (!user.Enabled) return StepResult.Failed(CognitoErrors.NotAuthorized("User is disabled."));
        if (user.Status != UserStatus.ForceChangePassword) return await secondFactor.NextAsync(request, user, ct).ConfigureAwait(false);
        var pool = request.Pool;
        int days = pool.Config.Policies?.PasswordPolicy?.TemporaryPasswordValidityDays ?? 7;
        if (user.PasswordSetAt is { } set && time.GetUtcNow() - set > TimeSpan.FromDays(days))
        {
            return StepResult.Failed(CognitoErrors.NotAuthorized("Temporary password has expired and must be reset by an administrator."));
        }
        var visible = user.Attributes.Where(a => a.Key != "sub" && !a.Key.EndsWith("_verified", StringComparison.Ordinal))
            .ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
        var required = (pool.Config.SchemaAttributes ?? []).Where(a => a.Required == true && a.Name != "sub" && a.Name is not null && user.Get(a.Name) is not { Length: > 0 })
            .Select(a => "userAttributes." + a.Name).ToList();
        return new StepResult.Challenge("NEW_PASSWORD_REQUIRED", new Dictionary<string, string>
        {
            ["USER_ID_FOR_SRP"] = user.Username,
            ["requiredAttributes"] = JsonSerializer.Serialize(required),
            ["userAttributes"] = JsonSerializer.Serialize(visible),
        }, new SignInState { Username = user.Username, Stage = SignInStages.Password });
    }
}
