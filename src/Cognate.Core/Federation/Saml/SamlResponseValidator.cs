using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;

namespace Cognate.Core.Federation.Saml;

/// <summary>What a SAML response must match (SAML profiles §4.1.4.3, the AWS guide "Things to know about SAML IdPs").</summary>
/// <param name="SpEntityId">The pool's SP entity id (<see cref="SamlXml.SpEntityId"/>): the required Audience.</param>
/// <param name="AcsUrl">The pool's ACS URL (<c>https://{domain}/saml2/idpresponse</c>): Destination and Recipient.</param>
/// <param name="Metadata">The IdP's metadata: the Issuer and the signing certificates.</param>
/// <param name="InResponseTo">SP-initiated: the AuthnRequest's ID; null for IdP-initiated (then InResponseTo must be absent).</param>
/// <param name="RequireEncryption">EncryptedResponses=true: an unencrypted assertion is refused.</param>
/// <param name="DecryptionKey">The pool's encryption key (needed for an EncryptedAssertion).</param>
/// <param name="Now">The clock.</param>
public sealed record SamlExpectations(string SpEntityId, string AcsUrl, SamlMetadata Metadata, string? InResponseTo, bool RequireEncryption, RSA? DecryptionKey, DateTimeOffset Now);

/// <summary>A verified assertion.</summary>
/// <param name="Id">The assertion's ID (the replay key).</param>
/// <param name="Issuer">The IdP's entity id.</param>
/// <param name="NameId">The subject's NameID (the federated user's UserId).</param>
/// <param name="NameIdFormat">The NameID's Format, or null.</param>
/// <param name="SessionIndex">The first AuthnStatement's SessionIndex (for single logout), or null.</param>
/// <param name="ValidUntil">Until when the assertion could be presented (its replay record lives this long).</param>
/// <param name="Attributes">Attribute values by Name (in document order).</param>
public sealed record SamlAssertion(string Id, string Issuer, string NameId, string? NameIdFormat, string? SessionIndex, DateTimeOffset ValidUntil,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Attributes)
{
    /// <summary>The attributes as <see cref="FederatedProfile.Attributes"/> wants them: multi-valued ones joined with commas.</summary>
    public IReadOnlyDictionary<string, string> JoinedAttributes() =>
        Attributes.ToDictionary(a => a.Key, a => string.Join(",", a.Value), StringComparer.Ordinal);
}

/// <summary>
/// Verifies a POST-binding <c>SAMLResponse</c> (base64 of a <c>samlp:Response</c>) for the pool's SP: one assertion only (plain,
/// or encrypted with the pool's encryption key), signed — the Response or the Assertion — by a certificate of the IdP's metadata
/// (<see cref="SamlSignature"/>), Issuer = the IdP's entity id, Status Success, Destination and Recipient = the ACS URL,
/// Audience = the SP entity id, InResponseTo = the AuthnRequest's id (absent for IdP-initiated), NotBefore / NotOnOrAfter with
/// <see cref="ClockSkew"/>. Replay is the caller's (the assertion ID, <see cref="ISamlReplayStore"/>). Errors are
/// <see cref="SamlException"/>s whose messages follow Cognito's "Invalid SAML response received: …" and never quote the input.
/// </summary>
public static class SamlResponseValidator
{
    /// <summary>Largest <c>SAMLResponse</c> accepted, in characters (Cognito: 100,000).</summary>
    public const int MaxResponseCharacters = 100_000;
    /// <summary>Tolerated clock difference with the IdP.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(3);
    /// <summary>IdP-initiated: the assertion must have been issued within this (Cognito: the previous 6 minutes).</summary>
    public static readonly TimeSpan IdpInitiatedMaxAge = TimeSpan.FromMinutes(6);
    /// <summary>Replay window when the assertion sets no NotOnOrAfter.</summary>
    static readonly TimeSpan DefaultValidity = TimeSpan.FromHours(1);

    const string Prefix = "Invalid SAML response received: ";

