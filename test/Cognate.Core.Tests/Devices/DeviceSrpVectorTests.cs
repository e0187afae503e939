using Cognate.Core.Crypto;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.Devices;

/// <summary>
/// Device SRP (reference §4.7) against amazon-cognito-identity-js 6.3.21 itself: the vector below was produced by running the
/// library in node (AuthenticationHelper.generateHashDevice for the verifier, getLargeAValue and getPasswordAuthenticationKey for
/// A and the session key, with a fixed server secret b and B = k·v + g^b computed beside it), then an HMAC over
/// DeviceGroupKey ‖ DeviceKey ‖ block ‖ TIMESTAMP exactly as CognitoUser.getDeviceResponse signs it.
/// </summary>
public sealed class DeviceSrpVectorTests
{
    const string Group = "-TestGroup1";
    const string Key = "us-east-1_0f0e0d0c-0b0a-4908-8706-050403020100";
    const string Password = "Xo+Jwv/f7Akz7fOAliN8kULwnd3NxIMC+ZZ8uur/AlfPlnKkKBL7RQ==";
    const string Salt = "6a048bb73906dcb8a7ca9266115e673b";
    // acij's padHex: a leading 00 because the top bit is set (385 bytes); the server keeps 384.
    const string Verifier =
        "00d978dd2423c2cb8047255b1ed86823892c0df69f3f5df5a95068af572cc588e2e4134bd5d33f62c65b5859309bac244b00423dce9ae211b1f7ba05371e3b0cd4b8190ce445d44ac958b3bb7ff1387ac72c26207604797dfac033bfdae60c60ba7b6218a45670562afde058c30b6c32e22d51609ac67c98719587f816cf6516ead7d40d55e8204eedfa99a138c80e2a05c6e8ac54d4862e0483d2b0e5bc48b91990af866d7e45873b413d8e0453dd18c83b651f99ea84e939fae31b82192459e4bbe65cc088e5fc492adcfcdd293ac9eb46ffb565ddbe1a726dea2bb1ccf4d560c967b61d5b3da6f53045153510e227a4da349477f5b48fd876de53bb15337ae42d2c204db4ed0c8ce9c5423504b9c5799fd85b5085fcb12f12185fbcae6639a0289bdc1f9758748807a859f3e3d575372127ab86a1dc89630e03cd0af707cd6492d414057b9e99e34a80d80b6f150240f9b6dacfdc40684ff2f032303978d6504021e68cb06e896145b60d5cc7cce5d2a8f3d3417028f9fa3f391af5468fe055";
    const string PrivateB = "7777777777777777777777777777777777777777777777777777777777777777";
    const string PublicB =
        "61fe4b680d0088f7e002cc27ebecd3ab187c43331e36e53b68459adecd967b3227aeafb523295922b1f90e5e7782fd3138e004c852d6d63d7bcbaf45779ed388f3df818a15eacbdab7bbb635850b634065754d14aef15fcbda2bc5b345a8b9cfed640af551f7bce15debffa9d05ada8d855b27f257a14034029212d54eb6e87eb2389b62cea7fac13c4027bfbf5dcc8ea9f2f6e6555bae35ca1346c28cbc62afed19813f66119028dfaed1add237ddeebfeb8c0e1c1cf6aecf35f677365b310030203347d90aa0cf14cdeb817a997803b5ee2816fab7501de16a58c1da23495831a37cd29e156bd3026927d571232d562952f206f769515064d4f1fd5e14dd843bd90b3b983fb21e888e329fa9dc4b5975997aa620468876635c1d6f38bfdeb2155bf7f849e5e47befa4ead4f7873f896388d4a13e5c2ec22a9c8065a5757481b43c73499a3e1dd78a9393e4a47225e3b05e0f8abdbee63d66bad1ab76f02d64e2d03b9cbb3c8af78d66f20eb11434289788e6147164cc9e65a7f784cee49f0e";
    const string PublicA =
        "4e236a857d6349edcded550c8d32e14f61b0c9103c7fe460f665b1852da2bd56294e173c700338b662a698c3db1d2c62c1c5723ab50ade8976b748a5508318b4292fbf6c66303e854e39c1eb651bd8aec23025ab8ea9330a73f8a1850ea2c6c60fe7cd98a96c0663e7f238994dabb3328b280b3a82e90710555e3ded5aa1028fc6122440a226ad9db351b94f837adbf4975ed0d46316d7caa120fc425e82cdd53d1d7cc7725c5dcdeee8c8a4418387d4be14f35b0c7b0269da245746eda37782745c9f7b90f290d5ed78315370ea3bdc334b7895959593fbf1e414501d22e9e0e9694e12b7aa4830d9d6122f34cc54407d0aa31f171de514b53cbedb332f7fffcbc3b7e16625a6b58f9cede78e1336d35e1694819a596351abadffe4db98a371259ec6f1e5538f86e477939ea4647737d87a859be03f2862eb1449bad1a86d0fee7ff392b4f72227bc10e7cd606add7615252e6b286dc81e8a96ed424a733354f711b4a21a93f92bd9f17f3c69c8b0a1743c1a0c9a3f6b9696a103c060decdb4";
    const string Block = "c2VjcmV0LWJsb2NrLWJ5dGVzLWZvci10aGUtdmVjdG9y";
    const string Timestamp = "Sun Dec 6 04:12:00 UTC 2026";
    const string Signature = "joBGO77O9HZ0dWi1BbtZdGdEF+Neal/ku9ZHuq5z5BA=";

