using System.Text.Json.Nodes;

namespace Cognate.Core.Federation;

/// <summary>
/// What an upstream identity provider said about the user, after its protocol checks passed (an OIDC ID token verified against
/// the provider's JWKS plus userinfo, or a verified SAML assertion): the input of <see cref="FederatedUserService.SignInAsync"/>.
/// </summary>
/// <param name="UserId">The provider's subject: OIDC <c>sub</c>, or — when the provider's AttributeMapping maps <c>username</c> to
/// another claim — that claim; SAML: the NameID.</param>
/// <param name="Attributes">The provider's claims / SAML attribute values by the provider's names (multi-valued SAML attributes
/// joined as Cognito joins them: comma-separated). The AttributeMapping picks from these.</param>
/// <param name="Issuer">SAML: the assertion's issuer (entity id); OIDC: null (Cognito's <c>identities</c> entries carry null).</param>
/// <param name="TokenResponse">OIDC: the upstream token response without tokens' secrets masked (the InboundFederation trigger's
/// <c>attributes.tokenResponse</c>); null for SAML.</param>
/// <param name="IdToken">OIDC: the verified ID token's claims (<c>attributes.idToken</c>); null for SAML.</param>
/// <param name="UserInfo">OIDC: the userinfo answer (<c>attributes.userInfo</c>); null when not fetched.</param>
/// <param name="SamlResponse">SAML: the assertion's attributes (<c>attributes.samlResponse</c>); null for OIDC.</param>
public sealed record FederatedProfile(
    string UserId,
    IReadOnlyDictionary<string, string> Attributes,
    string? Issuer = null,
    JsonObject? TokenResponse = null,
    JsonObject? IdToken = null,
    JsonObject? UserInfo = null,
    JsonObject? SamlResponse = null);
