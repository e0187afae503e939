using Cognate.Core.Pools;

namespace Cognate.Core.IdentityProviders;

/// <summary>
/// Completes and checks a provider's <c>ProviderDetails</c> for one or more provider types at CreateIdentityProvider /
/// UpdateIdentityProvider time (Cognito adds keys such as <c>SSORedirectBindingURI</c> or the OIDC endpoints it discovered).
/// </summary>
public interface IIdentityProviderDetailsCompleter
{
    /// <summary>True when this completer owns <paramref name="providerType"/> (one of <see cref="IdentityProviderTypes"/>).</summary>
    bool Handles(string providerType);

    /// <summary>The details as stored and shown by DescribeIdentityProvider.</summary>
    /// <exception cref="Errors.CognitoException">InvalidParameterException with Cognito's message when the details are unusable.</exception>
    ValueTask<IReadOnlyDictionary<string, string>> CompleteAsync(UserPool pool, string providerType, IReadOnlyDictionary<string, string> details, CancellationToken ct);
}
