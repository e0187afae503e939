using Cognate.Core.Errors;
using Cognate.Core.Users;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Users;

/// <summary>
/// ChangePassword: the signed-in user replaces its password (all refresh tokens are revoked). The previous password is
/// checked through the password lockout (<see cref="LockoutService"/>, reference §8.4): wrong previous passwords count like
/// failed sign-ins, and while locked every attempt answers <c>NotAuthorizedException</c> "Password attempts exceeded".
/// </summary>
[CognitoAction("ChangePassword")]
internal static class ChangePassword
{
    internal sealed record Request(string? PreviousPassword, string ProposedPassword, string AccessToken);

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var token = await Callers.TokenAsync(ctx, r.AccessToken);
        var users = ctx.Get<UserService>();
        if (Core.Risk.RiskService.Mode(token.Pool) != "OFF")
        {
            PasswordPolicyValidator.Validate(token.Pool.Config.Policies?.PasswordPolicy, r.ProposedPassword); // the policy's answer first
            await ctx.Get<Core.Risk.RiskService>().CheckNewPasswordAsync(token.Pool, token.ClientId, ctx.Http.Connection.RemoteIpAddress?.ToString(),
                Core.Risk.RiskService.Events.PasswordChange, r.ProposedPassword, ctx.Aborted);
        }
        if (token.User.PasswordVerifier is null)
        {
            await users.ChangePasswordAsync(token.Pool, token.User, r.PreviousPassword, r.ProposedPassword, ctx.Aborted);
            return EmptyResponse.Instance;
        }
        var check = await ctx.Get<LockoutService>().CheckPasswordAsync(token.Pool, token.User,
            () => r.PreviousPassword is not null && UserService.CheckPassword(token.Pool, token.User, r.PreviousPassword), "PasswordChange", ctx.Aborted);
        if (!check.Passed) throw CognitoErrors.IncorrectUsernameOrPassword();
        return await check.ThenAsync(async () =>
        {
            await users.ChangePasswordAsync(token.Pool, token.User, r.PreviousPassword, r.ProposedPassword, ctx.Aborted);
            return EmptyResponse.Instance;
        });
    }
}
