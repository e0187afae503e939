using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Xml;

namespace Cognate.Core.Federation.Saml;

/// <summary>
/// Enveloped XML-DSig verification of one SAML element against the IdP metadata's certificates only (the signature's own
/// KeyInfo is never trusted), hardened against signature wrapping: the signature must be a direct child of the element, its one
/// Reference must be <c>#{the element's ID}</c>, that ID must occur once in the whole document, and the reference resolves to
/// that element object and nothing else. Algorithms are pinned: RSA-SHA256/512, SHA-256/512 digests, exclusive c14n,
/// transforms enveloped-signature + exclusive c14n only (SHA-1 is refused).
/// </summary>
public static class SamlSignature
{
    const string ExcC14n = SignedXml.XmlDsigExcC14NTransformUrl;
    const string Enveloped = SignedXml.XmlDsigEnvelopedSignatureTransformUrl;

    /// <summary>The element's direct <c>ds:Signature</c> child, or null (none; several count as none and fail later).</summary>
    public static XmlElement? SignatureOf(XmlElement element) => SamlXml.Child(element, SamlXml.DSig, "Signature");

    /// <summary>True when <paramref name="element"/> carries a valid enveloped signature by one of <paramref name="certificates"/>.</summary>
    /// <exception cref="SamlException">The signature is malformed, uses a refused algorithm, or is wrapped.</exception>
    public static bool Verify(XmlElement element, IReadOnlyList<X509Certificate2> certificates)
    {
        ArgumentNullException.ThrowIfNull(element);
        var signatures = SamlXml.Children(element, SamlXml.DSig, "Signature").ToList();
        if (signatures.Count != 1) throw new SamlException("The element must carry exactly one signature.");
        var id = SamlXml.Attr(element, "ID");
        if (string.IsNullOrEmpty(id)) throw new SamlException("The signed element has no ID.");
        if (CountIds(element.OwnerDocument!, id) != 1) throw new SamlException("The signed element's ID is not unique.");

        var signed = new PinnedSignedXml(element, id);
        try { signed.LoadXml(signatures[0]); }
        catch (CryptographicException) { throw new SamlException("The signature is malformed."); }
        var info = signed.SignedInfo ?? throw new SamlException("The signature is malformed.");
        if (info.SignatureMethod is not (SamlXml.RsaSha256 or SamlXml.RsaSha512)) throw new SamlException("The signature algorithm is not RSA-SHA256.");
        if (info.CanonicalizationMethod != ExcC14n) throw new SamlException("The signature does not use exclusive canonicalization.");
        if (info.References.Count != 1 || info.References[0] is not Reference reference) throw new SamlException("The signature must have exactly one reference.");
        if (reference.Uri != "#" + id) throw new SamlException("The signature does not reference the signed element.");
        if (reference.DigestMethod is not (SamlXml.Sha256 or SamlXml.Sha512)) throw new SamlException("The digest algorithm is not SHA-256.");
        foreach (Transform t in reference.TransformChain)
        {
            if (t.Algorithm is not (Enveloped or ExcC14n)) throw new SamlException("The signature uses a transform that is not allowed.");
        }
        foreach (var cert in certificates)
        {
            using var key = cert.GetRSAPublicKey();
            if (key is null) continue;
            try
            {
                if (signed.CheckSignature(key)) return true;
            }
            catch (CryptographicException)
            {
                // a mismatched key size or a malformed value: not this certificate
            }
        }
        return false;
    }

    static int CountIds(XmlDocument doc, string id)
    {
        int count = 0;
        foreach (XmlElement e in doc.GetElementsByTagName("*"))
        {
            foreach (var name in (string[])["ID", "Id", "id"])
            {
                if (e.GetAttribute(name) == id) count++;
            }
        }
        return count;
    }

    /// <summary>A SignedXml whose references resolve to one element object only (no ID lookup across the document).</summary>
    sealed class PinnedSignedXml : SignedXml
    {
        readonly XmlElement _element;
        readonly string _id;

        public PinnedSignedXml(XmlElement element, string id) : base(element)
        {
            _element = element;
            _id = id;
        }

        public override XmlElement? GetIdElement(XmlDocument? document, string idValue) =>
            string.Equals(idValue, _id, StringComparison.Ordinal) ? _element : null;
    }
}
