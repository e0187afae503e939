using System.Buffers.Text;
using System.Text.Json.Nodes;

namespace Cognate.Server.Tests.Infrastructure;

/// <summary>Reads the tokens the server issues, for assertions on their claims (signatures are checked elsewhere, against the JWKS).</summary>
internal static class TestJwt
{
    /// <summary>The claims of a compact JWT: its second segment, base64url-decoded (RFC 7515 §7.1), as a JSON object.</summary>
    public static JsonObject Claims(string jwt)
    {
        ArgumentNullException.ThrowIfNull(jwt);
        return JsonNode.Parse(Base64Url.DecodeFromChars(jwt.Split('.')[1]))!.AsObject();
    }
}
