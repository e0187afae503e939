using System.Security.Cryptography.Xml;
using System.Xml;

namespace Cognate.Core.Federation.Saml;

/// <summary>SAML 2.0 names (namespaces, bindings, statuses, algorithms) and the one hardened XML loader every SAML input goes through.</summary>
public static class SamlXml
{
    /// <summary>SAML 2.0 protocol namespace (<c>samlp</c>).</summary>
    public const string Protocol = "urn:oasis:names:tc:SAML:2.0:protocol";
    /// <summary>SAML 2.0 assertion namespace (<c>saml</c>).</summary>
    public const string Assertion = "urn:oasis:names:tc:SAML:2.0:assertion";
    /// <summary>SAML 2.0 metadata namespace (<c>md</c>).</summary>
    public const string Metadata = "urn:oasis:names:tc:SAML:2.0:metadata";
    /// <summary>XML-DSig namespace.</summary>
    public const string DSig = SignedXml.XmlDsigNamespaceUrl;
    /// <summary>XML Encryption namespace.</summary>
    public const string XEnc = EncryptedXml.XmlEncNamespaceUrl;
    /// <summary>HTTP-Redirect binding.</summary>
    public const string RedirectBinding = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
    /// <summary>HTTP-POST binding.</summary>
    public const string PostBinding = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";
    /// <summary>Top-level status of success.</summary>
    public const string Success = "urn:oasis:names:tc:SAML:2.0:status:Success";
    /// <summary>Bearer subject confirmation.</summary>
    public const string Bearer = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
    /// <summary>RSA-SHA256 (RFC 6931 §2.3.2): the only request-signing algorithm Cognito offers.</summary>
    public const string RsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
    /// <summary>RSA-SHA512, accepted on IdP signatures.</summary>
    public const string RsaSha512 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512";
    /// <summary>SHA-256 digest.</summary>
    public const string Sha256 = "http://www.w3.org/2001/04/xmlenc#sha256";
    /// <summary>SHA-512 digest.</summary>
    public const string Sha512 = "http://www.w3.org/2001/04/xmlenc#sha512";

    /// <summary>The SP entity id of a pool: <c>urn:amazon:cognito:sp:{poolId}</c>.</summary>
    public static string SpEntityId(string userPoolId) => "urn:amazon:cognito:sp:" + userPoolId;

    /// <summary>
    /// Parses <paramref name="xml"/> with DTDs prohibited, no resolver (no external entity or schema is ever fetched), comments
    /// dropped (so a comment cannot split a NameID: exclusive c14n without comments signs the same bytes) and at most
    /// <paramref name="maxCharacters"/> characters; whitespace is preserved for signature checks.
    /// </summary>
    /// <exception cref="XmlException">Malformed, a DTD, or too large.</exception>
    public static XmlDocument Load(string xml, int maxCharacters)
    {
        ArgumentNullException.ThrowIfNull(xml);
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            MaxCharactersInDocument = maxCharacters,
            MaxCharactersFromEntities = 0,
        };
        var doc = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        using var text = new StringReader(xml);
        using var reader = XmlReader.Create(text, settings);
        doc.Load(reader);
        return doc;
    }

    /// <summary>The direct children of <paramref name="parent"/> named (<paramref name="ns"/>, <paramref name="localName"/>).</summary>
    internal static IEnumerable<XmlElement> Children(XmlElement parent, string ns, string localName)
    {
        foreach (XmlNode n in parent.ChildNodes)
        {
            if (n is XmlElement e && e.LocalName == localName && e.NamespaceURI == ns) yield return e;
        }
    }

    /// <summary>The single direct child, or null (none or several).</summary>
    internal static XmlElement? Child(XmlElement parent, string ns, string localName)
    {
        XmlElement? found = null;
        foreach (var e in Children(parent, ns, localName))
        {
            if (found is not null) return null;
            found = e;
        }
        return found;
    }

    /// <summary>An attribute's value or null when absent (never the empty string for an absent one).</summary>
    internal static string? Attr(XmlElement e, string name) => e.HasAttribute(name) ? e.GetAttribute(name) : null;

    /// <summary>The element's text when it holds only text nodes; null when it has child elements.</summary>
    internal static string? Text(XmlElement e)
    {
        var sb = new System.Text.StringBuilder();
        foreach (XmlNode n in e.ChildNodes)
        {
            switch (n)
            {
                case XmlText or XmlCDataSection or XmlWhitespace or XmlSignificantWhitespace:
                    sb.Append(n.Value);
                    break;
                case XmlElement:
                    return null;
            }
        }
        return sb.ToString();
    }

    /// <summary>SAML's xs:dateTime in UTC, or null.</summary>
    internal static DateTimeOffset? Time(string? value) =>
        value is not null && DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var t) ? t : null;

    /// <summary>An xs:dateTime as SAML writes it (UTC, <c>Z</c>, whole seconds).</summary>
    internal static string Format(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
