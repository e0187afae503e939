using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Cognate.Core.Crypto;

/// <summary>
/// Secure Remote Password (SRP-6a, RFC 5054 / RFC 2945) exactly as Amazon Cognito user pools use it for
/// <c>USER_SRP_AUTH</c>, <c>PASSWORD_VERIFIER</c> and device authentication (reference §4): the 3072-bit group of
/// RFC 5054 appendix A with g = 2, SHA-256, Cognito's "padHex" integer encoding, the
/// <c>H(padHex(salt) ‖ H(poolName ‖ userId ‖ ":" ‖ password))</c> private key, HKDF-SHA256 (RFC 5869) with info
/// <c>"Caldera Derived Key"</c> for the 16-byte session key, and an HMAC-SHA256 password claim signature.
/// </summary>
/// <remarks>
/// <para>Integers are passed as unsigned big-endian byte arrays (leading zeros allowed) and returned minimal
/// (no leading zero bytes), except <see cref="SrpVerifier.Verifier"/> which is fixed at 384 bytes.</para>
/// <para>All members are thread-safe. Exponentiations go through OpenSSL (<see cref="SrpModExp"/>); g^x and g^b use a
/// precomputed comb (≈ 0.1 ms), the others cost roughly half a millisecond each, so <see cref="VerifyPassword"/> is
/// cheap — rate-limit sign-in attempts.</para>
/// <para>For user SRP the "pool name" is the pool id suffix after <c>_</c> (<c>AbCdEfGhI</c> for
/// <c>us-east-1_AbCdEfGhI</c>) and the user id is the <b>internal</b> username; for device SRP they are the
/// <c>DeviceGroupKey</c> and <c>DeviceKey</c> (reference §4.7).</para>
/// </remarks>
public static class Srp
{
    /// <summary>HKDF info string used to derive the session key (reference §4.3).</summary>
    public const string DerivedKeyInfo = "Caldera Derived Key";

    /// <summary>Salt size in bytes for new verifiers (Cognito uses 16 random bytes).</summary>
    public const int SaltLength = 16;

    /// <summary>Size of the server secret b in bytes (256 bits).</summary>
    public const int PrivateBLength = 32;

    /// <summary>Size of the client secret a in bytes (as amazon-cognito-identity-js: 128 random bytes).</summary>
    public const int PrivateALength = 128;

    /// <summary>Size of the derived session key K in bytes.</summary>
    public const int SessionKeyLength = 16;

    /// <summary>The TIMESTAMP format: <c>ddd MMM d HH:mm:ss UTC yyyy</c>, invariant culture, day not zero-padded.</summary>
    public const string TimestampFormat = "ddd MMM d HH:mm:ss 'UTC' yyyy";

    private const int MaxHexLength = 4096;

    /// <summary>k = H(padHex(N) ‖ padHex(g)) (32 bytes; reference §4.1).</summary>
    internal static readonly byte[] Multiplier = ComputeMultiplier();

    /// <summary>
    /// Builds the fixed-base tables for g (about 1.7 MiB, 15–20 ms of CPU) now instead of on the first password check or
    /// SRP challenge. Idempotent and thread-safe; the server calls it in the background once it has started.
    /// </summary>
    public static void WarmUp() => _ = SrpModExp.GeneratorComb;

    /// <summary>
    /// Returns the pool name used inside SRP: the text after the first <c>_</c> of a user pool id, up to the next
    /// <c>_</c> if any (as amazon-cognito-identity-js <c>split('_')[1]</c>).
    /// </summary>
    /// <param name="userPoolId">A pool id such as <c>us-east-1_AbCdEfGhI</c>.</param>
    /// <returns>The pool name, e.g. <c>AbCdEfGhI</c>.</returns>
    /// <exception cref="ArgumentException">The id contains no <c>_</c>.</exception>
    public static string GetPoolName(string userPoolId)
    {
        ArgumentNullException.ThrowIfNull(userPoolId);
        int start = userPoolId.IndexOf('_', StringComparison.Ordinal);
        if (start < 0)
        {
            throw new ArgumentException($"User pool id '{userPoolId}' has no '_'.", nameof(userPoolId));
        }

        int end = userPoolId.IndexOf('_', start + 1);
        return end < 0 ? userPoolId[(start + 1)..] : userPoolId[(start + 1)..end];
    }

