using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace Cognate.Core.Crypto;

/// <summary>
/// Seals secrets at rest (TOTP seeds, refresh-token state, SECRET_BLOCK contents, …) with AES-256-GCM
/// (NIST SP 800-38D) under a sub-key derived from the configured master key (<c>Cognate:MasterKey</c>, 32 bytes,
/// base64), and derives independent sub-keys for other components with HKDF-SHA256 (RFC 5869).
/// </summary>
/// <remarks>
/// <para>Sealed format, version 1: <c>version (1 byte = 0x01) ‖ nonce (12 random bytes) ‖ tag (16 bytes) ‖ ciphertext
/// (same length as the plaintext)</c>, i.e. <see cref="Overhead"/> = 29 bytes more than the plaintext.</para>
/// <para>Associated data is authenticated but not stored: pass the same bytes to <see cref="Unprotect"/> (e.g.
/// <c>UTF8(poolId + "/" + username + "/totp")</c>) so a blob copied to another row fails to open.</para>
/// <para>Nonces are random, so one master key should seal fewer than ~2^32 blobs (NIST SP 800-38D §8.3).
/// All members are thread-safe; <see cref="Dispose"/> zeroes the keys.</para>
/// </remarks>
public sealed class MasterKeyProtector : IDisposable
{
    /// <summary>Required master key length in bytes (AES-256).</summary>
    public const int KeyLength = 32;

    /// <summary>The format version byte written by <see cref="Protect"/>.</summary>
    public const byte FormatVersion = 1;

    /// <summary>Nonce length in bytes.</summary>
    public const int NonceLength = 12;

    /// <summary>GCM tag length in bytes.</summary>
    public const int TagLength = 16;

    /// <summary>Bytes added to the plaintext by <see cref="Protect"/>: 1 + 12 + 16 = 29.</summary>
    public const int Overhead = 1 + NonceLength + TagLength;

    /// <summary>
    /// <b>DEVELOPMENT ONLY — NOT A SECRET.</b> The fixed master key (base64 of 32 bytes, = SHA-256 of a public phrase)
    /// used when the server runs in the Development environment without <c>Cognate:MasterKey</c>. It is published in
    /// the source code, so anything sealed with it is readable by anyone. The server must refuse to start outside
    /// Development with this key (or with no key); generate a real one with <see cref="GenerateMasterKeyBase64"/>
    /// (or <c>openssl rand -base64 32</c>).
    /// </summary>
    public const string DevelopmentMasterKeyBase64 = "GaIC/oI1/bKLyUPEaeLmnGHE6ZATvwINzfmHRR4DF1k=";

    private const string SealingKeyInfo = "Cognate.MasterKeyProtector.AesGcm.v1";
    private const string DerivedKeyInfoPrefix = "Cognate.DerivedKey:";

    private readonly byte[] _masterKey;
    private readonly byte[] _sealingKey;
    private bool _disposed;

