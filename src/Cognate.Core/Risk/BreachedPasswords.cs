using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Cognate.Core.Risk;

/// <summary>Threat-protection settings of the server (configuration section <c>Cognate:Risk</c>).</summary>
public sealed class RiskOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Cognate:Risk";

    /// <summary>
    /// Path of the breached-password list that compromised-credentials detection checks (<c>Cognate:Risk:BreachedPasswordsFile</c>),
    /// or null for none (then no password counts as compromised). One entry per line, UTF-8: a line of exactly 40 hexadecimal
    /// digits, optionally followed by <c>:count</c> (the Have I Been Pwned "Pwned Passwords" format), is the SHA-1 of a password;
    /// any other non-empty line is a password in plain text (trailing CR removed, nothing else trimmed). The file is read once,
    /// at the first check, and held in memory as SHA-1 digests (about 100 bytes per entry).
    /// </summary>
    public string? BreachedPasswordsFile { get; set; }
}

/// <summary>
/// The breached-password list behind compromised-credentials detection (SetRiskConfiguration's
/// <c>CompromisedCredentialsRiskConfiguration</c>): a set of SHA-1 digests of known-breached passwords, loaded from
/// <see cref="RiskOptions.BreachedPasswordsFile"/>. Amazon Cognito uses its own, undisclosed corpus; Cognate checks this file.
/// </summary>
public sealed class BreachedPasswords
{
    readonly Lazy<HashSet<string>> digests;

    /// <summary>A list read from <paramref name="path"/> on first use; null or empty path: an empty list.</summary>
    public BreachedPasswords(string? path)
    {
        digests = new Lazy<HashSet<string>>(() => string.IsNullOrEmpty(path) ? [] : Load(File.ReadLines(path, Encoding.UTF8)));
    }

    /// <summary>A list of the given lines (same format as the file).</summary>
    public BreachedPasswords(IEnumerable<string> lines)
    {
        var set = Load(lines);
        digests = new Lazy<HashSet<string>>(set);
    }

    /// <summary>Whether the list has no entries (then no check can match).</summary>
    public bool IsEmpty => digests.Value.Count == 0;

    /// <summary>Whether <paramref name="password"/> is on the list.</summary>
    public bool Contains(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var set = digests.Value;
        return set.Count > 0 && set.Contains(Sha1Hex(password));
    }

    static HashSet<string> Load(IEnumerable<string> lines)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in lines)
        {
            var line = raw.EndsWith('\r') ? raw[..^1] : raw;
            if (line.Length == 0) continue;
            set.Add(IsSha1Entry(line) ? line[..40].ToUpperInvariant() : Sha1Hex(line));
        }
        return set;
    }

    static readonly SearchValues<char> Hex = SearchValues.Create("0123456789abcdefABCDEF");
    static readonly SearchValues<char> Digits = SearchValues.Create("0123456789");

    static bool IsSha1Entry(string line)
    {
        if (line.Length < 40 || line.AsSpan(0, 40).ContainsAnyExcept(Hex)) return false;
        if (line.Length == 40) return true;
        var count = line.AsSpan(41).Trim();
        return line[40] == ':' && count.Length > 0 && !count.ContainsAnyExcept(Digits);
    }

    static string Sha1Hex(string password) =>
#pragma warning disable CA5350 // SHA-1 is the list's format (Pwned Passwords), not a security boundary here
        Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(password)));
#pragma warning restore CA5350
}
