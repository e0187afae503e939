using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Passkeys;

/// <summary>
/// AdminGetUserAuthFactors: the administrator's form of <see cref="GetUserAuthFactors"/> — a user named by UserPoolId and
/// Username (or alias) instead of an access token; the same response (Username, PreferredMfaSetting, UserMFASettingList,
/// ConfiguredUserAuthFactors). Errors: ResourceNotFoundException (pool), UserNotFoundException.
/// </summary>
[CognitoAction("AdminGetUserAuthFactors")]
internal static class AdminGetUserAuthFactors
{
    internal sealed record Request(string UserPoolId, string Username);

    public static async ValueTask<GetUserAuthFactors.Response> HandleAsync(ActionContext ctx, Request r)
    {
        var (pool, user) = await Callers.AdminUserAsync(ctx, r.UserPoolId, r.Username);
        return await GetUserAuthFactors.DescribeAsync(ctx, pool, user);
    }
}
