using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Cognate.Core.Crypto;

/// <summary>
/// An owned OpenSSL <c>BIGNUM*</c> (a non-negative arbitrary-precision integer here). Released with
/// <c>BN_clear_free</c>, which zeroes the limbs first, so secrets (SRP <c>b</c>, <c>x</c>, <c>S</c>) do not linger
/// in native memory. Not thread-safe; owned by a single operation.
/// </summary>
internal sealed class OpenSslBigNum : SafeHandle
{
    /// <summary>Creates an empty (invalid) handle; used by the P/Invoke marshaller and <see cref="Create()"/>.</summary>
    public OpenSslBigNum()
        : base(0, ownsHandle: true)
    {
    }

    /// <inheritdoc />
    public override bool IsInvalid => handle == 0;

    /// <summary>Allocates a new BIGNUM with value 0.</summary>
    /// <exception cref="CryptographicException">OpenSSL could not allocate.</exception>
    public static OpenSslBigNum Create()
    {
        var bn = new OpenSslBigNum();
        bn.SetHandle(LibCrypto.ThrowIfNull(LibCrypto.BN_new(), "BN_new"));
        return bn;
    }

    /// <summary>Allocates a BIGNUM holding the unsigned big-endian integer <paramref name="bigEndian"/> (any length, leading zeros allowed, empty = 0).</summary>
    /// <exception cref="CryptographicException">OpenSSL could not allocate.</exception>
    public static unsafe OpenSslBigNum FromBigEndian(ReadOnlySpan<byte> bigEndian)
    {
        var bn = new OpenSslBigNum();
        fixed (byte* p = bigEndian)
        {
            bn.SetHandle(LibCrypto.ThrowIfNull(LibCrypto.BN_bin2bn(p, bigEndian.Length, 0), "BN_bin2bn"));
        }

        return bn;
    }

    /// <summary>Allocates a BIGNUM holding a small non-negative integer.</summary>
    public static OpenSslBigNum FromWord(uint value)
    {
        OpenSslBigNum bn = Create();
        try
        {
            LibCrypto.ThrowOnError(LibCrypto.BN_set_word(bn, value), "BN_set_word");
            return bn;
        }
        catch
        {
            bn.Dispose();
            throw;
        }
    }

    /// <summary>Number of significant bits (0 for the value 0).</summary>
    public int BitLength => LibCrypto.BN_num_bits(this);

    /// <summary>True when the value is 0.</summary>
    public bool IsZero => LibCrypto.BN_is_zero(this) == 1;

    /// <summary>The value as minimal unsigned big-endian bytes: no leading zero bytes; 0 is the empty array.</summary>
    public byte[] ToBigEndian()
    {
        int length = (BitLength + 7) / 8;
        byte[] result = new byte[length];
        WriteBigEndian(result);
        return result;
    }

    /// <summary>Writes the value left-padded with zeros to exactly <paramref name="destination"/>.Length bytes.</summary>
    /// <exception cref="CryptographicException">The value does not fit.</exception>
    public unsafe void WriteBigEndian(Span<byte> destination)
    {
        fixed (byte* p = destination)
        {
            int written = LibCrypto.BN_bn2binpad(this, p, destination.Length);
            if (written != destination.Length)
            {
                LibCrypto.ERR_clear_error();
                throw new CryptographicException("BIGNUM does not fit in the destination buffer.");
            }
        }
    }

    /// <inheritdoc />
    protected override bool ReleaseHandle()
    {
        LibCrypto.BN_clear_free(handle);
        return true;
    }
}

/// <summary>
/// An owned OpenSSL <c>BN_CTX*</c>: scratch space for BIGNUM arithmetic. A context must not be used by two
/// threads at once, so every operation in <see cref="SrpModExp"/> uses its own.
/// </summary>
internal sealed class OpenSslBnContext : SafeHandle
{
    /// <summary>Creates an empty (invalid) handle; see <see cref="Create()"/>.</summary>
    public OpenSslBnContext()
        : base(0, ownsHandle: true)
    {
    }

    /// <inheritdoc />
    public override bool IsInvalid => handle == 0;

    /// <summary>Allocates a new <c>BN_CTX</c>.</summary>
    /// <exception cref="CryptographicException">OpenSSL could not allocate.</exception>
    public static OpenSslBnContext Create()
    {
        var ctx = new OpenSslBnContext();
        ctx.SetHandle(LibCrypto.ThrowIfNull(LibCrypto.BN_CTX_new(), "BN_CTX_new"));
        return ctx;
    }

    /// <inheritdoc />
    protected override bool ReleaseHandle()
    {
        LibCrypto.BN_CTX_free(handle);
        return true;
    }
}

/// <summary>
/// An owned OpenSSL <c>BN_MONT_CTX*</c> (precomputed Montgomery constants for one odd modulus). Read-only once
/// <c>BN_MONT_CTX_set</c> has run, so one instance may be shared by concurrent exponentiations.
/// </summary>
internal sealed class OpenSslMontContext : SafeHandle
{
    /// <summary>Creates an empty (invalid) handle; see <see cref="Create(OpenSslBigNum)"/>.</summary>
    public OpenSslMontContext()
        : base(0, ownsHandle: true)
    {
    }

    /// <inheritdoc />
    public override bool IsInvalid => handle == 0;

    /// <summary>Creates and initialises a Montgomery context for the odd modulus <paramref name="modulus"/>.</summary>
    /// <exception cref="CryptographicException">OpenSSL failed (e.g. the modulus is even).</exception>
    public static OpenSslMontContext Create(OpenSslBigNum modulus)
    {
        var mont = new OpenSslMontContext();
        mont.SetHandle(LibCrypto.ThrowIfNull(LibCrypto.BN_MONT_CTX_new(), "BN_MONT_CTX_new"));
        try
        {
            using OpenSslBnContext ctx = OpenSslBnContext.Create();
            LibCrypto.ThrowOnError(LibCrypto.BN_MONT_CTX_set(mont, modulus, ctx), "BN_MONT_CTX_set");
            return mont;
        }
        catch
        {
            mont.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    protected override bool ReleaseHandle()
    {
        LibCrypto.BN_MONT_CTX_free(handle);
        return true;
    }
}