    /// <summary>Creates a protector from the 32-byte master key (the key bytes are copied).</summary>
    /// <param name="masterKey">Exactly 32 bytes.</param>
    /// <exception cref="ArgumentException">The key is not 32 bytes long.</exception>
    public MasterKeyProtector(ReadOnlySpan<byte> masterKey)
    {
        if (masterKey.Length != KeyLength)
        {
            throw new ArgumentException(
                $"The master key must be {KeyLength} bytes (base64 of 32 random bytes); got {masterKey.Length}.",
                nameof(masterKey));
        }

        _masterKey = masterKey.ToArray();
        _sealingKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, _masterKey, KeyLength, salt: [], Encoding.UTF8.GetBytes(SealingKeyInfo));
    }

    /// <summary>Creates a protector from the base64 configuration value <c>Cognate:MasterKey</c>.</summary>
    /// <param name="masterKeyBase64">Standard base64 of exactly 32 bytes.</param>
    /// <returns>The protector.</returns>
    /// <exception cref="ArgumentException">The value is missing, not base64, or not 32 bytes (message says what to set).</exception>
    public static MasterKeyProtector FromBase64(string? masterKeyBase64)
    {
        Span<byte> key = stackalloc byte[KeyLength];
        if (string.IsNullOrWhiteSpace(masterKeyBase64)
            || !Convert.TryFromBase64String(masterKeyBase64.Trim(), key, out int written)
            || written != KeyLength)
        {
            throw new ArgumentException(
                "Cognate:MasterKey must be the base64 encoding of exactly 32 random bytes (e.g. `openssl rand -base64 32`).",
                nameof(masterKeyBase64));
        }

        try
        {
            return new MasterKeyProtector(key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>Generates a fresh random master key, base64-encoded (for setup tooling and docs).</summary>
    public static string GenerateMasterKeyBase64() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyLength));

    /// <summary>
    /// Encrypts and authenticates <paramref name="plaintext"/>, binding it to <paramref name="associatedData"/>.
    /// </summary>
    /// <param name="plaintext">The secret (any length, may be empty).</param>
    /// <param name="associatedData">Context that must match on <see cref="Unprotect"/> (not stored; may be empty).</param>
    /// <returns><c>0x01 ‖ nonce(12) ‖ tag(16) ‖ ciphertext</c>, plaintext length + 29 bytes.</returns>
    /// <exception cref="ObjectDisposedException">The protector was disposed.</exception>
    public byte[] Protect(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        byte[] result = new byte[Overhead + plaintext.Length];
        result[0] = FormatVersion;
        Span<byte> nonce = result.AsSpan(1, NonceLength);
        Span<byte> tag = result.AsSpan(1 + NonceLength, TagLength);
        Span<byte> ciphertext = result.AsSpan(Overhead);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_sealingKey, TagLength);
        aes.Encrypt(nonce, plaintext, ciphertext, tag, associatedData);
        return result;
    }

    /// <summary>Opens a blob produced by <see cref="Protect"/>.</summary>
    /// <param name="protectedData">The sealed blob.</param>
    /// <param name="associatedData">The same associated data given to <see cref="Protect"/>.</param>
    /// <returns>The plaintext.</returns>
    /// <exception cref="CryptographicException">
    /// The blob is truncated, has an unknown version, was tampered with, was sealed under another key, or the
    /// associated data differs.
    /// </exception>
    /// <exception cref="ObjectDisposedException">The protector was disposed.</exception>
    public byte[] Unprotect(ReadOnlySpan<byte> protectedData, ReadOnlySpan<byte> associatedData)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (protectedData.Length < Overhead)
        {
            throw new CryptographicException("Protected data is truncated.");
        }

        if (protectedData[0] != FormatVersion)
        {
            throw new CryptographicException($"Unknown protected data version {protectedData[0]}.");
        }

        ReadOnlySpan<byte> nonce = protectedData.Slice(1, NonceLength);
        ReadOnlySpan<byte> tag = protectedData.Slice(1 + NonceLength, TagLength);
        ReadOnlySpan<byte> ciphertext = protectedData[Overhead..];
        byte[] plaintext = new byte[ciphertext.Length];
        using var aes = new AesGcm(_sealingKey, TagLength);
        try
        {
            aes.Decrypt(nonce, ciphertext, tag, plaintext, associatedData);
        }
        catch (AuthenticationTagMismatchException ex)
        {
            CryptographicOperations.ZeroMemory(plaintext);
            throw new CryptographicException("Protected data failed authentication (tampered, wrong key or wrong associated data).", ex);
        }

        return plaintext;
    }

    /// <summary>As <see cref="Unprotect"/>, but returns false instead of throwing for bad input.</summary>
    /// <param name="protectedData">The sealed blob.</param>
    /// <param name="associatedData">The associated data.</param>
    /// <param name="plaintext">The plaintext on success.</param>
    /// <returns>True when the blob opened.</returns>
    /// <exception cref="ObjectDisposedException">The protector was disposed.</exception>
    public bool TryUnprotect(ReadOnlySpan<byte> protectedData, ReadOnlySpan<byte> associatedData, [NotNullWhen(true)] out byte[]? plaintext)
    {
        try
        {
            plaintext = Unprotect(protectedData, associatedData);
            return true;
        }
        catch (CryptographicException)
        {
            plaintext = null;
            return false;
        }
    }

    /// <summary>
    /// Derives an independent sub-key for one purpose: <c>HKDF-SHA256(ikm = master key, salt = empty,
    /// info = UTF8("Cognate.DerivedKey:" + purpose), length)</c> (RFC 5869). Different purposes give unrelated keys;
    /// the same purpose always gives the same key, so pick stable names such as <c>"codes/hmac"</c> or
    /// <c>"sessions/handle"</c>.
    /// </summary>
    /// <param name="purpose">A non-empty, stable purpose label.</param>
    /// <param name="length">Key length in bytes (1..8160, default 32).</param>
    /// <returns>The derived key; the caller owns (and should zero) it.</returns>
    /// <exception cref="ArgumentException"><paramref name="purpose"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is out of range.</exception>
    /// <exception cref="ObjectDisposedException">The protector was disposed.</exception>
    public byte[] DeriveKey(string purpose, int length = KeyLength)
    {
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, 255 * 32);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return HKDF.DeriveKey(
            HashAlgorithmName.SHA256, _masterKey, length, salt: [], Encoding.UTF8.GetBytes(DerivedKeyInfoPrefix + purpose));
    }

    /// <summary>Zeroes the key material; later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            CryptographicOperations.ZeroMemory(_masterKey);
            CryptographicOperations.ZeroMemory(_sealingKey);
        }
    }
}
