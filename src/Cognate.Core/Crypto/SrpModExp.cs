using System.Security.Cryptography;

namespace Cognate.Core.Crypto;

/// <summary>
/// Modular arithmetic in the SRP group: the 3072-bit MODP prime N of RFC 5054 appendix A (= RFC 3526 group 15),
/// through OpenSSL libcrypto, with a Montgomery context for N that is built once and shared (it is read-only after
/// <c>BN_MONT_CTX_set</c>); every call allocates its own <c>BN_CTX</c> and frees all native memory before returning,
/// so all members are thread-safe.
/// </summary>
/// <remarks>
/// <para>Integers cross this API as <b>unsigned big-endian</b> bytes of any length (leading zeros allowed, empty = 0).
/// Results are reduced mod N and returned minimal: no leading zero bytes, and 0 is the empty array.
/// <see cref="System.Numerics.BigInteger.ModPow"/> is ~10× slower for these sizes and is deliberately not used.</para>
/// <para>Three kinds of exponentiation, by what is secret:</para>
/// <list type="bullet">
/// <item>fixed base g, secret exponent (x, b, a): <see cref="FixedBaseComb"/>, a precomputed Lim–Lee comb,
/// constant time; ~6× faster than the general path for 256-bit exponents, ~4.5× for 1024-bit ones;</item>
/// <item>variable base, secret exponent ((A·v^u)^b, (B − k·g^x)^(a + u·x)): <c>BN_mod_exp_mont_consttime</c>;</item>
/// <item>variable base, public exponent (v^u, u = H(A ‖ B)): <c>BN_mod_exp_mont</c>.</item>
/// </list>
/// <para>The <c>…Reference</c> members are the pre-comb implementations (<c>BN_mod_exp_mont_consttime</c> everywhere),
/// kept as test oracles and benchmark baselines.</para>
/// </remarks>
internal static class SrpModExp
{
    /// <summary>Length of N in bytes (3072 bits).</summary>
    public const int ModulusLength = 384;

    /// <summary>N as a hex string (RFC 5054 appendix A, 3072-bit group; Cognito's <c>INIT_N</c>).</summary>
    public const string ModulusHex =
        "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
        "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
        "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
        "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
        "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
        "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
        "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
        "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF";

    private static readonly byte[] ModulusBytes = Convert.FromHexString(ModulusHex);
    private static readonly OpenSslBigNum N = OpenSslBigNum.FromBigEndian(ModulusBytes);
    private static readonly OpenSslBigNum G = OpenSslBigNum.FromWord(2);
    private static readonly OpenSslMontContext Mont = OpenSslMontContext.Create(N);

    // Built on first use (Lazy: one thread builds, the others wait), read-only afterwards.
    private static readonly Lazy<FixedBaseComb> LazyGeneratorComb =
        new(() => new FixedBaseComb(G, N, Mont, CombTeeth, CombSpacing, CombMaxExponentBits), LazyThreadSafetyMode.ExecutionAndPublication);

    // Comb shape, chosen by measurement (µs per g^e, 256-bit / 1024-bit exponent, 2-core AMD EPYC under load; the
    // general consttime path took 560–700 / 1800–2000 µs in the same runs; one 3072-bit BN_mod_mul_montgomery ≈ 2.3 µs,
    // a constant-time scan of a 2^h-entry table ≈ 0.18 µs for h = 6, 0.36 µs for h = 7, 0.66 µs for h = 8):
    //   h=6 d=11 384 KiB  112 / 410   h=7 d=8 912 KiB  109 / 390   h=8 d=8  1.5 MiB 99–112 / 402
    //   h=6 d=4    1 MiB  130 / 400   h=7 d=4 1.7 MiB   96 / 385   h=8 d=4  3.0 MiB     94 / 405
    // h=7, d=4: 40 multiplications + 3 squarings for a 256-bit exponent (148 + 3 for 1024 bits), 1.7 MiB of tables of
    // which a 256-bit exponent touches the first 480 KiB (fits the 1 MiB L2).

    /// <summary>Teeth per comb block h (2^h-entry tables); see <see cref="FixedBaseComb"/>.</summary>
    internal const int CombTeeth = 7;