    /// <summary>Verifies <paramref name="samlResponse"/> against <paramref name="expect"/>.</summary>
    /// <exception cref="SamlException">Refused; the message says why.</exception>
    public static SamlAssertion Validate(string samlResponse, SamlExpectations expect)
    {
        ArgumentNullException.ThrowIfNull(samlResponse);
        ArgumentNullException.ThrowIfNull(expect);
        if (samlResponse.Length > MaxResponseCharacters) throw Fail("The SAML response is too large.");
        XmlDocument doc;
        try
        {
            var xml = Encoding.UTF8.GetString(Convert.FromBase64String(samlResponse));
            doc = SamlXml.Load(xml, MaxResponseCharacters * 2);
        }
        catch (Exception e) when (e is FormatException or XmlException)
        {
            throw Fail("The SAML response is not base64 XML.");
        }
        var response = doc.DocumentElement;
        if (response is null || response.LocalName != "Response" || response.NamespaceURI != SamlXml.Protocol) throw Fail("The document is not a SAML 2.0 Response.");
        if (SamlXml.Attr(response, "Version") != "2.0") throw Fail("The SAML response version is not 2.0.");

        // Issuer, Destination, InResponseTo, Status of the Response.
        if (SamlXml.Child(response, SamlXml.Assertion, "Issuer") is { } rIssuer && SamlXml.Text(rIssuer)?.Trim() != expect.Metadata.EntityId)
        {
            throw Fail("The SAML response's issuer is not the identity provider's entity ID.");
        }
        if (SamlXml.Attr(response, "Destination") is { } destination && destination != expect.AcsUrl) throw Fail("The SAML response's Destination is not this user pool's ACS URL.");
        var responseInResponseTo = SamlXml.Attr(response, "InResponseTo");
        CheckInResponseTo(responseInResponseTo, expect.InResponseTo);
        var status = SamlXml.Child(response, SamlXml.Protocol, "Status");
        var code = status is null ? null : SamlXml.Child(status, SamlXml.Protocol, "StatusCode");
        if (code is null || SamlXml.Attr(code, "Value") != SamlXml.Success) throw Fail("The SAML response's status is not Success.");

        // Exactly one assertion, plain or encrypted, directly under the Response; no other Assertion anywhere.
        var plain = SamlXml.Children(response, SamlXml.Assertion, "Assertion").ToList();
        var encrypted = SamlXml.Children(response, SamlXml.Assertion, "EncryptedAssertion").ToList();
        if (plain.Count + encrypted.Count != 1) throw Fail("The SAML response must contain exactly one assertion.");
        if (doc.GetElementsByTagName("Assertion", SamlXml.Assertion).Count != plain.Count) throw Fail("The SAML response contains a nested assertion.");
        if (expect.RequireEncryption && encrypted.Count == 0) throw Fail("The SAML assertion is not encrypted.");

        // A signed Response covers what it carries (the EncryptedAssertion as sent): verify before decrypting.
        bool responseSigned = false;
        if (SamlSignature.SignatureOf(response) is not null)
        {
            if (!Verify(response, expect)) throw Fail("SAML Response signature is invalid.");
            responseSigned = true;
        }

        XmlElement assertion;
        if (encrypted.Count == 1)
        {
            var decrypted = Decrypt(encrypted[0], expect.DecryptionKey);
            var root = decrypted.DocumentElement;
            if (root is null || root.LocalName != "Assertion" || root.NamespaceURI != SamlXml.Assertion
                || decrypted.GetElementsByTagName("Assertion", SamlXml.Assertion).Count != 1)
            {
                throw Fail("The encrypted assertion must contain exactly one assertion.");
            }
            assertion = root;
        }
        else
        {
            assertion = plain[0];
        }
        if (SamlSignature.SignatureOf(assertion) is not null)
        {
            if (!Verify(assertion, expect)) throw Fail("SAML Assertion signature is invalid.");
        }
        else if (!responseSigned)
        {
            throw Fail("The SAML response is not signed.");
        }
        return ReadAssertion(assertion, expect, responseInResponseTo is not null);
    }

    static bool Verify(XmlElement element, SamlExpectations expect)
    {
        try { return SamlSignature.Verify(element, expect.Metadata.SigningCertificates); }
        catch (SamlException e) { throw Fail(e.Message); }
    }

