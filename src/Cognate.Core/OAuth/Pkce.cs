using System.Security.Cryptography;
using System.Text;

namespace Cognate.Core.OAuth;

/// <summary>
/// Proof Key for Code Exchange (RFC 7636) as Cognito supports it: method <c>S256</c> only (reference §9.2). A challenge is
/// 43 base64url characters (SHA-256, no padding, §4.2); a verifier is 43–128 unreserved characters (§4.1).
/// </summary>
public static class Pkce
{
    /// <summary>The only method Cognito accepts.</summary>
    public const string S256 = "S256";

    /// <summary>True for a well-formed S256 challenge: exactly 43 base64url characters.</summary>
    public static bool IsValidChallenge(string? challenge) =>
        challenge is { Length: 43 } && challenge.All(static c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>True for a well-formed verifier: 43–128 characters of <c>[A-Za-z0-9-._~]</c> (RFC 7636 §4.1).</summary>
    public static bool IsValidVerifier(string? verifier) =>
        verifier is { Length: >= 43 and <= 128 } && verifier.All(static c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~');

    /// <summary>BASE64URL(SHA256(ASCII(<paramref name="verifier"/>))) (RFC 7636 §4.2).</summary>
    public static string ChallengeOf(string verifier) => Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    /// <summary>Does <paramref name="verifier"/> prove <paramref name="challenge"/>? Compared in constant time.</summary>
    public static bool Verify(string? verifier, string challenge)
    {
        if (!IsValidVerifier(verifier)) return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(ChallengeOf(verifier!)), Encoding.ASCII.GetBytes(challenge));
    }

    /// <summary>Unpadded base64url (RFC 4648 §5).</summary>
    internal static string Base64Url(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
