using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Cognate.Core.Tokens;

/// <summary>
/// The public JSON Web Key (RFC 7517 §4, RFC 7518 §6.3.1) of an RS256 signing key, as Cognito publishes it in
/// <c>/{userPoolId}/.well-known/jwks.json</c>:
/// <c>{"alg":"RS256","e":"AQAB","kid":"…","kty":"RSA","n":"…","use":"sig"}</c> (reference §6.1).
/// </summary>
/// <param name="Kid">The key id.</param>
/// <param name="N">The modulus, base64url without padding (big-endian, no leading zero).</param>
/// <param name="E">The public exponent, base64url without padding (normally <c>AQAB</c>).</param>
public sealed record PublicJwk(string Kid, string N, string E)
{
    /// <summary>The <c>kty</c> member.</summary>
    public const string KeyType = "RSA";

    /// <summary>The <c>use</c> member.</summary>
    public const string Use = "sig";

    /// <summary>Writes the JWK object with members in Cognito's (alphabetical) order.</summary>
    /// <param name="writer">
    /// The destination. Use <see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/> to keep <c>+</c> in kids unescaped
    /// (the default encoder writes it as <c>+</c>, which is equivalent JSON).
    /// </param>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("alg", SigningKey.Algorithm);
        writer.WriteString("e", E);
        writer.WriteString("kid", Kid);
        writer.WriteString("kty", KeyType);
        writer.WriteString("n", N);
        writer.WriteString("use", Use);
        writer.WriteEndObject();
    }

    /// <summary>Creates an RSA public key from <see cref="N"/> and <see cref="E"/> (for verifying tokens without the private key).</summary>
    /// <returns>A new RSA instance; the caller disposes it.</returns>
    /// <exception cref="CryptographicException"><see cref="N"/> or <see cref="E"/> is not valid base64url or not a valid key.</exception>
    public RSA CreateRsa()
    {
        byte[] modulus;
        byte[] exponent;
        try
        {
            modulus = Base64Url.DecodeFromChars(N);
            exponent = Base64Url.DecodeFromChars(E);
        }
        catch (FormatException ex)
        {
            throw new CryptographicException("JWK n/e are not base64url.", ex);
        }

        var rsa = RSA.Create();
        try
        {
            rsa.ImportParameters(new RSAParameters { Modulus = modulus, Exponent = exponent });
            return rsa;
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads one JWK object. Accepts only <c>kty</c> = RSA with string <c>kid</c>, <c>n</c>, <c>e</c>; if present,
    /// <c>use</c> must be <c>sig</c> and <c>alg</c> must be <c>RS256</c> (as aws-jwt-verify checks, reference §6.1).
    /// </summary>
    /// <param name="element">A JSON object.</param>
    /// <param name="jwk">The key on success.</param>
    /// <returns>True when the element is a usable RS256 JWK.</returns>
    public static bool TryParse(JsonElement element, [NotNullWhen(true)] out PublicJwk? jwk)
    {
        jwk = null;
        if (element.ValueKind != JsonValueKind.Object
            || !TryGetString(element, "kty", out string? kty) || kty != KeyType
            || !TryGetString(element, "kid", out string? kid)
            || !TryGetString(element, "n", out string? n)
            || !TryGetString(element, "e", out string? e))
        {
            return false;
        }

        if ((element.TryGetProperty("use", out JsonElement use) && use.ValueKind != JsonValueKind.Null && (use.ValueKind != JsonValueKind.String || use.GetString() != Use))
            || (element.TryGetProperty("alg", out JsonElement alg) && alg.ValueKind != JsonValueKind.Null && (alg.ValueKind != JsonValueKind.String || alg.GetString() != SigningKey.Algorithm)))
        {
            return false;
        }

        jwk = new PublicJwk(kid, n, e);
        return true;
    }

    private static bool TryGetString(JsonElement element, string name, [NotNullWhen(true)] out string? value)
    {
        value = element.TryGetProperty(name, out JsonElement p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        return !string.IsNullOrEmpty(value);
    }
}

/// <summary>Writes a JSON Web Key Set (RFC 7517 §5): <c>{"keys":[…]}</c>, the body of <c>/.well-known/jwks.json</c>.</summary>
public static class Jwks
{
    /// <summary>Writes <c>{"keys":[jwk, …]}</c>.</summary>
    /// <param name="writer">The destination.</param>
    /// <param name="keys">The public keys to publish (include retired keys until their tokens expire).</param>
    public static void Write(Utf8JsonWriter writer, IEnumerable<PublicJwk> keys)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(keys);
        writer.WriteStartObject();
        writer.WriteStartArray("keys");
        foreach (PublicJwk key in keys)
        {
            key.WriteTo(writer);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Returns the JWKS document as UTF-8 JSON bytes (serve as <c>application/json</c>, HTTP 200).</summary>
    /// <param name="keys">The public keys.</param>
    public static byte[] ToUtf8Json(IEnumerable<PublicJwk> keys)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            Write(writer, keys);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
