using Cognate.Core.Codes;
using Cognate.Core.Errors;
using Cognate.Core.Stores;
using Cognate.Core.Users;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Users;

/// <summary>
/// ConfirmForgotPassword: sets a new password with the reset code; RESET_REQUIRED / FORCE_CHANGE_PASSWORD users become
/// CONFIRMED and every refresh token of the user is revoked.
/// </summary>
/// <remarks>
/// <para>The password policy is checked first, before the user is looked up, so <c>InvalidPasswordException</c> never tells
/// existing users from unknown ones. With PreventUserExistenceErrors=ENABLED an unknown user answers
/// <c>CodeMismatchException</c>, and so does an existing user without a live code (none requested, expired or used), which
/// would otherwise answer <c>ExpiredCodeException</c> (reference §8.5).</para>
/// <para>The code is counted against the user's guess budget before it is compared (<see cref="CodeService"/>), and consumed
/// only after the new password is stored: if that write fails, the same request can be retried with the same code.</para>
/// </remarks>
[CognitoAction("ConfirmForgotPassword")]
internal static class ConfirmForgotPassword
{
    internal sealed record Request(string ClientId, string? SecretHash, string Username, string ConfirmationCode, string Password);

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var (client, pool) = await Callers.ClientAsync(ctx, r.ClientId, r.SecretHash, true, r.Username);
        PasswordPolicyValidator.Validate(pool.Config.Policies?.PasswordPolicy, r.Password);
        await ctx.Get<Core.Risk.RiskService>().CheckNewPasswordAsync(pool, client.ClientId, ctx.Http.Connection.RemoteIpAddress?.ToString(),
            Core.Risk.RiskService.Events.PasswordChange, r.Password, ctx.Aborted);
        var users = ctx.Get<UserService>();
        var user = await Callers.UserOrHiddenAsync(ctx, pool, client, r.Username) ?? throw CognitoErrors.CodeMismatch();
        try
        {
            await ctx.Get<CodeService>().VerifyAsync(pool.Id, user.Username, CodePurpose.ForgotPassword, r.ConfirmationCode, async () =>
            {
                await users.UpdateAsync(pool, user.Username, u =>
                {
                    users.SetPassword(pool, u, r.Password);
                    if (u.Status is UserStatus.ResetRequired or UserStatus.ForceChangePassword) u.Status = UserStatus.Confirmed;
                }, ct: ctx.Aborted);
                await ctx.Get<IRefreshTokenStore>().RevokeAllForUserAsync(pool.Id, user.Username, ctx.Aborted);
            }, ctx.Aborted);
        }
        catch (CognitoException ex) when (ex.Error.Type == "ExpiredCodeException" && Callers.HidesUsers(client))
        {
            throw CognitoErrors.CodeMismatch();
        }
        await users.AfterPasswordResetAsync(pool, user.Username, ctx.Aborted); // PostConfirmation_ConfirmForgotPassword: the new password stands if it fails
        return EmptyResponse.Instance;
    }
}