    /// <summary>
    /// Creates the salt and verifier for a user's password (called whenever a password is set: SignUp,
    /// AdminCreateUser, AdminSetUserPassword, ChangePassword, ConfirmForgotPassword, …).
    /// </summary>
    /// <param name="userPoolId">The pool id, e.g. <c>us-east-1_AbCdEfGhI</c>.</param>
    /// <param name="username">The <b>internal</b> username (the UUID in email/phone-as-username pools), never an alias.</param>
    /// <param name="password">The plaintext password (hashed as UTF-8).</param>
    /// <returns>16 random salt bytes and the 384-byte verifier.</returns>
    /// <exception cref="ArgumentException">The pool id contains no <c>_</c>.</exception>
    public static SrpVerifier CreateVerifier(string userPoolId, string username, string password)
    {
        Span<byte> salt = stackalloc byte[SaltLength];
        RandomNumberGenerator.Fill(salt);
        return CreateVerifier(userPoolId, username, password, salt);
    }

    /// <summary>Deterministic overload of <see cref="CreateVerifier(string, string, string)"/> for test vectors.</summary>
    internal static SrpVerifier CreateVerifier(string userPoolId, string username, string password, ReadOnlySpan<byte> salt) =>
        CreateVerifierCore(GetPoolName(userPoolId), username, password, salt);

    /// <summary>
    /// Creates a device verifier (what <c>ConfirmDevice</c> carries in <c>DeviceSecretVerifierConfig</c>, reference §4.7);
    /// mainly for tests and clients, since real clients compute it themselves.
    /// </summary>
    /// <param name="deviceGroupKey">The <c>DeviceGroupKey</c> (takes the place of the pool name).</param>
    /// <param name="deviceKey">The <c>DeviceKey</c> (takes the place of the username).</param>
    /// <param name="devicePassword">The device's random password.</param>
    /// <returns>16 random salt bytes and the 384-byte verifier.</returns>
    public static SrpVerifier CreateDeviceVerifier(string deviceGroupKey, string deviceKey, string devicePassword)
    {
        Span<byte> salt = stackalloc byte[SaltLength];
        RandomNumberGenerator.Fill(salt);
        return CreateVerifierCore(deviceGroupKey, deviceKey, devicePassword, salt);
    }

    /// <summary>Deterministic overload of <see cref="CreateDeviceVerifier(string, string, string)"/> for test vectors.</summary>
    internal static SrpVerifier CreateDeviceVerifier(string deviceGroupKey, string deviceKey, string devicePassword, ReadOnlySpan<byte> salt) =>
        CreateVerifierCore(deviceGroupKey, deviceKey, devicePassword, salt);

    /// <summary>
    /// Checks a plaintext password against a stored salt and verifier by recomputing <c>v = g^x mod N</c> and comparing
    /// in constant time. This is how <c>USER_PASSWORD_AUTH</c>, <c>ADMIN_USER_PASSWORD_AUTH</c> and ChangePassword's
    /// previous password are checked.
    /// </summary>
    /// <param name="userPoolId">The pool id the verifier was created for.</param>
    /// <param name="username">The internal username the verifier was created for.</param>
    /// <param name="password">The presented password.</param>
    /// <param name="salt">The stored salt.</param>
    /// <param name="verifier">The stored verifier (unsigned big-endian, any length up to 384 significant bytes).</param>
    /// <returns>True when the password matches.</returns>
    /// <exception cref="ArgumentException">The pool id contains no <c>_</c>.</exception>
    public static bool VerifyPassword(
        string userPoolId, string username, string password, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> verifier)
    {
        ArgumentNullException.ThrowIfNull(password);
        SrpVerifier recomputed = CreateVerifierCore(GetPoolName(userPoolId), username, password, salt);
        Span<byte> stored = stackalloc byte[SrpModExp.ModulusLength];
        if (!TryLeftPad(verifier, stored))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(recomputed.Verifier, stored);
    }

