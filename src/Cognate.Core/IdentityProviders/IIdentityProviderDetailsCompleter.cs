using Cognate.Core.Pools;

namespace Cognate.Core.IdentityProviders;

/// <summary>
/// Completes a provider's ProviderDetails at CreateIdentityProvider / UpdateIdentityProvider the way Cognito does before it stores
/// them: OIDC endpoint discovery from <c>oidc_issuer</c>, the social providers' fixed endpoints, SAML metadata parsing. Register
/// zero or more; <see cref="IdentityProviderService"/> calls the first that <see cref="Handles"/> the provider's type, after its
/// own checks of the keys (required, allowed, value forms) passed. A type no completer handles is stored as given.
/// </summary>
public interface IIdentityProviderDetailsCompleter
{
    /// <summary>True when this completer completes providers of <paramref name="providerType"/> (one of <see cref="IdentityProviderTypes"/>).</summary>
    bool Handles(string providerType);

    /// <summary>The details to store: <paramref name="details"/> with the keys Cognito adds (or replaces) filled in.</summary>
    /// <param name="pool">The provider's pool.</param>
    /// <param name="providerType">The provider's type.</param>
    /// <param name="details">The checked details as given (on update: the new details).</param>
    /// <param name="ct">Cancellation.</param>
    /// <exception cref="Errors.CognitoException">InvalidParameterException when the details cannot be completed (an issuer that does
    /// not answer, unusable metadata, …).</exception>
    ValueTask<IReadOnlyDictionary<string, string>> CompleteAsync(UserPool pool, string providerType, IReadOnlyDictionary<string, string> details, CancellationToken ct);
}
