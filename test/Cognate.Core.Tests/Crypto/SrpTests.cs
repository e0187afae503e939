using System.Globalization;
using System.Text;
using Cognate.Core.Crypto;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.Crypto;

public sealed class SrpTests
{
    // Reference §4.8 test vector.
    private const string PoolId = "us-east-1_AbCdEfGhI";
    private const string Username = "alice";
    private const string Password = "P@ssw0rd!";
    private const string SaltHex = "f1e2d3c4b5a697887766554433221100";
    private const string SecretBlockBase64 =
        "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLi8wMTIzNDU2Nzg5Ojs8PT4/QA==";
    private const string Timestamp = "Tue Jan 2 03:04:05 UTC 2024";

    private const string ExpectedX = "8bb050f16d71c2f58ddcd520f5eb4fd3b57a98e71c1f5673b20b83aba7b1d562";
    private const string ExpectedV =
        "afa800ac3916689e41bb206c2cdc0f1af7b69a0f96a0be668dc7f7e86dec47f4f654af4c0cd2abe45b28677b4f641763" +
        "4afa85bd4df3e359701a699abb50d9537406048bd6ed939c983bcb907b2f5bdfb2f8e9e2e99ae442a959097550e1bb72" +
        "3ef2c91b61f86bc219bed6a134c2b728a145f72e44ac25c59bc1a098c54259500e639742dcfd355029062a28b84f2aeb" +
        "465204eac32ee99d434fd6c43652aab6e55a16015a474671018f109aa387f7d8761b9eb4d931b7742806ec11f0149252" +
        "2c99cb2a780d052022a3ad2557879b76a37e0adc06ef32f202bf9f9420e632640c0901b7d996301ad1e57f0883051a0b" +
        "f0af4d8267c2f6bd7f071765d251c28fd047b1f2cf530f3ebd318ccbeb34adf5faf8282a0bdd638a2bd39aa18832b06f" +
        "d44fdb187926f136a961cf991d8f2858ac88fd068a6b80ce75e073477fc1f934beaa1312dce003cfb50349598e5407cf" +
        "16068ac56c303c7a9d91d169ef823b3463307c9f0ed3fa31a35dbc896d48150acd10aa2bd30084f287c1cf9457b54c18";
    private const string ExpectedA =
        "9ee17a7fb57730cbafb84004d48fc20adf56de0d6798b4d41b21e582b8e74c744b94fd1d2c190f2e4f2630d6db7a81ff" +
        "b1260392b3b50a4a12f8fa8f793b945639afdc53a6b399a8071376e90cdf452f78edf94e156fcf7cc5c886e99bf37ef5" +
        "7024f36a4fb6f0f78c89d84b39f2fd649ef98ce710950c2ff0d0cb0750af1b1f3401e2b8b6d74bf8d4fe8157d75390a4" +
        "20596160b761aa3519517436ccd94b05c79fb091f70890da01397b7aaafba2cb3251c154aa68ae621a7530252e898a49" +
        "17058ef1ed4050a8349800623cbfc8b0739841be5de465ed36369751ffed82a7c65282accfcd6913b917756a55d26306" +
        "35edba8c1a3bcd57fb5eb98ad3b61ef5ced0063e2dc7c471884c7b1889f88a0ecf8cffc5270038ca8332f5e0c1c36597" +
        "8f7fe9c0516047364bed1e86a9cb8531eae0f1be33693f30fabbebb1bd50fbf2853cb5898502531f258cc94819ad8eca" +
        "2cfabe995e627b79a484a727c5adfdff44a7373d383ac8fea0afd79c81048554281441655235eab4f1203e3c50d20b88";
    private const string ExpectedB =
        "235178c6843693d00cd7c6546f31e8938e4d7f63e33fd99232e80a1ace557e730a9f8d1738cd75c9f41430f412eb68f9" +
        "ba54fde988674d567cd4119af8b75ed2fb0230ad40ea3290e81689387042d375e4185d6b6fbede0946e72c6c4fcbd01d" +
        "6ae60e08a6fde4b1cc0397d83ee33233bc0f799d96afdf2ce5d135569f2de7ff98d1f7dc4534bd1553a82d1e8aae1f5a" +
        "89ca5234cb4aacf48edeceac59c11289ba05c254ec0c735ea5c2c59a8d1878cc15e60a14d72c168aa3bfd8ade984ffd6" +
        "1b3f361bd346d29422b79ae4e6346aaaa36452d0d9ee201198c1491c14eb79cb028b49007979123fdad7eb688925857f" +
        "c4409c4a79c5e31cd188b0bffe9db6b0fc00421afd0c25d993f399b4180861e8754c6ba87628601a42c9c0de969b3a4b" +
        "b59a3580b097e9dc35fd938800b15fab4d242874c9016dfe3c38179ee83f44dd32850adbeef831e7cf4c064a373d139b" +
        "f4aa9fc7fa79577cfc049579c1eece2c5970ade22390ac05bda6c52c4a252256396cb299da1f2b7bed2ede53f533d092";
    private const string ExpectedU = "f98339bc322e405068e6ad06171e33be12b62886566a98df709e36da2b2f5c2f";
    private const string ExpectedK = "2e4c510f4b90c250501a22e32ae6e926";
    private const string ExpectedSignature = "FhpFXaW/GTNmsPcyaX4w3xVU5LbFzymqIcoezIw2vfs=";