    /// <summary>Columns per tooth d (d − 1 squarings per fixed-base exponentiation).</summary>
    internal const int CombSpacing = 4;

    /// <summary>The longest exponent the comb covers: the SRP client's a (<see cref="Srp.PrivateALength"/> = 128 bytes).</summary>
    internal const int CombMaxExponentBits = 1024;

    /// <summary>The fixed-base comb for g = 2 (built on first use, then shared read-only by all threads).</summary>
    internal static FixedBaseComb GeneratorComb => LazyGeneratorComb.Value;

    /// <summary>N as unsigned big-endian bytes (384 bytes, top bit set).</summary>
    public static ReadOnlySpan<byte> Modulus => ModulusBytes;

    /// <summary>Computes <c>base^exponent mod N</c> in constant time with respect to the exponent.</summary>
    /// <param name="baseBigEndian">Unsigned big-endian base; values ≥ N are reduced first.</param>
    /// <param name="exponentBigEndian">Unsigned big-endian exponent (any size; 256 bits is typical).</param>
    /// <returns>The result, minimal unsigned big-endian (see the type remarks).</returns>
    /// <exception cref="CryptographicException">OpenSSL failed (allocation or arithmetic).</exception>
    public static byte[] Pow(ReadOnlySpan<byte> baseBigEndian, ReadOnlySpan<byte> exponentBigEndian)
    {
        using OpenSslBnContext ctx = OpenSslBnContext.Create();
        using OpenSslBigNum a = OpenSslBigNum.FromBigEndian(baseBigEndian);
        using OpenSslBigNum p = OpenSslBigNum.FromBigEndian(exponentBigEndian);
        using OpenSslBigNum r = OpenSslBigNum.Create();
        PowCore(r, a, p, ctx);
        return r.ToBigEndian();
    }

    /// <summary>Computes <c>g^exponent mod N</c> with g = 2 (the SRP generator).</summary>
    /// <param name="exponentBigEndian">Unsigned big-endian exponent.</param>
    /// <returns>The result, minimal unsigned big-endian.</returns>
    /// <exception cref="CryptographicException">OpenSSL failed.</exception>
    public static byte[] PowG(ReadOnlySpan<byte> exponentBigEndian)
    {
        using OpenSslBnContext ctx = OpenSslBnContext.Create();
        using OpenSslBigNum r = OpenSslBigNum.Create();
        PowGCore(r, exponentBigEndian, ctx);
        return r.ToBigEndian();
    }

    /// <summary>
    /// <see cref="PowG"/> through <c>BN_mod_exp_mont_consttime</c> only (the implementation before the fixed-base comb);
    /// kept as the reference the comb is tested against and as the benchmarks' baseline.
    /// </summary>
    internal static byte[] PowGReference(ReadOnlySpan<byte> exponentBigEndian)
    {
        using OpenSslBnContext ctx = OpenSslBnContext.Create();
        using OpenSslBigNum p = OpenSslBigNum.FromBigEndian(exponentBigEndian);
        using OpenSslBigNum r = OpenSslBigNum.Create();
        PowCore(r, G, p, ctx);
        return r.ToBigEndian();
    }

    /// <summary>Computes <c>(a · b) mod N</c>.</summary>
    /// <exception cref="CryptographicException">OpenSSL failed.</exception>
    public static byte[] ModMul(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        using OpenSslBnContext ctx = OpenSslBnContext.Create();
        using OpenSslBigNum x = OpenSslBigNum.FromBigEndian(a);
        using OpenSslBigNum y = OpenSslBigNum.FromBigEndian(b);
        using OpenSslBigNum r = OpenSslBigNum.Create();
        LibCrypto.ThrowOnError(LibCrypto.BN_mod_mul(r, x, y, N, ctx), "BN_mod_mul");
        return r.ToBigEndian();
    }

