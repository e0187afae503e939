using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Xml;

namespace Cognate.Core.Federation.Saml;

/// <summary>
/// The SP's outgoing messages (AuthnRequest, LogoutRequest) and the HTTP-Redirect binding (SAML bindings §3.4.4): the message is
/// DEFLATE-compressed, base64-encoded and sent as <c>SAMLRequest</c> with <c>RelayState</c>; when signed, <c>SigAlg</c> and
/// <c>Signature</c> = base64 RSA-SHA256 over the exact query string <c>SAMLRequest=…&amp;RelayState=…&amp;SigAlg=…</c>.
/// </summary>
public static class SamlRedirectBinding
{
    /// <summary>A new request id: <c>_</c> + 32 hex characters (an xs:ID must not start with a digit).</summary>
    public static string NewId() => "_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>An AuthnRequest asking for a POST-binding response to <paramref name="acsUrl"/>.</summary>
    public static string AuthnRequest(string id, string spEntityId, string destination, string acsUrl, DateTimeOffset issueInstant) =>
        Write(w =>
        {
            w.WriteStartElement("samlp", "AuthnRequest", SamlXml.Protocol);
            w.WriteAttributeString("xmlns", "saml", null, SamlXml.Assertion);
            w.WriteAttributeString("ID", id);
            w.WriteAttributeString("Version", "2.0");
            w.WriteAttributeString("IssueInstant", SamlXml.Format(issueInstant));
            w.WriteAttributeString("Destination", destination);
            w.WriteAttributeString("AssertionConsumerServiceURL", acsUrl);
            w.WriteAttributeString("ProtocolBinding", SamlXml.PostBinding);
            w.WriteElementString("saml", "Issuer", SamlXml.Assertion, spEntityId);
            w.WriteStartElement("samlp", "NameIDPolicy", SamlXml.Protocol);
            w.WriteAttributeString("Format", "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified");
            w.WriteAttributeString("AllowCreate", "true");
            w.WriteEndElement();
            w.WriteEndElement();
        });

    /// <summary>A LogoutRequest for the session <paramref name="sessionIndex"/> of <paramref name="nameId"/>.</summary>
    public static string LogoutRequest(string id, string spEntityId, string destination, string nameId, string? nameIdFormat, string? sessionIndex, DateTimeOffset issueInstant) =>
        Write(w =>
        {
            w.WriteStartElement("samlp", "LogoutRequest", SamlXml.Protocol);
            w.WriteAttributeString("xmlns", "saml", null, SamlXml.Assertion);
            w.WriteAttributeString("ID", id);
            w.WriteAttributeString("Version", "2.0");
            w.WriteAttributeString("IssueInstant", SamlXml.Format(issueInstant));
            w.WriteAttributeString("Destination", destination);
            w.WriteElementString("saml", "Issuer", SamlXml.Assertion, spEntityId);
            w.WriteStartElement("saml", "NameID", SamlXml.Assertion);
            if (nameIdFormat is not null) w.WriteAttributeString("Format", nameIdFormat);
            w.WriteString(nameId);
            w.WriteEndElement();
            if (sessionIndex is not null) w.WriteElementString("samlp", "SessionIndex", SamlXml.Protocol, sessionIndex);
            w.WriteEndElement();
        });

    /// <summary>
    /// The URL that carries <paramref name="xml"/> to <paramref name="destination"/> by HTTP-Redirect (<c>SAMLRequest</c>),
    /// signed with RSA-SHA256 when <paramref name="signingKey"/> is given.
    /// </summary>
    public static string RedirectUrl(string destination, string xml, string? relayState, RSA? signingKey)
    {
        var query = new StringBuilder("SAMLRequest=").Append(Uri.EscapeDataString(Deflate(xml)));
        if (relayState is not null) query.Append("&RelayState=").Append(Uri.EscapeDataString(relayState));
        if (signingKey is not null)
        {
            query.Append("&SigAlg=").Append(Uri.EscapeDataString(SamlXml.RsaSha256));
            var signature = signingKey.SignData(Encoding.UTF8.GetBytes(query.ToString()), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            query.Append("&Signature=").Append(Uri.EscapeDataString(Convert.ToBase64String(signature)));
        }
        return destination + (destination.Contains('?', StringComparison.Ordinal) ? '&' : '?') + query;
    }

    /// <summary>Base64 of the raw DEFLATE of the UTF-8 message.</summary>
    public static string Deflate(string xml)
    {
        using var buffer = new MemoryStream();
        using (var deflate = new DeflateStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            deflate.Write(Encoding.UTF8.GetBytes(xml));
        }
        return Convert.ToBase64String(buffer.ToArray());
    }

    /// <summary>The message of a redirect-binding <c>SAMLRequest</c>/<c>SAMLResponse</c> (at most <paramref name="maxCharacters"/> inflated).</summary>
    /// <exception cref="SamlException">Not base64 DEFLATE, or too large.</exception>
    public static string Inflate(string encoded, int maxCharacters = 100_000)
    {
        try
        {
            using var input = new MemoryStream(Convert.FromBase64String(encoded));
            using var deflate = new DeflateStream(input, CompressionMode.Decompress);
            using var reader = new StreamReader(deflate, Encoding.UTF8);
            var chars = new char[maxCharacters + 1];
            int total = 0, read;
            while ((read = reader.Read(chars, total, chars.Length - total)) > 0)
            {
                total += read;
                if (total > maxCharacters) throw new SamlException("The SAML message is too large.");
            }
            return new string(chars, 0, total);
        }
        catch (Exception e) when (e is FormatException or InvalidDataException)
        {
            throw new SamlException("The SAML message is not base64 DEFLATE.");
        }
    }

    static string Write(Action<XmlWriter> body)
    {
        var sb = new StringBuilder();
        using (var w = XmlWriter.Create(sb, new XmlWriterSettings { OmitXmlDeclaration = true, Encoding = Encoding.UTF8 }))
        {
            body(w);
        }
        return sb.ToString();
    }
}
