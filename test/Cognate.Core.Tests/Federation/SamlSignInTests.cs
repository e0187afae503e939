using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;
using Cognate.Core.Crypto;
using Cognate.Core.Errors;
using Cognate.Core.Federation.Saml;
using Cognate.Core.IdentityProviders;
using Cognate.Core.Pools;
using Cognate.Core.Tests.Pools;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.Federation;

public sealed class SamlSignInTests : IDisposable
{
    static readonly DateTimeOffset T0 = new(2026, 12, 6, 3, 0, 0, TimeSpan.Zero);
    readonly FixedTime _time = new(T0);
    readonly SamlTestIdp _idp = new(T0);
    readonly MasterKeyProtector _protector = MasterKeyProtector.FromBase64(MasterKeyProtector.DevelopmentMasterKeyBase64);
    readonly FakeSpKeys _keyStore = new();
    readonly FakeReplay _replay = new();
    readonly SamlSpKeyService _keys;
    readonly SamlSignIn _saml;
    readonly UserPool _pool = new() { Id = SamlTestIdp.PoolId, Region = "us-east-1", CreatedAt = T0, ModifiedAt = T0, Config = new UserPoolConfig(), Version = 0 };

    public SamlSignInTests()
    {
        _keys = new SamlSpKeyService(_keyStore, _protector, _time);
        _saml = new SamlSignIn(new SamlMetadataSource(new NoFetch(), _time), _keys, _replay, _time);
    }

    IdentityProvider Provider(params (string Key, string Value)[] extra)
    {
        var details = new Dictionary<string, string>(StringComparer.Ordinal) { [SamlDetails.MetadataFile] = _idp.Metadata() };
        foreach (var (k, v) in extra) details[k] = v;
        return new IdentityProvider
        {
            UserPoolId = _pool.Id, ProviderName = "CorpSAML", ProviderType = IdentityProviderTypes.Saml, ProviderDetails = details,
            AttributeMapping = new Dictionary<string, string>(), IdpIdentifiers = [], CreatedAt = T0, ModifiedAt = T0,
        };
    }

    ValueTask<SamlAssertion> Validate(XmlDocument doc, string? inResponseTo = "_req1", IdentityProvider? provider = null) =>
        _saml.ValidateAsync(_pool, provider ?? Provider(), SamlTestIdp.Encode(doc), SamlTestIdp.Acs, inResponseTo);

    async Task<string> Refused(XmlDocument doc, string? inResponseTo = "_req1", IdentityProvider? provider = null) =>
        (await Should.ThrowAsync<SamlException>(async () => await Validate(doc, inResponseTo, provider))).Message;

    [Fact]
    public async Task Validate_SignedAssertion_ReturnsProfile()
    {
        var assertion = await Validate(_idp.Build(T0, new()));
        assertion.NameId.ShouldBe("alice@corp.test");
        assertion.Issuer.ShouldBe(SamlTestIdp.EntityId);
        assertion.SessionIndex.ShouldBe("_s1");
        var profile = SamlSignIn.Profile(assertion);
        profile.UserId.ShouldBe("alice@corp.test");
        profile.Issuer.ShouldBe(SamlTestIdp.EntityId);
        profile.Attributes["groups"].ShouldBe("admins,staff");
        profile.SamlResponse!["email"]!.GetValue<string>().ShouldBe("alice@corp.test");
    }

    [Fact]
    public async Task Validate_SignedResponseOnly_Accepted()
    {
        var assertion = await Validate(_idp.Build(T0, new() { SignAssertion = false, SignResponse = true }));
        assertion.NameId.ShouldBe("alice@corp.test");
    }

    [Fact]
    public async Task Validate_Unsigned_Refused()
    {
        (await Refused(_idp.Build(T0, new() { SignAssertion = false }))).ShouldContain("not signed");
    }

    [Fact]
    public async Task Validate_AttributeTamperedAfterSigning_Refused()
    {
        var doc = _idp.Build(T0, new());
        var value = doc.GetElementsByTagName("AttributeValue", SamlXml.Assertion)[0]!;
        value.InnerText = "mallory@evil.test";
        (await Refused(doc)).ShouldBe("Invalid SAML response received: SAML Assertion signature is invalid.");
    }

    [Fact]
    public async Task Validate_SignedByKeyInfoCertificateNotInMetadata_Refused()
    {
        using var attacker = new SamlTestIdp(T0);
        (await Refused(attacker.Build(T0, new()))).ShouldContain("signature is invalid");
    }

