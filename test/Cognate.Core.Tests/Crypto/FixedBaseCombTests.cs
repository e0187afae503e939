using Cognate.Core.Crypto;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.Crypto;

/// <summary>
/// The fixed-base comb for g = 2 (<see cref="FixedBaseComb"/>) against the general constant-time exponentiation it
/// replaced (<see cref="SrpModExp.PowGReference"/>), and the SRP composites against their reference versions.
/// </summary>
public sealed class FixedBaseCombTests
{
    private static readonly byte[] NMinusOne = MinusOne(SrpModExp.Modulus.ToArray());

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 100)]
    [InlineData(2, 100)]
    [InlineData(31, 100)]
    [InlineData(32, 300)]
    [InlineData(33, 100)]
    [InlineData(127, 50)]
    [InlineData(128, 150)]
    [InlineData(129, 20)]
    [InlineData(255, 10)]
    [InlineData(256, 10)]
    public void PowG_RandomExponents_MatchConstTimeReference(int length, int count)
    {
        var random = new Random(7919 * (length + 1));
        for (int i = 0; i < count; i++)
        {
            byte[] exponent = new byte[length];
            random.NextBytes(exponent);
            Hex(SrpModExp.PowG(exponent)).ShouldBe(Hex(SrpModExp.PowGReference(exponent)), $"length {length}, exponent {Hex(exponent)}");
        }
    }

    public static TheoryData<string> EdgeExponents() =>
    [
        "",
        "00",
        "01",
        "02",
        new string('0', 64),
        new string('0', 62) + "01",
        new string('0', 256),
        new string('0', 254) + "01",
        new string('f', 64),
        new string('f', 256),
        "80" + new string('0', 62),
        "80" + new string('0', 254),
        new string('0', 2) + new string('f', 62),
        new string('0', 8) + "7f" + new string('a', 54),
        new string('0', 128) + new string('5', 128),
        string.Concat(Enumerable.Repeat("a5", 32)),
        Convert.ToHexStringLower(NMinusOne),
        Convert.ToHexStringLower(NMinusOne.AsSpan(0, 128)),
        Convert.ToHexStringLower(NMinusOne.AsSpan(0, 32)),
        SrpModExp.ModulusHex,
    ];

    [Theory]
    [MemberData(nameof(EdgeExponents))]
    public void PowG_EdgeExponents_MatchConstTimeReference(string exponentHex)
    {
        byte[] exponent = Convert.FromHexString(exponentHex);
        Hex(SrpModExp.PowG(exponent)).ShouldBe(Hex(SrpModExp.PowGReference(exponent)));
    }

    [Fact]
    public void PowG_ZeroAndOne_ReturnOneAndGenerator()
    {
        Hex(SrpModExp.PowG([])).ShouldBe("01");
        Hex(SrpModExp.PowG(new byte[32])).ShouldBe("01");
        Hex(SrpModExp.PowG(new byte[128])).ShouldBe("01");
        Hex(SrpModExp.PowG([1])).ShouldBe("02");
        Hex(SrpModExp.PowG([.. new byte[127], 1])).ShouldBe("02");
        Hex(SrpModExp.PowG([4])).ShouldBe("10");
    }

    [Fact]
    public void PowG_LeadingZeroBytes_SameValue()
    {
        var random = new Random(31337);
        for (int i = 0; i < 20; i++)
        {
            byte[] exponent = new byte[32];
            random.NextBytes(exponent);
            byte[] padded = [.. new byte[96], .. exponent];
            Hex(SrpModExp.PowG(padded)).ShouldBe(Hex(SrpModExp.PowG(exponent)));
        }
    }

    [Fact]
    public void GeneratorComb_Tables_AreUsableAndWithinBudget()
    {
        FixedBaseComb comb = SrpModExp.GeneratorComb;
        comb.IsUsable.ShouldBeTrue("every blinded entry must be full width");
        comb.Teeth.ShouldBe(SrpModExp.CombTeeth);
        comb.Spacing.ShouldBe(SrpModExp.CombSpacing);
        comb.MaxExponentBits.ShouldBeGreaterThanOrEqualTo(Srp.PrivateALength * 8);
        comb.TableBytes.ShouldBeLessThan(4L * 1024 * 1024);
    }

    [Theory]
    [InlineData(1, 1, 64)]
    [InlineData(2, 7, 100)]
    [InlineData(3, 5, 256)]
    [InlineData(5, 13, 1024)]
    [InlineData(8, 2, 300)]
    public void OtherCombShapes_RandomExponents_MatchReference(int teeth, int spacing, int maxBits)
    {
        using FixedBaseComb comb = SrpModExp.CreateGeneratorComb(teeth, spacing, maxBits);
        comb.IsUsable.ShouldBeTrue();
        using OpenSslBnContext ctx = OpenSslBnContext.Create();
        using OpenSslBigNum result = OpenSslBigNum.Create();
        var random = new Random((teeth * 1000) + spacing);
        foreach (int length in new[] { 0, 1, 7, 8, 9, 12, 13, 31, 32, 33, 127, 128, 129 })
        {
            byte[] exponent = new byte[length];
            random.NextBytes(exponent);
            if (length * 8 > maxBits)
            {
                comb.TryPow(result, exponent, ctx).ShouldBeFalse();
                continue;
            }

            comb.TryPow(result, exponent, ctx).ShouldBeTrue();
            Hex(result.ToBigEndian()).ShouldBe(Hex(SrpModExp.PowGReference(exponent)), $"h={teeth} d={spacing} length {length}");
        }
    }

    [Fact]
    public void PowG_ConcurrentCallers_AllGetReferenceResults()
    {
        var random = new Random(4242);
        byte[][] exponents = [.. Enumerable.Range(0, 192).Select(i =>
        {
            byte[] e = new byte[(i % 3) switch { 0 => 32, 1 => 128, _ => 33 }];
            random.NextBytes(e);
            return e;
        })];
        string[] expected = [.. exponents.Select(e => Hex(SrpModExp.PowGReference(e)))];
        string[] actual = new string[exponents.Length];

        Parallel.For(0, exponents.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => actual[i] = Hex(SrpModExp.PowG(exponents[i])));

        actual.ShouldBe(expected);
    }

    [Fact]
    public void ServerAndClientComposites_RandomInputs_MatchReference()
    {
        var random = new Random(20260505);
        for (int i = 0; i < 30; i++)
        {
            byte[] x = Bytes(random, 32);
            byte[] b = Bytes(random, Srp.PrivateBLength);
            byte[] a = Bytes(random, Srp.PrivateALength);
            byte[] u = Bytes(random, 32);
            byte[] v = SrpModExp.PowGReference(x);
            byte[] publicA = SrpModExp.PowGReference(a);

            byte[] publicB = SrpModExp.ComputeServerPublic(Srp.Multiplier, v, b);
            Hex(publicB).ShouldBe(Hex(SrpModExp.ComputeServerPublicReference(Srp.Multiplier, v, b)));
            Hex(SrpModExp.ComputeServerPremaster(publicA, v, u, b))
                .ShouldBe(Hex(SrpModExp.ComputeServerPremasterReference(publicA, v, u, b)));
            Hex(SrpModExp.ComputeClientPremaster(publicB, Srp.Multiplier, x, a, u))
                .ShouldBe(Hex(SrpModExp.ComputeClientPremasterReference(publicB, Srp.Multiplier, x, a, u)));
        }
    }

    private static byte[] Bytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] MinusOne(byte[] value)
    {
        for (int i = value.Length - 1; i >= 0 && value[i]-- == 0; i--)
        {
        }

        return value;
    }

    private static string Hex(byte[] value) => Convert.ToHexStringLower(value);
}
