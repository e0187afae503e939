namespace Cognate.Core.Crypto;

/// <summary>
/// What Cognate stores per user (or per remembered device) instead of a password: the SRP salt and
/// verifier <c>v = g^x mod N</c> (RFC 5054 §2.4; Cognito reference §4.4 / §4.7).
/// </summary>
/// <param name="Salt">
/// The salt as unsigned big-endian bytes (16 random bytes when created by <see cref="Srp.CreateVerifier(string, string, string)"/>).
/// Leading zero bytes carry no meaning: SRP hashes the salt as an integer (padHex).
/// </param>
/// <param name="Verifier">The verifier v as unsigned big-endian bytes, left-padded to exactly 384 bytes (the size of N).</param>
public sealed record SrpVerifier(byte[] Salt, byte[] Verifier)
{
    /// <summary>The salt as lowercase hex without leading zeros: the <c>SALT</c> challenge parameter of <c>PASSWORD_VERIFIER</c>.</summary>
    public string SaltHex => Srp.ToHex(Salt);
}

/// <summary>
/// The server half of one <c>USER_SRP_AUTH</c> / <c>DEVICE_SRP_AUTH</c> exchange, created by
/// <see cref="Srp.CreateServerChallenge(ReadOnlySpan{byte})"/>.
/// </summary>
/// <param name="PrivateB">
/// The server secret b (32 random bytes, unsigned big-endian). <b>Secret:</b> keep it only inside the sealed
/// SECRET_BLOCK / server-side session, never in logs or responses.
/// </param>
/// <param name="PublicB">B = (k·v + g^b) mod N, minimal unsigned big-endian.</param>
public sealed record SrpServerChallenge(byte[] PrivateB, byte[] PublicB)
{
    /// <summary>B as lowercase hex without leading zeros: the <c>SRP_B</c> challenge parameter.</summary>
    public string PublicBHex => Srp.ToHex(PublicB);
}