    [Fact]
    public async Task Validate_WrappedAssertion_OriginalMovedAside_Refused()
    {
        // XSW: an unsigned evil assertion where the code reads, the signed original hidden in Extensions.
        var doc = _idp.Build(T0, new());
        var original = SamlTestIdp.Assertion(doc);
        var evil = (XmlElement)original.CloneNode(true);
        evil.SetAttribute("ID", "_evil");
        evil.RemoveChild(SamlSignature.SignatureOf(evil)!);
        evil.GetElementsByTagName("NameID", SamlXml.Assertion)[0]!.InnerText = "admin@corp.test";
        var extensions = doc.CreateElement("samlp", "Extensions", SamlXml.Protocol);
        original.ParentNode!.ReplaceChild(evil, original);
        extensions.AppendChild(original);
        doc.DocumentElement!.InsertBefore(extensions, doc.DocumentElement.GetElementsByTagName("Status", SamlXml.Protocol)[0]);
        (await Refused(doc)).ShouldContain("nested assertion");
    }

    [Fact]
    public async Task Validate_WrappedAssertion_SameIdTwice_Refused()
    {
        // XSW: the evil assertion carries the original's ID and signature; the original sits inside the signature's Object.
        var doc = _idp.Build(T0, new());
        var original = SamlTestIdp.Assertion(doc);
        var evil = (XmlElement)original.CloneNode(true);
        evil.GetElementsByTagName("NameID", SamlXml.Assertion)[0]!.InnerText = "admin@corp.test";
        var signature = SamlSignature.SignatureOf(evil)!;
        var obj = doc.CreateElement("ds", "Object", SamlXml.DSig);
        original.ParentNode!.ReplaceChild(evil, original);
        obj.AppendChild(original);
        signature.AppendChild(obj);
        (await Refused(doc)).ShouldStartWith("Invalid SAML response received:");
    }

    [Fact]
    public async Task Validate_ReferenceToAnotherElement_Refused()
    {
        // The Response is signed, but the assertion the code reads is a second, unsigned copy with another ID placed outside
        // the signed Response? Not possible (the Response is the root); instead the signature of the assertion names the Response.
        var doc = _idp.Build(T0, new() { SignAssertion = false });
        var assertion = SamlTestIdp.Assertion(doc);
        var signed = new SignedXml(doc) { SigningKey = _idp.Key };
        signed.SignedInfo!.CanonicalizationMethod = SignedXml.XmlDsigExcC14NTransformUrl;
        var reference = new Reference("#" + doc.DocumentElement!.GetAttribute("ID")) { DigestMethod = SignedXml.XmlDsigSHA256Url };
        reference.AddTransform(new XmlDsigEnvelopedSignatureTransform());
        reference.AddTransform(new XmlDsigExcC14NTransform());
        signed.AddReference(reference);
        signed.ComputeSignature();
        assertion.AppendChild(doc.ImportNode(signed.GetXml(), true));
        (await Refused(doc)).ShouldContain("does not reference the signed element");
    }

    [Fact]
    public async Task Validate_Replay_RefusedSecondTime()
    {
        var doc = _idp.Build(T0, new());
        await Validate(doc);
        (await Refused(doc)).ShouldBe(SamlSignIn.ReplayMessage);
    }

    [Fact]
    public async Task Validate_WrongAudience_Refused()
    {
        (await Refused(_idp.Build(T0, new() { Audience = "urn:amazon:cognito:sp:us-east-1_Other" }))).ShouldContain("Audience");
    }

    [Fact]
    public async Task Validate_Expired_Refused()
    {
        var doc = _idp.Build(T0, new());
        _time.Now = T0.AddMinutes(9);
        (await Refused(doc)).ShouldContain("expired");
    }

    [Fact]
    public async Task Validate_WithinSkew_Accepted()
    {
        var doc = _idp.Build(T0, new());
        _time.Now = T0.AddMinutes(7);
        (await Validate(doc)).NameId.ShouldBe("alice@corp.test");
    }

    [Fact]
    public async Task Validate_WrongRecipient_Refused()
    {
        (await Refused(_idp.Build(T0, new() { Recipient = "https://evil.test/saml2/idpresponse" }))).ShouldContain("Recipient");
    }

    [Fact]
    public async Task Validate_WrongIssuer_Refused()
    {
        (await Refused(_idp.Build(T0, new() { Issuer = "https://other-idp.test" }))).ShouldContain("issuer");
    }

    [Fact]
    public async Task Validate_InResponseToMismatch_Refused()
    {
        (await Refused(_idp.Build(T0, new() { InResponseTo = "_other" }))).ShouldContain("InResponseTo");
    }

    [Fact]
    public async Task Validate_SpInitiatedButUnsolicited_Refused()
    {
        (await Refused(_idp.Build(T0, new() { InResponseTo = null }))).ShouldContain("InResponseTo");
    }