    /// <summary>Computes <c>(a + b) mod N</c>.</summary>
    /// <exception cref="CryptographicException">OpenSSL failed.</exception>
    public static byte[] ModAdd(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        using OpenSslBnContext ctx = OpenSslBnContext.Create();
        using OpenSslBigNum x = OpenSslBigNum.FromBigEndian(a);
        using OpenSslBigNum y = OpenSslBigNum.FromBigEndian(b);
        using OpenSslBigNum x1 = OpenSslBigNum.Create();
        using OpenSslBigNum y1 = OpenSslBigNum.Create();
        using OpenSslBigNum r = OpenSslBigNum.Create();
        LibCrypto.ThrowOnError(LibCrypto.BN_nnmod(x1, x, N, ctx), "BN_nnmod");
        LibCrypto.ThrowOnError(LibCrypto.BN_nnmod(y1, y, N, ctx), "BN_nnmod");
        LibCrypto.ThrowOnError(LibCrypto.BN_mod_add(r, x1, y1, N, ctx), "BN_mod_add");
        return r.ToBigEndian();
    }

    /// <summary>Returns true when <c>value mod N == 0</c> (RFC 5054 §2.5.4 safety check on A and B).</summary>
    /// <exception cref="CryptographicException">OpenSSL failed.</exception>
    public static bool IsZeroModN(ReadOnlySpan<byte> value)
    {
        using OpenSslBnContext ctx = OpenSslBnContext.Create();
        using OpenSslBigNum x = OpenSslBigNum.FromBigEndian(value);
        using OpenSslBigNum r = OpenSslBigNum.Create();
        LibCrypto.ThrowOnError(LibCrypto.BN_nnmod(r, x, N, ctx), "BN_nnmod");
        return r.IsZero;
    }

    /// <summary>
    /// Server public ephemeral <c>B = (k·v + g^b) mod N</c> (RFC 5054 §2.5.3; Cognito as in the reference §4.4).
    /// </summary>
    /// <param name="k">The SRP multiplier k (32 bytes).</param>
    /// <param name="verifier">The password verifier v.</param>
    /// <param name="privateB">The server secret b.</param>
    /// <returns>B, minimal unsigned big-endian.</returns>
    /// <exception cref="CryptographicException">OpenSSL failed.</exception>
    public static byte[] ComputeServerPublic(ReadOnlySpan<byte> k, ReadOnlySpan<byte> verifier, ReadOnlySpan<byte> privateB) =>
        ComputeServerPublicCore(k, verifier, privateB, reference: false);

    /// <summary><see cref="ComputeServerPublic"/> with the pre-comb exponentiation (test oracle, benchmark baseline).</summary>
    internal static byte[] ComputeServerPublicReference(ReadOnlySpan<byte> k, ReadOnlySpan<byte> verifier, ReadOnlySpan<byte> privateB) =>
        ComputeServerPublicCore(k, verifier, privateB, reference: true);

    /// <summary>Server premaster secret <c>S = (A · v^u)^b mod N</c> (RFC 5054 §2.6).</summary>
    /// <param name="clientPublic">The client's A.</param>
    /// <param name="verifier">The password verifier v.</param>
    /// <param name="u">The scrambling parameter u (32 bytes).</param>
    /// <param name="privateB">The server secret b.</param>
    /// <returns>S, minimal unsigned big-endian.</returns>
    /// <exception cref="CryptographicException">OpenSSL failed.</exception>
    public static byte[] ComputeServerPremaster(
        ReadOnlySpan<byte> clientPublic, ReadOnlySpan<byte> verifier, ReadOnlySpan<byte> u, ReadOnlySpan<byte> privateB) =>
        ComputeServerPremasterCore(clientPublic, verifier, u, privateB, reference: false);

    /// <summary><see cref="ComputeServerPremaster"/> with the pre-comb exponentiations (test oracle, benchmark baseline).</summary>
    internal static byte[] ComputeServerPremasterReference(
        ReadOnlySpan<byte> clientPublic, ReadOnlySpan<byte> verifier, ReadOnlySpan<byte> u, ReadOnlySpan<byte> privateB) =>
        ComputeServerPremasterCore(clientPublic, verifier, u, privateB, reference: true);

