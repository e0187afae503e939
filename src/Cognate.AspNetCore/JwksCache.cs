using System.Buffers.Text;
using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text.Json;

namespace Cognate.AspNetCore;

/// <summary>
/// The user pool's JSON Web Key Set (RFC 7517), fetched on first use and kept in memory. A token whose <c>kid</c> is not
/// in the cached set triggers one refetch (so a key the issuer has rotated in is picked up without a restart); refetches
/// are at most one per <c>refreshInterval</c> and shared by concurrent callers, so a flood of tokens with bogus kids
/// costs the issuer at most one request per interval (aws-jwt-verify's <c>SimpleJwksCache</c> + <c>SimplePenaltyBox</c>, reference §6.9).
/// </summary>
/// <remarks>
/// Only keys usable for RS256 are kept: <c>kty</c> RSA, <c>use</c> absent or <c>sig</c>, <c>alg</c> absent or RS256, modulus of at
/// least 2048 bits. A response larger than 256 KiB, or not a key set, fails the fetch and keeps the previous keys.
/// </remarks>
public sealed class JwksCache : IDisposable
{
    /// <summary>Largest key-set document read, in bytes.</summary>
    public const int MaxDocumentBytes = 256 * 1024;

    const int MinModulusBytes = 256;
    readonly Uri uri;
    readonly HttpClient http;
    readonly bool ownsHttp;
    readonly TimeSpan refreshInterval;
    readonly TimeProvider time;
    readonly Lock gate = new();
    FrozenDictionary<string, RSA> keys = FrozenDictionary<string, RSA>.Empty;
    Task? inflight;
    long lastFetchStarted;
    bool fetchedOnce;
    int fetchCount;

    /// <summary>Creates the cache for <paramref name="jwksUri"/>.</summary>
    /// <param name="jwksUri">The key-set URL, e.g. <c>https://cognito-idp.us-east-1.amazonaws.com/us-east-1_X/.well-known/jwks.json</c>.</param>
    /// <param name="httpClient">Client for the fetches; null: an own client (disposed with the cache).</param>
    /// <param name="refreshInterval">Least time between two fetches (the penalty box).</param>
    /// <param name="time">Clock; null: <see cref="TimeProvider.System"/>.</param>
    public JwksCache(Uri jwksUri, HttpClient? httpClient = null, TimeSpan? refreshInterval = null, TimeProvider? time = null)
    {
        uri = jwksUri;
        ownsHttp = httpClient is null;
        http = httpClient ?? new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(10) };
        this.refreshInterval = refreshInterval ?? TimeSpan.FromSeconds(10);
        this.time = time ?? TimeProvider.System;
    }

    /// <summary>Number of key-set fetches started so far (diagnostics and tests).</summary>
    public int FetchCount => Volatile.Read(ref fetchCount);

    /// <summary>The kids currently cached.</summary>
    public IReadOnlyCollection<string> KeyIds => keys.Keys;

    /// <summary>The cached key for <paramref name="kid"/>, without any I/O.</summary>
    public bool TryGetKey(string kid, out RSA key) => keys.TryGetValue(kid, out key!);

    /// <summary>The key for <paramref name="kid"/>, fetching the key set once if it is not cached and the penalty box allows.</summary>
    /// <returns>The RSA public key, or null when the kid is unknown to the issuer or a fetch is not allowed yet.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled.</exception>
    public async ValueTask<RSA?> GetKeyAsync(string kid, CancellationToken ct = default)
    {
        if (keys.TryGetValue(kid, out var key)) return key;
        Task fetch;
        lock (gate)
        {
            if (inflight is not null)
            {
                fetch = inflight;
            }
            else
            {
                if (fetchedOnce && time.GetElapsedTime(lastFetchStarted) < refreshInterval) return null;
                fetchedOnce = true;
                lastFetchStarted = time.GetTimestamp();
                Interlocked.Increment(ref fetchCount);
                inflight = fetch = FetchAndClearAsync();
            }
        }
        await fetch.WaitAsync(ct).ConfigureAwait(false);
        return keys.TryGetValue(kid, out key) ? key : null;
    }

    async Task FetchAndClearAsync()
    {
        try
        {
            await Task.Yield();
            using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode) return;
            if (response.Content.Headers.ContentLength > MaxDocumentBytes) return;
            await using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > MaxDocumentBytes) return;
                buffer.Write(chunk, 0, read);
            }
            var parsed = Parse(buffer.ToArray(), keys);
            if (parsed is not null) keys = parsed;
        }
        catch (HttpRequestException) { }
        catch (TaskCanceledException) { }
        catch (JsonException) { }
        finally
        {
            lock (gate) inflight = null;
        }
    }

    /// <summary>Parses a key set, reusing <paramref name="previous"/> RSA objects for unchanged kids; null when the document is not a key set.</summary>
    internal static FrozenDictionary<string, RSA>? Parse(byte[] json, FrozenDictionary<string, RSA> previous)
    {
        using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
        if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("keys", out var list) || list.ValueKind != JsonValueKind.Array) return null;
        var result = new Dictionary<string, RSA>(StringComparer.Ordinal);
        foreach (var jwk in list.EnumerateArray())
        {
            if (jwk.ValueKind != JsonValueKind.Object || result.Count >= 100) continue;
            if (Str(jwk, "kty") != "RSA" || Str(jwk, "kid") is not { Length: > 0 } kid || result.ContainsKey(kid)) continue;
            if (Str(jwk, "use") is { } use && use != "sig") continue;
            if (Str(jwk, "alg") is { } alg && alg != "RS256") continue;
            if (Str(jwk, "n") is not { } n || Str(jwk, "e") is not { } e) continue;
            byte[] modulus, exponent;
            try
            {
                modulus = Base64Url.DecodeFromChars(n).AsSpan().TrimStart((byte)0).ToArray();
                exponent = Base64Url.DecodeFromChars(e).AsSpan().TrimStart((byte)0).ToArray();
            }
            catch (FormatException) { continue; }
            if (modulus.Length < MinModulusBytes || modulus.Length > 1024 || exponent.Length is 0 or > 8) continue;
            if (previous.TryGetValue(kid, out var existing) && SameKey(existing, modulus, exponent))
            {
                result[kid] = existing;
                continue;
            }
            var rsa = RSA.Create();
            try
            {
                rsa.ImportParameters(new RSAParameters { Modulus = modulus, Exponent = exponent });
                result[kid] = rsa;
            }
            catch (CryptographicException)
            {
                rsa.Dispose();
            }
        }
        // Replaced RSA objects are not disposed: a verification on another thread may still hold one; the GC releases them.
        return result.ToFrozenDictionary(StringComparer.Ordinal);
    }

    static bool SameKey(RSA rsa, byte[] modulus, byte[] exponent)
    {
        var p = rsa.ExportParameters(false);
        return p.Modulus.AsSpan().SequenceEqual(modulus) && p.Exponent.AsSpan().SequenceEqual(exponent);
    }

    static string? Str(JsonElement o, string name) => o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>Disposes the own HTTP client, if any.</summary>
    public void Dispose()
    {
        if (ownsHttp) http.Dispose();
    }
}