    static SamlAssertion ReadAssertion(XmlElement a, SamlExpectations expect, bool answered)
    {
        var now = expect.Now;
        var id = SamlXml.Attr(a, "ID");
        if (string.IsNullOrEmpty(id) || id.Length > 256) throw Fail("The SAML assertion has no usable ID.");
        if (SamlXml.Attr(a, "Version") != "2.0") throw Fail("The SAML assertion version is not 2.0.");
        var issuerElement = SamlXml.Child(a, SamlXml.Assertion, "Issuer");
        var issuer = issuerElement is null ? null : SamlXml.Text(issuerElement)?.Trim();
        if (issuer != expect.Metadata.EntityId) throw Fail("The SAML assertion's issuer is not the identity provider's entity ID.");
        var issued = SamlXml.Time(SamlXml.Attr(a, "IssueInstant")) ?? throw Fail("The SAML assertion has no IssueInstant.");
        if (issued > now + ClockSkew) throw Fail("The SAML assertion was issued in the future.");
        if (expect.InResponseTo is null && issued < now - IdpInitiatedMaxAge - ClockSkew) throw Fail("The IdP-initiated SAML assertion was issued more than 6 minutes ago.");

        // Subject: NameID and a bearer confirmation for this ACS.
        var subject = SamlXml.Child(a, SamlXml.Assertion, "Subject") ?? throw Fail("The SAML assertion has no Subject.");
        var nameIdElement = SamlXml.Child(subject, SamlXml.Assertion, "NameID") ?? throw Fail("The SAML assertion has no NameID.");
        var nameId = SamlXml.Text(nameIdElement)?.Trim();
        if (string.IsNullOrEmpty(nameId)) throw Fail("The SAML assertion's NameID is empty.");
        DateTimeOffset? validUntil = null;
        bool confirmed = false;
        foreach (var confirmation in SamlXml.Children(subject, SamlXml.Assertion, "SubjectConfirmation"))
        {
            if (SamlXml.Attr(confirmation, "Method") != SamlXml.Bearer) continue;
            var data = SamlXml.Child(confirmation, SamlXml.Assertion, "SubjectConfirmationData");
            if (data is null) continue;
            if (SamlXml.Attr(data, "Recipient") != expect.AcsUrl) throw Fail("The SAML assertion's Recipient is not this user pool's ACS URL.");
            var confirmationInResponseTo = SamlXml.Attr(data, "InResponseTo");
            CheckInResponseTo(confirmationInResponseTo, expect.InResponseTo);
            // SP-initiated: the response must say which AuthnRequest it answers (SAML profiles §4.1.4.2), on the Response or here.
            if (expect.InResponseTo is not null && !answered && confirmationInResponseTo is null)
            {
                throw Fail("The SAML response does not answer this sign-in request (InResponseTo).");
            }
            var notOnOrAfter = SamlXml.Time(SamlXml.Attr(data, "NotOnOrAfter")) ?? throw Fail("The SAML assertion's SubjectConfirmationData has no NotOnOrAfter.");
            if (now - ClockSkew >= notOnOrAfter) throw Fail("The SAML assertion has expired.");
            if (SamlXml.Time(SamlXml.Attr(data, "NotBefore")) is { } nb && nb > now + ClockSkew) throw Fail("The SAML assertion is not yet valid.");
            validUntil = notOnOrAfter;
            confirmed = true;
            break;
        }
        if (!confirmed) throw Fail("The SAML assertion has no bearer SubjectConfirmation.");

        // Conditions: time window and audience.
        var conditions = SamlXml.Child(a, SamlXml.Assertion, "Conditions") ?? throw Fail("The SAML assertion has no Conditions.");
        if (SamlXml.Time(SamlXml.Attr(conditions, "NotBefore")) is { } notBefore && notBefore > now + ClockSkew) throw Fail("The SAML assertion is not yet valid.");
        if (SamlXml.Time(SamlXml.Attr(conditions, "NotOnOrAfter")) is { } until)
        {
            if (now - ClockSkew >= until) throw Fail("The SAML assertion has expired.");
            validUntil = validUntil is null || until < validUntil ? until : validUntil;
        }
        var restrictions = SamlXml.Children(conditions, SamlXml.Assertion, "AudienceRestriction").ToList();
        if (restrictions.Count == 0) throw Fail("The SAML assertion has no audience restriction.");
        foreach (var r in restrictions)
        {
            if (!SamlXml.Children(r, SamlXml.Assertion, "Audience").Any(x => SamlXml.Text(x)?.Trim() == expect.SpEntityId))
            {
                throw Fail("Audience of the SAML assertion is not this user pool.");
            }
        }

        var authn = SamlXml.Children(a, SamlXml.Assertion, "AuthnStatement").FirstOrDefault();
        var attributes = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var statement in SamlXml.Children(a, SamlXml.Assertion, "AttributeStatement"))
        {
            foreach (var attribute in SamlXml.Children(statement, SamlXml.Assertion, "Attribute"))
            {
                var name = SamlXml.Attr(attribute, "Name");
                if (string.IsNullOrEmpty(name)) continue;
                var values = SamlXml.Children(attribute, SamlXml.Assertion, "AttributeValue").Select(v => SamlXml.Text(v)).OfType<string>().ToList();
                attributes[name] = attributes.TryGetValue(name, out var earlier) ? [.. earlier, .. values] : values;
            }
        }
        var floor = now + ClockSkew;
        var expiry = validUntil ?? issued + DefaultValidity;
        return new SamlAssertion(id, issuer!, nameId, SamlXml.Attr(nameIdElement, "Format"), authn is null ? null : SamlXml.Attr(authn, "SessionIndex"),
            expiry < floor ? floor : expiry + ClockSkew, attributes);
    }

    static void CheckInResponseTo(string? actual, string? expected)
    {
        if (expected is null)
        {
            if (actual is not null) throw Fail("An IdP-initiated SAML response must not contain InResponseTo.");
        }
        else if (actual is not null && actual != expected)
        {
            throw Fail("The SAML response does not answer this sign-in request (InResponseTo).");
        }
    }

    /// <summary>
    /// Decrypts an <c>EncryptedAssertion</c> into its own document: the content key by RSA-OAEP (RSA 1.5 is refused: padding
    /// oracle), the data by AES-CBC (what .NET's EncryptedXml supports).
    /// </summary>
    static XmlDocument Decrypt(XmlElement encryptedAssertion, RSA? key)
    {
        if (key is null) throw Fail("The SAML assertion is encrypted but encrypted responses are not enabled for this identity provider.");
        var dataElement = SamlXml.Child(encryptedAssertion, SamlXml.XEnc, "EncryptedData") ?? throw Fail("The encrypted assertion has no EncryptedData.");
        try
        {
            var data = new EncryptedData();
            data.LoadXml(dataElement);
            EncryptedKey? encryptedKey = null;
            if (data.KeyInfo is not null)
            {
                foreach (var clause in data.KeyInfo)
                {
                    if (clause is KeyInfoEncryptedKey k) { encryptedKey = k.EncryptedKey; break; }
                }
            }
            if (encryptedKey is null && SamlXml.Child(encryptedAssertion, SamlXml.XEnc, "EncryptedKey") is { } sibling)
            {
                encryptedKey = new EncryptedKey();
                encryptedKey.LoadXml(sibling);
            }
            if (encryptedKey?.CipherData?.CipherValue is not { } wrapped) throw Fail("The encrypted assertion has no EncryptedKey.");
            var keyAlgorithm = encryptedKey.EncryptionMethod?.KeyAlgorithm;
            if (keyAlgorithm != EncryptedXml.XmlEncRSAOAEPUrl) throw Fail("The assertion's key transport algorithm is not RSA-OAEP.");
            var dataAlgorithm = data.EncryptionMethod?.KeyAlgorithm;
            if (dataAlgorithm is not (EncryptedXml.XmlEncAES128Url or EncryptedXml.XmlEncAES192Url or EncryptedXml.XmlEncAES256Url))
            {
                throw Fail("The assertion's data encryption algorithm is not AES-CBC.");
            }
            var contentKey = EncryptedXml.DecryptKey(wrapped, key, useOAEP: true);
            using var aes = Aes.Create();
            aes.Key = contentKey;
            var plain = new EncryptedXml().DecryptData(data, aes);
            CryptographicOperations.ZeroMemory(contentKey);
            return SamlXml.Load(Encoding.UTF8.GetString(plain), MaxResponseCharacters * 2);
        }
        catch (Exception e) when (e is CryptographicException or XmlException or FormatException)
        {
            throw Fail("The SAML assertion could not be decrypted with this user pool's encryption certificate.");
        }
    }

    static SamlException Fail(string message) => new(message.StartsWith(Prefix, StringComparison.Ordinal) ? message : Prefix + message);
}

/// <summary>Assertion IDs already accepted, each until its assertion could no longer be presented (Cognito: no replayed assertions).</summary>
public interface ISamlReplayStore
{
    /// <summary>Records (pool, issuer, assertion id) atomically; false when it was recorded before and has not expired.</summary>
    ValueTask<bool> TryRecordAsync(string userPoolId, string issuer, string assertionId, DateTimeOffset expiresAt, CancellationToken ct = default);
}
