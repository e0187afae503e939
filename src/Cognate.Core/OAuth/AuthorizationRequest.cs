namespace Cognate.Core.OAuth;

/// <summary>
/// A validated authorization request of <c>GET /oauth2/authorize</c> (RFC 6749 §4.1.1 / §4.2.1, RFC 7636 §4.3, OpenID Connect
/// Core §3.1.2.1; reference §9.2), as it travels from the authorize endpoint through the managed-login pages to the moment a
/// code or implicit tokens are issued. Every member has passed <c>AuthorizeRequestValidator</c>; the pages carry the raw query
/// and have it validated again before anything is issued (never re-trusted).
/// </summary>
/// <param name="ClientId">The app client id.</param>
/// <param name="RedirectUri">Exactly one of the client's CallbackURLs (ordinal match).</param>
/// <param name="ResponseType"><c>code</c> or <c>token</c> (implicit).</param>
/// <param name="Scopes">The granted scopes: requested ∩ the client's AllowedOAuthScopes (the client's allowed scopes when none was requested).</param>
/// <param name="State">The client's <c>state</c>, echoed byte for byte, or null.</param>
/// <param name="Nonce">OIDC <c>nonce</c>, copied into the ID token, or null.</param>
/// <param name="CodeChallenge">PKCE S256 challenge (43 base64url characters), or null.</param>
/// <param name="CodeChallengeMethod"><c>S256</c> when <paramref name="CodeChallenge"/> is set (Cognito refuses <c>plain</c>), else null.</param>
/// <param name="IdentityProvider"><c>identity_provider</c> (only <c>COGNITO</c> until federation exists), or null.</param>
/// <param name="Prompt"><c>login</c>, <c>none</c>, or null.</param>
/// <param name="LoginHint">Pre-fills the username field, or null.</param>
/// <param name="Lang">Managed login language (e.g. <c>en</c>), or null.</param>
public sealed record AuthorizationRequest(
    string ClientId,
    string RedirectUri,
    string ResponseType,
    IReadOnlyList<string> Scopes,
    string? State,
    string? Nonce,
    string? CodeChallenge,
    string? CodeChallengeMethod,
    string? IdentityProvider,
    string? Prompt,
    string? LoginHint,
    string? Lang)
{
    /// <summary>Never prints state, nonce or the PKCE challenge.</summary>
    public override string ToString() => $"AuthorizationRequest {{ ClientId = {ClientId}, ResponseType = {ResponseType}, Scopes = {string.Join(' ', Scopes)} }}";
}
