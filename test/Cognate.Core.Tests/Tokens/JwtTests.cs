using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cognate.Core.Tokens;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.Tokens;

public sealed class JwtTests
{
    // RSA key generation is slow; share two keys across the tests (never disposed, process-lifetime).
    private static readonly SigningKey SharedKey = SigningKey.Create();
    private static readonly SigningKey SharedOtherKey = SigningKey.Create();

    private readonly SigningKey _key = SharedKey;
    private readonly SigningKey _otherKey = SharedOtherKey;

    private string SignSample(long exp = 4_102_444_800) => JwtWriter.Sign(_key, w =>
    {
        w.WriteString("sub", "6f1c2a9e-0000-4000-8000-000000000001");
        w.WriteString("token_use", "access");
        w.WriteString("scope", "aws.cognito.signin.user.admin");
        w.WriteString("phone_number", "+15555550100");
        w.WriteNumber("exp", exp);
        w.WriteNumber("iat", 1_700_000_000);
    });

    [Fact]
    public void Sign_KidWithPlusAndSlash_HeaderUnescaped()
    {
        using SigningKey key = SigningKey.ImportPkcs8(_key.ExportPkcs8(), "a+b/c=");
        string header = JwtWriter.Sign(key, w => w.WriteString("a", "b")).Split('.')[0];
        Encoding.UTF8.GetString(Base64Url.DecodeFromChars(header)).ShouldBe("{\"kid\":\"a+b/c=\",\"alg\":\"RS256\"}");
        Encoding.UTF8.GetString(Jwks.ToUtf8Json([key.PublicJwk])).ShouldContain("\"kid\":\"a+b/c=\"");
    }

    [Fact]
    public void KeyId_IsBase64OfModulusHash_EndingInEquals()
    {
        _key.KeyId.Length.ShouldBe(44);
        _key.KeyId.ShouldEndWith("=");
        _key.KeyId.ShouldNotBe(_otherKey.KeyId);
        Convert.FromBase64String(_key.KeyId).Length.ShouldBe(32);
        _key.KeyId.ShouldBe(SigningKey.ComputeKeyId(Base64Url.DecodeFromChars(_key.PublicJwk.N)));
    }

