using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Passkeys;

/// <summary>AdminGetUserAuthFactors: <see cref="GetUserAuthFactors"/> for a user named by an administrator (SigV4).</summary>
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
