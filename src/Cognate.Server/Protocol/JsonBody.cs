using System.Text.Json;
using System.Text.Unicode;
using Cognate.Core.Errors;

namespace Cognate.Server.Protocol;

/// <summary>
/// Parses an AWS JSON 1.1 request body into a <see cref="JsonDocument"/>, refusing with <c>SerializationException</c>
/// (400) whatever <see cref="JsonDocument"/> would accept but could not later turn into .NET strings: bytes that are not
/// UTF-8 (inside string values and member names too, where the parser does not look) and <c>\uXXXX</c> escapes that
/// leave a surrogate unpaired (<c>"\ud800"</c>). Also refuses malformed JSON and nesting deeper than
/// <see cref="MaxDepth"/>. An empty body is <c>{}</c>. After this, every string and member name of the document can be
/// read with <see cref="JsonElement.GetString"/> and <see cref="JsonProperty.Name"/> without an exception.
/// </summary>
internal static class JsonBody
{
    /// <summary>Deepest accepted nesting of objects and arrays (Cognito's deepest input shape needs 5).</summary>
    public const int MaxDepth = 32;

    static readonly byte[] EmptyObject = "{}"u8.ToArray();

    /// <summary>Parses <paramref name="body"/>; the caller disposes the document.</summary>
    /// <exception cref="CognitoException"><c>SerializationException</c> for anything that is not well-formed UTF-8 JSON.</exception>
    public static JsonDocument Parse(byte[] body)
    {
        if (body.Length == 0) return JsonDocument.Parse(EmptyObject);
        if (!Utf8.IsValid(body)) throw Serialization("The request body is not valid UTF-8.");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException)
        {
            throw Serialization("The request body is not valid JSON.");
        }
        // Escapes are decoded lazily by JsonDocument; only a body with a \u escape can hide an unpaired surrogate.
        if (body.AsSpan().IndexOf("\\u"u8) >= 0 && !EscapesDecode(body))
        {
            doc.Dispose();
            throw Serialization("The request body contains an invalid \\u escape (unpaired UTF-16 surrogate).");
        }
        return doc;
    }

    /// <summary>Whether every escaped string and member name decodes to valid UTF-16.</summary>
    static bool EscapesDecode(byte[] body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = MaxDepth });
        Span<char> scratch = stackalloc char[256];
        while (reader.Read())
        {
            if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName) || !reader.ValueIsEscaped) continue;
            try
            {
                if (reader.ValueSpan.Length <= scratch.Length) reader.CopyString(scratch);
                else reader.GetString();
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }
        return true;
    }

    static CognitoException Serialization(string message) => new(new CognitoError("SerializationException", message));
}
