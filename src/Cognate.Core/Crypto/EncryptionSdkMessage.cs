using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Cognate.Core.Crypto;

/// <summary>One encrypted data key of a message header: who can decrypt the data key, and the data key encrypted by it.</summary>
/// <param name="ProviderId">Key provider id, e.g. <c>aws-kms</c> (UTF-8).</param>
/// <param name="ProviderInfo">Key provider information: for <c>aws-kms</c> the KMS key ARN that encrypted the data key (UTF-8).</param>
/// <param name="Ciphertext">The encrypted data key (for <c>aws-kms</c>: the <c>CiphertextBlob</c> of KMS GenerateDataKey).</param>
public sealed record EncryptedDataKey(string ProviderId, string ProviderInfo, byte[] Ciphertext);

/// <summary>
/// Writes messages in the AWS Encryption SDK message format, version 1, with the algorithm suite Amazon Cognito uses for the
/// <c>request.code</c> of custom sender triggers: <c>0x0378</c> = AES-256-GCM (IV 12, tag 16), key derived by HKDF-SHA384 from the
/// data key with info = suite id ‖ message id, ECDSA P-384 / SHA-384 footer signature; framed content (frame length 4096).
/// The header carries the encryption context (sorted by key, UTF-8 binary order) including <c>aws-crypto-public-key</c>, the base64
/// compressed P-384 point that verifies the footer. Any AWS Encryption SDK (JavaScript <c>@aws-crypto/client-node</c>, Python, Java,
/// C) decrypts the result with a commitment policy that allows non-committing suites (<c>REQUIRE_ENCRYPT_ALLOW_DECRYPT</c>, the
/// policy of the Cognito guide's example handler).
/// </summary>
/// <remarks>
/// Sources: the AWS Encryption SDK specification, <c>data-format/message-header.md</c>, <c>message-body.md</c>,
/// <c>message-body-aad.md</c>, <c>message-footer.md</c>, <c>framework/algorithm-suites.md</c>; the suite and the context keys were read
/// from a real Cognito <c>request.code</c> (bytes <c>01 80 03 78</c>, context <c>aws-crypto-public-key</c> and <c>userpool-id</c>,
/// one <c>aws-kms</c> data key).
/// </remarks>
public static class EncryptionSdkMessage
{
    /// <summary>Message format version 1.</summary>
    public const byte Version = 0x01;
    /// <summary>Message type: customer authenticated encrypted data.</summary>
    public const byte Type = 0x80;
    /// <summary>AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384.</summary>
    public const ushort AlgorithmSuiteId = 0x0378;
    /// <summary>Data key length of the suite, in bytes (what KMS GenerateDataKey is asked for).</summary>
    public const int DataKeyLength = 32;
    /// <summary>The encryption-context key of the footer's public key (reserved by the SDK).</summary>
    public const string PublicKeyContextKey = "aws-crypto-public-key";
    /// <summary>Frame length written in the header (the SDKs' default).</summary>
    public const int FrameLength = 4096;

    const int IvLength = 12, TagLength = 16, MessageIdLength = 16;
    const byte FramedContent = 0x02;
    static readonly byte[] FrameAad = Encoding.UTF8.GetBytes("AWSKMSEncryptionClient Frame");
    static readonly byte[] FinalFrameAad = Encoding.UTF8.GetBytes("AWSKMSEncryptionClient Final Frame");

    /// <summary>A fresh P-384 signing key for one message.</summary>
    public static ECDsa NewSigningKey() => ECDsa.Create(ECCurve.NamedCurves.nistP384);

    /// <summary>
    /// <c>aws-crypto-public-key</c> of <paramref name="signingKey"/>: base64 of the SEC 1 compressed point (49 bytes for P-384).
    /// </summary>
    public static string CompressedPublicKey(ECDsa signingKey)
    {
        ArgumentNullException.ThrowIfNull(signingKey);
        var q = signingKey.ExportParameters(false).Q;
        var point = new byte[1 + q.X!.Length];
        point[0] = (byte)(0x02 | (q.Y![^1] & 1));
        q.X.CopyTo(point, 1);
        return Convert.ToBase64String(point);
    }

