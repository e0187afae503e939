using System.Diagnostics;

namespace Cognate.Browser.Tests.Infrastructure;

/// <summary>
/// TOTP codes from Debian's <c>oathtool</c> (an implementation nobody here wrote): <c>oathtool --totp -b SECRET</c>.
/// Cognito accepts each 30-second step's code once, so a second code for the same secret waits for the next step.
/// </summary>
public static class Oath
{
    static readonly Dictionary<string, long> LastStep = [];

    /// <summary>A code for <paramref name="base32Secret"/> from a time step not used before by this process (waits up to 30 s).</summary>
    /// <exception cref="InvalidOperationException">oathtool is missing or failed.</exception>
    public static async Task<string> NextCodeAsync(string base32Secret)
    {
        long step;
        while (true)
        {
            step = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30;
            bool used;
            lock (LastStep) used = LastStep.TryGetValue(base32Secret, out var last) && last >= step;
            if (!used) break;
            await Task.Delay(500);
        }
        var at = DateTimeOffset.FromUnixTimeSeconds(step * 30 + 1).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        var psi = new ProcessStartInfo("oathtool", ["--totp", "-b", base32Secret, "--now", at + " UTC"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        Process process;
        try { process = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception e) { throw new InvalidOperationException("oathtool is not installed: apt-get install -y oathtool (test/run.sh does it).", e); }
        using (process)
        {
            var output = (await process.StandardOutput.ReadToEndAsync()).Trim();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0 || output.Length != 6) throw new InvalidOperationException($"oathtool failed with exit code {process.ExitCode}.");
            lock (LastStep) LastStep[base32Secret] = step;
            return output;
        }
    }
}
