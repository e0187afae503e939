using Cognate.Core.Federation;
using Cognate.Core.IdentityProviders;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.IdentityProviders;

/// <summary>
/// AdminLinkProviderForUser: links an external identity (SourceUser: a provider of the pool with <c>Cognito_Subject</c> and the
/// subject, or for SAML an attribute and its value) to an existing user (DestinationUser: <c>Cognito</c> and a username, or a
/// federated user), so signing in through that provider signs in as the existing user (AWS API reference; guide "Linking federated
/// users to an existing user profile"). At most 5 linked identities per user.
/// Errors: UserNotFoundException, InvalidParameterException ("Merging is not currently supported, …"), LimitExceededException,
/// ResourceNotFoundException (pool).
/// </summary>
[CognitoAction("AdminLinkProviderForUser")]
internal static class AdminLinkProviderForUser
{
    internal sealed record Request(string UserPoolId, ProviderUserIdentifierType DestinationUser, ProviderUserIdentifierType SourceUser);

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var pool = await Callers.PoolAsync(ctx, r.UserPoolId);
        await ctx.Get<FederatedUserService>().LinkAsync(pool, ctx.Get<IIdentityProviderStore>(), r.DestinationUser.ToCore(), r.SourceUser.ToCore(), ctx.Aborted);
        return EmptyResponse.Instance;
    }
}
