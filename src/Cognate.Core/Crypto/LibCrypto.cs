using System.Runtime.InteropServices;

namespace Cognate.Core.Crypto;

/// <summary>
/// Source-generated P/Invoke declarations for the OpenSSL 3 <c>BIGNUM</c> API in <c>libcrypto.so.3</c>
/// (man pages BN_new(3), BN_bn2bin(3), BN_CTX_new(3), BN_mod_mul_montgomery(3), BN_add(3), BN_mod_exp(3)).
/// </summary>
/// <remarks>
/// Every function returning <c>int</c> returns 1 on success and 0 on failure (the error is left on
/// OpenSSL's per-thread error queue, which is cleared by <see cref="ThrowOnError(int, string)"/>).
/// Ownership: pointers returned by the <c>_new</c> functions are wrapped in the SafeHandles of
/// <see cref="OpenSslBigNum"/>, <see cref="OpenSslBnContext"/> and <see cref="OpenSslMontContext"/>,
/// which free them deterministically.
/// </remarks>
internal static partial class LibCrypto
{
    internal const string LibraryName = "libcrypto.so.3";

    [LibraryImport(LibraryName)]
    internal static partial nint BN_new();

    [LibraryImport(LibraryName)]
    internal static partial void BN_clear_free(nint a);

    [LibraryImport(LibraryName)]
    internal static unsafe partial nint BN_bin2bn(byte* s, int len, nint ret);

    [LibraryImport(LibraryName)]
    internal static unsafe partial int BN_bn2binpad(OpenSslBigNum a, byte* to, int toLen);

    [LibraryImport(LibraryName)]
    internal static partial int BN_num_bits(OpenSslBigNum a);

    [LibraryImport(LibraryName)]
    internal static partial int BN_is_zero(OpenSslBigNum a);

    [LibraryImport(LibraryName)]
    internal static partial int BN_set_word(OpenSslBigNum a, nuint w);

    [LibraryImport(LibraryName)]
    internal static partial nint BN_CTX_new();

    [LibraryImport(LibraryName)]
    internal static partial void BN_CTX_free(nint c);

    [LibraryImport(LibraryName)]
    internal static partial nint BN_MONT_CTX_new();

    [LibraryImport(LibraryName)]
    internal static partial void BN_MONT_CTX_free(nint mont);

    [LibraryImport(LibraryName)]
    internal static partial int BN_MONT_CTX_set(OpenSslMontContext mont, OpenSslBigNum mod, OpenSslBnContext ctx);

    [LibraryImport(LibraryName)]
    internal static partial int BN_mod_exp_mont_consttime(
        OpenSslBigNum rr, OpenSslBigNum a, OpenSslBigNum p, OpenSslBigNum m, OpenSslBnContext ctx, OpenSslMontContext inMont);

    [LibraryImport(LibraryName)]
    internal static partial int BN_mod_mul(OpenSslBigNum r, OpenSslBigNum a, OpenSslBigNum b, OpenSslBigNum m, OpenSslBnContext ctx);

    [LibraryImport(LibraryName)]
    internal static partial int BN_mod_add(OpenSslBigNum r, OpenSslBigNum a, OpenSslBigNum b, OpenSslBigNum m, OpenSslBnContext ctx);

    [LibraryImport(LibraryName)]
    internal static partial int BN_mod_sub(OpenSslBigNum r, OpenSslBigNum a, OpenSslBigNum b, OpenSslBigNum m, OpenSslBnContext ctx);

    [LibraryImport(LibraryName)]
    internal static partial int BN_nnmod(OpenSslBigNum r, OpenSslBigNum a, OpenSslBigNum m, OpenSslBnContext ctx);

    [LibraryImport(LibraryName)]
    internal static partial int BN_mul(OpenSslBigNum r, OpenSslBigNum a, OpenSslBigNum b, OpenSslBnContext ctx);

    [LibraryImport(LibraryName)]
    internal static partial int BN_add(OpenSslBigNum r, OpenSslBigNum a, OpenSslBigNum b);

    [LibraryImport(LibraryName)]
    internal static partial int BN_mod_exp_mont(
        OpenSslBigNum rr, OpenSslBigNum a, OpenSslBigNum p, OpenSslBigNum m, OpenSslBnContext ctx, OpenSslMontContext inMont);

    [LibraryImport(LibraryName)]
    internal static partial int BN_mod_mul_montgomery(
        OpenSslBigNum r, OpenSslBigNum a, OpenSslBigNum b, OpenSslMontContext mont, OpenSslBnContext ctx);

    /// <summary>Raw-pointer overload for hot loops whose caller holds references on the handles (no per-call SafeHandle ref counting).</summary>
    [LibraryImport(LibraryName, EntryPoint = "BN_mod_mul_montgomery")]
    internal static partial int BN_mod_mul_montgomery(nint r, nint a, nint b, nint mont, nint ctx);

    [LibraryImport(LibraryName)]
    internal static partial int BN_to_montgomery(OpenSslBigNum r, OpenSslBigNum a, OpenSslMontContext mont, OpenSslBnContext ctx);

    [LibraryImport(LibraryName)]
    internal static unsafe partial nint BN_lebin2bn(byte* s, int len, nint ret);

    [LibraryImport(LibraryName)]
    internal static unsafe partial int BN_bn2lebinpad(OpenSslBigNum a, byte* to, int toLen);

    [LibraryImport(LibraryName)]
    internal static partial int BN_clear_bit(OpenSslBigNum a, int n);

    /// <summary>Raw-pointer overload for hot loops (see <see cref="BN_mod_mul_montgomery(nint, nint, nint, nint, nint)"/>).</summary>
    [LibraryImport(LibraryName, EntryPoint = "BN_clear_bit")]
    internal static partial int BN_clear_bit(nint a, int n);

    [LibraryImport(LibraryName)]
    internal static partial nint BN_copy(OpenSslBigNum to, OpenSslBigNum from);

    [LibraryImport(LibraryName)]
    internal static partial int BN_lshift(OpenSslBigNum r, OpenSslBigNum a, int n);

    [LibraryImport(LibraryName)]
    internal static partial int BN_sub_word(OpenSslBigNum a, nuint w);

    [LibraryImport(LibraryName)]
    internal static partial nint BN_mod_inverse(OpenSslBigNum r, OpenSslBigNum a, OpenSslBigNum n, OpenSslBnContext ctx);

    [LibraryImport(LibraryName)]
    internal static partial ulong ERR_get_error();

    [LibraryImport(LibraryName)]
    internal static partial void ERR_clear_error();

    /// <summary>Throws <see cref="System.Security.Cryptography.CryptographicException"/> when an OpenSSL call returned 0.</summary>
    /// <param name="result">The OpenSSL return value (1 = success).</param>
    /// <param name="function">The OpenSSL function name, for the message.</param>
    internal static void ThrowOnError(int result, string function)
    {
        if (result != 1)
        {
            ulong code = ERR_get_error();
            ERR_clear_error();
            throw new System.Security.Cryptography.CryptographicException(
                $"OpenSSL {function} failed (error 0x{code:x}).");
        }
    }

    /// <summary>Throws when an OpenSSL allocation returned NULL.</summary>
    internal static nint ThrowIfNull(nint pointer, string function)
    {
        if (pointer == 0)
        {
            ulong code = ERR_get_error();
            ERR_clear_error();
            throw new System.Security.Cryptography.CryptographicException(
                $"OpenSSL {function} returned NULL (error 0x{code:x}).");
        }

        return pointer;
    }
}
