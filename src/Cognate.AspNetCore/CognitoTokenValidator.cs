using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Cognate.AspNetCore;

/// <summary>The outcome of <see cref="CognitoTokenValidator.ValidateAsync"/>: the token's claims, or a fixed failure reason.</summary>
public readonly struct CognitoTokenValidationResult
{
    CognitoTokenValidationResult(string? failure, JsonElement payload)
    {
        Failure = failure;
        Payload = payload;
    }

    /// <summary>True when every check passed.</summary>
    public bool Succeeded => Failure is null;

    /// <summary>Why the token was refused (one of the <see cref="CognitoTokenValidator"/> reason constants, never token content), or null.</summary>
    public string? Failure { get; }

    /// <summary>The verified payload (a JSON object; <c>default</c> on failure).</summary>
    public JsonElement Payload { get; }

    internal static CognitoTokenValidationResult Fail(string reason) => new(reason, default);

    internal static CognitoTokenValidationResult Ok(JsonElement payload) => new(null, payload);
}

/// <summary>
/// Validates Cognito ID and access tokens the way aws-jwt-verify's <c>CognitoJwtVerifier</c> does (reference §6.9; AWS,
/// "Verifying a JSON Web Token", https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html):
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>Structure: a JWS compact serialisation (RFC 7515 §7.1) of three base64url segments, at most 16 KiB, header and payload JSON objects
/// (duplicate members refused).</item>
/// <item>Header: <c>alg</c> exactly <c>RS256</c> (RFC 7518 §3.3) — pinned, so <c>none</c> and HS256 keyed with the public key
/// (the classic algorithm-confusion attack, RFC 8725 §2.1/§3.1) never reach a verifier; <c>kid</c> a string; no <c>crit</c> (RFC 7515 §4.1.11).</item>
/// <item><c>iss</c> equals the configured issuer exactly (checked before any key lookup, so foreign tokens never cause a key-set fetch).</item>
/// <item><c>token_use</c> equals the configured use; access tokens: <c>client_id</c> is an allowed client; ID tokens: <c>aud</c>
/// (string or array) contains an allowed client.</item>
/// <item><c>exp</c> a number and in the future, <c>nbf</c> (if present) reached, <c>iat</c> (if present) a number not in the future, each with
/// the configured clock skew (RFC 7519 §4.1.4–4.1.6); <c>scope</c>, if present, a string; <c>cognito:groups</c>, if present, an array of strings.</item>
/// <item>Signature: RSASSA-PKCS1-v1_5 SHA-256 by the JWKS key named by <c>kid</c> (RFC 7518 §3.3), the signature exactly the modulus length.</item>
/// </list>
/// <para>Verified-token cache (<see cref="CognitoJwtBearerOptions.TokenCacheSize"/>, on by default): a client sends the same access token
/// on every request until it expires, so a token that passed every check above is remembered, keyed by the exact token string (ordinal,
/// whole string — never a hash or a prefix of it: another string, even one decoding to the same bytes, is a miss and goes through every
/// check). A hit costs a dictionary lookup instead of a base64 decode, a JSON parse and an RSA verify, and still re-checks what can change
/// since the token was verified:</para>
/// <list type="bullet">
/// <item>time: <c>exp</c>, <c>nbf</c> and <c>iat</c> against the current clock, with the same skew (an expired token is refused and forgotten);</item>
/// <item>the key: the <c>kid</c> must still name, in the key set held now, the very key that verified the token (looked up without a
/// fetch). A key dropped or replaced by a key-set refetch invalidates the tokens it verified; they go through every check again.</item>
/// </list>
/// <para>Everything else the checks read (header, issuer, token use, client, claim types, signature) is part of the token string itself,
/// and the issuer, token use and clients accepted are fixed for the validator's lifetime. Only successes are cached, so refused tokens
/// cannot pin memory, and the cache is bounded. Revocation (Cognito's <c>RevokeToken</c>, <c>GlobalSignOut</c>) is not something JWT
/// validation sees, cached or not: aws-jwt-verify does not check it either; an API that must honour it calls <c>GetUser</c> (which does).</para>
/// Instances are thread-safe and meant to live as long as the application (they own the key cache and the verified-token cache).
/// </remarks>
public sealed class CognitoTokenValidator
{
    /// <summary>Failure: not a well-formed JWS.</summary>
    public const string Malformed = "The token is malformed.";
    /// <summary>Failure: <c>alg</c> is not RS256 or the header is not acceptable.</summary>
    public const string BadAlgorithm = "The token algorithm is not accepted.";
    /// <summary>Failure: wrong issuer.</summary>
    public const string BadIssuer = "The token was not issued by the expected user pool.";
    /// <summary>Failure: wrong token_use.</summary>
    public const string BadTokenUse = "The token use is not accepted.";
    /// <summary>Failure: client_id / aud not allowed.</summary>
    public const string BadClient = "The token was not issued to an accepted client.";
    /// <summary>Failure: expired.</summary>
    public const string Expired = "The token has expired.";
    /// <summary>Failure: not yet valid (<c>nbf</c> or <c>iat</c> in the future).</summary>
    public const string NotYetValid = "The token is not valid yet.";
    /// <summary>Failure: a claim has the wrong type or is missing.</summary>
    public const string BadClaims = "The token claims are invalid.";
    /// <summary>Failure: the kid is not in the key set.</summary>
    public const string UnknownKey = "The token signing key is unknown.";
    /// <summary>Failure: the signature does not verify.</summary>
    public const string BadSignature = "The token signature is invalid.";