    [Fact]
    public void Sign_Header_IsExactlyKidThenAlg()
    {
        string token = SignSample();
        string[] parts = token.Split('.');
        parts.Length.ShouldBe(3);
        Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[0]))
            .ShouldBe($"{{\"kid\":\"{_key.KeyId}\",\"alg\":\"RS256\"}}");
        token.ShouldNotContain("=");
        token.ShouldNotContain("+");
        token.ShouldNotContain("/");
        Base64Url.DecodeFromChars(parts[2]).Length.ShouldBe(256);
    }

    [Fact]
    public void Sign_Payload_IsUnescapedJsonObject()
    {
        string payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(SignSample().Split('.')[1]));
        payload.ShouldStartWith("{\"sub\":\"6f1c2a9e-0000-4000-8000-000000000001\",\"token_use\":\"access\"");
        payload.ShouldContain("\"phone_number\":\"+15555550100\"");
    }

    [Fact]
    public void Read_SignedToken_RoundTrips()
    {
        JwtReadResult result = JwtReader.Read(SignSample(), [_otherKey, _key]);
        result.IsValid.ShouldBeTrue();
        result.Error.ShouldBe(JwtReadError.None);
        result.KeyId.ShouldBe(_key.KeyId);
        result.TryGetString("token_use", out string? use).ShouldBeTrue();
        use.ShouldBe("access");
        result.TryGetInt64("iat", out long iat).ShouldBeTrue();
        iat.ShouldBe(1_700_000_000);
        result.TryGetString("iat", out _).ShouldBeFalse();
        result.Payload.GetProperty("sub").GetString().ShouldBe("6f1c2a9e-0000-4000-8000-000000000001");
    }

    [Fact]
    public void Read_StateOverloadAndRawPayload_RoundTrip()
    {
        string token = JwtWriter.Sign(_key, "abc", static (w, s) => w.WriteString("client_id", s));
        JwtReader.Read(token, kid => kid == _key.KeyId ? _key : null).Payload.GetProperty("client_id").GetString().ShouldBe("abc");

        string raw = JwtWriter.SignPayload(_key, "{\"a\":1}"u8);
        JwtReader.Read(raw, [_key]).Payload.GetProperty("a").GetInt32().ShouldBe(1);
    }

    [Fact]
    public void IsExpired_UsesExpClaim()
    {
        JwtReadResult result = JwtReader.Read(SignSample(exp: 1_700_000_600), [_key]);
        result.IsExpired(DateTimeOffset.FromUnixTimeSeconds(1_700_000_599)).ShouldBeFalse();
        result.IsExpired(DateTimeOffset.FromUnixTimeSeconds(1_700_000_600)).ShouldBeTrue();
        result.IsExpired(DateTimeOffset.FromUnixTimeSeconds(1_700_000_600), TimeSpan.FromSeconds(30)).ShouldBeFalse();

        string noExp = JwtWriter.Sign(_key, w => w.WriteString("sub", "x"));
        JwtReader.Read(noExp, [_key]).IsExpired(DateTimeOffset.UnixEpoch).ShouldBeTrue();
    }

    [Fact]
    public void Read_TamperedPayload_InvalidSignature()
    {
        string[] parts = SignSample().Split('.');
        string forged = Base64Url.EncodeToString(
            Encoding.UTF8.GetBytes("{\"sub\":\"admin\",\"token_use\":\"access\",\"exp\":4102444800}"));
        JwtReader.Read($"{parts[0]}.{forged}.{parts[2]}", [_key]).Error.ShouldBe(JwtReadError.InvalidSignature);
    }

    [Fact]
    public void Read_TamperedSignature_InvalidSignature()
    {
        string token = SignSample();
        char last = token[^2] == 'A' ? 'B' : 'A';
        string tampered = token[..^2] + last + token[^1];
        JwtReader.Read(tampered, [_key]).Error.ShouldBe(JwtReadError.InvalidSignature);
    }

    [Fact]
    public void Read_SignedByOtherKeyWithSameKid_InvalidSignature()
    {
        using SigningKey impostor = SigningKey.ImportPkcs8(_otherKey.ExportPkcs8(), _key.KeyId);
        string token = JwtWriter.Sign(impostor, w => w.WriteNumber("exp", 4_102_444_800));
        JwtReader.Read(token, [_key]).Error.ShouldBe(JwtReadError.InvalidSignature);
    }

    [Theory]
    [InlineData("{\"kid\":\"K\",\"alg\":\"none\"}")]
    [InlineData("{\"kid\":\"K\",\"alg\":\"HS256\"}")]
    [InlineData("{\"kid\":\"K\",\"alg\":\"RS512\"}")]
    [InlineData("{\"kid\":\"K\",\"alg\":\"rs256\"}")]
    [InlineData("{\"kid\":\"K\"}")]
    [InlineData("{\"kid\":\"K\",\"alg\":[\"RS256\"]}")]
    public void Read_AlgorithmNotRs256_Rejected(string headerTemplate)
    {
        string header = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(headerTemplate.Replace("\"K\"", $"\"{_key.KeyId}\"", StringComparison.Ordinal)));
        string payload = Base64Url.EncodeToString("{\"sub\":\"admin\"}"u8);

        // Unsigned ("none") and HMAC-with-public-key forgeries.
        JwtReader.Read($"{header}.{payload}.", [_key]).Error.ShouldBe(JwtReadError.Malformed);
        byte[] hmacKey = Encoding.UTF8.GetBytes(_key.PublicJwk.N);
        string mac = Base64Url.EncodeToString(HMACSHA256.HashData(hmacKey, Encoding.ASCII.GetBytes($"{header}.{payload}")));
        JwtReader.Read($"{header}.{payload}.{mac}", [_key]).Error.ShouldBe(JwtReadError.UnsupportedAlgorithm);
    }

    [Fact]
    public void Read_DuplicateAlgHeader_Rejected()
    {
        string header = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            $"{{\"kid\":\"{_key.KeyId}\",\"alg\":\"RS256\",\"alg\":\"none\"}}"));
        string[] parts = SignSample().Split('.');
        JwtReader.Read($"{header}.{parts[1]}.{parts[2]}", [_key]).IsValid.ShouldBeFalse();
    }

    [Fact]
    public void Read_CritHeader_Malformed()
    {
        string header = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            $"{{\"kid\":\"{_key.KeyId}\",\"alg\":\"RS256\",\"crit\":[\"b64\"],\"b64\":false}}"));
        string[] parts = SignSample().Split('.');
        JwtReader.Read($"{header}.{parts[1]}.{parts[2]}", [_key]).Error.ShouldBe(JwtReadError.Malformed);
    }

    [Fact]
    public void Read_UnknownKid_UnknownKey()
    {
        JwtReadResult result = JwtReader.Read(SignSample(), [_otherKey]);
        result.Error.ShouldBe(JwtReadError.UnknownKey);
        result.KeyId.ShouldBe(_key.KeyId);
        result.Payload.ValueKind.ShouldBe(JsonValueKind.Undefined);
        result.TryGetString("sub", out _).ShouldBeFalse();
        result.IsExpired(DateTimeOffset.UnixEpoch).ShouldBeTrue();
    }

    [Fact]
    public void Read_MissingKid_UnknownKey()
    {
        string header = Base64Url.EncodeToString("{\"alg\":\"RS256\"}"u8);
        string[] parts = SignSample().Split('.');
        JwtReader.Read($"{header}.{parts[1]}.{parts[2]}", [_key]).Error.ShouldBe(JwtReadError.UnknownKey);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("a.b")]
    [InlineData("a.b.c.d")]
    [InlineData("a.b.c.d.e")]
    [InlineData("..")]
    [InlineData(".b.c")]
    [InlineData("a..c")]
    [InlineData("a.b.")]
    [InlineData("e30=.e30.AAAA")]
    [InlineData("e30.e30.AA AA")]
    [InlineData("e30.e30.AA+/")]
    [InlineData("e30.e30.A")]
    [InlineData("bm90IGpzb24.e30.AAAA")]
    [InlineData("W10.e30.AAAA")]
    [InlineData("e30.e30.AAAA")]
    public void Read_MalformedInput_ReturnsMalformedWithoutThrowing(string? token)
    {
        JwtReadResult result = JwtReader.Read(token, [_key]);
        result.IsValid.ShouldBeFalse();
        result.Error.ShouldBeOneOf(JwtReadError.Malformed, JwtReadError.UnsupportedAlgorithm);
    }

    [Fact]
    public void Read_NonCanonicalBase64Url_Malformed()
    {
        string token = SignSample();
        string[] parts = token.Split('.');
        // The 256-byte signature encodes to 342 chars (len % 4 == 2): the last char carries 4 unused bits.
        parts[2].Length.ShouldBe(342);
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char last = parts[2][^1];
        char sibling = Alphabet[Alphabet.IndexOf(last, StringComparison.Ordinal) | 1];
        string altered = $"{parts[0]}.{parts[1]}.{parts[2][..^1]}{sibling}";
        JwtReader.Read(altered, [_key]).Error.ShouldBe(JwtReadError.Malformed);
    }

    [Fact]
    public void Read_PayloadNotObject_Malformed()
    {
        string token = JwtWriter.SignPayload(_key, "[1,2]"u8);
        JwtReader.Read(token, [_key]).Error.ShouldBe(JwtReadError.Malformed);
    }

    [Fact]
    public void Read_HugeToken_TooLarge()
    {
        string huge = JwtWriter.Sign(_key, w => w.WriteString("pad", new string('x', 20_000)));
        JwtReader.Read(huge, [_key]).Error.ShouldBe(JwtReadError.TooLarge);
        JwtReader.Read(new string('a', 16 * 1024 + 1), [_key]).Error.ShouldBe(JwtReadError.TooLarge);
    }

    [Fact]
    public void PublicJwk_HasCognitoShape()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            _key.PublicJwk.WriteTo(writer);
        }

        string json = Encoding.UTF8.GetString(stream.ToArray());
        json.ShouldBe($"{{\"alg\":\"RS256\",\"e\":\"AQAB\",\"kid\":\"{_key.KeyId}\",\"kty\":\"RSA\",\"n\":\"{_key.PublicJwk.N}\",\"use\":\"sig\"}}");
        Base64Url.DecodeFromChars(_key.PublicJwk.N).Length.ShouldBe(256);
    }

    [Fact]
    public void Jwks_ParsedBack_VerifiesSignature()
    {
        byte[] jwks = Jwks.ToUtf8Json([_otherKey.PublicJwk, _key.PublicJwk]);
        using JsonDocument document = JsonDocument.Parse(jwks);
        var keys = new Dictionary<string, RSA>();
        foreach (JsonElement element in document.RootElement.GetProperty("keys").EnumerateArray())
        {
            PublicJwk.TryParse(element, out PublicJwk? jwk).ShouldBeTrue();
            keys[jwk.Kid] = jwk.CreateRsa();
        }

        try
        {
            keys.Count.ShouldBe(2);
            JwtReadResult result = JwtReader.ReadWithPublicKeys(SignSample(), kid => keys.GetValueOrDefault(kid));
            result.IsValid.ShouldBeTrue();

            string[] parts = SignSample().Split('.');
            string forged = Base64Url.EncodeToString("{\"sub\":\"admin\"}"u8);
            JwtReader.ReadWithPublicKeys($"{parts[0]}.{forged}.{parts[2]}", kid => keys.GetValueOrDefault(kid))
                .Error.ShouldBe(JwtReadError.InvalidSignature);
        }
        finally
        {
            foreach (RSA rsa in keys.Values)
            {
                rsa.Dispose();
            }
        }
    }

    [Theory]
    [InlineData("{\"kty\":\"EC\",\"kid\":\"k\",\"n\":\"AQAB\",\"e\":\"AQAB\"}")]
    [InlineData("{\"kty\":\"RSA\",\"kid\":\"k\",\"n\":\"AQAB\",\"e\":\"AQAB\",\"use\":\"enc\"}")]
    [InlineData("{\"kty\":\"RSA\",\"kid\":\"k\",\"n\":\"AQAB\",\"e\":\"AQAB\",\"alg\":\"RS512\"}")]
    [InlineData("{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\"}")]
    [InlineData("[]")]
    public void PublicJwk_TryParse_RejectsUnusableKeys(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        PublicJwk.TryParse(document.RootElement, out _).ShouldBeFalse();
    }

    [Fact]
    public void Pkcs8_ExportImport_KeepsKidAndVerifies()
    {
        byte[] pkcs8 = _key.ExportPkcs8();
        using SigningKey imported = SigningKey.ImportPkcs8(pkcs8);
        imported.KeyId.ShouldBe(_key.KeyId);
        imported.PublicJwk.ShouldBe(_key.PublicJwk);
        JwtReader.Read(JwtWriter.Sign(imported, w => w.WriteString("a", "b")), [_key]).IsValid.ShouldBeTrue();

        using SigningKey renamed = SigningKey.ImportPkcs8(pkcs8, "1234example=");
        renamed.KeyId.ShouldBe("1234example=");
    }

    [Fact]
    public void ImportPkcs8_InvalidOrSmallKey_Throws()
    {
        Should.Throw<CryptographicException>(() => SigningKey.ImportPkcs8([1, 2, 3]));
        using var small = RSA.Create(1024);
        Should.Throw<CryptographicException>(() => SigningKey.ImportPkcs8(small.ExportPkcs8PrivateKey()));
        Should.Throw<CryptographicException>(() => SigningKey.ImportPkcs8([.. _key.ExportPkcs8(), 0]));
    }

    [Fact]
    public async Task SignAndRead_Concurrently_AllSucceed()
    {
        Task<bool>[] tasks = Enumerable.Range(0, 8).Select(i => Task.Run(() =>
        {
            for (int n = 0; n < 50; n++)
            {
                string token = JwtWriter.Sign(_key, (i, n), static (w, s) => w.WriteString("n", $"{s.i}/{s.n}"));
                JwtReadResult result = JwtReader.Read(token, [_key]);
                if (!result.IsValid || result.Payload.GetProperty("n").GetString() != $"{i}/{n}")
                {
                    return false;
                }
            }

            return true;
        })).ToArray();

        (await Task.WhenAll(tasks)).ShouldAllBe(ok => ok);
    }
}
