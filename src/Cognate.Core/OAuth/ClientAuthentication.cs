using System.Net;
using System.Security.Cryptography;
using System.Text;
using Cognate.Core.Clients;

namespace Cognate.Core.OAuth;

/// <summary>The client identity a token or revocation request presents: from Basic credentials or the form.</summary>
/// <param name="ClientId">The client id.</param>
/// <param name="ClientSecret">The presented secret, or null (public clients).</param>
public sealed record PresentedClient(string ClientId, string? ClientSecret)
{
    /// <summary>Never prints the secret.</summary>
    public override string ToString() => $"PresentedClient {{ ClientId = {ClientId}, ClientSecret = {(ClientSecret is null ? "none" : "***")} }}";
}

/// <summary>
/// OAuth 2.0 client authentication (RFC 6749 §2.3.1): <c>client_secret_basic</c> (<c>Authorization: Basic</c> with the
/// form-URL-encoded id and secret) and <c>client_secret_post</c> (<c>client_id</c> + <c>client_secret</c> in the body).
/// Both may be sent together (Cognito is lenient, reference §9.4); Basic wins and the body's <c>client_id</c>, if any,
/// must name the same client.
/// </summary>
public static class ClientAuthentication
{
    /// <summary>Longest Authorization header value looked at (a 26-character id and a 51-character secret need about 120).</summary>
    const int MaxHeaderLength = 2048;

    /// <summary>Reads the client identity from the request.</summary>
    /// <param name="authorization">The <c>Authorization</c> header value, or null.</param>
    /// <param name="formClientId">The body's <c>client_id</c>, or null.</param>
    /// <param name="formClientSecret">The body's <c>client_secret</c>, or null.</param>
    /// <returns>The presented client, or <c>invalid_client</c> (malformed Basic credentials, no client id, two different ids).</returns>
    public static OAuthOutcome<PresentedClient> Read(string? authorization, string? formClientId, string? formClientSecret)
    {
        if (authorization is not null && authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            var basic = ParseBasic(authorization);
            if (basic is null) return OAuthOutcome<PresentedClient>.Fail(OAuthErrors.InvalidClient);
            if (!string.IsNullOrEmpty(formClientId) && !string.Equals(formClientId, basic.ClientId, StringComparison.Ordinal))
            {
                return OAuthOutcome<PresentedClient>.Fail(OAuthErrors.InvalidClient);
            }
            return OAuthOutcome<PresentedClient>.Ok(basic);
        }
        if (string.IsNullOrEmpty(formClientId)) return OAuthOutcome<PresentedClient>.Fail(OAuthErrors.InvalidClient);
        return OAuthOutcome<PresentedClient>.Ok(new PresentedClient(formClientId, string.IsNullOrEmpty(formClientSecret) ? null : formClientSecret));
    }

    /// <summary>
    /// <c>Basic base64(urlencode(id) ":" urlencode(secret))</c> (RFC 6749 §2.3.1, RFC 7617): null when the base64, the
    /// UTF-8 or the colon is missing, or the id is empty. Raw (not URL-encoded) credentials decode to themselves unless they
    /// contain <c>%</c> or <c>+</c>, as with any RFC-conforming server.
    /// </summary>
    public static PresentedClient? ParseBasic(string authorization)
    {
        if (authorization.Length > MaxHeaderLength) return null;
        var encoded = authorization.AsSpan(6).Trim();
        var buffer = new byte[(encoded.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64Chars(encoded, buffer, out int written)) return null;
        string text;
        try { text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer, 0, written); }
        catch (DecoderFallbackException) { return null; }
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0) return null;
        var id = WebUtility.UrlDecode(text[..colon]);
        var secret = WebUtility.UrlDecode(text[(colon + 1)..]);
        return id.Length == 0 ? null : new PresentedClient(id, secret.Length == 0 ? null : secret);
    }

    /// <summary>
    /// Checks the presented secret against the client's: a confidential client must present its secret, a public client
    /// must present none. The comparison is constant-time over SHA-256 digests, so neither the content nor the length of
    /// the stored secret shows in the timing.
    /// </summary>
    /// <returns>True when the client is authenticated.</returns>
    public static bool Verify(AppClient client, string? presentedSecret)
    {
        if (client.ClientSecret is null) return presentedSecret is null;
        if (presentedSecret is null) return false;
        return MatchesAnySecret(client, presentedSecret);
    }

    /// <summary>
    /// True when <paramref name="presented"/> equals any current secret of the client (<see cref="AppClient.Secrets"/>; a client
    /// may have two during rotation). Every secret is compared, in constant time, whichever matches.
    /// </summary>
    public static bool MatchesAnySecret(AppClient client, string presented)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(presented);
        bool match = false;
        foreach (var secret in client.Secrets) match |= SecretsEqual(secret.Value, presented);
        return match;
    }

    /// <summary>Constant-time equality of two secrets (compares their SHA-256 digests with <see cref="CryptographicOperations.FixedTimeEquals"/>).</summary>
    public static bool SecretsEqual(string expected, string presented)
    {
        Span<byte> a = stackalloc byte[32], b = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(expected), a);
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), b);
        return CryptographicOperations.FixedTimeEquals(a, b);
    }
}