    /// <summary>Longest token accepted, in characters.</summary>
    public const int MaxTokenLength = 16 * 1024;

    static readonly JsonDocumentOptions StrictJson = new() { MaxDepth = 16, AllowDuplicateProperties = false };

    readonly string issuer;
    readonly string tokenUse;
    readonly string[] clientIds;
    readonly bool anyClient;
    readonly long skewSeconds;
    readonly TimeProvider time;
    readonly VerifiedTokenCache? cache;

    /// <summary>Creates a validator for the pool and clients in <paramref name="options"/>.</summary>
    /// <param name="options">Validated options (see <see cref="CognitoJwtBearerOptions.Validate()"/>).</param>
    /// <param name="keys">The pool's key cache.</param>
    /// <param name="time">Clock; null: <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="InvalidOperationException">The options are invalid.</exception>
    public CognitoTokenValidator(CognitoJwtBearerOptions options, JwksCache keys, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        issuer = options.ExpectedIssuer;
        tokenUse = options.TokenUse == CognitoTokenUse.Access ? "access" : "id";
        TokenUse = options.TokenUse;
        clientIds = [.. options.ClientIds];
        anyClient = options.AllowAnyClient;
        skewSeconds = (long)options.ClockSkew.TotalSeconds;
        Keys = keys;
        this.time = time ?? TimeProvider.System;
        if (options.TokenCacheSize > 0) cache = new VerifiedTokenCache(options.TokenCacheSize, skewSeconds);
    }

    /// <summary>Verified tokens held by the cache now (0 when <see cref="CognitoJwtBearerOptions.TokenCacheSize"/> is 0; diagnostics and tests).</summary>
    public int CachedTokenCount => cache?.Count ?? 0;

    /// <summary>The key cache.</summary>
    public JwksCache Keys { get; }

    /// <summary>The token use accepted.</summary>
    public CognitoTokenUse TokenUse { get; }

    /// <summary>Runs every check on <paramref name="token"/>. Completes synchronously unless the key set must be fetched.</summary>
    /// <param name="token">The compact JWS (no <c>Bearer </c> prefix).</param>
    /// <param name="ct">Cancels a key-set fetch.</param>
    public ValueTask<CognitoTokenValidationResult> ValidateAsync(string token, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (token.Length > MaxTokenLength) return new(CognitoTokenValidationResult.Fail(Malformed));
        if (cache is not null && FromCache(token) is { } cached) return new(cached);
        int dot1 = token.IndexOf('.', StringComparison.Ordinal);
        int dot2 = dot1 < 0 ? -1 : token.IndexOf('.', dot1 + 1);
        if (dot1 <= 0 || dot2 <= dot1 + 1 || dot2 == token.Length - 1 || token.IndexOf('.', dot2 + 1) >= 0)
            return new(CognitoTokenValidationResult.Fail(Malformed));

        var header = ReadHeader(token.AsSpan(0, dot1), out var kid);
        if (header is not null) return new(CognitoTokenValidationResult.Fail(header));

        JsonElement payload;
        try
        {
            payload = ParsePayload(token.AsSpan(dot1 + 1, dot2 - dot1 - 1));
        }
        catch (FormatException) { return new(CognitoTokenValidationResult.Fail(Malformed)); }
        catch (JsonException) { return new(CognitoTokenValidationResult.Fail(Malformed)); }
        if (payload.ValueKind != JsonValueKind.Object) return new(CognitoTokenValidationResult.Fail(Malformed));

        var claims = CheckClaims(payload, out var times);
        if (claims is not null) return new(CognitoTokenValidationResult.Fail(claims));

        if (Keys.TryGetKey(kid!, out var key)) return new(VerifyAndRemember(token, dot2, kid!, key, payload, times));
        return FetchAndVerifyAsync(token, dot2, kid!, payload, times, ct);
    }

