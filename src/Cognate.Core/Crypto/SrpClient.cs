using System.Security.Cryptography;

namespace Cognate.Core.Crypto;

/// <summary>
/// A minimal client side of Cognito SRP (what amazon-cognito-identity-js' <c>AuthenticationHelper</c> does,
/// reference §4.3): draws a, sends <c>SRP_A</c>, and answers <c>PASSWORD_VERIFIER</c> /
/// <c>DEVICE_PASSWORD_VERIFIER</c> with a <c>PASSWORD_CLAIM_SIGNATURE</c>. Used by tests and the .NET client.
/// One instance per sign-in attempt; the members are safe to call concurrently.
/// </summary>
public sealed class SrpClient
{
    private readonly byte[] _privateA;

    private SrpClient(ReadOnlySpan<byte> privateA, byte[] publicA)
    {
        _privateA = privateA.ToArray();
        PublicA = publicA;
    }

    /// <summary>A = g^a mod N, minimal unsigned big-endian.</summary>
    public byte[] PublicA { get; }

    /// <summary>A as lowercase hex without leading zeros: the <c>SRP_A</c> auth parameter.</summary>
    public string PublicAHex => Srp.ToHex(PublicA);

    /// <summary>Creates a client with a fresh random a (128 bytes), redrawing until A mod N ≠ 0.</summary>
    public static SrpClient Create() => Create(Srp.PrivateALength);

    /// <summary>
    /// Creates a client with a fresh random a of <paramref name="privateALength"/> bytes, redrawing until A mod N ≠ 0.
    /// The wire format does not depend on it; a shorter a makes the client's premaster exponentiation (exponent a + u·x)
    /// cheaper: 32 bytes (RFC 5054 §2.5.3 and §3.1 ask for at least 256 bits) costs about half of the 128 bytes
    /// amazon-cognito-identity-js draws. The load benchmark's SRP driver uses 32.
    /// </summary>
    /// <param name="privateALength">Bytes of a, 32 (256 bits) to 384.</param>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than 32 or more than 384 bytes.</exception>
    public static SrpClient Create(int privateALength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(privateALength, 32);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(privateALength, 384);
        byte[] a = new byte[privateALength];
        try
        {
            while (true)
            {
                RandomNumberGenerator.Fill(a);
                SrpClient client = Create(a);
                if (client.PublicA.Length != 0)
                {
                    return client;
                }
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(a);
        }
    }

    /// <summary>Deterministic overload for test vectors: a fixed a (unsigned big-endian).</summary>
    internal static SrpClient Create(ReadOnlySpan<byte> privateA) => new(privateA, SrpModExp.PowG(privateA));

    /// <summary>
    /// Answers a <c>PASSWORD_VERIFIER</c> challenge: returns the base64 <c>PASSWORD_CLAIM_SIGNATURE</c>.
    /// </summary>
    /// <param name="userPoolId">The pool id, e.g. <c>us-east-1_AbCdEfGhI</c>.</param>
    /// <param name="userId">The challenge's <c>USER_ID_FOR_SRP</c> (internal username).</param>
    /// <param name="password">The password.</param>
    /// <param name="saltHex">The challenge's <c>SALT</c>.</param>
    /// <param name="srpBHex">The challenge's <c>SRP_B</c>.</param>
    /// <param name="secretBlockBase64">The challenge's <c>SECRET_BLOCK</c> (standard base64).</param>
    /// <param name="timestamp">The TIMESTAMP that will be sent (see <see cref="Srp.FormatTimestamp"/>).</param>
    /// <returns>Standard base64 of the 32-byte HMAC.</returns>
    /// <exception cref="FormatException">SALT/SRP_B is not hex or SECRET_BLOCK is not base64.</exception>
    /// <exception cref="CryptographicException">B ≡ 0 mod N or u = 0 (abort the sign-in).</exception>
    public string ComputeClaimSignature(
        string userPoolId, string userId, string password, string saltHex, string srpBHex, string secretBlockBase64, string timestamp) =>
        ComputeClaimSignatureCore(Srp.GetPoolName(userPoolId), userId, password, saltHex, srpBHex, secretBlockBase64, timestamp);

    /// <summary>
    /// Answers a <c>DEVICE_PASSWORD_VERIFIER</c> challenge (reference §4.7): as <see cref="ComputeClaimSignature"/>
    /// with the device group key, device key and device password.
    /// </summary>
    /// <returns>Standard base64 of the 32-byte HMAC.</returns>
    /// <exception cref="FormatException">SALT/SRP_B is not hex or SECRET_BLOCK is not base64.</exception>
    /// <exception cref="CryptographicException">B ≡ 0 mod N or u = 0.</exception>
    public string ComputeDeviceClaimSignature(
        string deviceGroupKey, string deviceKey, string devicePassword, string saltHex, string srpBHex, string secretBlockBase64, string timestamp) =>
        ComputeClaimSignatureCore(deviceGroupKey, deviceKey, devicePassword, saltHex, srpBHex, secretBlockBase64, timestamp);

    /// <summary>The client's session key K (16 bytes) for the given challenge; exposed for test vectors.</summary>
    internal byte[] ComputeSessionKey(string poolName, string userId, string password, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> serverPublic)
    {
        if (SrpModExp.IsZeroModN(serverPublic))
        {
            throw new CryptographicException("SRP B is zero modulo N.");
        }

        byte[] u = Srp.ComputeU(PublicA, serverPublic);
        byte[] x = Srp.ComputeX(poolName, userId, password, salt);
        byte[] s = SrpModExp.ComputeClientPremaster(serverPublic, Srp.Multiplier, x, _privateA, u);
        try
        {
            return Srp.DeriveSessionKey(s, u);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(x);
            CryptographicOperations.ZeroMemory(s);
        }
    }

    private string ComputeClaimSignatureCore(
        string poolName, string userId, string password, string saltHex, string srpBHex, string secretBlockBase64, string timestamp)
    {
        if (!Srp.TryParseHex(saltHex, out byte[] salt))
        {
            throw new FormatException("SALT is not hex.");
        }

        if (!Srp.TryParseHex(srpBHex, out byte[] serverPublic))
        {
            throw new FormatException("SRP_B is not hex.");
        }

        byte[] secretBlock = Convert.FromBase64String(secretBlockBase64);
        byte[] key = ComputeSessionKey(poolName, userId, password, salt, serverPublic);
        byte[] signature = Srp.ComputeClaimSignature(key, poolName, userId, secretBlock, timestamp);
        CryptographicOperations.ZeroMemory(key);
        return Convert.ToBase64String(signature);
    }
}
