using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Cognate.Core.Tokens;

/// <summary>
/// One RS256 signing key of a user pool (Cognito uses two per pool: one for ID tokens, one for access tokens;
/// reference §6.1): an RSA private key of at least 2048 bits plus its key id (<c>kid</c>).
/// </summary>
/// <remarks>
/// <para>The default <see cref="KeyId"/> is the standard base64 of SHA-256 over the big-endian modulus — 44
/// characters ending in <c>=</c>, shaped like Cognito's kids — so it is stable across export/import.</para>
/// <para>The key is never mutated after construction, so concurrent <see cref="JwtWriter"/>/<see cref="JwtReader"/>
/// calls may share one instance (as ASP.NET Core and IdentityModel share RSA objects; .NET does not formally
/// document it, see dotnet/corefx#9708). Dispose when the key is retired.</para>
/// </remarks>
public sealed class SigningKey : IDisposable
{
    /// <summary>The JWS algorithm (RFC 7518 §3.3: RSASSA-PKCS1-v1_5 with SHA-256).</summary>
    public const string Algorithm = "RS256";

    /// <summary>Size of keys made by <see cref="Create"/>, and the minimum accepted on import, in bits.</summary>
    public const int KeySizeInBits = 2048;

    private readonly RSA _rsa;

    private SigningKey(RSA rsa, string? keyId)
    {
        _rsa = rsa;
        RSAParameters parameters = rsa.ExportParameters(includePrivateParameters: false);
        byte[] modulus = parameters.Modulus!;
        KeyId = keyId ?? ComputeKeyId(modulus);
        PublicJwk = new PublicJwk(KeyId, Base64Url.EncodeToString(modulus), Base64Url.EncodeToString(parameters.Exponent));
        SignatureLength = modulus.Length;
        EncodedHeader = EncodeHeader(KeyId);
    }

    /// <summary>The key id (<c>kid</c>) put in token headers and the JWKS.</summary>
    public string KeyId { get; }

    /// <summary>The public half as a JWK for <c>/.well-known/jwks.json</c>.</summary>
    public PublicJwk PublicJwk { get; }

    /// <summary>Signature length in bytes (= modulus length, 256 for 2048-bit keys).</summary>
    internal int SignatureLength { get; }

    /// <summary>ASCII base64url (no padding) of the header <c>{"kid":"…","alg":"RS256"}</c>.</summary>
    internal byte[] EncodedHeader { get; }

    /// <summary>Generates a new 2048-bit RSA key with a kid derived from its modulus.</summary>
    /// <returns>The new key; persist it with <see cref="ExportPkcs8"/> (sealed with the master key).</returns>
    public static SigningKey Create() => new(RSA.Create(KeySizeInBits), keyId: null);

    /// <summary>Imports a private key exported by <see cref="ExportPkcs8"/> (unencrypted PKCS#8 PrivateKeyInfo, DER).</summary>
    /// <param name="pkcs8">The DER bytes.</param>
    /// <param name="keyId">The kid to keep, or null to recompute it from the modulus.</param>
    /// <returns>The key.</returns>
    /// <exception cref="CryptographicException">The bytes are not a PKCS#8 RSA private key, or the key is smaller than 2048 bits.</exception>
    public static SigningKey ImportPkcs8(ReadOnlySpan<byte> pkcs8, string? keyId = null)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportPkcs8PrivateKey(pkcs8, out int read);
            if (read != pkcs8.Length)
            {
                throw new CryptographicException("Trailing data after the PKCS#8 private key.");
            }

            if (rsa.KeySize < KeySizeInBits)
            {
                throw new CryptographicException($"RSA signing keys must be at least {KeySizeInBits} bits; got {rsa.KeySize}.");
            }

            return new SigningKey(rsa, string.IsNullOrEmpty(keyId) ? null : keyId);
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Computes the default kid: standard base64 of SHA-256 over the unsigned big-endian modulus (44 characters, ends in <c>=</c>).
    /// </summary>
    /// <param name="modulus">The RSA modulus n, big-endian.</param>
    public static string ComputeKeyId(ReadOnlySpan<byte> modulus) => Convert.ToBase64String(SHA256.HashData(modulus));

    /// <summary>Exports the private key as unencrypted PKCS#8 DER. <b>Secret:</b> seal it (MasterKeyProtector) before storing.</summary>
    /// <returns>The DER bytes.</returns>
    public byte[] ExportPkcs8() => _rsa.ExportPkcs8PrivateKey();

    /// <summary>Disposes the RSA key.</summary>
    public void Dispose() => _rsa.Dispose();

    /// <summary>RSASSA-PKCS1-v1_5 SHA-256 signature of <paramref name="data"/> into <paramref name="destination"/>.</summary>
    internal int Sign(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (!_rsa.TrySignData(data, destination, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, out int written))
        {
            throw new CryptographicException("Signature buffer too small.");
        }

        return written;
    }

    /// <summary>Verifies an RS256 signature with this key.</summary>
    internal bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        signature.Length == SignatureLength
        && _rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    private static byte[] EncodeHeader(string keyId)
    {
        // Relaxed escaping: a base64 kid contains '+', which the default encoder would write as \u002B.
        using var stream = new MemoryStream();
        using (var writer = new System.Text.Json.Utf8JsonWriter(
                   stream, new System.Text.Json.JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("kid", keyId);
            writer.WriteString("alg", Algorithm);
            writer.WriteEndObject();
        }

        return Encoding.ASCII.GetBytes(Base64Url.EncodeToString(stream.ToArray()));
    }
}