    /// <summary>
    /// The answer for a cached token, or null when it is not cached or its key no longer stands (then it goes through every check).
    /// </summary>
    CognitoTokenValidationResult? FromCache(string token)
    {
        long now = time.GetUtcNow().ToUnixTimeSeconds();
        if (!cache!.TryGet(token, now, out var entry)) return null;
        string? failure = IsExpired(entry.Exp, now) ? Expired
            : IsInFuture(entry.Nbf, now) || IsInFuture(entry.Iat, now) ? NotYetValid
            : null;
        if (failure is not null)
        {
            cache.Remove(token, entry);
            return CognitoTokenValidationResult.Fail(failure);
        }
        if (!Keys.TryGetKey(entry.Kid, out var key) || !ReferenceEquals(key, entry.Key))
        {
            cache.Remove(token, entry);
            return null;
        }
        return CognitoTokenValidationResult.Ok(entry.Payload);
    }

    async ValueTask<CognitoTokenValidationResult> FetchAndVerifyAsync(string token, int dot2, string kid, JsonElement payload, TokenTimes times, CancellationToken ct)
    {
        var key = await Keys.GetKeyAsync(kid, ct).ConfigureAwait(false);
        return key is null ? CognitoTokenValidationResult.Fail(UnknownKey) : VerifyAndRemember(token, dot2, kid, key, payload, times);
    }

    CognitoTokenValidationResult VerifyAndRemember(string token, int dot2, string kid, RSA key, JsonElement payload, TokenTimes times)
    {
        var result = Verify(token, dot2, key, payload);
        if (result.Succeeded && cache is not null)
        {
            cache.Add(token, new VerifiedToken(payload, kid, key, times.Exp, times.Nbf, times.Iat), time.GetUtcNow().ToUnixTimeSeconds());
        }
        return result;
    }