    private static readonly byte[] FixedA = Enumerable.Repeat((byte)0xa5, 128).ToArray();
    private static readonly byte[] FixedB = Enumerable.Repeat((byte)0x5b, 32).ToArray();
    private static readonly byte[] Salt = Convert.FromHexString(SaltHex);

    [Fact]
    public void Multiplier_MatchesReferenceValue()
    {
        Convert.ToHexStringLower(Srp.Multiplier)
            .ShouldBe("538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6");
    }

    [Fact]
    public void PadHex_Salt_MatchesReference()
    {
        Convert.ToHexStringLower(Srp.PadHex(Salt)).ShouldBe("00f1e2d3c4b5a697887766554433221100");
    }

    [Theory]
    [InlineData("", "00")]
    [InlineData("00", "00")]
    [InlineData("7f", "7f")]
    [InlineData("80", "0080")]
    [InlineData("000080", "0080")]
    [InlineData("0001ff", "01ff")]
    public void PadHex_Integer_IsMinimalTwosComplement(string input, string expected)
    {
        Convert.ToHexStringLower(Srp.PadHex(Convert.FromHexString(input))).ShouldBe(expected);
    }

    [Fact]
    public void TestVector_X_MatchesReference()
    {
        Convert.ToHexStringLower(Srp.ComputeX("AbCdEfGhI", Username, Password, Salt)).ShouldBe(ExpectedX);
    }

    [Fact]
    public void TestVector_Verifier_MatchesReference()
    {
        SrpVerifier verifier = Srp.CreateVerifier(PoolId, Username, Password, Salt);
        verifier.Verifier.Length.ShouldBe(384);
        Convert.ToHexStringLower(verifier.Verifier).ShouldBe(ExpectedV);
        verifier.SaltHex.ShouldBe(SaltHex);
    }

    [Fact]
    public void TestVector_ClientA_MatchesReference()
    {
        SrpClient client = SrpClient.Create(FixedA);
        client.PublicAHex.ShouldBe(ExpectedA);
    }

    [Fact]
    public void TestVector_ServerB_MatchesReference()
    {
        SrpServerChallenge challenge = Srp.CreateServerChallenge(Convert.FromHexString(ExpectedV), FixedB);
        challenge.PublicBHex.ShouldBe(ExpectedB);
        challenge.PrivateB.ShouldBe(FixedB);
    }

    [Fact]
    public void TestVector_U_MatchesReference()
    {
        Convert.ToHexStringLower(Srp.ComputeU(Convert.FromHexString(ExpectedA), Convert.FromHexString(ExpectedB)))
            .ShouldBe(ExpectedU);
    }

    [Fact]
    public void TestVector_ServerAndClientSessionKeys_MatchReference()
    {
        byte[] serverKey = Srp.ComputeServerSessionKey(
            Convert.FromHexString(ExpectedA), Convert.FromHexString(ExpectedB), FixedB, Convert.FromHexString(ExpectedV));
        Convert.ToHexStringLower(serverKey).ShouldBe(ExpectedK);

        byte[] clientKey = SrpClient.Create(FixedA)
            .ComputeSessionKey("AbCdEfGhI", Username, Password, Salt, Convert.FromHexString(ExpectedB));
        Convert.ToHexStringLower(clientKey).ShouldBe(ExpectedK);
    }

    [Fact]
    public void TestVector_ClientSignature_MatchesReference()
    {
        string signature = SrpClient.Create(FixedA)
            .ComputeClaimSignature(PoolId, Username, Password, SaltHex, ExpectedB, SecretBlockBase64, Timestamp);
        signature.ShouldBe(ExpectedSignature);
    }

