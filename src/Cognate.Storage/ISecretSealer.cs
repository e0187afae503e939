namespace Cognate.Storage;

/// <summary>
/// Authenticated encryption of secrets at rest (client secrets, SRP salt+verifier). The stores call it
/// before writing and after reading; they never write those values in plaintext. The server adapts its
/// AES-GCM master-key protector to this interface and registers it; Cognate.Storage does not.
/// </summary>
/// <remarks>
/// The associated data binds a sealed value to its row, so a sealed blob copied to another
/// row fails to unseal. The stores use <c>"client-secret:" + clientId</c> and
/// <c>"password:" + userPoolId + "/" + username</c>.
/// </remarks>
public interface ISecretSealer
{
    /// <summary>Encrypts and authenticates <paramref name="plaintext"/>; returns an opaque blob (nonce, ciphertext and tag).</summary>
    /// <param name="plaintext">Bytes to protect.</param>
    /// <param name="associatedData">Context the blob is bound to (authenticated, not stored).</param>
    byte[] Seal(ReadOnlySpan<byte> plaintext, string associatedData);

    /// <summary>Reverses <see cref="Seal"/>.</summary>
    /// <param name="sealedBytes">A blob produced by <see cref="Seal"/>.</param>
    /// <param name="associatedData">The same context as at sealing.</param>
    /// <returns>The plaintext.</returns>
    /// <exception cref="System.Security.Cryptography.CryptographicException">The blob was tampered with, or sealed under another key or context.</exception>
    byte[] Unseal(ReadOnlySpan<byte> sealedBytes, string associatedData);
}