    /// <summary>
    /// Encrypts <paramref name="plaintext"/> into a complete message (header, framed body, footer).
    /// </summary>
    /// <param name="plaintext">The bytes to protect (a code or temporary password, UTF-8).</param>
    /// <param name="encryptionContext">The full encryption context, which must already hold <see cref="PublicKeyContextKey"/> for
    /// <paramref name="signingKey"/> (the same context the data key was generated under).</param>
    /// <param name="dataKey">The plaintext data key, <see cref="DataKeyLength"/> bytes.</param>
    /// <param name="encryptedDataKeys">At least one encrypted copy of <paramref name="dataKey"/>.</param>
    /// <param name="signingKey">The P-384 key whose public half is in the context.</param>
    /// <param name="messageId">16 bytes; random when null (tests pass a fixed one).</param>
    /// <returns>The serialized message.</returns>
    public static byte[] Encrypt(ReadOnlySpan<byte> plaintext, IReadOnlyDictionary<string, string> encryptionContext, ReadOnlySpan<byte> dataKey,
        IReadOnlyList<EncryptedDataKey> encryptedDataKeys, ECDsa signingKey, byte[]? messageId = null)
    {
        ArgumentNullException.ThrowIfNull(encryptionContext);
        ArgumentNullException.ThrowIfNull(encryptedDataKeys);
        ArgumentNullException.ThrowIfNull(signingKey);
        if (dataKey.Length != DataKeyLength) throw new ArgumentException($"The data key must be {DataKeyLength} bytes.", nameof(dataKey));
        if (encryptedDataKeys.Count is 0 or > ushort.MaxValue) throw new ArgumentException("One to 65535 encrypted data keys are needed.", nameof(encryptedDataKeys));
        if (!encryptionContext.TryGetValue(PublicKeyContextKey, out var publicKey) || publicKey != CompressedPublicKey(signingKey))
        {
            throw new ArgumentException($"The encryption context must carry {PublicKeyContextKey} of the signing key.", nameof(encryptionContext));
        }
        messageId ??= RandomNumberGenerator.GetBytes(MessageIdLength);
        if (messageId.Length != MessageIdLength) throw new ArgumentException("The message id must be 16 bytes.", nameof(messageId));

        var output = new MemoryStream(512);
        // Header body.
        output.WriteByte(Version);
        output.WriteByte(Type);
        WriteUInt16(output, AlgorithmSuiteId);
        output.Write(messageId);
        var aad = SerializeContext(encryptionContext);
        WriteUInt16(output, checked((ushort)aad.Length));
        output.Write(aad);
        WriteUInt16(output, (ushort)encryptedDataKeys.Count);
        foreach (var edk in encryptedDataKeys)
        {
            WriteField(output, Encoding.UTF8.GetBytes(edk.ProviderId));
            WriteField(output, Encoding.UTF8.GetBytes(edk.ProviderInfo));
            WriteField(output, edk.Ciphertext);
        }
        output.WriteByte(FramedContent);
        WriteUInt32(output, 0); // reserved
        output.WriteByte(IvLength);
        WriteUInt32(output, FrameLength);

        var derived = DeriveKey(dataKey, messageId);
        try
        {
            using var gcm = new AesGcm(derived, TagLength);
            // Header authentication: GCM over no plaintext with the header body as AAD; v1 uses an all-zero IV.
            var headerIv = new byte[IvLength];
            var headerTag = new byte[TagLength];
            gcm.Encrypt(headerIv, ReadOnlySpan<byte>.Empty, Span<byte>.Empty, headerTag, output.ToArray());
            output.Write(headerIv);
            output.Write(headerTag);

            // Body: regular frames of FrameLength bytes, then the final frame (possibly empty) with the rest.
            uint sequence = 1;
            int offset = 0;
            while (plaintext.Length - offset > FrameLength)
            {
                WriteUInt32(output, sequence);
                WriteFrame(output, gcm, messageId, FrameAad, sequence, plaintext.Slice(offset, FrameLength), final: false);
                offset += FrameLength;
                sequence++;
            }
            output.Write([0xFF, 0xFF, 0xFF, 0xFF]);
            WriteUInt32(output, sequence);
            WriteFrame(output, gcm, messageId, FinalFrameAad, sequence, plaintext[offset..], final: true);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(derived);
        }

        // Footer: ECDSA P-384 over everything before it.
        var signature = signingKey.SignData(output.GetBuffer().AsSpan(0, (int)output.Length), HashAlgorithmName.SHA384, DSASignatureFormat.Rfc3279DerSequence);
        WriteField(output, signature);
        return output.ToArray();
    }