    /// <summary>
    /// Parses the client's <c>SRP_A</c> (hex, case-insensitive, odd length and leading zeros tolerated) and applies the
    /// RFC 5054 §2.5.4 safety check <c>A mod N ≠ 0</c>.
    /// </summary>
    /// <param name="srpA">The <c>SRP_A</c> auth parameter.</param>
    /// <param name="clientPublic">A as minimal unsigned big-endian bytes, or empty on failure.</param>
    /// <returns>False when the value is missing, not hex, absurdly long, or ≡ 0 mod N (answer <c>InvalidParameterException</c>/<c>NotAuthorizedException</c>).</returns>
    public static bool TryParseClientPublic(string? srpA, out byte[] clientPublic)
    {
        clientPublic = [];
        if (!TryParseHex(srpA, out byte[] value) || SrpModExp.IsZeroModN(value))
        {
            return false;
        }

        clientPublic = value;
        return true;
    }

    /// <summary>
    /// Starts the server side of SRP: draws b (32 random bytes) and computes <c>B = (k·v + g^b) mod N</c>, retrying in
    /// the (astronomically unlikely) case B ≡ 0. Send <see cref="SrpServerChallenge.PublicBHex"/> as <c>SRP_B</c>.
    /// </summary>
    /// <param name="verifier">The user's (or device's) stored verifier.</param>
    /// <returns>b and B; keep b (and A, B) in the sealed SECRET_BLOCK or server-side session.</returns>
    public static SrpServerChallenge CreateServerChallenge(ReadOnlySpan<byte> verifier)
    {
        byte[] privateB = new byte[PrivateBLength];
        while (true)
        {
            RandomNumberGenerator.Fill(privateB);
            SrpServerChallenge challenge = CreateServerChallenge(verifier, privateB);
            if (challenge.PublicB.Length != 0)
            {
                return challenge;
            }
        }
    }

    /// <summary>Deterministic overload for test vectors: B for a fixed b. B may be empty (≡ 0) here.</summary>
    internal static SrpServerChallenge CreateServerChallenge(ReadOnlySpan<byte> verifier, ReadOnlySpan<byte> privateB)
    {
        byte[] publicB = SrpModExp.ComputeServerPublic(Multiplier, verifier, privateB);
        return new SrpServerChallenge(privateB.ToArray(), publicB);
    }

    /// <summary>
    /// Computes the server's session key <c>K = HKDF-SHA256(salt = padHex(u), ikm = padHex(S), info = "Caldera Derived Key")[0..16)</c>
    /// with <c>u = H(padHex(A) ‖ padHex(B))</c> and <c>S = (A·v^u)^b mod N</c>.
    /// </summary>
    /// <param name="clientPublic">A (from <see cref="TryParseClientPublic"/>).</param>
    /// <param name="serverPublic">B as sent in the challenge.</param>
    /// <param name="privateB">b from the challenge.</param>
    /// <param name="verifier">The stored verifier.</param>
    /// <returns>K, 16 bytes.</returns>
    /// <exception cref="CryptographicException">A ≡ 0 mod N or u = 0.</exception>
    public static byte[] ComputeServerSessionKey(
        ReadOnlySpan<byte> clientPublic, ReadOnlySpan<byte> serverPublic, ReadOnlySpan<byte> privateB, ReadOnlySpan<byte> verifier)
    {
        if (SrpModExp.IsZeroModN(clientPublic))
        {
            throw new CryptographicException("SRP A is zero modulo N.");
        }

        byte[] u = ComputeU(clientPublic, serverPublic);
        byte[] s = SrpModExp.ComputeServerPremaster(clientPublic, verifier, u, privateB);
        try
        {
            return DeriveSessionKey(s, u);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(s);
        }
    }

