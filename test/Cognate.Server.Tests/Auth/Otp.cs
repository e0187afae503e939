using System.Diagnostics;

namespace Cognate.Server.Tests.Auth;

/// <summary>TOTP codes from Debian's oathtool (an implementation independent of Cognate's).</summary>
internal static class Otp
{
    /// <summary><c>oathtool --totp -b SECRET</c> at now + <paramref name="offsetSeconds"/>.</summary>
    public static string Code(string base32Secret, int offsetSeconds = 0)
    {
        var at = DateTimeOffset.UtcNow.AddSeconds(offsetSeconds).ToUnixTimeSeconds();
        var psi = new ProcessStartInfo("oathtool") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "--totp", "-b", "--now", "@" + at.ToString(System.Globalization.CultureInfo.InvariantCulture), base32Secret }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("oathtool did not start (apt-get install -y oathtool)");
        var output = p.StandardOutput.ReadToEnd().Trim();
        if (!p.WaitForExit(10_000) || p.ExitCode != 0) throw new InvalidOperationException("oathtool failed: " + p.StandardError.ReadToEnd());
        return output;
    }
}
