using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml;

namespace Cognate.Core.Federation.Saml;

/// <summary>
/// What Cognate keeps of a SAML IdP's metadata (an <c>md:EntityDescriptor</c> with an <c>md:IDPSSODescriptor</c>): the entity id
/// (the assertions' Issuer), the SingleSignOnService / SingleLogoutService locations per binding, and the signing certificates
/// the assertions are verified against (Cognito: any certificate of the metadata may match).
/// </summary>
/// <param name="EntityId">The IdP's entity id.</param>
/// <param name="SsoRedirect">SingleSignOnService, HTTP-Redirect binding (Cognito's <c>SSORedirectBindingURI</c>).</param>
/// <param name="SsoPost">SingleSignOnService, HTTP-POST binding.</param>
/// <param name="SloRedirect">SingleLogoutService, HTTP-Redirect binding (Cognito's <c>SLORedirectBindingURI</c>).</param>
/// <param name="SloPost">SingleLogoutService, HTTP-POST binding.</param>
/// <param name="SigningCertificates">The signing certificates (KeyDescriptor <c>use="signing"</c> or without <c>use</c>).</param>
public sealed record SamlMetadata(string EntityId, string? SsoRedirect, string? SsoPost, string? SloRedirect, string? SloPost, IReadOnlyList<X509Certificate2> SigningCertificates)
{
    /// <summary>Largest metadata document accepted, in characters (file or URL).</summary>
    public const int MaxCharacters = 1_000_000;
    /// <summary>Longest base64 signing certificate Cognito accepts.</summary>
    public const int MaxCertificateCharacters = 4096;

    /// <summary>Parses IdP metadata.</summary>
    /// <param name="xml">The document.</param>
    /// <param name="now">The clock: a signing certificate must not be expired when the provider is configured (Cognito).</param>
    /// <param name="requireUnexpired">True at configuration time; false at sign-in (the verification decides then).</param>
    /// <exception cref="SamlException">The document is not usable IdP metadata; the message says why.</exception>
    public static SamlMetadata Parse(string xml, DateTimeOffset now, bool requireUnexpired = true)
    {
        XmlDocument doc;
        try { doc = SamlXml.Load(xml, MaxCharacters); }
        catch (XmlException) { throw new SamlException("The metadata is not well-formed XML (DTDs are not allowed)."); }
        var root = doc.DocumentElement ?? throw new SamlException("The metadata is empty.");
        XmlElement? entity = null;
        if (root.LocalName == "EntityDescriptor" && root.NamespaceURI == SamlXml.Metadata) entity = root;
        else if (root.LocalName == "EntitiesDescriptor" && root.NamespaceURI == SamlXml.Metadata)
        {
            var idps = root.GetElementsByTagName("EntityDescriptor", SamlXml.Metadata).OfType<XmlElement>()
                .Where(e => SamlXml.Child(e, SamlXml.Metadata, "IDPSSODescriptor") is not null).ToList();
            if (idps.Count == 1) entity = idps[0];
        }
        if (entity is null) throw new SamlException("The metadata has no single md:EntityDescriptor of an identity provider.");
        var entityId = SamlXml.Attr(entity, "entityID");
        if (string.IsNullOrWhiteSpace(entityId)) throw new SamlException("The metadata's EntityDescriptor has no entityID.");
        var idp = SamlXml.Children(entity, SamlXml.Metadata, "IDPSSODescriptor").FirstOrDefault()
            ?? throw new SamlException("The metadata has no IDPSSODescriptor.");

        string? Service(string name, string binding) => SamlXml.Children(idp, SamlXml.Metadata, name)
            .Where(e => SamlXml.Attr(e, "Binding") == binding).Select(e => SamlXml.Attr(e, "Location"))
            .FirstOrDefault(l => Uri.TryCreate(l, UriKind.Absolute, out var u) && u.Scheme is "https" or "http");
        var ssoRedirect = Service("SingleSignOnService", SamlXml.RedirectBinding);
        var ssoPost = Service("SingleSignOnService", SamlXml.PostBinding);
        if (ssoRedirect is null) throw new SamlException("The metadata has no SingleSignOnService with the HTTP-Redirect binding.");

        var certificates = new List<X509Certificate2>();
        foreach (var key in SamlXml.Children(idp, SamlXml.Metadata, "KeyDescriptor"))
        {
            var use = SamlXml.Attr(key, "use");
            if (use is not (null or "signing")) continue;
            foreach (var c in key.GetElementsByTagName("X509Certificate", SamlXml.DSig).OfType<XmlElement>())
            {
                var text = new string((c.InnerText ?? "").Where(ch => !char.IsWhiteSpace(ch)).ToArray());
                if (text.Length > MaxCertificateCharacters) throw new SamlException($"A signing certificate is longer than {MaxCertificateCharacters} characters.");
                X509Certificate2 cert;
                try { cert = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(text)); }
                catch (Exception e) when (e is FormatException or CryptographicException) { throw new SamlException("A signing certificate of the metadata is not a base64 X.509 certificate."); }
                if (cert.GetRSAPublicKey() is null) throw new SamlException("A signing certificate of the metadata has no RSA key.");
                if (requireUnexpired && cert.NotAfter.ToUniversalTime() < now.UtcDateTime) throw new SamlException("A signing certificate of the metadata has expired.");
                certificates.Add(cert);
            }
        }
        if (certificates.Count == 0) throw new SamlException("The metadata has no signing certificate.");
        return new SamlMetadata(entityId, ssoRedirect, ssoPost,
            Service("SingleLogoutService", SamlXml.RedirectBinding), Service("SingleLogoutService", SamlXml.PostBinding), certificates);
    }
}

/// <summary>A SAML input (metadata, response) was refused; <see cref="Exception.Message"/> is safe to show (it never quotes the input).</summary>
public sealed class SamlException(string message) : Exception(message);