    /// <summary>Client premaster secret <c>S = (B − k·g^x)^(a + u·x) mod N</c> (RFC 5054 §2.6).</summary>
    /// <param name="serverPublic">The server's B.</param>
    /// <param name="k">The SRP multiplier k.</param>
    /// <param name="x">The private key x derived from the password.</param>
    /// <param name="privateA">The client secret a.</param>
    /// <param name="u">The scrambling parameter u.</param>
    /// <returns>S, minimal unsigned big-endian.</returns>
    /// <exception cref="CryptographicException">OpenSSL failed.</exception>
    public static byte[] ComputeClientPremaster(
        ReadOnlySpan<byte> serverPublic, ReadOnlySpan<byte> k, ReadOnlySpan<byte> x, ReadOnlySpan<byte> privateA, ReadOnlySpan<byte> u) =>
        ComputeClientPremasterCore(serverPublic, k, x, privateA, u, reference: false);

    /// <summary><see cref="ComputeClientPremaster"/> with the pre-comb exponentiation (test oracle, benchmark baseline).</summary>
    internal static byte[] ComputeClientPremasterReference(
        ReadOnlySpan<byte> serverPublic, ReadOnlySpan<byte> k, ReadOnlySpan<byte> x, ReadOnlySpan<byte> privateA, ReadOnlySpan<byte> u) =>
        ComputeClientPremasterCore(serverPublic, k, x, privateA, u, reference: true);

    /// <summary>Builds a comb for g with other parameters (tests and parameter measurements; production uses <see cref="GeneratorComb"/>).</summary>
    internal static FixedBaseComb CreateGeneratorComb(int teeth, int spacing, int maxExponentBits) =>
        new(G, N, Mont, teeth, spacing, maxExponentBits);

    private static byte[] ComputeServerPublicCore(
        ReadOnlySpan<byte> k, ReadOnlySpan<byte> verifier, ReadOnlySpan<byte> privateB, bool reference)
    {
        using OpenSslBnContext ctx = OpenSslBnContext.Create();
        using OpenSslBigNum kb = OpenSslBigNum.FromBigEndian(k);
        using OpenSslBigNum v = OpenSslBigNum.FromBigEndian(verifier);
        using OpenSslBigNum kv = OpenSslBigNum.Create();
        using OpenSslBigNum gb = OpenSslBigNum.Create();
        using OpenSslBigNum r = OpenSslBigNum.Create();
        LibCrypto.ThrowOnError(LibCrypto.BN_mod_mul(kv, kb, v, N, ctx), "BN_mod_mul");
        if (reference)
        {
            using OpenSslBigNum b = OpenSslBigNum.FromBigEndian(privateB);
            PowCore(gb, G, b, ctx);
        }
        else
        {
            PowGCore(gb, privateB, ctx);
        }

        LibCrypto.ThrowOnError(LibCrypto.BN_mod_add(r, kv, gb, N, ctx), "BN_mod_add");
        return r.ToBigEndian();
    }

    private static byte[] ComputeServerPremasterCore(
        ReadOnlySpan<byte> clientPublic, ReadOnlySpan<byte> verifier, ReadOnlySpan<byte> u, ReadOnlySpan<byte> privateB, bool reference)
    {
        using OpenSslBnContext ctx = OpenSslBnContext.Create();
        using OpenSslBigNum a = OpenSslBigNum.FromBigEndian(clientPublic);
        using OpenSslBigNum v = OpenSslBigNum.FromBigEndian(verifier);
        using OpenSslBigNum ub = OpenSslBigNum.FromBigEndian(u);
        using OpenSslBigNum b = OpenSslBigNum.FromBigEndian(privateB);
        using OpenSslBigNum vu = OpenSslBigNum.Create();
        using OpenSslBigNum avu = OpenSslBigNum.Create();
        using OpenSslBigNum s = OpenSslBigNum.Create();
        if (reference)
        {
            PowCore(vu, v, ub, ctx);
        }
        else
        {
            PowPublicExponent(vu, v, ub, ctx);
        }

        LibCrypto.ThrowOnError(LibCrypto.BN_mod_mul(avu, a, vu, N, ctx), "BN_mod_mul");
        PowCore(s, avu, b, ctx);
        return s.ToBigEndian();
    }

