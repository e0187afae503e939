using System.Security.Cryptography;
using System.Text;

namespace Cognate.Core.Crypto;

/// <summary>
/// Cognito's <c>SECRET_HASH</c> for app clients that have a secret (reference §5; Cognito developer guide
/// "Computing secret hash values"): <c>Base64(HMAC-SHA256(key = UTF8(clientSecret), message = UTF8(username ‖ clientId)))</c>.
/// Thread-safe.
/// </summary>
public static class SecretHash
{
    /// <summary>Computes the SECRET_HASH.</summary>
    /// <param name="clientSecret">The app client secret.</param>
    /// <param name="username">The username as sent in the same request (or the internal username, see reference §5).</param>
    /// <param name="clientId">The app client id.</param>
    /// <returns>Standard base64 (with padding) of the 32-byte HMAC: 44 characters.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static string Compute(string clientSecret, string username, string clientId) =>
        Convert.ToBase64String(ComputeBytes(clientSecret, username, clientId));

    /// <summary>
    /// Checks a presented SECRET_HASH in constant time. Returns false (never throws) for null, empty or
    /// non-base64 input, so callers can answer <c>NotAuthorizedException</c> "Unable to verify secret hash for client …".
    /// </summary>
    /// <param name="clientSecret">The app client secret.</param>
    /// <param name="username">The username the hash is expected to cover.</param>
    /// <param name="clientId">The app client id.</param>
    /// <param name="presented">The <c>SecretHash</c> / <c>SECRET_HASH</c> value from the request.</param>
    /// <returns>True when it matches.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="clientSecret"/>, <paramref name="username"/> or <paramref name="clientId"/> is null.</exception>
    public static bool Verify(string clientSecret, string username, string clientId, string? presented)
    {
        byte[] expected = ComputeBytes(clientSecret, username, clientId);
        Span<byte> decoded = stackalloc byte[32];
        return presented is not null
            && presented.Length <= 128
            && Convert.TryFromBase64String(presented, decoded, out int written)
            && written == decoded.Length
            && CryptographicOperations.FixedTimeEquals(expected, decoded);
    }

    private static byte[] ComputeBytes(string clientSecret, string username, string clientId)
    {
        ArgumentNullException.ThrowIfNull(clientSecret);
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(clientId);
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(clientSecret), Encoding.UTF8.GetBytes(username + clientId));
    }
}