    /// <summary>
    /// Checks <c>PASSWORD_CLAIM_SIGNATURE</c> of a <c>PASSWORD_VERIFIER</c> challenge response in constant time
    /// (reference §4.4). The timestamp is used exactly as sent; check its freshness separately with
    /// <see cref="IsTimestampFresh"/>.
    /// </summary>
    /// <param name="userPoolId">The pool id (its suffix after <c>_</c> is signed).</param>
    /// <param name="userId">The internal username (<c>USER_ID_FOR_SRP</c>).</param>
    /// <param name="clientPublic">A.</param>
    /// <param name="serverPublic">B.</param>
    /// <param name="privateB">b.</param>
    /// <param name="verifier">The stored verifier.</param>
    /// <param name="secretBlock">The base64-decoded <c>PASSWORD_CLAIM_SECRET_BLOCK</c> bytes.</param>
    /// <param name="timestamp">The <c>TIMESTAMP</c> challenge response, as received.</param>
    /// <param name="claimSignatureBase64">The <c>PASSWORD_CLAIM_SIGNATURE</c> challenge response (standard base64).</param>
    /// <returns>True when the client proved knowledge of the password; false for any mismatch or malformed input.</returns>
    public static bool VerifyPasswordClaim(
        string userPoolId,
        string userId,
        ReadOnlySpan<byte> clientPublic,
        ReadOnlySpan<byte> serverPublic,
        ReadOnlySpan<byte> privateB,
        ReadOnlySpan<byte> verifier,
        ReadOnlySpan<byte> secretBlock,
        string timestamp,
        string? claimSignatureBase64) =>
        VerifyClaimCore(GetPoolName(userPoolId), userId, clientPublic, serverPublic, privateB, verifier, secretBlock, timestamp, claimSignatureBase64);

    /// <summary>
    /// Checks the <c>PASSWORD_CLAIM_SIGNATURE</c> of a <c>DEVICE_PASSWORD_VERIFIER</c> response (reference §4.7): as
    /// <see cref="VerifyPasswordClaim"/> with the device group key and device key in place of pool name and user id.
    /// </summary>
    /// <returns>True when the client proved knowledge of the device password.</returns>
    public static bool VerifyDevicePasswordClaim(
        string deviceGroupKey,
        string deviceKey,
        ReadOnlySpan<byte> clientPublic,
        ReadOnlySpan<byte> serverPublic,
        ReadOnlySpan<byte> privateB,
        ReadOnlySpan<byte> verifier,
        ReadOnlySpan<byte> secretBlock,
        string timestamp,
        string? claimSignatureBase64) =>
        VerifyClaimCore(deviceGroupKey, deviceKey, clientPublic, serverPublic, privateB, verifier, secretBlock, timestamp, claimSignatureBase64);

