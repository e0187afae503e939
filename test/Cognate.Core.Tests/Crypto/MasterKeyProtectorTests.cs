using System.Security.Cryptography;
using System.Text;
using Cognate.Core.Crypto;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.Crypto;

public sealed class MasterKeyProtectorTests
{
    private static readonly byte[] Aad = Encoding.UTF8.GetBytes("us-east-1_AbCdEfGhI/alice/totp");

    [Fact]
    public void Protect_ThenUnprotect_RoundTrips()
    {
        using MasterKeyProtector protector = MasterKeyProtector.FromBase64(MasterKeyProtector.GenerateMasterKeyBase64());
        byte[] plaintext = Encoding.UTF8.GetBytes("JBSWY3DPEHPK3PXP");
        byte[] sealedBlob = protector.Protect(plaintext, Aad);

        sealedBlob.Length.ShouldBe(plaintext.Length + 29);
        sealedBlob[0].ShouldBe((byte)1);
        protector.Unprotect(sealedBlob, Aad).ShouldBe(plaintext);
    }

    [Fact]
    public void Protect_SamePlaintextTwice_UsesFreshNonces()
    {
        using var protector = new MasterKeyProtector(new byte[32]);
        protector.Protect([1, 2, 3], Aad).ShouldNotBe(protector.Protect([1, 2, 3], Aad));
    }

    [Fact]
    public void Protect_EmptyPlaintext_RoundTrips()
    {
        using var protector = new MasterKeyProtector(new byte[32]);
        protector.Unprotect(protector.Protect([], []), []).ShouldBeEmpty();
    }

    [Fact]
    public void Unprotect_AnyFlippedBit_Throws()
    {
        using MasterKeyProtector protector = MasterKeyProtector.FromBase64(MasterKeyProtector.DevelopmentMasterKeyBase64);
        byte[] sealedBlob = protector.Protect([10, 20, 30, 40], Aad);
        for (int i = 0; i < sealedBlob.Length; i++)
        {
            byte[] tampered = (byte[])sealedBlob.Clone();
            tampered[i] ^= 0x01;
            Should.Throw<CryptographicException>(() => protector.Unprotect(tampered, Aad));
            protector.TryUnprotect(tampered, Aad, out _).ShouldBeFalse();
        }
    }

    [Fact]
    public void Unprotect_WrongAssociatedData_Throws()
    {
        using var protector = new MasterKeyProtector(new byte[32]);
        byte[] sealedBlob = protector.Protect([1, 2, 3], Aad);
        Should.Throw<CryptographicException>(() => protector.Unprotect(sealedBlob, Encoding.UTF8.GetBytes("other/row")));
    }

    [Fact]
    public void Unprotect_OtherKey_Throws()
    {
        using var a = new MasterKeyProtector(new byte[32]);
        using MasterKeyProtector b = MasterKeyProtector.FromBase64(MasterKeyProtector.DevelopmentMasterKeyBase64);
        Should.Throw<CryptographicException>(() => b.Unprotect(a.Protect([1], Aad), Aad));
    }

    [Fact]
    public void Unprotect_Truncated_Throws()
    {
        using var protector = new MasterKeyProtector(new byte[32]);
        byte[] sealedBlob = protector.Protect([1, 2, 3], Aad);
        Should.Throw<CryptographicException>(() => protector.Unprotect(sealedBlob.AsSpan(0, 28), Aad));
        Should.Throw<CryptographicException>(() => protector.Unprotect(sealedBlob.AsSpan(0, sealedBlob.Length - 1), Aad));
        protector.TryUnprotect([], Aad, out byte[]? none).ShouldBeFalse();
        none.ShouldBeNull();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64")]
    [InlineData("AAAA")]
    public void FromBase64_Invalid_ThrowsArgumentException(string? value)
    {
        Should.Throw<ArgumentException>(() => MasterKeyProtector.FromBase64(value));
    }

    [Fact]
    public void Constructor_WrongLength_Throws()
    {
        Should.Throw<ArgumentException>(() => new MasterKeyProtector(new byte[16]));
    }

    [Fact]
    public void DevelopmentKey_Is32Bytes()
    {
        Convert.FromBase64String(MasterKeyProtector.DevelopmentMasterKeyBase64).Length.ShouldBe(32);
    }

    [Fact]
    public void DeriveKey_IsDeterministicPerPurposeAndIndependent()
    {
        using var protector = new MasterKeyProtector(new byte[32]);
        using var same = new MasterKeyProtector(new byte[32]);
        using MasterKeyProtector other = MasterKeyProtector.FromBase64(MasterKeyProtector.DevelopmentMasterKeyBase64);

        byte[] codes = protector.DeriveKey("codes/hmac");
        codes.Length.ShouldBe(32);
        same.DeriveKey("codes/hmac").ShouldBe(codes);
        protector.DeriveKey("sessions/handle").ShouldNotBe(codes);
        other.DeriveKey("codes/hmac").ShouldNotBe(codes);
        protector.DeriveKey("codes/hmac", 64).Length.ShouldBe(64);
        Should.Throw<ArgumentException>(() => protector.DeriveKey(""));
    }

    [Fact]
    public void Dispose_ThenUse_Throws()
    {
        var protector = new MasterKeyProtector(new byte[32]);
        protector.Dispose();
        Should.Throw<ObjectDisposedException>(() => protector.Protect([1], []));
        Should.Throw<ObjectDisposedException>(() => protector.DeriveKey("x"));
    }
}