    [Fact]
    public void TestVector_ServerVerifiesReferenceSignature()
    {
        Srp.VerifyPasswordClaim(
                PoolId,
                Username,
                Convert.FromHexString(ExpectedA),
                Convert.FromHexString(ExpectedB),
                FixedB,
                Convert.FromHexString(ExpectedV),
                Convert.FromBase64String(SecretBlockBase64),
                Timestamp,
                ExpectedSignature)
            .ShouldBeTrue();
    }

    [Theory]
    [InlineData("Tue Jan 2 03:04:06 UTC 2024", ExpectedSignature)] // different timestamp
    [InlineData(Timestamp, "GhpFXaW/GTNmsPcyaX4w3xVU5LbFzymqIcoezIw2vfs=")] // flipped signature
    [InlineData(Timestamp, "not base64!")]
    [InlineData(Timestamp, "")]
    [InlineData(Timestamp, null)]
    public void VerifyPasswordClaim_WrongInputs_ReturnsFalse(string timestamp, string? signature)
    {
        Srp.VerifyPasswordClaim(
                PoolId,
                Username,
                Convert.FromHexString(ExpectedA),
                Convert.FromHexString(ExpectedB),
                FixedB,
                Convert.FromHexString(ExpectedV),
                Convert.FromBase64String(SecretBlockBase64),
                timestamp,
                signature)
            .ShouldBeFalse();
    }

    [Fact]
    public void VerifyPasswordClaim_OtherUsername_ReturnsFalse()
    {
        Srp.VerifyPasswordClaim(
                PoolId,
                "bob",
                Convert.FromHexString(ExpectedA),
                Convert.FromHexString(ExpectedB),
                FixedB,
                Convert.FromHexString(ExpectedV),
                Convert.FromBase64String(SecretBlockBase64),
                Timestamp,
                ExpectedSignature)
            .ShouldBeFalse();
    }

    [Fact]
    public void RoundTrip_RandomValues_ServerAcceptsClientSignature()
    {
        SrpVerifier stored = Srp.CreateVerifier(PoolId, "6f1c2a9e-0000-4000-8000-000000000001", "correct horse");
        stored.Salt.Length.ShouldBe(16);

        SrpClient client = SrpClient.Create();
        Srp.TryParseClientPublic(client.PublicAHex.ToUpperInvariant(), out byte[] a).ShouldBeTrue();
        SrpServerChallenge challenge = Srp.CreateServerChallenge(stored.Verifier);
        challenge.PrivateB.Length.ShouldBe(32);

        byte[] secretBlock = Encoding.UTF8.GetBytes("opaque secret block");
        string timestamp = Srp.FormatTimestamp(DateTimeOffset.UtcNow);
        string signature = client.ComputeClaimSignature(
            PoolId,
            "6f1c2a9e-0000-4000-8000-000000000001",
            "correct horse",
            stored.SaltHex,
            challenge.PublicBHex,
            Convert.ToBase64String(secretBlock),
            timestamp);

        Srp.VerifyPasswordClaim(
                PoolId, "6f1c2a9e-0000-4000-8000-000000000001", a, challenge.PublicB, challenge.PrivateB,
                stored.Verifier, secretBlock, timestamp, signature)
            .ShouldBeTrue();

        string wrong = client.ComputeClaimSignature(
            PoolId,
            "6f1c2a9e-0000-4000-8000-000000000001",
            "wrong horse",
            stored.SaltHex,
            challenge.PublicBHex,
            Convert.ToBase64String(secretBlock),
            timestamp);
        Srp.VerifyPasswordClaim(
                PoolId, "6f1c2a9e-0000-4000-8000-000000000001", a, challenge.PublicB, challenge.PrivateB,
                stored.Verifier, secretBlock, timestamp, wrong)
            .ShouldBeFalse();
    }

    [Fact]
    public void RoundTrip_Device_ServerAcceptsClientSignature()
    {
        SrpVerifier stored = Srp.CreateDeviceVerifier("-Nz3bTgX1", "us-east-1_f0e1d2c3-aaaa", "device-password");
        SrpClient client = SrpClient.Create();
        Srp.TryParseClientPublic(client.PublicAHex, out byte[] a).ShouldBeTrue();
        SrpServerChallenge challenge = Srp.CreateServerChallenge(stored.Verifier);
        byte[] secretBlock = [1, 2, 3];
        string timestamp = Srp.FormatTimestamp(DateTimeOffset.UtcNow);
        string signature = client.ComputeDeviceClaimSignature(
            "-Nz3bTgX1", "us-east-1_f0e1d2c3-aaaa", "device-password", stored.SaltHex, challenge.PublicBHex,
            Convert.ToBase64String(secretBlock), timestamp);

        Srp.VerifyDevicePasswordClaim(
                "-Nz3bTgX1", "us-east-1_f0e1d2c3-aaaa", a, challenge.PublicB, challenge.PrivateB,
                stored.Verifier, secretBlock, timestamp, signature)
            .ShouldBeTrue();
    }