    static byte[] Hex(string h) => Convert.FromHexString(h.Length % 2 == 0 ? h : "0" + h);

    static byte[] Verifier384 => Hex(Verifier)[1..];

    [Fact]
    public void DeviceVerifier_SameInputs_MatchesAcijGenerateHashDevice()
    {
        var v = Srp.CreateDeviceVerifier(Group, Key, Password, Hex(Salt));
        v.Verifier.Length.ShouldBe(384);
        Convert.ToHexStringLower(v.Verifier).ShouldBe(Verifier[2..]);
    }

    [Fact]
    public void ServerPublicB_FixedPrivateB_MatchesKTimesVPlusGToTheB()
    {
        var challenge = Srp.CreateServerChallenge(Verifier384, Hex(PrivateB));
        challenge.PublicBHex.ShouldBe(PublicB);
    }

    [Fact]
    public void DevicePasswordClaim_AcijSignature_Verifies()
    {
        Srp.VerifyDevicePasswordClaim(Group, Key, Hex(PublicA), Hex(PublicB), Hex(PrivateB), Verifier384, Convert.FromBase64String(Block), Timestamp, Signature)
            .ShouldBeTrue();
    }

    [Theory]
    [InlineData("-OtherGroup", Key, Timestamp)]
    [InlineData(Group, "us-east-1_00000000-0000-4000-8000-000000000000", Timestamp)]
    [InlineData(Group, Key, "Sun Dec 6 04:12:01 UTC 2026")]
    public void DevicePasswordClaim_AnyInputChanged_Refused(string group, string key, string timestamp)
    {
        Srp.VerifyDevicePasswordClaim(group, key, Hex(PublicA), Hex(PublicB), Hex(PrivateB), Verifier384, Convert.FromBase64String(Block), timestamp, Signature)
            .ShouldBeFalse();
    }

    [Fact]
    public void DeviceClaim_OurClient_VerifiesAgainstOurServer()
    {
        var v = Srp.CreateDeviceVerifier(Group, Key, "device-password");
        var client = SrpClient.Create();
        var challenge = Srp.CreateServerChallenge(v.Verifier);
        var sig = client.ComputeDeviceClaimSignature(Group, Key, "device-password", v.SaltHex, challenge.PublicBHex, Block, Timestamp);
        Srp.VerifyDevicePasswordClaim(Group, Key, client.PublicA, challenge.PublicB, challenge.PrivateB, v.Verifier, Convert.FromBase64String(Block), Timestamp, sig)
            .ShouldBeTrue();
    }
}
