using System.Text.Json.Nodes;
using Cognate.Core.IdentityProviders;
using Cognate.Core.Pools;

namespace Cognate.Core.Federation.Saml;

/// <summary>
/// The SAML service provider of a pool, protocol side (no HTTP): starts an SP-initiated sign-in (the AuthnRequest redirect),
/// verifies what comes back to the ACS (<see cref="SamlResponseValidator"/> plus replay through <see cref="ISamlReplayStore"/>)
/// into a <see cref="FederatedProfile"/>, and builds single-logout requests.
/// </summary>
public sealed class SamlSignIn(SamlMetadataSource metadata, SamlSpKeyService keys, ISamlReplayStore replay, TimeProvider time)
{
    /// <summary>Cognito's message for an assertion presented twice.</summary>
    public const string ReplayMessage = "Invalid SAML response received: The SAML assertion has already been used.";

    /// <summary>An AuthnRequest redirect for <paramref name="provider"/>.</summary>
    /// <returns>The IdP URL to redirect to, and the request's ID (to check InResponseTo against).</returns>
    /// <param name="pool">The pool.</param>
    /// <param name="provider">The SAML provider.</param>
    /// <param name="acsUrl">Where the IdP must POST its response.</param>
    /// <param name="relayState">Sent back by the IdP unchanged.</param>
    /// <param name="ct">Cancellation.</param>
    /// <param name="requestId">The AuthnRequest ID (a fresh one when null).</param>
    public async ValueTask<(string Url, string RequestId)> StartAsync(UserPool pool, IdentityProvider provider, string acsUrl, string relayState, string? requestId = null, CancellationToken ct = default)
    {
        var md = await metadata.GetAsync(provider, ct).ConfigureAwait(false);
        var destination = provider.Detail(SamlDetails.SsoRedirectBindingUri) ?? md.SsoRedirect!;
        var id = requestId ?? SamlRedirectBinding.NewId();
        var xml = SamlRedirectBinding.AuthnRequest(id, SamlXml.SpEntityId(pool.Id), destination, acsUrl, time.GetUtcNow());
        var sign = provider.Detail(SamlDetails.RequestSigningAlgorithm) == "rsa-sha256";
        var key = sign ? (await keys.GetOrCreateAsync(pool.Id, SamlSpKeyUses.Signing, ct).ConfigureAwait(false)).PrivateKey : null;
        return (SamlRedirectBinding.RedirectUrl(destination, xml, relayState, key), id);
    }

    /// <summary>Verifies a <c>SAMLResponse</c> posted to the ACS and records its assertion ID (single use).</summary>
    /// <param name="pool">The pool.</param>
    /// <param name="provider">The SAML provider the response is for.</param>
    /// <param name="samlResponse">The posted base64 response.</param>
    /// <param name="acsUrl">The ACS URL it was posted to.</param>
    /// <param name="inResponseTo">SP-initiated: the AuthnRequest ID; null: IdP-initiated (requires IDPInit=true).</param>
    /// <param name="ct">Cancellation.</param>
    /// <exception cref="SamlException">Refused (message as Cognito words it).</exception>
    public async ValueTask<SamlAssertion> ValidateAsync(UserPool pool, IdentityProvider provider, string samlResponse, string acsUrl, string? inResponseTo, CancellationToken ct = default)
    {
        if (inResponseTo is null && !SamlDetails.Flag(provider.ProviderDetails, SamlDetails.IdpInit))
        {
            throw new SamlException("Invalid SAML response received: IdP-initiated sign-in is not enabled for this identity provider.");
        }
        var md = await metadata.GetAsync(provider, ct).ConfigureAwait(false);
        var encrypted = SamlDetails.Flag(provider.ProviderDetails, SamlDetails.EncryptedResponses);
        var decryptionKey = encrypted ? (await keys.GetOrCreateAsync(pool.Id, SamlSpKeyUses.Encryption, ct).ConfigureAwait(false)).PrivateKey : null;
        var assertion = SamlResponseValidator.Validate(samlResponse,
            new SamlExpectations(SamlXml.SpEntityId(pool.Id), acsUrl, md, inResponseTo, encrypted, decryptionKey, time.GetUtcNow()));
        if (!await replay.TryRecordAsync(pool.Id, assertion.Issuer, assertion.Id, assertion.ValidUntil, ct).ConfigureAwait(false))
        {
            throw new SamlException(ReplayMessage);
        }
        return assertion;
    }

