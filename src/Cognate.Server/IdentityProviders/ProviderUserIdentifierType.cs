using Cognate.Core.Federation;

namespace Cognate.Server.IdentityProviders;

/// <summary>Cognito <c>ProviderUserIdentifierType</c>: <c>{ ProviderName, ProviderAttributeName, ProviderAttributeValue }</c>.</summary>
/// <param name="ProviderName"><c>Cognito</c> or a provider of the pool (1..32 characters).</param>
/// <param name="ProviderAttributeName"><c>Cognito_Subject</c> or a SAML attribute name.</param>
/// <param name="ProviderAttributeValue">Username, subject or attribute value.</param>
internal sealed record ProviderUserIdentifierType(string? ProviderName, string? ProviderAttributeName, string? ProviderAttributeValue)
{
    /// <summary>The Core value.</summary>
    public ProviderUser ToCore() => new(ProviderName, ProviderAttributeName, ProviderAttributeValue);
}
