using Cognate.Core.Mfa;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Mfa;

/// <summary>
/// AdminDeleteSoftwareToken: removes the user's TOTP authenticator (the verified secret and any pending one from
/// AssociateSoftwareToken), disables SOFTWARE_TOKEN_MFA and drops it as the preferred factor; other factors stay as they
/// are. The user can associate a new authenticator afterwards; in a pool whose MFA is ON a user left without a factor gets
/// MFA_SETUP at the next sign-in (Cognito's API reference, AdminDeleteSoftwareToken).
/// </summary>
/// <remarks>Errors: ResourceNotFoundException, UserNotFoundException, InvalidParameterException when the user has no software
/// token (Cognito lists no SoftwareTokenMFANotFoundException for this action).</remarks>
[CognitoAction("AdminDeleteSoftwareToken")]
internal static class AdminDeleteSoftwareToken
{
    internal sealed record Request(string UserPoolId, string Username);

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var (pool, user) = await Callers.AdminUserAsync(ctx, r.UserPoolId, r.Username);
        await ctx.Get<MfaService>().DeleteSoftwareTokenAsync(pool, user, ctx.Aborted);
        return EmptyResponse.Instance;
    }
}
