using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;
using System.Text;

namespace Cognate.Core.Crypto;

/// <summary>
/// Fixed-base exponentiation <c>g^e mod N</c> for one base g and one odd modulus N by a precomputed Lim–Lee comb
/// (HAC §14.6.3 (iii), Algorithm 14.117 "fixed-base comb method"; C. H. Lim and P. J. Lee, "More flexible exponentiation
/// with precomputation", CRYPTO '94), constant time with respect to the exponent. <see cref="SrpModExp"/> uses one for the
/// SRP generator g = 2 of RFC 5054 (appendix A, 3072-bit group): v = g^x, B = k·v + g^b, A = g^a.
/// </summary>
/// <remarks>
/// <para><b>Algorithm.</b> With <c>h</c> = <see cref="Teeth"/> and <c>d</c> = <see cref="Spacing"/>, the exponent's bits are
/// cut into blocks of <c>h·d</c> bits; block <c>j</c> is read as <c>h</c> rows ("teeth") of <c>d</c> bits, tooth <c>l</c>
/// holding bits <c>(j·h + l)·d … (j·h + l)·d + d − 1</c>. For every block a table of <c>2^h</c> entries is precomputed,
/// <c>T_j[i] = Q · ∏_{l : bit l of i set} g^(2^((j·h + l)·d))</c> (Q: see below). Then</para>
/// <code>
/// A = 1
/// for c = d−1 down to 0:
///     A = A²                                   (skipped for c = d−1)
///     for every block j:  A = A · T_j[ Σ_l bit((j·h + l)·d + c)·2^l ]
/// g^e = A · Q^(−blocks·(2^d − 1))
/// </code>
/// <para>which is HAC Algorithm 14.117 with its v blocks laid out one after the other (block j = the bits from j·h·d), so
/// a shorter exponent simply uses a prefix of the tables: <c>d − 1</c> squarings and <c>d·⌈t/(h·d)⌉</c> multiplications
/// for a t-bit exponent (one table scan per multiplication), instead of ≈ t squarings plus t/w multiplications for a
/// sliding window. Tables cover exponents up to <see cref="MaxExponentBits"/>; they hold
/// <c>⌈MaxExponentBits/(h·d)⌉·2^h</c> residues in Montgomery form (<see cref="TableBytes"/>), are built once by the
/// constructor and are read-only afterwards, so one instance serves any number of threads.</para>
/// <para><b>Constant time.</b> The sequence of operations depends only on the exponent's <i>byte length</i> (public:
/// 32 bytes for x and b, 128 for a), never on its bits: leading zero bytes are processed like any others, every column
/// does the same squaring and the same multiplications, and exponents shorter than a whole block are padded with zero
/// bits. Each table entry is fetched by reading <i>all</i> <c>2^h</c> entries of the block and keeping the wanted one
/// with an all-ones/all-zeros mask computed arithmetically (<c>((i ^ index) − 1) &gt;&gt; 63</c>), so neither a branch
/// nor a memory address depends on the exponent. The selected limbs go to OpenSSL through <c>BN_lebin2bn</c> with a
/// guard limb of 1 on top (its leading-zero trimming then always sees the same length; <c>BN_clear_bit</c> removes the
/// guard) and are multiplied with <c>BN_mod_mul_montgomery</c>, whose x86-64/ARM assembly path (<c>bn_mul_mont</c>,
/// constant-time final subtraction) is taken when both operands are full width. Entries of small value (1 = R mod N,
/// 2, 2^(2^d), …) would be shorter and take OpenSSL's slower generic path, so every entry is multiplied by a fixed
/// pseudo-random Q (derived from SHA-256) and the product of the Q factors, which depends only on the number of blocks,
/// is divided out at the end; the constructor checks that every entry then has a non-zero top limb (otherwise
/// <see cref="IsUsable"/> is false and callers fall back to <c>BN_mod_exp_mont_consttime</c>). What remains
/// data-dependent is OpenSSL trimming an <i>intermediate</i> product whose top 64 bits happen to be zero
/// (probability ≈ 2^−64 per operation), exactly as in any BIGNUM-based exponentiation outside OpenSSL's own.</para>
/// </remarks>
internal sealed class FixedBaseComb : IDisposable
{
    private readonly OpenSslBigNum _modulus;
    private readonly OpenSslMontContext _mont;
    private readonly int _limbs;
    private readonly int _entries;
    private readonly ulong[] _table;
    private readonly OpenSslBigNum[] _corrections;