    /// <summary>The <see cref="FederatedProfile"/> of a verified assertion: UserId = NameID, Issuer = the IdP's entity id,
    /// attributes by Name (multi-valued joined with commas), and the same map as the InboundFederation trigger's samlResponse.</summary>
    public static FederatedProfile Profile(SamlAssertion assertion)
    {
        ArgumentNullException.ThrowIfNull(assertion);
        var attributes = assertion.JoinedAttributes();
        var saml = new JsonObject();
        foreach (var (k, v) in attributes) saml[k] = v;
        return new FederatedProfile(assertion.NameId, attributes, assertion.Issuer, SamlResponse: saml);
    }

    /// <summary>A signed LogoutRequest redirect to the IdP's SLO endpoint, or null when it has none.</summary>
    public async ValueTask<(string Url, string RequestId)?> LogoutAsync(UserPool pool, IdentityProvider provider, string nameId, string? nameIdFormat, string? sessionIndex, string relayState, string? requestId = null, CancellationToken ct = default)
    {
        var md = await metadata.GetAsync(provider, ct).ConfigureAwait(false);
        var destination = provider.Detail(SamlDetails.SloRedirectBindingUri) ?? md.SloRedirect;
        if (destination is null) return null;
        var id = requestId ?? SamlRedirectBinding.NewId();
        var xml = SamlRedirectBinding.LogoutRequest(id, SamlXml.SpEntityId(pool.Id), destination, nameId, nameIdFormat, sessionIndex, time.GetUtcNow());
        var key = await keys.GetOrCreateAsync(pool.Id, SamlSpKeyUses.Signing, ct).ConfigureAwait(false);
        return (SamlRedirectBinding.RedirectUrl(destination, xml, relayState, key.PrivateKey), id);
    }

    /// <summary>
    /// Checks a LogoutResponse (POST binding, base64; or redirect binding, deflated when <paramref name="deflated"/>): answers
    /// <paramref name="requestId"/>, comes from the IdP, and — when it carries a signature — is signed by the IdP. Any status is
    /// accepted (the user pool session is gone either way).
    /// </summary>
    /// <exception cref="SamlException">Not a LogoutResponse to that request.</exception>
    public async ValueTask CheckLogoutResponseAsync(IdentityProvider provider, string samlResponse, bool deflated, string requestId, CancellationToken ct = default)
    {
        var md = await metadata.GetAsync(provider, ct).ConfigureAwait(false);
        string xml;
        try { xml = deflated ? SamlRedirectBinding.Inflate(samlResponse) : System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(samlResponse)); }
        catch (FormatException) { throw new SamlException("The LogoutResponse is not base64."); }
        System.Xml.XmlDocument doc;
        try { doc = SamlXml.Load(xml, SamlResponseValidator.MaxResponseCharacters); }
        catch (System.Xml.XmlException) { throw new SamlException("The LogoutResponse is not XML."); }
        var root = doc.DocumentElement;
        if (root is null || root.LocalName != "LogoutResponse" || root.NamespaceURI != SamlXml.Protocol) throw new SamlException("The message is not a LogoutResponse.");
        if (SamlXml.Attr(root, "InResponseTo") != requestId) throw new SamlException("The LogoutResponse does not answer this sign-out.");
        if (SamlXml.Child(root, SamlXml.Assertion, "Issuer") is { } issuer && SamlXml.Text(issuer)?.Trim() != md.EntityId) throw new SamlException("The LogoutResponse is not from the identity provider.");
        if (SamlSignature.SignatureOf(root) is not null && !SamlSignature.Verify(root, md.SigningCertificates)) throw new SamlException("The LogoutResponse signature is invalid.");
    }
}
