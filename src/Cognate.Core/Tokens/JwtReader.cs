using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Cognate.Core.Tokens;

/// <summary>Why <see cref="JwtReader"/> rejected a token.</summary>
public enum JwtReadError
{
    /// <summary>The token is valid.</summary>
    None = 0,

    /// <summary>Null/empty, not three base64url segments, header or payload not a JSON object, or a <c>crit</c> header.</summary>
    Malformed,

    /// <summary>Longer than <see cref="JwtReader.MaxTokenLength"/> characters.</summary>
    TooLarge,

    /// <summary>The header <c>alg</c> is not exactly <c>RS256</c> (e.g. <c>none</c>, <c>HS256</c>).</summary>
    UnsupportedAlgorithm,

    /// <summary>No <c>kid</c>, or the key resolver does not know it.</summary>
    UnknownKey,

    /// <summary>The signature does not verify.</summary>
    InvalidSignature,
}

/// <summary>
/// The outcome of <see cref="JwtReader.Read(string?, Func{string, SigningKey?})"/>: either a verified payload or an error
/// value. Signature and algorithm are checked; claims (<c>exp</c>, <c>iss</c>, <c>token_use</c>, <c>client_id</c>/<c>aud</c>)
/// are for the caller, with helpers below.
/// </summary>
public sealed class JwtReadResult
{
    private JwtReadResult(JwtReadError error, string? keyId, JsonElement payload)
    {
        Error = error;
        KeyId = keyId;
        Payload = payload;
    }

    /// <summary>True when the signature verified and the payload is a JSON object.</summary>
    public bool IsValid => Error == JwtReadError.None;

    /// <summary>The reason for rejection, or <see cref="JwtReadError.None"/>.</summary>
    public JwtReadError Error { get; }

    /// <summary>The header <c>kid</c>, when it could be read.</summary>
    public string? KeyId { get; }

    /// <summary>The verified payload (a JSON object); <c>default</c> (<see cref="JsonValueKind.Undefined"/>) when invalid. Safe to keep: it owns its memory.</summary>
    public JsonElement Payload { get; }

    /// <summary>Reads a string claim of a valid token.</summary>
    /// <param name="name">The claim name, e.g. <c>token_use</c>.</param>
    /// <param name="value">The value, or null.</param>
    /// <returns>True when present and a JSON string.</returns>
    public bool TryGetString(string name, out string? value)
    {
        value = null;
        if (IsValid && Payload.TryGetProperty(name, out JsonElement element) && element.ValueKind == JsonValueKind.String)
        {
            value = element.GetString();
            return true;
        }

        return false;
    }

    /// <summary>Reads an integral numeric claim (e.g. <c>exp</c>, <c>iat</c>, <c>auth_time</c>, epoch seconds).</summary>
    /// <param name="name">The claim name.</param>
    /// <param name="value">The value, or 0.</param>
    /// <returns>True when present and an integer that fits in <see cref="long"/>.</returns>
    public bool TryGetInt64(string name, out long value)
    {
        value = 0;
        return IsValid
            && Payload.TryGetProperty(name, out JsonElement element)
            && element.ValueKind == JsonValueKind.Number
            && element.TryGetInt64(out value);
    }

    /// <summary>
    /// True unless the token is valid and <c>now &lt; exp + clockSkew</c> (RFC 7519 §4.1.4). A missing or non-numeric
    /// <c>exp</c> counts as expired.
    /// </summary>
    /// <param name="now">The current time (from the server's <see cref="TimeProvider"/>).</param>
    /// <param name="clockSkew">Leeway added to <c>exp</c>; default none.</param>
    public bool IsExpired(DateTimeOffset now, TimeSpan clockSkew = default) =>
        !TryGetInt64("exp", out long exp) || now.ToUnixTimeSeconds() >= exp + (long)clockSkew.TotalSeconds;

    internal static JwtReadResult Failure(JwtReadError error, string? keyId = null) => new(error, keyId, default);

    internal static JwtReadResult Success(string keyId, JsonElement payload) => new(JwtReadError.None, keyId, payload);
}

