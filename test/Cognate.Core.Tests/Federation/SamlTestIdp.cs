using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;
using Cognate.Core.Federation.Saml;

namespace Cognate.Core.Tests.Federation;

/// <summary>A test IdP: a key, its metadata, and signed (optionally encrypted) SAML responses built with SignedXml.</summary>
internal sealed class SamlTestIdp : IDisposable
{
    public const string EntityId = "https://idp.example.test/metadata";
    public const string PoolId = "us-east-1_Saml12345";
    public const string Acs = "https://auth.example.test/saml2/idpresponse";
    public static string Sp => SamlXml.SpEntityId(PoolId);

    public RSA Key { get; } = RSA.Create(2048);
    public X509Certificate2 Certificate { get; }

    public SamlTestIdp(DateTimeOffset now)
    {
        var req = new CertificateRequest("CN=test-idp", Key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        Certificate = req.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
    }

    public string Metadata(bool withSlo = true) => $"""
        <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="{EntityId}">
          <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
            <md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>{Convert.ToBase64String(Certificate.RawData)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
            {(withSlo ? """<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.test/slo"/>""" : "")}
            <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.test/sso"/>
            <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp.example.test/sso-post"/>
          </md:IDPSSODescriptor>
        </md:EntityDescriptor>
        """;

    public sealed record Options
    {
        public string AssertionId { get; init; } = "_a" + Guid.NewGuid().ToString("N");
        public string? InResponseTo { get; init; } = "_req1";
        public string Audience { get; init; } = Sp;
        public string Recipient { get; init; } = Acs;
        public string Issuer { get; init; } = EntityId;
        public TimeSpan Validity { get; init; } = TimeSpan.FromMinutes(5);
        public string NameId { get; init; } = "alice@corp.test";
        public bool SignAssertion { get; init; } = true;
        public bool SignResponse { get; init; }
        public string Status { get; init; } = SamlXml.Success;
        public string Digest { get; init; } = SignedXml.XmlDsigSHA256Url;
        public string SignatureMethod { get; init; } = SignedXml.XmlDsigRSASHA256Url;
    }

    public XmlDocument Build(DateTimeOffset issued, Options o)
    {
        string t(DateTimeOffset x) => x.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var irt = o.InResponseTo is null ? "" : $" InResponseTo=\"{o.InResponseTo}\"";
        var xml = $"""
            <samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r{Guid.NewGuid():N}" Version="2.0" IssueInstant="{t(issued)}" Destination="{Acs}"{irt}><saml:Issuer>{o.Issuer}</saml:Issuer><samlp:Status><samlp:StatusCode Value="{o.Status}"/></samlp:Status><saml:Assertion ID="{o.AssertionId}" Version="2.0" IssueInstant="{t(issued)}"><saml:Issuer>{o.Issuer}</saml:Issuer><saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">{o.NameId}</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="{t(issued + o.Validity)}" Recipient="{o.Recipient}"{irt}/></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore="{t(issued.AddMinutes(-1))}" NotOnOrAfter="{t(issued + o.Validity)}"><saml:AudienceRestriction><saml:Audience>{o.Audience}</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AuthnStatement AuthnInstant="{t(issued)}" SessionIndex="_s1"/><saml:AttributeStatement><saml:Attribute Name="email"><saml:AttributeValue>alice@corp.test</saml:AttributeValue></saml:Attribute><saml:Attribute Name="groups"><saml:AttributeValue>admins</saml:AttributeValue><saml:AttributeValue>staff</saml:AttributeValue></saml:Attribute></saml:AttributeStatement></saml:Assertion></samlp:Response>
            """;
        var doc = new XmlDocument { PreserveWhitespace = true };
        doc.LoadXml(xml);
        if (o.SignAssertion) Sign(Assertion(doc), o);
        if (o.SignResponse) Sign(doc.DocumentElement!, o);
        return doc;
    }

    public static XmlElement Assertion(XmlDocument doc) => (XmlElement)doc.GetElementsByTagName("Assertion", SamlXml.Assertion)[0]!;

    public void Sign(XmlElement element, Options o)
    {
        var signed = new SignedXml(element) { SigningKey = Key };
        signed.SignedInfo!.CanonicalizationMethod = SignedXml.XmlDsigExcC14NTransformUrl;
        signed.SignedInfo.SignatureMethod = o.SignatureMethod;
        var reference = new Reference("#" + element.GetAttribute("ID")) { DigestMethod = o.Digest };
        reference.AddTransform(new XmlDsigEnvelopedSignatureTransform());
        reference.AddTransform(new XmlDsigExcC14NTransform());
        signed.AddReference(reference);
        signed.KeyInfo = new KeyInfo();
        signed.KeyInfo.AddClause(new KeyInfoX509Data(Certificate));
        signed.ComputeSignature();
        var sig = signed.GetXml();
        // SAML schema order: Signature right after Issuer.
        var issuer = element.GetElementsByTagName("Issuer", SamlXml.Assertion).OfType<XmlElement>().First(e => e.ParentNode == element);
        element.InsertAfter(element.OwnerDocument.ImportNode(sig, true), issuer);
    }

    /// <summary>Replaces the plain assertion by an EncryptedAssertion for <paramref name="recipient"/> (RSA-OAEP + AES-256-CBC).</summary>
    public static void Encrypt(XmlDocument doc, X509Certificate2 recipient)
    {
        var assertion = Assertion(doc);
        using var aes = Aes.Create();
        aes.KeySize = 256;
        var encrypted = new EncryptedXml().EncryptData(assertion, aes, false);
        var data = new EncryptedData
        {
            Type = EncryptedXml.XmlEncElementUrl,
            EncryptionMethod = new EncryptionMethod(EncryptedXml.XmlEncAES256Url),
            CipherData = new CipherData(encrypted),
        };
        using var rsa = recipient.GetRSAPublicKey()!;
        var key = new EncryptedKey
        {
            EncryptionMethod = new EncryptionMethod(EncryptedXml.XmlEncRSAOAEPUrl),
            CipherData = new CipherData(EncryptedXml.EncryptKey(aes.Key, rsa, true)),
        };
        data.KeyInfo = new KeyInfo();
        data.KeyInfo.AddClause(new KeyInfoEncryptedKey(key));
        var wrapper = doc.CreateElement("saml", "EncryptedAssertion", SamlXml.Assertion);
        wrapper.AppendChild(doc.ImportNode(data.GetXml(), true));
        assertion.ParentNode!.ReplaceChild(wrapper, assertion);
    }

    public static string Encode(XmlDocument doc) => Convert.ToBase64String(Encoding.UTF8.GetBytes(doc.OuterXml));

    public void Dispose()
    {
        Key.Dispose();
        Certificate.Dispose();
    }
}