    [Fact]
    public async Task Validate_StatusNotSuccess_Refused()
    {
        (await Refused(_idp.Build(T0, new() { Status = "urn:oasis:names:tc:SAML:2.0:status:Responder" }))).ShouldContain("Success");
    }

    [Fact]
    public async Task Validate_Sha1Signature_Refused()
    {
        var doc = _idp.Build(T0, new() { Digest = SignedXml.XmlDsigSHA1Url, SignatureMethod = SignedXml.XmlDsigRSASHA1Url });
        (await Refused(doc)).ShouldContain("RSA-SHA256");
    }

    [Fact]
    public async Task Validate_Dtd_Refused()
    {
        var xml = "<!DOCTYPE r [<!ENTITY x \"y\">]>" + _idp.Build(T0, new()).OuterXml;
        var ex = await Should.ThrowAsync<SamlException>(async () =>
            await _saml.ValidateAsync(_pool, Provider(), Convert.ToBase64String(Encoding.UTF8.GetBytes(xml)), SamlTestIdp.Acs, "_req1"));
        ex.Message.ShouldContain("not base64 XML");
    }

    [Fact]
    public async Task Validate_IdpInitiated_NeedsIdpInitAndNoInResponseTo()
    {
        (await Refused(_idp.Build(T0, new() { InResponseTo = null }), inResponseTo: null)).ShouldContain("IdP-initiated sign-in is not enabled");
        var enabled = Provider((SamlDetails.IdpInit, "true"));
        (await Refused(_idp.Build(T0, new()), inResponseTo: null, enabled)).ShouldContain("must not contain InResponseTo");
        (await Validate(_idp.Build(T0, new() { InResponseTo = null }), inResponseTo: null, enabled)).NameId.ShouldBe("alice@corp.test");
        var old = _idp.Build(T0, new() { InResponseTo = null, Validity = TimeSpan.FromMinutes(30) });
        _time.Now = T0.AddMinutes(10);
        (await Refused(old, inResponseTo: null, enabled)).ShouldContain("6 minutes");
    }

    [Fact]
    public async Task Validate_EncryptedAssertion_DecryptedWithPoolKey()
    {
        var provider = Provider((SamlDetails.EncryptedResponses, "true"));
        var key = await _keys.GetOrCreateAsync(_pool.Id, SamlSpKeyUses.Encryption);
        var doc = _idp.Build(T0, new());
        SamlTestIdp.Encrypt(doc, key.Certificate);
        (await Validate(doc, provider: provider)).Attributes["email"].ShouldBe(["alice@corp.test"]);
    }

    [Fact]
    public async Task Validate_UnencryptedWhenEncryptionRequired_Refused()
    {
        (await Refused(_idp.Build(T0, new()), provider: Provider((SamlDetails.EncryptedResponses, "true")))).ShouldContain("not encrypted");
    }

    [Fact]
    public async Task SpKey_SealedAtRest_AndStable()
    {
        var a = await _keys.GetOrCreateAsync(_pool.Id, SamlSpKeyUses.Signing);
        var record = await _keyStore.GetAsync(_pool.Id, SamlSpKeyUses.Signing);
        record.ShouldNotBeNull();
        var pkcs8 = a.PrivateKey.ExportPkcs8PrivateKey();
        record.PrivateSealed.AsSpan().IndexOf(pkcs8.AsSpan(40, 64)).ShouldBe(-1);
        var fresh = new SamlSpKeyService(_keyStore, _protector, _time);
        (await fresh.GetOrCreateAsync(_pool.Id, SamlSpKeyUses.Signing)).CertificateBase64.ShouldBe(a.CertificateBase64);
        a.Certificate.Subject.ShouldBe("CN=" + _pool.Id);
    }

    [Fact]
    public async Task Start_SignedAuthnRequest_VerifiesWithPoolCertificate()
    {
        var (url, id) = await _saml.StartAsync(_pool, Provider((SamlDetails.RequestSigningAlgorithm, "rsa-sha256")), SamlTestIdp.Acs, "relay");
        url.ShouldStartWith("https://idp.example.test/sso?SAMLRequest=");
        var query = url[(url.IndexOf('?') + 1)..];
        var signedPart = query[..query.IndexOf("&Signature=", StringComparison.Ordinal)];
        var signature = Convert.FromBase64String(Uri.UnescapeDataString(query[(query.IndexOf("&Signature=", StringComparison.Ordinal) + 11)..]));
        var cert = (await _keys.GetOrCreateAsync(_pool.Id, SamlSpKeyUses.Signing)).Certificate;
        cert.GetRSAPublicKey()!.VerifyData(Encoding.UTF8.GetBytes(signedPart), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).ShouldBeTrue();
        var request = SamlRedirectBinding.Inflate(Uri.UnescapeDataString(signedPart.Split('&')[0]["SAMLRequest=".Length..]));
        request.ShouldContain($"ID=\"{id}\"");
        request.ShouldContain($"AssertionConsumerServiceURL=\"{SamlTestIdp.Acs}\"");
        request.ShouldContain(SamlXml.SpEntityId(_pool.Id));
        var unsigned = await _saml.StartAsync(_pool, Provider(), SamlTestIdp.Acs, "relay");
        unsigned.Url.ShouldNotContain("Signature=");
    }