    static CognitoTokenValidationResult Verify(string token, int dot2, RSA key, JsonElement payload)
    {
        var sigChars = token.AsSpan(dot2 + 1);
        Span<byte> signature = stackalloc byte[1024];
        if (Base64Url.GetMaxDecodedLength(sigChars.Length) > signature.Length) return CognitoTokenValidationResult.Fail(BadSignature);
        if (Base64Url.DecodeFromChars(sigChars, signature, out _, out int sigLength) != OperationStatus.Done)
            return CognitoTokenValidationResult.Fail(BadSignature);
        if (sigLength != (key.KeySize + 7) / 8) return CognitoTokenValidationResult.Fail(BadSignature);

        byte[]? rented = null;
        Span<byte> signed = dot2 <= 4096 ? stackalloc byte[dot2] : (rented = ArrayPool<byte>.Shared.Rent(dot2)).AsSpan(0, dot2);
        try
        {
            // The segments were base64url-decoded successfully, so they are ASCII: one byte per char.
            Encoding.ASCII.GetBytes(token.AsSpan(0, dot2), signed);
            return key.VerifyData(signed, signature[..sigLength], HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                ? CognitoTokenValidationResult.Ok(payload)
                : CognitoTokenValidationResult.Fail(BadSignature);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    static string? ReadHeader(ReadOnlySpan<char> encoded, out string? kid)
    {
        kid = null;
        Span<byte> buffer = stackalloc byte[1024];
        if (Base64Url.GetMaxDecodedLength(encoded.Length) > buffer.Length) return Malformed;
        if (Base64Url.DecodeFromChars(encoded, buffer, out _, out int length) != OperationStatus.Done) return Malformed;
        string? alg = null;
        try
        {
            var reader = new Utf8JsonReader(buffer[..length], new JsonReaderOptions { MaxDepth = 8 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return Malformed;
            bool sawAlg = false, sawKid = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("alg"u8))
                {
                    if (sawAlg || !reader.Read() || reader.TokenType != JsonTokenType.String) return BadAlgorithm;
                    sawAlg = true;
                    alg = reader.ValueTextEquals("RS256"u8) ? "RS256" : null;
                }
                else if (reader.ValueTextEquals("kid"u8))
                {
                    if (sawKid || !reader.Read() || reader.TokenType != JsonTokenType.String) return Malformed;
                    sawKid = true;
                    kid = reader.GetString();
                }
                else if (reader.ValueTextEquals("crit"u8))
                {
                    return BadAlgorithm;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read()) return Malformed;
        }
        catch (JsonException) { return Malformed; }
        if (alg is null) return BadAlgorithm;
        return string.IsNullOrEmpty(kid) ? Malformed : null;
    }

    static JsonElement ParsePayload(ReadOnlySpan<char> encoded)
    {
        byte[] bytes = Base64Url.DecodeFromChars(encoded);
        using var doc = JsonDocument.Parse(bytes, StrictJson);
        return doc.RootElement.Clone();
    }

    /// <summary><c>exp</c>, <c>nbf</c> and <c>iat</c> in Unix seconds; absent <c>nbf</c>/<c>iat</c> are <see cref="double.NegativeInfinity"/>.</summary>
    readonly record struct TokenTimes(double Exp, double Nbf, double Iat);

    bool IsExpired(double exp, long now) => exp + skewSeconds <= now;

    bool IsInFuture(double nbfOrIat, long now) => nbfOrIat > now + skewSeconds;

    string? CheckClaims(JsonElement p, out TokenTimes times)
    {
        times = default;
        if (!p.TryGetProperty("iss"u8, out var iss) || iss.ValueKind != JsonValueKind.String || !iss.ValueEquals(issuer)) return BadIssuer;
        if (!p.TryGetProperty("token_use"u8, out var use) || use.ValueKind != JsonValueKind.String || !use.ValueEquals(tokenUse)) return BadTokenUse;
        if (!anyClient && !ClientAllowed(p)) return BadClient;

        long now = time.GetUtcNow().ToUnixTimeSeconds();
        if (!p.TryGetProperty("exp"u8, out var exp) || exp.ValueKind != JsonValueKind.Number) return BadClaims;
        double expValue = exp.GetDouble(), nbfValue = double.NegativeInfinity, iatValue = double.NegativeInfinity;
        if (IsExpired(expValue, now)) return Expired;
        if (p.TryGetProperty("nbf"u8, out var nbf))
        {
            if (nbf.ValueKind != JsonValueKind.Number) return BadClaims;
            nbfValue = nbf.GetDouble();
            if (IsInFuture(nbfValue, now)) return NotYetValid;
        }
        if (p.TryGetProperty("iat"u8, out var iat))
        {
            if (iat.ValueKind != JsonValueKind.Number) return BadClaims;
            iatValue = iat.GetDouble();
            if (IsInFuture(iatValue, now)) return NotYetValid;
        }
        if (p.TryGetProperty("scope"u8, out var scope) && scope.ValueKind != JsonValueKind.String) return BadClaims;
        if (p.TryGetProperty("cognito:groups"u8, out var groups))
        {
            if (groups.ValueKind != JsonValueKind.Array) return BadClaims;
            foreach (var g in groups.EnumerateArray()) if (g.ValueKind != JsonValueKind.String) return BadClaims;
        }
        if (!p.TryGetProperty("sub"u8, out var sub) || sub.ValueKind != JsonValueKind.String) return BadClaims;
        times = new TokenTimes(expValue, nbfValue, iatValue);
        return null;
    }

    bool ClientAllowed(JsonElement p)
    {
        if (TokenUse == CognitoTokenUse.Access)
        {
            return p.TryGetProperty("client_id"u8, out var c) && c.ValueKind == JsonValueKind.String && Allowed(c);
        }
        if (!p.TryGetProperty("aud"u8, out var aud)) return false;
        if (aud.ValueKind == JsonValueKind.String) return Allowed(aud);
        if (aud.ValueKind != JsonValueKind.Array) return false;
        foreach (var a in aud.EnumerateArray()) if (a.ValueKind == JsonValueKind.String && Allowed(a)) return true;
        return false;
    }

    bool Allowed(JsonElement value)
    {
        foreach (var id in clientIds) if (value.ValueEquals(id)) return true;
        return false;
    }
}
