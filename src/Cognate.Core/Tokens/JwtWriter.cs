using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Cognate.Core.Tokens;

/// <summary>
/// Produces compact JWS tokens (RFC 7515 §7.1) signed with RS256 (RFC 7518 §3.3), shaped like Cognito's ID and
/// access tokens: header exactly <c>{"kid":"…","alg":"RS256"}</c>, base64url without padding (reference §6.1).
/// Thread-safe.
/// </summary>
public static class JwtWriter
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // JWT payloads are never embedded raw in HTML; keep "+", "'", non-ASCII etc. unescaped like other issuers.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
    };

    /// <summary>
    /// Signs a payload written by a callback. The callback writes the claims only: it is called between
    /// <c>WriteStartObject()</c> and <c>WriteEndObject()</c> of the payload object.
    /// </summary>
    /// <param name="key">The signing key (its kid goes in the header).</param>
    /// <param name="writeClaims">Writes the claims, e.g. <c>w =&gt; { w.WriteString("sub", id); w.WriteNumber("exp", exp); }</c>.</param>
    /// <returns>The compact JWS <c>header.payload.signature</c>.</returns>
    /// <exception cref="InvalidOperationException">The callback wrote invalid JSON (e.g. a value without a name).</exception>
    /// <exception cref="System.Security.Cryptography.CryptographicException">Signing failed.</exception>
    public static string Sign(SigningKey key, Action<Utf8JsonWriter> writeClaims)
    {
        ArgumentNullException.ThrowIfNull(writeClaims);
        return Sign(key, writeClaims, static (writer, callback) => callback(writer));
    }

    /// <summary>As <see cref="Sign(SigningKey, Action{Utf8JsonWriter})"/>, passing state to a static callback to avoid closures on hot paths.</summary>
    /// <typeparam name="TState">The state type.</typeparam>
    /// <param name="key">The signing key.</param>
    /// <param name="state">Passed to <paramref name="writeClaims"/>.</param>
    /// <param name="writeClaims">Writes the claims (inside the payload object).</param>
    /// <returns>The compact JWS.</returns>
    public static string Sign<TState>(SigningKey key, TState state, Action<Utf8JsonWriter, TState> writeClaims)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(writeClaims);
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writeClaims(writer, state);
            writer.WriteEndObject();
        }

        return SignPayload(key, buffer.WrittenSpan);
    }

    /// <summary>
    /// Signs an already serialised payload. The bytes must be a UTF-8 JSON object; they are not validated here.
    /// </summary>
    /// <param name="key">The signing key.</param>
    /// <param name="payloadUtf8Json">The payload JSON object, UTF-8.</param>
    /// <returns>The compact JWS.</returns>
    public static string SignPayload(SigningKey key, ReadOnlySpan<byte> payloadUtf8Json)
    {
        ArgumentNullException.ThrowIfNull(key);
        ReadOnlySpan<byte> header = key.EncodedHeader;
        int payloadLength = Base64Url.GetEncodedLength(payloadUtf8Json.Length);
        int signatureLength = Base64Url.GetEncodedLength(key.SignatureLength);
        int signingInputLength = header.Length + 1 + payloadLength;
        int total = signingInputLength + 1 + signatureLength;

        byte[] rented = ArrayPool<byte>.Shared.Rent(total + key.SignatureLength);
        try
        {
            Span<byte> token = rented.AsSpan(0, total);
            header.CopyTo(token);
            token[header.Length] = (byte)'.';
            Base64Url.EncodeToUtf8(payloadUtf8Json, token.Slice(header.Length + 1, payloadLength), out _, out _);
            token[signingInputLength] = (byte)'.';

            Span<byte> signature = rented.AsSpan(total, key.SignatureLength);
            int written = key.Sign(token[..signingInputLength], signature);
            Base64Url.EncodeToUtf8(signature[..written], token[(signingInputLength + 1)..], out _, out _);
            return Encoding.ASCII.GetString(token);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