/// <summary>
/// Verifies compact JWS tokens issued by this server (RFC 7515 §5.2): exactly three base64url segments, header a
/// JSON object with <c>alg</c> pinned to <c>RS256</c> (anything else — <c>none</c>, <c>HS256</c>, <c>RS512</c> — is
/// rejected, RFC 8725 §3.1) and a string <c>kid</c> resolved through a callback, no <c>crit</c>, then the RSA
/// signature, then the payload (a JSON object). Never throws for bad input; returns a <see cref="JwtReadResult"/>.
/// Thread-safe.
/// </summary>
public static class JwtReader
{
    /// <summary>Longest accepted token, in characters (16 KiB).</summary>
    public const int MaxTokenLength = 16 * 1024;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 32, AllowDuplicateProperties = false };

    private static readonly System.Buffers.SearchValues<char> Base64UrlAlphabet =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /// <summary>Verifies a token against this server's signing keys.</summary>
    /// <param name="token">The compact JWS (e.g. the <c>AccessToken</c> request member or a Bearer token).</param>
    /// <param name="findKey">Returns the key whose <see cref="SigningKey.KeyId"/> equals the given kid, or null.</param>
    /// <returns>The verified payload or the reason for rejection.</returns>
    public static JwtReadResult Read(string? token, Func<string, SigningKey?> findKey)
    {
        ArgumentNullException.ThrowIfNull(findKey);
        return ReadCore(token, kid => findKey(kid) is { } key ? key.Verify : null);
    }

    /// <summary>Verifies a token against a fixed set of signing keys (matched by <see cref="SigningKey.KeyId"/>, ordinal).</summary>
    /// <param name="token">The compact JWS.</param>
    /// <param name="keys">The candidate keys.</param>
    /// <returns>The verified payload or the reason for rejection.</returns>
    public static JwtReadResult Read(string? token, IEnumerable<SigningKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return Read(token, kid => keys.FirstOrDefault(k => string.Equals(k.KeyId, kid, StringComparison.Ordinal)));
    }

    /// <summary>Verifies a token against public RSA keys (e.g. made with <see cref="PublicJwk.CreateRsa"/> from a JWKS).</summary>
    /// <param name="token">The compact JWS.</param>
    /// <param name="findPublicKey">Returns the RSA key for a kid, or null.</param>
    /// <returns>The verified payload or the reason for rejection.</returns>
    public static JwtReadResult ReadWithPublicKeys(string? token, Func<string, RSA?> findPublicKey)
    {
        ArgumentNullException.ThrowIfNull(findPublicKey);
        return ReadCore(token, kid => findPublicKey(kid) is { } rsa
            ? (data, signature) => signature.Length == rsa.KeySize / 8
                && rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : null);
    }

    private delegate bool Verifier(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature);

    private static JwtReadResult ReadCore(string? token, Func<string, Verifier?> resolve)
    {
        if (string.IsNullOrEmpty(token))
        {
            return JwtReadResult.Failure(JwtReadError.Malformed);
        }

        if (token.Length > MaxTokenLength)
        {
            return JwtReadResult.Failure(JwtReadError.TooLarge);
        }

        int firstDot = token.IndexOf('.', StringComparison.Ordinal);
        int secondDot = firstDot < 0 ? -1 : token.IndexOf('.', firstDot + 1);
        if (firstDot <= 0 || secondDot < 0 || secondDot == firstDot + 1 || secondDot == token.Length - 1
            || token.IndexOf('.', secondDot + 1) >= 0)
        {
            return JwtReadResult.Failure(JwtReadError.Malformed);
        }

        ReadOnlySpan<char> headerText = token.AsSpan(0, firstDot);
        ReadOnlySpan<char> payloadText = token.AsSpan(firstDot + 1, secondDot - firstDot - 1);
        ReadOnlySpan<char> signatureText = token.AsSpan(secondDot + 1);
        if (!TryDecode(headerText, out byte[] header)
            || !TryDecode(payloadText, out byte[] payload)
            || !TryDecode(signatureText, out byte[] signature))
        {
            return JwtReadResult.Failure(JwtReadError.Malformed);
        }

        string kid;
        try
        {
            using JsonDocument headerDocument = JsonDocument.Parse(header, DocumentOptions);
            JsonElement root = headerDocument.RootElement;
            if (root.ValueKind != JsonValueKind.Object || root.TryGetProperty("crit", out _))
            {
                return JwtReadResult.Failure(JwtReadError.Malformed);
            }

            if (!root.TryGetProperty("alg", out JsonElement alg) || alg.ValueKind != JsonValueKind.String
                || !alg.ValueEquals(SigningKey.Algorithm))
            {
                return JwtReadResult.Failure(JwtReadError.UnsupportedAlgorithm);
            }

            if (!root.TryGetProperty("kid", out JsonElement kidElement) || kidElement.ValueKind != JsonValueKind.String
                || string.IsNullOrEmpty(kid = kidElement.GetString()!))
            {
                return JwtReadResult.Failure(JwtReadError.UnknownKey);
            }
        }
        catch (JsonException)
        {
            return JwtReadResult.Failure(JwtReadError.Malformed);
        }

        Verifier? verify = resolve(kid);
        if (verify is null)
        {
            return JwtReadResult.Failure(JwtReadError.UnknownKey, kid);
        }

        byte[] signingInput = Encoding.ASCII.GetBytes(token, 0, secondDot);
        bool verified;
        try
        {
            verified = verify(signingInput, signature);
        }
        catch (CryptographicException)
        {
            verified = false;
        }

        if (!verified)
        {
            return JwtReadResult.Failure(JwtReadError.InvalidSignature, kid);
        }

        try
        {
            using JsonDocument payloadDocument = JsonDocument.Parse(payload, DocumentOptions);
            return payloadDocument.RootElement.ValueKind == JsonValueKind.Object
                ? JwtReadResult.Success(kid, payloadDocument.RootElement.Clone())
                : JwtReadResult.Failure(JwtReadError.Malformed, kid);
        }
        catch (JsonException)
        {
            return JwtReadResult.Failure(JwtReadError.Malformed, kid);
        }
    }

    /// <summary>Strict base64url (RFC 7515 §2): alphabet A–Z a–z 0–9 - _ only, no padding or whitespace, canonical trailing bits.</summary>
    private static bool TryDecode(ReadOnlySpan<char> text, out byte[] bytes)
    {
        bytes = [];
        if (text.IsEmpty || (text.Length & 3) == 1 || text.ContainsAnyExcept(Base64UrlAlphabet))
        {
            return false;
        }

        // Reject non-canonical encodings (unused low bits of the last character must be zero),
        // so one token has exactly one textual form.
        int last = Base64UrlValue(text[^1]);
        if (((text.Length & 3) == 2 && (last & 0x0f) != 0) || ((text.Length & 3) == 3 && (last & 0x03) != 0))
        {
            return false;
        }

        try
        {
            bytes = Base64Url.DecodeFromChars(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static int Base64UrlValue(char c) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= 'a' and <= 'z' => c - 'a' + 26,
        >= '0' and <= '9' => c - '0' + 52,
        '-' => 62,
        _ => 63,
    };
}