    /// <summary>Precomputes the comb tables for <paramref name="baseValue"/> modulo <paramref name="modulus"/>.</summary>
    /// <param name="baseValue">The fixed base g (reduced mod N if larger).</param>
    /// <param name="modulus">The odd modulus N; its limb count must be a multiple of 4.</param>
    /// <param name="mont">The Montgomery context for N (shared, read-only).</param>
    /// <param name="teeth">Teeth per block h (2^h entries per table), 1–10.</param>
    /// <param name="spacing">Columns per tooth d (d − 1 squarings per exponentiation), ≥ 1.</param>
    /// <param name="maxExponentBits">The longest exponent served, in bits.</param>
    /// <exception cref="CryptographicException">OpenSSL failed.</exception>
    public FixedBaseComb(OpenSslBigNum baseValue, OpenSslBigNum modulus, OpenSslMontContext mont, int teeth, int spacing, int maxExponentBits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(teeth, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(teeth, 10);
        ArgumentOutOfRangeException.ThrowIfLessThan(spacing, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxExponentBits, 1);
        _modulus = modulus;
        _mont = mont;
        _limbs = (modulus.BitLength + 63) / 64;
        if (_limbs % Vector256<ulong>.Count != 0 || !BitConverter.IsLittleEndian)
        {
            throw new ArgumentException("The comb needs a little-endian host and a modulus of a multiple of 256 bits.", nameof(modulus));
        }

        Teeth = teeth;
        Spacing = spacing;
        MaxExponentBits = maxExponentBits;
        Blocks = (maxExponentBits + (teeth * spacing) - 1) / (teeth * spacing);
        _entries = 1 << teeth;
        _table = new ulong[Blocks * _entries * _limbs];
        _corrections = new OpenSslBigNum[Blocks + 1];
        IsUsable = Build(baseValue);
    }

    /// <summary>Teeth per block (h): each table has 2^h entries.</summary>
    public int Teeth { get; }

    /// <summary>Columns per tooth (d): an exponentiation does d − 1 squarings.</summary>
    public int Spacing { get; }

    /// <summary>The longest exponent the tables cover, in bits.</summary>
    public int MaxExponentBits { get; }

    /// <summary>Number of tables (blocks of h·d exponent bits).</summary>
    public int Blocks { get; }

    /// <summary>Size of the precomputed tables in bytes.</summary>
    public long TableBytes => (long)_table.Length * sizeof(ulong);

    /// <summary>
    /// False when some blinded table entry has a zero top limb (probability ≈ 2^−64 per entry, checked once): the comb
    /// would then not be constant time and <see cref="TryPow"/> always declines.
    /// </summary>
    public bool IsUsable { get; }

    /// <summary>
    /// Computes <c>g^exponent mod N</c> into <paramref name="result"/> in constant time with respect to the exponent's
    /// value (its length is treated as public).
    /// </summary>
    /// <param name="result">Receives the result (normal, not Montgomery, form).</param>
    /// <param name="exponentBigEndian">Unsigned big-endian exponent; leading zero bytes count towards the length.</param>
    /// <param name="ctx">A context owned by the caller.</param>
    /// <returns>False (and <paramref name="result"/> untouched) when the exponent is longer than
    /// <see cref="MaxExponentBits"/> or the comb is not usable; the caller then uses a general exponentiation.</returns>
    /// <exception cref="CryptographicException">OpenSSL failed.</exception>
    public unsafe bool TryPow(OpenSslBigNum result, ReadOnlySpan<byte> exponentBigEndian, OpenSslBnContext ctx)
    {
        long bits = exponentBigEndian.Length * 8L;
        if (!IsUsable || bits > MaxExponentBits)
        {
            return false;
        }

        int blockBits = Teeth * Spacing;
        int blocks = (int)((bits + blockBits - 1) / blockBits);
        if (blocks == 0)
        {
            LibCrypto.ThrowOnError(LibCrypto.BN_set_word(result, 1), "BN_set_word");
            return true;
        }

        // The exponent as little-endian 64-bit limbs, zero-padded to whole blocks; bit p is (e[p >> 6] >> (p & 63)) & 1.
        Span<ulong> e = stackalloc ulong[((blocks * blockBits) + 63) / 64];
        e.Clear();
        for (int i = 0; i < exponentBigEndian.Length; i++)
        {
            e[i >> 3] |= (ulong)exponentBigEndian[exponentBigEndian.Length - 1 - i] << ((i & 7) * 8);
        }

        // The selected entry plus a guard limb of 1 (see the remarks: fixed length for BN_lebin2bn).
        Span<ulong> selected = stackalloc ulong[_limbs + 1];
        selected[_limbs] = 1;
        int guardBit = _limbs * 64;
        int guardedBytes = (_limbs * sizeof(ulong)) + 1;

        using OpenSslBigNum acc = OpenSslBigNum.Create();
        using OpenSslBigNum operand = OpenSslBigNum.Create();
        bool accAdded = false, operandAdded = false, montAdded = false, ctxAdded = false;
        try
        {
            // Hold one reference on each handle for the whole loop and pass raw pointers (no ref counting per call).
            acc.DangerousAddRef(ref accAdded);
            operand.DangerousAddRef(ref operandAdded);
            _mont.DangerousAddRef(ref montAdded);
            ctx.DangerousAddRef(ref ctxAdded);
            nint accHandle = acc.DangerousGetHandle();
            nint operandHandle = operand.DangerousGetHandle();
            nint montHandle = _mont.DangerousGetHandle();
            nint ctxHandle = ctx.DangerousGetHandle();
            fixed (ulong* selectedPointer = selected)
            {
                for (int c = Spacing - 1; c >= 0; c--)
                {
                    if (c != Spacing - 1)
                    {
                        LibCrypto.ThrowOnError(
                            LibCrypto.BN_mod_mul_montgomery(accHandle, accHandle, accHandle, montHandle, ctxHandle), "BN_mod_mul_montgomery");
                    }

                    for (int j = 0; j < blocks; j++)
                    {
                        int index = 0;
                        for (int l = 0; l < Teeth; l++)
                        {
                            int p = (((j * Teeth) + l) * Spacing) + c;
                            index |= (int)((e[p >> 6] >> (p & 63)) & 1) << l;
                        }

                        Select(j, index, selected[.._limbs]);

                        // The first entry becomes the accumulator; the others are multiplied into it.
                        bool first = c == Spacing - 1 && j == 0;
                        nint target = first ? accHandle : operandHandle;
                        LibCrypto.ThrowIfNull(LibCrypto.BN_lebin2bn((byte*)selectedPointer, guardedBytes, target), "BN_lebin2bn");
                        LibCrypto.ThrowOnError(LibCrypto.BN_clear_bit(target, guardBit), "BN_clear_bit");
                        if (!first)
                        {
                            LibCrypto.ThrowOnError(
                                LibCrypto.BN_mod_mul_montgomery(accHandle, accHandle, operandHandle, montHandle, ctxHandle), "BN_mod_mul_montgomery");
                        }
                    }
                }
            }
        }
        finally
        {
            ReleaseIf(ctx, ctxAdded);
            ReleaseIf(_mont, montAdded);
            ReleaseIf(operand, operandAdded);
            ReleaseIf(acc, accAdded);
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(e));
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(selected));
        }

