using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Cognate.Tests.Shared;

/// <summary>
/// A strict reader of AWS Encryption SDK v1 messages (suite 0x0378, framed), written from the specification for the tests: parses
/// every header field, checks the header tag, every frame's tag, the frame IVs and sequence numbers, and the footer signature with the
/// key from <c>aws-crypto-public-key</c>. The independent check of the format is the Node interop test (@aws-crypto/client-node).
/// </summary>
public sealed class EsdkTestReader
{
    public byte Version, Type;
    public ushort Suite;
    public byte[] MessageId = [];
    public List<KeyValuePair<string, string>> Context = [];
    public List<(string ProviderId, string ProviderInfo, byte[] Ciphertext)> DataKeys = [];
    public byte ContentType, IvLength;
    public uint Reserved, FrameLength;
    public int Frames;
    public byte[] Plaintext = [];

    readonly byte[] m;
    int p;

    EsdkTestReader(byte[] message) => m = message;

    byte U8() => m[p++];
    ushort U16() { var v = BinaryPrimitives.ReadUInt16BigEndian(m.AsSpan(p)); p += 2; return v; }
    uint U32() { var v = BinaryPrimitives.ReadUInt32BigEndian(m.AsSpan(p)); p += 4; return v; }
    byte[] Bytes(int n) { var v = m.AsSpan(p, n).ToArray(); p += n; return v; }
    byte[] Field() => Bytes(U16());

    /// <summary>Parses and decrypts; <paramref name="unwrap"/> turns an encrypted data key into the plaintext data key.</summary>
    public static EsdkTestReader Decrypt(byte[] message, Func<(string ProviderId, string ProviderInfo, byte[] Ciphertext), byte[]> unwrap)
    {
        var r = new EsdkTestReader(message);
        r.Version = r.U8();
        r.Type = r.U8();
        r.Suite = r.U16();
        r.MessageId = r.Bytes(16);
        int aadLength = r.U16();
        int aadEnd = r.p + aadLength;
        if (aadLength > 0)
        {
            int count = r.U16();
            for (int i = 0; i < count; i++)
            {
                var k = Encoding.UTF8.GetString(r.Field());
                var v = Encoding.UTF8.GetString(r.Field());
                r.Context.Add(new(k, v));
            }
        }
        if (r.p != aadEnd) throw new InvalidDataException("AAD length mismatch");
        int edkCount = r.U16();
        for (int i = 0; i < edkCount; i++)
        {
            r.DataKeys.Add((Encoding.UTF8.GetString(r.Field()), Encoding.UTF8.GetString(r.Field()), r.Field()));
        }
        r.ContentType = r.U8();
        r.Reserved = r.U32();
        r.IvLength = r.U8();
        r.FrameLength = r.U32();
        int headerBodyEnd = r.p;
        var headerIv = r.Bytes(12);
        var headerTag = r.Bytes(16);

        var dataKey = unwrap(r.DataKeys[0]);
        var info = new byte[18];
        BinaryPrimitives.WriteUInt16BigEndian(info, r.Suite);
        r.MessageId.CopyTo(info, 2);
        var key = HKDF.DeriveKey(HashAlgorithmName.SHA384, dataKey, 32, [], info);
        using var gcm = new AesGcm(key, 16);
        gcm.Decrypt(headerIv, ReadOnlySpan<byte>.Empty, headerTag, Span<byte>.Empty, message.AsSpan(0, headerBodyEnd));

        var plain = new MemoryStream();
        uint expected = 1;
        while (true)
        {
            bool final = BinaryPrimitives.ReadUInt32BigEndian(r.m.AsSpan(r.p)) == 0xFFFFFFFF;
            if (final) r.p += 4;
            uint seq = r.U32();
            if (seq != expected) throw new InvalidDataException($"sequence {seq}, expected {expected}");
            var iv = r.Bytes(12);
            if (!iv.AsSpan(0, 8).SequenceEqual(new byte[8]) || BinaryPrimitives.ReadUInt32BigEndian(iv.AsSpan(8)) != seq) throw new InvalidDataException("frame IV");
            int len = final ? (int)r.U32() : (int)r.FrameLength;
            var cipher = r.Bytes(len);
            var tag = r.Bytes(16);
            var aad = new MemoryStream();
            aad.Write(r.MessageId);
            aad.Write(Encoding.UTF8.GetBytes(final ? "AWSKMSEncryptionClient Final Frame" : "AWSKMSEncryptionClient Frame"));
            var tail = new byte[12];
            BinaryPrimitives.WriteUInt32BigEndian(tail, seq);
            BinaryPrimitives.WriteInt64BigEndian(tail.AsSpan(4), len);
            aad.Write(tail);
            var chunk = new byte[len];
            gcm.Decrypt(iv, cipher, tag, chunk, aad.ToArray());
            plain.Write(chunk);
            r.Frames++;
            expected++;
            if (final) break;
        }
        int signedEnd = r.p;
        var signature = r.Field();
        if (r.p != message.Length) throw new InvalidDataException("trailing bytes");
        var publicKey = Convert.FromBase64String(r.Context.Single(c => c.Key == "aws-crypto-public-key").Value);
        if (publicKey.Length != 49 || publicKey[0] is not (0x02 or 0x03)) throw new InvalidDataException("aws-crypto-public-key is not a compressed P-384 point");
        using var verifier = ECDsa.Create(Decompress(publicKey));
        if (!verifier.VerifyData(message.AsSpan(0, signedEnd), signature, HashAlgorithmName.SHA384, DSASignatureFormat.Rfc3279DerSequence))
        {
            throw new CryptographicException("footer signature does not verify");
        }
        r.Plaintext = plain.ToArray();
        return r;
    }

    /// <summary>The P-384 public key of a SEC 1 compressed point (y recovered as sqrt(x³ − 3x + b) mod p, p ≡ 3 mod 4).</summary>
    static ECParameters Decompress(byte[] point)
    {
        var p = System.Numerics.BigInteger.Pow(2, 384) - System.Numerics.BigInteger.Pow(2, 128) - System.Numerics.BigInteger.Pow(2, 96) + System.Numerics.BigInteger.Pow(2, 32) - 1;
        var b = System.Numerics.BigInteger.Parse("0b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef", System.Globalization.NumberStyles.HexNumber);
        var x = new System.Numerics.BigInteger(point.AsSpan(1), isUnsigned: true, isBigEndian: true);
        var rhs = ((System.Numerics.BigInteger.ModPow(x, 3, p) - 3 * x + b) % p + p) % p;
        var y = System.Numerics.BigInteger.ModPow(rhs, (p + 1) / 4, p);
        if ((y * y - rhs) % p != 0) throw new CryptographicException("not a point on P-384");
        if ((int)(y & 1) != (point[0] & 1)) y = p - y;
        static byte[] Fixed(System.Numerics.BigInteger v)
        {
            var raw = v.ToByteArray(isUnsigned: true, isBigEndian: true);
            var o = new byte[48];
            raw.CopyTo(o, 48 - raw.Length);
            return o;
        }
        return new ECParameters { Curve = ECCurve.NamedCurves.nistP384, Q = new ECPoint { X = point[1..], Y = Fixed(y) } };
    }
}
