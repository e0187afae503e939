using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Cognate.Core.Mfa;

/// <summary>
/// TOTP as authenticator apps and Cognito use it: RFC 6238 over RFC 4226 HOTP with HMAC-SHA1, a 30-second
/// step from the Unix epoch, 6 digits; secrets are exchanged as RFC 4648 base32 without padding.
/// </summary>
public static class Totp
{
    /// <summary>Time step in seconds.</summary>
    public const int StepSeconds = 30;

    /// <summary>Digits per code.</summary>
    public const int Digits = 6;

    /// <summary>Secret length in bytes (160 bits, RFC 4226 §4 recommendation) → 32 base32 characters.</summary>
    public const int SecretLength = 20;

    /// <summary>Steps accepted on each side of the current one (±30 s of clock skew).</summary>
    public const int SkewSteps = 1;

    const string Base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /// <summary>A new random secret of <see cref="SecretLength"/> bytes.</summary>
    public static byte[] NewSecret() => RandomNumberGenerator.GetBytes(SecretLength);

    /// <summary>The time step of <paramref name="instant"/>: floor(unix seconds / 30).</summary>
    public static long StepOf(DateTimeOffset instant) => Math.DivRem(instant.ToUnixTimeSeconds(), StepSeconds).Quotient;

    /// <summary>The HOTP value of <paramref name="secret"/> at counter <paramref name="step"/> (RFC 4226 §5.3), zero-padded to 6 digits.</summary>
    public static string Compute(ReadOnlySpan<byte> secret, long step)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        Span<byte> mac = stackalloc byte[HMACSHA1.HashSizeInBytes];
#pragma warning disable CA5350 // RFC 6238 / RFC 4226 mandate HMAC-SHA1 for authenticator-app TOTP; HMAC-SHA1 is not broken as a PRF.
        HMACSHA1.HashData(secret, counter, mac);
#pragma warning restore CA5350
        int offset = mac[^1] & 0x0f;
        int binary = (BinaryPrimitives.ReadInt32BigEndian(mac.Slice(offset, 4)) & 0x7fffffff) % 1_000_000;
        return binary.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Finds the step in [current − <see cref="SkewSteps"/>, current + <see cref="SkewSteps"/>] whose code equals
    /// <paramref name="code"/> (every candidate compared in constant time).
    /// </summary>
    /// <param name="secret">The shared secret.</param>
    /// <param name="code">The code the user typed (must be exactly 6 ASCII digits).</param>
    /// <param name="now">Current time.</param>
    /// <returns>The matching step, or null.</returns>
    public static long? Match(ReadOnlySpan<byte> secret, string? code, DateTimeOffset now)
    {
        if (code is null || code.Length != Digits || !code.All(char.IsAsciiDigit)) return null;
        long current = StepOf(now);
        long? found = null;
        var presented = Encoding.ASCII.GetBytes(code);
        for (long step = current - SkewSteps; step <= current + SkewSteps; step++)
        {
            if (CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Compute(secret, step)), presented)) found ??= step;
        }
        return found;
    }

    /// <summary>RFC 4648 base32, upper case, no padding (what AssociateSoftwareToken returns as <c>SecretCode</c>).</summary>
    public static string ToBase32(ReadOnlySpan<byte> data)
    {
        var sb = new StringBuilder((data.Length * 8 + 4) / 5);
        int buffer = 0, bits = 0;
        foreach (byte b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                sb.Append(Base32Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) sb.Append(Base32Alphabet[(buffer << (5 - bits)) & 31]);
        return sb.ToString();
    }

    /// <summary>Decodes base32 (case-insensitive, padding and spaces ignored); false on any other character.</summary>
    public static bool TryFromBase32(string? text, out byte[] data)
    {
        data = [];
        if (text is null) return false;
        var output = new List<byte>(text.Length * 5 / 8);
        int buffer = 0, bits = 0;
        foreach (char c in text)
        {
            if (c is '=' or ' ') continue;
            int v = Base32Alphabet.IndexOf(char.ToUpperInvariant(c), StringComparison.Ordinal);
            if (v < 0) return false;
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8)
            {
                output.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }
        data = [.. output];
        return true;
    }
}