    [Fact]
    public async Task Completer_ParsesMetadata_AddsCognitoKeys()
    {
        var completer = new SamlDetailsCompleter(new NoFetch(), _keys, _time);
        var details = await completer.CompleteAsync(_pool, "SAML", new Dictionary<string, string>
        {
            [SamlDetails.MetadataFile] = _idp.Metadata(), [SamlDetails.EncryptedResponses] = "true", [SamlDetails.IdpSignout] = "true",
        }, default);
        details[SamlDetails.SsoRedirectBindingUri].ShouldBe("https://idp.example.test/sso");
        details[SamlDetails.SloRedirectBindingUri].ShouldBe("https://idp.example.test/slo");
        details[SamlDetails.ActiveEncryptionCertificate].ShouldBe((await _keys.GetOrCreateAsync(_pool.Id, SamlSpKeyUses.Encryption)).CertificateBase64);

        var missing = await Should.ThrowAsync<CognitoException>(async () => await completer.CompleteAsync(_pool, "SAML", new Dictionary<string, string>(), default));
        missing.Error.Message.ShouldBe(SamlDetailsCompleter.MissingMetadataMessage);
        var dtd = await Should.ThrowAsync<CognitoException>(async () => await completer.CompleteAsync(_pool, "SAML",
            new Dictionary<string, string> { [SamlDetails.MetadataFile] = "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>" }, default));
        dtd.Error.Type.ShouldBe("InvalidParameterException");
    }

    [Fact]
    public void Metadata_RefusesWhatCannotBeUsed()
    {
        SamlMetadata.Parse(_idp.Metadata(), T0).SigningCertificates.Count.ShouldBe(1);
        SamlMetadata.Parse(_idp.Metadata(withSlo: false), T0).SloRedirect.ShouldBeNull();
        Should.Throw<SamlException>(() => SamlMetadata.Parse(_idp.Metadata(), T0.AddYears(2))).Message.ShouldContain("expired");
        Should.Throw<SamlException>(() => SamlMetadata.Parse(_idp.Metadata().Replace("HTTP-Redirect\" Location=\"https://idp.example.test/sso\"", "HTTP-Artifact\" Location=\"https://idp.example.test/sso\""), T0))
            .Message.ShouldContain("HTTP-Redirect");
        Should.Throw<SamlException>(() => SamlMetadata.Parse("<x/>", T0)).Message.ShouldContain("EntityDescriptor");
        Should.Throw<SamlException>(() => SamlMetadata.Parse("<!DOCTYPE x SYSTEM \"http://evil.test/x.dtd\"><x/>", T0)).Message.ShouldContain("DTD");
        var wrapped = $"<md:EntitiesDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\">{_idp.Metadata()}</md:EntitiesDescriptor>";
        SamlMetadata.Parse(wrapped, T0).EntityId.ShouldBe(SamlTestIdp.EntityId);
    }

    public void Dispose()
    {
        _idp.Dispose();
        _protector.Dispose();
    }

    sealed class FakeSpKeys : ISamlSpKeyStore
    {
        readonly Dictionary<(string, string), SamlSpKeyRecord> _keys = new();
        public ValueTask<SamlSpKeyRecord?> GetAsync(string userPoolId, string use, CancellationToken ct = default) => ValueTask.FromResult(_keys.GetValueOrDefault((userPoolId, use)));
        public ValueTask<bool> AddAsync(SamlSpKeyRecord key, CancellationToken ct = default) => ValueTask.FromResult(_keys.TryAdd((key.UserPoolId, key.Use), key));
    }

    sealed class FakeReplay : ISamlReplayStore
    {
        readonly HashSet<string> _seen = new(StringComparer.Ordinal);
        public ValueTask<bool> TryRecordAsync(string userPoolId, string issuer, string assertionId, DateTimeOffset expiresAt, CancellationToken ct = default) =>
            ValueTask.FromResult(_seen.Add(userPoolId + "|" + issuer + "|" + assertionId));
    }

    sealed class NoFetch : ISamlMetadataFetcher
    {
        public ValueTask<string> FetchAsync(string url, CancellationToken ct) => throw new SamlException("no network in unit tests");
    }
}
