using Cognate.Core.Federation;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.IdentityProviders;

/// <summary>
/// AdminDisableProviderForUser: stops an external identity from signing in — a link on a native user is removed, a federated user
/// is disabled; <c>Cognito</c> + <c>Cognito_Subject</c> + a username removes that native user's password (AWS API reference).
/// Errors: UserNotFoundException, InvalidParameterException, ResourceNotFoundException (pool).
/// </summary>
[CognitoAction("AdminDisableProviderForUser")]
internal static class AdminDisableProviderForUser
{
    internal sealed record Request(string UserPoolId, ProviderUserIdentifierType User);

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var pool = await Callers.PoolAsync(ctx, r.UserPoolId);
        await ctx.Get<FederatedUserService>().DisableAsync(pool, r.User.ToCore(), ctx.Aborted);
        return EmptyResponse.Instance;
    }
}