        // Montgomery product with the (normal-form) correction Q^(−blocks·(2^d−1)) leaves the normal-form result.
        LibCrypto.ThrowOnError(LibCrypto.BN_mod_mul_montgomery(result, acc, _corrections[blocks], _mont, ctx), "BN_mod_mul_montgomery");
        return true;
    }

    private static void ReleaseIf(SafeHandle handle, bool added)
    {
        if (added)
        {
            handle.DangerousRelease();
        }
    }

    /// <summary>Frees the correction factors (the tables are managed memory).</summary>
    public void Dispose()
    {
        foreach (OpenSslBigNum? correction in _corrections)
        {
            correction?.Dispose();
        }
    }

    /// <summary>Copies <c>T_block[index]</c> to <paramref name="destination"/> reading every entry of the table (see remarks).</summary>
    private void Select(int block, int index, Span<ulong> destination)
    {
        ref ulong entry = ref _table[block * _entries * _limbs];
        if (_limbs == 48)
        {
            Select48(ref entry, _entries, index, destination);
            return;
        }

        destination.Clear();
        ref ulong dest = ref MemoryMarshal.GetReference(destination);
        for (int i = 0; i < _entries; i++)
        {
            Vector256<ulong> mask = Vector256.Create(Mask(i, index));
            for (int k = 0; k < _limbs; k += Vector256<ulong>.Count)
            {
                Vector256<ulong> sum = Vector256.LoadUnsafe(ref dest, (nuint)k) | (Vector256.LoadUnsafe(ref entry, (nuint)k) & mask);
                sum.StoreUnsafe(ref dest, (nuint)k);
            }

            entry = ref Unsafe.Add(ref entry, _limbs);
        }
    }

    /// <summary>All ones exactly when i == index, without a branch: (i ^ index) − 1 is negative only for 0, and the
    /// arithmetic shift spreads the sign bit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mask(int i, int index) => (ulong)(((long)(i ^ index) - 1) >> 63);

    /// <summary><see cref="Select"/> for 3072-bit entries with the twelve 256-bit accumulators kept in registers.</summary>
    private static void Select48(ref ulong entry, int entries, int index, Span<ulong> destination)
    {
        Vector256<ulong> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default;
        Vector256<ulong> a6 = default, a7 = default, a8 = default, a9 = default, a10 = default, a11 = default;
        for (int i = 0; i < entries; i++)
        {
            Vector256<ulong> m = Vector256.Create(Mask(i, index));
            a0 |= Vector256.LoadUnsafe(ref entry, 0) & m;
            a1 |= Vector256.LoadUnsafe(ref entry, 4) & m;
            a2 |= Vector256.LoadUnsafe(ref entry, 8) & m;
            a3 |= Vector256.LoadUnsafe(ref entry, 12) & m;
            a4 |= Vector256.LoadUnsafe(ref entry, 16) & m;
            a5 |= Vector256.LoadUnsafe(ref entry, 20) & m;
            a6 |= Vector256.LoadUnsafe(ref entry, 24) & m;
            a7 |= Vector256.LoadUnsafe(ref entry, 28) & m;
            a8 |= Vector256.LoadUnsafe(ref entry, 32) & m;
            a9 |= Vector256.LoadUnsafe(ref entry, 36) & m;
            a10 |= Vector256.LoadUnsafe(ref entry, 40) & m;
            a11 |= Vector256.LoadUnsafe(ref entry, 44) & m;
            entry = ref Unsafe.Add(ref entry, 48);
        }

        ref ulong d = ref MemoryMarshal.GetReference(destination[..48]);
        a0.StoreUnsafe(ref d, 0);
        a1.StoreUnsafe(ref d, 4);
        a2.StoreUnsafe(ref d, 8);
        a3.StoreUnsafe(ref d, 12);
        a4.StoreUnsafe(ref d, 16);
        a5.StoreUnsafe(ref d, 20);
        a6.StoreUnsafe(ref d, 24);
        a7.StoreUnsafe(ref d, 28);
        a8.StoreUnsafe(ref d, 32);
        a9.StoreUnsafe(ref d, 36);
        a10.StoreUnsafe(ref d, 40);
        a11.StoreUnsafe(ref d, 44);
    }

    private bool Build(OpenSslBigNum baseValue)
    {
        using OpenSslBnContext ctx = OpenSslBnContext.Create();
        using OpenSslBigNum q = DeriveBlindingFactor(ctx);
        using OpenSslBigNum qMont = OpenSslBigNum.Create();
        using OpenSslBigNum power = OpenSslBigNum.Create();
        using OpenSslBigNum reduced = OpenSslBigNum.Create();
        LibCrypto.ThrowOnError(LibCrypto.BN_to_montgomery(qMont, q, _mont, ctx), "BN_to_montgomery");
        LibCrypto.ThrowOnError(LibCrypto.BN_nnmod(reduced, baseValue, _modulus, ctx), "BN_nnmod");
        LibCrypto.ThrowOnError(LibCrypto.BN_to_montgomery(power, reduced, _mont, ctx), "BN_to_montgomery");

        // entries[i] = Q · ∏ g^(2^((j·h + l)·d)) over the set bits l of i, in Montgomery form; entries[0] = Q.
        var entries = new OpenSslBigNum[_entries];
        try
        {
            for (int i = 0; i < entries.Length; i++)
            {
                entries[i] = OpenSslBigNum.Create();
            }

            bool fullWidth = true;
            for (int j = 0; j < Blocks; j++)
            {
                LibCrypto.ThrowIfNull(LibCrypto.BN_copy(entries[0], qMont), "BN_copy");
                for (int l = 0; l < Teeth; l++)
                {
                    // power = g^(2^((j·h + l)·d)) in Montgomery form.
                    for (int i = 0; i < 1 << l; i++)
                    {
                        LibCrypto.ThrowOnError(
                            LibCrypto.BN_mod_mul_montgomery(entries[(1 << l) + i], entries[i], power, _mont, ctx), "BN_mod_mul_montgomery");
                    }

                    for (int s = 0; s < Spacing; s++)
                    {
                        LibCrypto.ThrowOnError(LibCrypto.BN_mod_mul_montgomery(power, power, power, _mont, ctx), "BN_mod_mul_montgomery");
                    }
                }

                for (int i = 0; i < entries.Length; i++)
                {
                    Span<ulong> slot = _table.AsSpan(((j * _entries) + i) * _limbs, _limbs);
                    fullWidth &= entries[i].BitLength > (_limbs - 1) * 64;
                    WriteLittleEndian(entries[i], slot);
                }
            }

            BuildCorrections(q, ctx);
            return fullWidth;
        }
        finally
        {
            foreach (OpenSslBigNum? entry in entries)
            {
                entry?.Dispose();
            }
        }
    }

    /// <summary>corrections[k] = Q^(−k·(2^d − 1)) mod N in normal form, for k = 0 … Blocks.</summary>
    private void BuildCorrections(OpenSslBigNum q, OpenSslBnContext ctx)
    {
        using OpenSslBigNum inverse = OpenSslBigNum.Create();
        using OpenSslBigNum exponent = OpenSslBigNum.Create();
        using OpenSslBigNum step = OpenSslBigNum.Create();
        LibCrypto.ThrowIfNull(LibCrypto.BN_mod_inverse(inverse, q, _modulus, ctx), "BN_mod_inverse");
        LibCrypto.ThrowOnError(LibCrypto.BN_set_word(exponent, 1), "BN_set_word");
        LibCrypto.ThrowOnError(LibCrypto.BN_lshift(exponent, exponent, Spacing), "BN_lshift");
        LibCrypto.ThrowOnError(LibCrypto.BN_sub_word(exponent, 1), "BN_sub_word");
        LibCrypto.ThrowOnError(LibCrypto.BN_mod_exp_mont(step, inverse, exponent, _modulus, ctx, _mont), "BN_mod_exp_mont");
        _corrections[0] = OpenSslBigNum.FromWord(1);
        for (int k = 1; k < _corrections.Length; k++)
        {
            _corrections[k] = OpenSslBigNum.Create();
            LibCrypto.ThrowOnError(LibCrypto.BN_mod_mul(_corrections[k], _corrections[k - 1], step, _modulus, ctx), "BN_mod_mul");
        }
    }

    /// <summary>Q = SHA-256("Cognate fixed-base comb blinding " ‖ counter) for counter = 0, 1, … concatenated, mod N.</summary>
    private OpenSslBigNum DeriveBlindingFactor(OpenSslBnContext ctx)
    {
        byte[] bytes = new byte[_limbs * sizeof(ulong)];
        for (int offset = 0, counter = 0; offset < bytes.Length; offset += 32, counter++)
        {
            SHA256.HashData(Encoding.ASCII.GetBytes($"Cognate fixed-base comb blinding {counter}"), bytes.AsSpan(offset));
        }

        using OpenSslBigNum raw = OpenSslBigNum.FromBigEndian(bytes);
        OpenSslBigNum q = OpenSslBigNum.Create();
        LibCrypto.ThrowOnError(LibCrypto.BN_nnmod(q, raw, _modulus, ctx), "BN_nnmod");
        return q;
    }

    private static unsafe void WriteLittleEndian(OpenSslBigNum value, Span<ulong> destination)
    {
        Span<byte> bytes = MemoryMarshal.AsBytes(destination);
        fixed (byte* p = bytes)
        {
            if (LibCrypto.BN_bn2lebinpad(value, p, bytes.Length) != bytes.Length)
            {
                LibCrypto.ERR_clear_error();
                throw new CryptographicException("BIGNUM does not fit in a table entry.");
            }
        }
    }
}