    [Fact]
    public void SharedMontgomeryContext_ConcurrentCallers_AllGetCorrectResults()
    {
        byte[] v = Convert.FromHexString(ExpectedV);
        string[] results = new string[64];
        Parallel.For(0, results.Length, i =>
        {
            results[i] = i % 2 == 0
                ? Convert.ToHexStringLower(Srp.CreateVerifier(PoolId, Username, Password, Salt).Verifier)
                : Convert.ToHexStringLower(Srp.ComputeServerSessionKey(
                    Convert.FromHexString(ExpectedA), Convert.FromHexString(ExpectedB), FixedB, v));
        });

        for (int i = 0; i < results.Length; i++)
        {
            results[i].ShouldBe(i % 2 == 0 ? ExpectedV : ExpectedK);
        }
    }

    [Fact]
    public void VerifyPassword_CorrectAndWrongPasswords()
    {
        SrpVerifier stored = Srp.CreateVerifier(PoolId, Username, Password);
        Srp.VerifyPassword(PoolId, Username, Password, stored.Salt, stored.Verifier).ShouldBeTrue();
        Srp.VerifyPassword(PoolId, Username, "P@ssw0rd?", stored.Salt, stored.Verifier).ShouldBeFalse();
        Srp.VerifyPassword(PoolId, "Alice", Password, stored.Salt, stored.Verifier).ShouldBeFalse();
        Srp.VerifyPassword("us-east-1_Other", Username, Password, stored.Salt, stored.Verifier).ShouldBeFalse();
        Srp.VerifyPassword(PoolId, Username, "", stored.Salt, stored.Verifier).ShouldBeFalse();
    }

    [Fact]
    public void VerifyPassword_ReferenceVector_AcceptsTrimmedAndPaddedVerifierForms()
    {
        byte[] v = Convert.FromHexString(ExpectedV);
        Srp.VerifyPassword(PoolId, Username, Password, Salt, v).ShouldBeTrue();
        Srp.VerifyPassword(PoolId, Username, Password, Salt, Srp.PadHex(v)).ShouldBeTrue();
        Srp.VerifyPassword(PoolId, Username, Password, Salt, [1, .. v]).ShouldBeFalse();
        Srp.VerifyPassword(PoolId, Username, Password, Salt, []).ShouldBeFalse();
    }

    [Fact]
    public void VerifyPassword_SaltWithLeadingZero_TreatedAsInteger()
    {
        byte[] salt = [0, 0, 1, 2, 3];
        SrpVerifier stored = Srp.CreateVerifier(PoolId, Username, Password, salt);
        Srp.VerifyPassword(PoolId, Username, Password, [1, 2, 3], stored.Verifier).ShouldBeTrue();
        stored.SaltHex.ShouldBe("10203");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("000")]
    [InlineData("xyz")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData(" 12")]
    [InlineData("0x12")]
    public void TryParseClientPublic_Invalid_ReturnsFalse(string? value)
    {
        Srp.TryParseClientPublic(value, out byte[] a).ShouldBeFalse();
        a.ShouldBeEmpty();
    }

    [Fact]
    public void TryParseClientPublic_MultiplesOfN_ReturnsFalse()
    {
        string n = SrpModExp.ModulusHex;
        Srp.TryParseClientPublic(n, out _).ShouldBeFalse();
        Srp.TryParseClientPublic("000" + n.ToLowerInvariant(), out _).ShouldBeFalse();
        byte[] twoN = SrpModExp.ModMul(SrpModExp.Modulus, [2]); // 2N mod N = 0 → use plain arithmetic instead
        twoN.ShouldBeEmpty();
        var big = System.Numerics.BigInteger.Parse("0" + n, NumberStyles.HexNumber, CultureInfo.InvariantCulture) * 2;
        Srp.TryParseClientPublic(Convert.ToHexString(big.ToByteArray(isUnsigned: true, isBigEndian: true)), out _)
            .ShouldBeFalse();
    }

