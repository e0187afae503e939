using System.Security.Cryptography;

namespace Cognate.Core.Ids;

/// <summary>
/// Identifiers in Cognito's formats (reference §1.9): pool ids <c>{region}_{9 alphanumerics}</c>,
/// client ids of 26 lowercase alphanumerics, client secrets of 51 lowercase alphanumerics, UUIDs for
/// <c>sub</c>/<c>jti</c>, and opaque random strings. All from a CSPRNG.
/// </summary>
public static class IdGenerator
{
    const string Alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    const string LowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>A pool id such as <c>us-east-1_AbCdEfGhI</c>.</summary>
    public static string NewUserPoolId(string region) => region + "_" + RandomNumberGenerator.GetString(Alnum, 9);

    /// <summary>A 26-character lowercase alphanumeric client id.</summary>
    public static string NewClientId() => RandomNumberGenerator.GetString(LowerAlnum, 26);

    /// <summary>A 51-character lowercase alphanumeric client secret (Cognito's length).</summary>
    public static string NewClientSecret() => RandomNumberGenerator.GetString(LowerAlnum, 51);

    /// <summary>A random lowercase hyphenated UUID (version 4).</summary>
    public static string NewUuid() => Guid.NewGuid().ToString("D");

    /// <summary>A numeric one-time code of <paramref name="digits"/> digits (default 6).</summary>
    public static string NewNumericCode(int digits = 6) => RandomNumberGenerator.GetString("0123456789", digits);

    /// <summary>
    /// An opaque sign-in <c>Session</c>: base64url of 96 random bytes whose first character is a letter or digit, so
    /// that it never reads as an option when passed on a command line (<c>aws ... --session VALUE</c>).
    /// </summary>
    public static string NewSession()
    {
        var s = NewOpaque(96);
        return char.IsAsciiLetterOrDigit(s[0]) ? s : "A" + s[1..];
    }

    /// <summary>Base64url (no padding) of <paramref name="bytes"/> random bytes.</summary>
    public static string NewOpaque(int bytes = 32) => Base64Url(RandomNumberGenerator.GetBytes(bytes));

    /// <summary>Base64url without padding (RFC 4648 §5).</summary>
    public static string Base64Url(ReadOnlySpan<byte> data) =>
        Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Region part of a pool id (before the underscore), or null if malformed.</summary>
    public static string? RegionOf(string userPoolId)
    {
        int i = userPoolId.IndexOf('_');
        return i > 0 ? userPoolId[..i] : null;
    }
}
