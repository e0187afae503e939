using System.Security.Cryptography;
using System.Text;

namespace Cognate.Storage.Tests;

/// <summary>AES-256-GCM sealer with a fixed test key: <c>nonce(12) || ciphertext || tag(16)</c>.</summary>
internal sealed class TestSecretSealer(byte keySeed = 1) : ISecretSealer
{
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly byte[] _key = Enumerable.Range(0, 32).Select(i => (byte)(i + keySeed)).ToArray();

    public byte[] Seal(ReadOnlySpan<byte> plaintext, string associatedData)
    {
        var output = new byte[NonceSize + plaintext.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plaintext, output.AsSpan(NonceSize, plaintext.Length), output.AsSpan(NonceSize + plaintext.Length), Encoding.UTF8.GetBytes(associatedData));
        return output;
    }

    public byte[] Unseal(ReadOnlySpan<byte> sealedBytes, string associatedData)
    {
        if (sealedBytes.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("Sealed value is too short.");
        }

        var length = sealedBytes.Length - NonceSize - TagSize;
        var plaintext = new byte[length];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(sealedBytes[..NonceSize], sealedBytes.Slice(NonceSize, length), sealedBytes[(NonceSize + length)..], plaintext, Encoding.UTF8.GetBytes(associatedData));
        return plaintext;
    }
}