    [Fact]
    public void TryParseClientPublic_OddLengthMixedCaseLeadingZeros_Parses()
    {
        Srp.TryParseClientPublic("0aBc", out byte[] a).ShouldBeTrue();
        a.ShouldBe(new byte[] { 0x0a, 0xbc });
        Srp.TryParseClientPublic("abc", out a).ShouldBeTrue();
        a.ShouldBe(new byte[] { 0x0a, 0xbc });
        Srp.TryParseClientPublic("00000ABC", out a).ShouldBeTrue();
        a.ShouldBe(new byte[] { 0x0a, 0xbc });
        Srp.TryParseClientPublic("0" + ExpectedA.ToUpperInvariant(), out a).ShouldBeTrue();
        Convert.ToHexStringLower(a).ShouldBe(ExpectedA);
    }

    [Fact]
    public void TryParseHex_TooLong_ReturnsFalse()
    {
        Srp.TryParseHex(new string('1', 4097), out _).ShouldBeFalse();
        Srp.TryParseHex(new string('1', 4096), out byte[] ok).ShouldBeTrue();
        ok.Length.ShouldBe(2048);
    }

    [Theory]
    [InlineData("", "0")]
    [InlineData("00", "0")]
    [InlineData("0abc", "abc")]
    [InlineData("ff", "ff")]
    public void ToHex_NoLeadingZeros(string input, string expected)
    {
        Srp.ToHex(Convert.FromHexString(input)).ShouldBe(expected);
    }

    [Fact]
    public void GetPoolName_ReturnsSuffixAfterUnderscore()
    {
        Srp.GetPoolName(PoolId).ShouldBe("AbCdEfGhI");
        Srp.GetPoolName("eu-west-1_abc_def").ShouldBe("abc");
        Should.Throw<ArgumentException>(() => Srp.GetPoolName("nounderscore"));
    }

    [Theory]
    [InlineData(2024, 1, 2, 3, 4, 5, "Tue Jan 2 03:04:05 UTC 2024")]
    [InlineData(2018, 2, 4, 11, 8, 36, "Sun Feb 4 11:08:36 UTC 2018")]
    [InlineData(2023, 4, 15, 23, 59, 59, "Sat Apr 15 23:59:59 UTC 2023")]
    public void FormatTimestamp_MatchesCognitoFormat(int y, int mo, int d, int h, int mi, int s, string expected)
    {
        var instant = new DateTimeOffset(y, mo, d, h, mi, s, TimeSpan.Zero);
        Srp.FormatTimestamp(instant).ShouldBe(expected);
        Srp.TryParseTimestamp(expected, out DateTimeOffset parsed).ShouldBeTrue();
        parsed.ShouldBe(instant);
        parsed.Offset.ShouldBe(TimeSpan.Zero);
    }

    [Fact]
    public void FormatTimestamp_ConvertsToUtc()
    {
        Srp.FormatTimestamp(new DateTimeOffset(2024, 1, 2, 5, 4, 5, TimeSpan.FromHours(2)))
            .ShouldBe("Tue Jan 2 03:04:05 UTC 2024");
    }

    [Theory]
    [InlineData("Wed Apr 05 10:00:00 UTC 2023")] // zero-padded day (real Cognito rejects it)
    [InlineData("Mon Jan 2 03:04:05 UTC 2024")] // wrong weekday
    [InlineData("Tue Jan 2 3:04:05 UTC 2024")]
    [InlineData("Tue Jan  2 03:04:05 UTC 2024")]
    [InlineData("Tue Jan 2 03:04:05 GMT 2024")]
    [InlineData("2024-01-02T03:04:05Z")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParseTimestamp_NonCanonical_ReturnsFalse(string? value)
    {
        Srp.TryParseTimestamp(value, out _).ShouldBeFalse();
    }

    [Fact]
    public void IsTimestampFresh_WithinTolerance()
    {
        var now = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);
        Srp.IsTimestampFresh("Tue Jan 2 03:08:05 UTC 2024", now, TimeSpan.FromMinutes(5)).ShouldBeTrue();
        Srp.IsTimestampFresh("Tue Jan 2 03:00:05 UTC 2024", now, TimeSpan.FromMinutes(5)).ShouldBeTrue();
        Srp.IsTimestampFresh("Tue Jan 2 03:10:05 UTC 2024", now, TimeSpan.FromMinutes(5)).ShouldBeFalse();
        Srp.IsTimestampFresh("garbage", now, TimeSpan.FromMinutes(5)).ShouldBeFalse();
    }
}
