using Cognate.Core.IdentityProviders;
using Cognate.Core.Pools;
using Cognate.Core.Users;

namespace Cognate.Core.Federation;

/// <summary>The user a federated sign-in signs in as.</summary>
/// <param name="User">The user (enabled; a federated user or a linked native user).</param>
/// <param name="Created">True when this sign-in created the federated user.</param>
public sealed record FederatedSignInResult(User User, bool Created);

/// <summary>
/// The user side of a federated sign-in (AWS guide "Adding user pool sign-in through a third party", "Linking federated users
/// to an existing user profile", "Specifying identity provider attribute mappings"): finds the user an external identity signs in
/// as (a native user linked by AdminLinkProviderForUser, or the federated user <c>{ProviderName}_{UserId}</c>), or creates the
/// federated user (status <c>EXTERNAL_PROVIDER</c>, <c>identities</c> with one primary entry, PreSignUp_ExternalProvider first,
/// member of the automatic group <c>{UserPoolId}_{ProviderName}</c>), and applies the provider's AttributeMapping
/// (InboundFederation may change the attributes first) on every sign-in.
/// </summary>
public sealed partial class FederatedUserService
{
    /// <summary>Signs <paramref name="profile"/> in through <paramref name="provider"/>.</summary>
    /// <param name="pool">The pool.</param>
    /// <param name="provider">The provider the profile came from (already verified by its protocol).</param>
    /// <param name="profile">The upstream subject and attributes.</param>
    /// <param name="clientId">The app client of the authorization request (trigger events' callerContext.clientId).</param>
    /// <param name="ct">Cancellation.</param>
    /// <exception cref="Errors.CognitoException">NotAuthorizedException "User is disabled." for a disabled user; the Lambda errors
    /// of PreSignUp_ExternalProvider / InboundFederation; InvalidParameterException when mapped attributes break the schema.</exception>
    public ValueTask<FederatedSignInResult> SignInAsync(UserPool pool, IdentityProvider provider, FederatedProfile profile, string clientId, CancellationToken ct = default) =>
        throw new NotImplementedException("being written on main");
}