    private static byte[] ComputeClientPremasterCore(
        ReadOnlySpan<byte> serverPublic,
        ReadOnlySpan<byte> k,
        ReadOnlySpan<byte> x,
        ReadOnlySpan<byte> privateA,
        ReadOnlySpan<byte> u,
        bool reference)
    {
        using OpenSslBnContext ctx = OpenSslBnContext.Create();
        using OpenSslBigNum bb = OpenSslBigNum.FromBigEndian(serverPublic);
        using OpenSslBigNum kb = OpenSslBigNum.FromBigEndian(k);
        using OpenSslBigNum xb = OpenSslBigNum.FromBigEndian(x);
        using OpenSslBigNum ab = OpenSslBigNum.FromBigEndian(privateA);
        using OpenSslBigNum ub = OpenSslBigNum.FromBigEndian(u);
        using OpenSslBigNum gx = OpenSslBigNum.Create();
        using OpenSslBigNum kgx = OpenSslBigNum.Create();
        using OpenSslBigNum bReduced = OpenSslBigNum.Create();
        using OpenSslBigNum diff = OpenSslBigNum.Create();
        using OpenSslBigNum ux = OpenSslBigNum.Create();
        using OpenSslBigNum exponent = OpenSslBigNum.Create();
        using OpenSslBigNum s = OpenSslBigNum.Create();
        if (reference)
        {
            PowCore(gx, G, xb, ctx);
        }
        else
        {
            PowGCore(gx, x, ctx);
        }

        LibCrypto.ThrowOnError(LibCrypto.BN_mod_mul(kgx, kb, gx, N, ctx), "BN_mod_mul");
        LibCrypto.ThrowOnError(LibCrypto.BN_nnmod(bReduced, bb, N, ctx), "BN_nnmod");
        LibCrypto.ThrowOnError(LibCrypto.BN_mod_sub(diff, bReduced, kgx, N, ctx), "BN_mod_sub");
        LibCrypto.ThrowOnError(LibCrypto.BN_mul(ux, ub, xb, ctx), "BN_mul");
        LibCrypto.ThrowOnError(LibCrypto.BN_add(exponent, ab, ux), "BN_add");
        PowCore(s, diff, exponent, ctx);
        return s.ToBigEndian();
    }

    /// <summary>g^exponent through the fixed-base comb, or <c>BN_mod_exp_mont_consttime</c> for exponents it does not cover.</summary>
    private static void PowGCore(OpenSslBigNum result, ReadOnlySpan<byte> exponentBigEndian, OpenSslBnContext ctx)
    {
        if (!GeneratorComb.TryPow(result, exponentBigEndian, ctx))
        {
            using OpenSslBigNum p = OpenSslBigNum.FromBigEndian(exponentBigEndian);
            PowCore(result, G, p, ctx);
        }
    }

    /// <summary>Secret exponent: constant time (fixed window, scatter/gather table) with the shared Montgomery context.</summary>
    private static void PowCore(OpenSslBigNum result, OpenSslBigNum value, OpenSslBigNum exponent, OpenSslBnContext ctx) =>
        LibCrypto.ThrowOnError(
            LibCrypto.BN_mod_exp_mont_consttime(result, value, exponent, N, ctx, Mont), "BN_mod_exp_mont_consttime");

    /// <summary>
    /// <b>Public</b> exponent only: <c>BN_mod_exp_mont</c> (sliding window, ~8% cheaper than the consttime variant for a
    /// 256-bit exponent), whose sequence of squarings/multiplications and table indices follow the exponent's bits.
    /// Used for v^u, where u = H(padHex(A) ‖ padHex(B)) is computed from values both parties send in the clear
    /// (RFC 5054 §2.5.3/§2.6). The base v is secret, but the window schedule does not depend on it, and the
    /// multiplications are the same <c>bn_mul_mont</c> as in the consttime path. Never pass a secret exponent (b, x, a) here.
    /// </summary>
    private static void PowPublicExponent(OpenSslBigNum result, OpenSslBigNum value, OpenSslBigNum exponent, OpenSslBnContext ctx) =>
        LibCrypto.ThrowOnError(LibCrypto.BN_mod_exp_mont(result, value, exponent, N, ctx, Mont), "BN_mod_exp_mont");
}