    /// <summary>
    /// Computes the claim signature <c>HMAC-SHA256(K, UTF8(poolName) ‖ UTF8(userId) ‖ secretBlock ‖ UTF8(timestamp))</c>
    /// (reference §4.3, no separators).
    /// </summary>
    /// <param name="sessionKey">K (16 bytes).</param>
    /// <param name="poolName">The pool name (suffix after <c>_</c>) or the device group key.</param>
    /// <param name="userId">The internal username or the device key.</param>
    /// <param name="secretBlock">The decoded SECRET_BLOCK bytes.</param>
    /// <param name="timestamp">The TIMESTAMP string.</param>
    /// <returns>The 32-byte MAC (send/compare as standard base64).</returns>
    public static byte[] ComputeClaimSignature(
        ReadOnlySpan<byte> sessionKey, string poolName, string userId, ReadOnlySpan<byte> secretBlock, string timestamp)
    {
        ArgumentNullException.ThrowIfNull(poolName);
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(timestamp);
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, sessionKey);
        hmac.AppendData(Encoding.UTF8.GetBytes(poolName));
        hmac.AppendData(Encoding.UTF8.GetBytes(userId));
        hmac.AppendData(secretBlock);
        hmac.AppendData(Encoding.UTF8.GetBytes(timestamp));
        return hmac.GetHashAndReset();
    }

    /// <summary>Formats a TIMESTAMP as clients do: <c>Tue Jan 2 03:04:05 UTC 2024</c> (UTC, English names, day not zero-padded).</summary>
    /// <param name="instant">The instant; converted to UTC.</param>
    /// <returns>The formatted string.</returns>
    public static string FormatTimestamp(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    /// <summary>
    /// Parses a TIMESTAMP strictly: it must be exactly the canonical form produced by <see cref="FormatTimestamp"/>
    /// (a zero-padded day such as <c>Wed Apr 05 …</c> is rejected, as real Cognito does; the weekday must match the date).
    /// </summary>
    /// <param name="timestamp">The received string.</param>
    /// <param name="instant">The parsed UTC instant, or default.</param>
    /// <returns>True when well-formed.</returns>
    public static bool TryParseTimestamp(string? timestamp, out DateTimeOffset instant)
    {
        instant = default;
        if (string.IsNullOrEmpty(timestamp) || timestamp.Length > 64)
        {
            return false;
        }

        if (!DateTimeOffset.TryParseExact(
                timestamp,
                TimestampFormat,
                CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
                out DateTimeOffset parsed)
            || !string.Equals(FormatTimestamp(parsed), timestamp, StringComparison.Ordinal))
        {
            return false;
        }

        instant = parsed;
        return true;
    }

    /// <summary>True when <paramref name="timestamp"/> parses (see <see cref="TryParseTimestamp"/>) and lies within ±<paramref name="tolerance"/> of <paramref name="now"/>.</summary>
    /// <param name="timestamp">The received TIMESTAMP.</param>
    /// <param name="now">The current time (from the server's <see cref="TimeProvider"/>).</param>
    /// <param name="tolerance">Allowed clock difference, e.g. 5 minutes.</param>
    public static bool IsTimestampFresh(string? timestamp, DateTimeOffset now, TimeSpan tolerance) =>
        TryParseTimestamp(timestamp, out DateTimeOffset instant) && (instant - now).Duration() <= tolerance;

    /// <summary>
    /// Cognito's padHex encoding of a non-negative integer (reference §4.2): minimal two's-complement big-endian,
    /// i.e. leading zeros stripped, then a <c>00</c> byte prepended if the top bit is set; 0 encodes as <c>00</c>.
    /// </summary>
    /// <param name="unsignedBigEndian">The integer, unsigned big-endian (leading zeros allowed).</param>
    /// <returns>The encoded bytes.</returns>
    public static byte[] PadHex(ReadOnlySpan<byte> unsignedBigEndian)
    {
        ReadOnlySpan<byte> trimmed = TrimLeadingZeros(unsignedBigEndian);
        if (trimmed.IsEmpty)
        {
            return [0];
        }

        if (trimmed[0] < 0x80)
        {
            return trimmed.ToArray();
        }

        byte[] result = new byte[trimmed.Length + 1];
        trimmed.CopyTo(result.AsSpan(1));
        return result;
    }

    /// <summary>Lowercase hex of a non-negative integer without leading zeros (JavaScript <c>toString(16)</c>); 0 is <c>"0"</c>.</summary>
    /// <param name="unsignedBigEndian">The integer, unsigned big-endian.</param>
    public static string ToHex(ReadOnlySpan<byte> unsignedBigEndian)
    {
        ReadOnlySpan<byte> trimmed = TrimLeadingZeros(unsignedBigEndian);
        if (trimmed.IsEmpty)
        {
            return "0";
        }

        string hex = Convert.ToHexStringLower(trimmed);
        return hex[0] == '0' ? hex[1..] : hex;
    }

    /// <summary>
    /// Parses hex as an unsigned big-endian integer: case-insensitive, odd length allowed (an implicit leading 0),
    /// leading zeros allowed. No prefix, sign or whitespace.
    /// </summary>
    /// <param name="hex">The text (at most 4096 characters).</param>
    /// <param name="value">Minimal unsigned big-endian bytes (0 is empty), or empty on failure.</param>
    /// <returns>False when null, empty, too long or not hex.</returns>
    public static bool TryParseHex(string? hex, out byte[] value)
    {
        value = [];
        if (string.IsNullOrEmpty(hex) || hex.Length > MaxHexLength)
        {
            return false;
        }

        ReadOnlySpan<char> text = hex;
        Span<byte> buffer = stackalloc byte[(MaxHexLength / 2) + 1];
        int offset = 0;
        if ((text.Length & 1) == 1)
        {
            int nibble = HexNibble(text[0]);
            if (nibble < 0)
            {
                return false;
            }

            buffer[0] = (byte)nibble;
            offset = 1;
            text = text[1..];
        }

        if (Convert.FromHexString(text, buffer[offset..], out _, out int written) != System.Buffers.OperationStatus.Done)
        {
            return false;
        }

        value = TrimLeadingZeros(buffer[..(offset + written)]).ToArray();
        return true;
    }

    /// <summary>x = H(padHex(salt) ‖ H(UTF8(poolName ‖ userId ‖ ":" ‖ password))), 32 bytes.</summary>
    internal static byte[] ComputeX(string poolName, string userId, string password, ReadOnlySpan<byte> salt)
    {
        ArgumentNullException.ThrowIfNull(poolName);
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(password);
        byte[] identity = Encoding.UTF8.GetBytes(string.Concat(poolName, userId, ":", password));
        Span<byte> inner = stackalloc byte[32];
        SHA256.HashData(identity, inner);
        CryptographicOperations.ZeroMemory(identity);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(PadHex(salt));
        hash.AppendData(inner);
        CryptographicOperations.ZeroMemory(inner);
        return hash.GetHashAndReset();
    }

    /// <summary>u = H(padHex(A) ‖ padHex(B)), 32 bytes.</summary>
    internal static byte[] ComputeU(ReadOnlySpan<byte> clientPublic, ReadOnlySpan<byte> serverPublic)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(PadHex(clientPublic));
        hash.AppendData(PadHex(serverPublic));
        byte[] u = hash.GetHashAndReset();
        if (TrimLeadingZeros(u).IsEmpty)
        {
            throw new CryptographicException("SRP scrambling parameter u is zero.");
        }

        return u;
    }

    /// <summary>K = HKDF-SHA256(ikm = padHex(S), salt = padHex(u), info = "Caldera Derived Key"), 16 bytes (RFC 5869).</summary>
    internal static byte[] DeriveSessionKey(ReadOnlySpan<byte> premaster, ReadOnlySpan<byte> u)
    {
        byte[] ikm = PadHex(premaster);
        try
        {
            return HKDF.DeriveKey(
                HashAlgorithmName.SHA256, ikm, SessionKeyLength, PadHex(u), Encoding.UTF8.GetBytes(DerivedKeyInfo));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ikm);
        }
    }

    internal static ReadOnlySpan<byte> TrimLeadingZeros(ReadOnlySpan<byte> value)
    {
        int i = value.IndexOfAnyExcept((byte)0);
        return i < 0 ? [] : value[i..];
    }

    private static SrpVerifier CreateVerifierCore(string poolName, string userId, string password, ReadOnlySpan<byte> salt)
    {
        byte[] x = ComputeX(poolName, userId, password, salt);
        byte[] v = SrpModExp.PowG(x);
        CryptographicOperations.ZeroMemory(x);
        byte[] padded = new byte[SrpModExp.ModulusLength];
        v.CopyTo(padded.AsSpan(padded.Length - v.Length));
        return new SrpVerifier(salt.ToArray(), padded);
    }

    private static bool VerifyClaimCore(
        string poolName,
        string userId,
        ReadOnlySpan<byte> clientPublic,
        ReadOnlySpan<byte> serverPublic,
        ReadOnlySpan<byte> privateB,
        ReadOnlySpan<byte> verifier,
        ReadOnlySpan<byte> secretBlock,
        string timestamp,
        string? claimSignatureBase64)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(timestamp);
        Span<byte> presented = stackalloc byte[32];
        if (claimSignatureBase64 is null
            || !Convert.TryFromBase64String(claimSignatureBase64, presented, out int length)
            || length != presented.Length
            || SrpModExp.IsZeroModN(clientPublic))
        {
            return false;
        }

        byte[] key;
        try
        {
            key = ComputeServerSessionKey(clientPublic, serverPublic, privateB, verifier);
        }
        catch (CryptographicException)
        {
            return false;
        }

        byte[] expected = ComputeClaimSignature(key, poolName, userId, secretBlock, timestamp);
        CryptographicOperations.ZeroMemory(key);
        return CryptographicOperations.FixedTimeEquals(expected, presented);
    }

    private static bool TryLeftPad(ReadOnlySpan<byte> value, Span<byte> destination)
    {
        ReadOnlySpan<byte> trimmed = TrimLeadingZeros(value);
        if (trimmed.Length > destination.Length)
        {
            return false;
        }

        destination[..^trimmed.Length].Clear();
        trimmed.CopyTo(destination[^trimmed.Length..]);
        return true;
    }

    private static int HexNibble(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    private static byte[] ComputeMultiplier()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(PadHex(SrpModExp.Modulus));
        hash.AppendData([2]);
        return hash.GetHashAndReset();
    }
}