    /// <summary>The header AAD's key-value pairs (count, then key/value with 2-byte lengths, sorted by UTF-8 key bytes); empty for no context.</summary>
    public static byte[] SerializeContext(IReadOnlyDictionary<string, string> encryptionContext)
    {
        ArgumentNullException.ThrowIfNull(encryptionContext);
        if (encryptionContext.Count == 0) return [];
        var pairs = encryptionContext.Select(kv => (Key: Encoding.UTF8.GetBytes(kv.Key), Value: Encoding.UTF8.GetBytes(kv.Value)))
            .OrderBy(p => p.Key, ByteOrder.Instance).ToList();
        var s = new MemoryStream();
        WriteUInt16(s, checked((ushort)pairs.Count));
        foreach (var (key, value) in pairs)
        {
            WriteField(s, key);
            WriteField(s, value);
        }
        return s.ToArray();
    }

    /// <summary>HKDF-SHA384(ikm = data key, no salt, info = suite id ‖ message id) → the 32-byte AES-GCM key.</summary>
    internal static byte[] DeriveKey(ReadOnlySpan<byte> dataKey, ReadOnlySpan<byte> messageId)
    {
        Span<byte> info = stackalloc byte[2 + MessageIdLength];
        BinaryPrimitives.WriteUInt16BigEndian(info, AlgorithmSuiteId);
        messageId.CopyTo(info[2..]);
        var key = new byte[DataKeyLength];
        HKDF.DeriveKey(HashAlgorithmName.SHA384, dataKey, key, [], info);
        return key;
    }

    /// <summary>Body AAD: message id ‖ content string ‖ sequence number (4) ‖ plaintext length (8).</summary>
    internal static byte[] BodyAad(ReadOnlySpan<byte> messageId, ReadOnlySpan<byte> contentString, uint sequence, long length)
    {
        var aad = new byte[messageId.Length + contentString.Length + 12];
        messageId.CopyTo(aad);
        contentString.CopyTo(aad.AsSpan(messageId.Length));
        BinaryPrimitives.WriteUInt32BigEndian(aad.AsSpan(messageId.Length + contentString.Length), sequence);
        BinaryPrimitives.WriteInt64BigEndian(aad.AsSpan(messageId.Length + contentString.Length + 4), length);
        return aad;
    }

    /// <summary>Frame IV as the SDKs build it: zeros, then the 4-byte sequence number.</summary>
    internal static byte[] FrameIv(uint sequence)
    {
        var iv = new byte[IvLength];
        BinaryPrimitives.WriteUInt32BigEndian(iv.AsSpan(IvLength - 4), sequence);
        return iv;
    }

    static void WriteFrame(MemoryStream output, AesGcm gcm, byte[] messageId, byte[] contentString, uint sequence, ReadOnlySpan<byte> chunk, bool final)
    {
        var iv = FrameIv(sequence);
        var cipher = new byte[chunk.Length];
        var tag = new byte[TagLength];
        gcm.Encrypt(iv, chunk, cipher, tag, BodyAad(messageId, contentString, sequence, chunk.Length));
        output.Write(iv);
        if (final) WriteUInt32(output, (uint)chunk.Length);
        output.Write(cipher);
        output.Write(tag);
    }

    static void WriteUInt16(Stream s, ushort v)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(b, v);
        s.Write(b);
    }

    static void WriteUInt32(Stream s, uint v)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, v);
        s.Write(b);
    }

    static void WriteField(Stream s, byte[] value)
    {
        WriteUInt16(s, checked((ushort)value.Length));
        s.Write(value);
    }

    sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();
        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
