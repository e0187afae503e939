using System.Diagnostics;
using System.Globalization;
using Cognate.Core.Mfa;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.Mfa;

public sealed class TotpTests
{
    static string OathTool(string base32, long unixSeconds)
    {
        var psi = new ProcessStartInfo("oathtool") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "--totp", "-b", "--now", "@" + unixSeconds.ToString(CultureInfo.InvariantCulture), base32 }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var code = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit(10_000).ShouldBeTrue();
        p.ExitCode.ShouldBe(0, p.StandardError.ReadToEnd());
        return code;
    }

    [Fact]
    public void Compute_Rfc6238Sha1Vectors_Match()
    {
        // RFC 6238 Appendix B (SHA-1 seed "12345678901234567890"), last 6 digits of the 8-digit values.
        var seed = "12345678901234567890"u8.ToArray();
        Totp.Compute(seed, 59 / 30).ShouldBe("287082");
        Totp.Compute(seed, 1111111109 / 30).ShouldBe("081804");
        Totp.Compute(seed, 1234567890 / 30).ShouldBe("005924");
        Totp.Compute(seed, 20000000000 / 30).ShouldBe("353130");
    }

    [Fact]
    public void Compute_RandomSecrets_AgreeWithOathtool()
    {
        for (int i = 0; i < 5; i++)
        {
            var secret = Totp.NewSecret();
            var b32 = Totp.ToBase32(secret);
            b32.Length.ShouldBe(32);
            Totp.TryFromBase32(b32.ToLowerInvariant(), out var back).ShouldBeTrue();
            back.ShouldBe(secret);
            long t = 1_700_000_000 + i * 7919;
            Totp.Compute(secret, t / 30).ShouldBe(OathTool(b32, t));
        }
    }

    [Fact]
    public void Match_AcceptsOneStepOfSkewEitherWay_RejectsTwo()
    {
        var secret = Totp.NewSecret();
        var b32 = Totp.ToBase32(secret);
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_015);
        long step = Totp.StepOf(now);
        Totp.Match(secret, OathTool(b32, now.ToUnixTimeSeconds()), now).ShouldBe(step);
        Totp.Match(secret, OathTool(b32, now.ToUnixTimeSeconds() - 30), now).ShouldBe(step - 1);
        Totp.Match(secret, OathTool(b32, now.ToUnixTimeSeconds() + 30), now).ShouldBe(step + 1);
        var far = OathTool(b32, now.ToUnixTimeSeconds() - 60);
        if (far != Totp.Compute(secret, step) && far != Totp.Compute(secret, step - 1) && far != Totp.Compute(secret, step + 1))
        {
            Totp.Match(secret, far, now).ShouldBeNull();
        }
        Totp.Match(secret, "12345", now).ShouldBeNull();
        Totp.Match(secret, "12a456", now).ShouldBeNull();
        Totp.Match(secret, null, now).ShouldBeNull();
    }

    [Fact]
    public void TryFromBase32_RejectsForeignCharacters() => Totp.TryFromBase32("ABC1", out _).ShouldBeFalse();
}
