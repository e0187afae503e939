using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;

namespace Cognate.AspNetCore;

/// <summary>
/// A token that passed every check of <see cref="CognitoTokenValidator"/>: its verified payload, the key that verified it, and its
/// time claims as numbers (seconds since the Unix epoch; <see cref="double.NegativeInfinity"/> when <c>nbf</c>/<c>iat</c> are absent).
/// </summary>
internal sealed class VerifiedToken(JsonElement payload, string kid, RSA key, double exp, double nbf, double iat)
{
    public JsonElement Payload { get; } = payload;
    public string Kid { get; } = kid;
    public RSA Key { get; } = key;
    public double Exp { get; } = exp;
    public double Nbf { get; } = nbf;
    public double Iat { get; } = iat;
}

/// <summary>
/// The bounded map from exact token strings to <see cref="VerifiedToken"/>s behind <see cref="CognitoJwtBearerOptions.TokenCacheSize"/>.
/// </summary>
/// <remarks>
/// <para>Two generations of at most <c>capacity / 2</c> entries each (Envoy jwt_authn's <c>jwt_cache_config</c> plays the same role).
/// New entries go to the current generation; a hit in the previous one moves the entry to the current one, so tokens in use survive.
/// When the current generation is full, expired entries of both generations are dropped; if that freed less than a quarter of the
/// current generation, the previous generation is discarded and the current one becomes the previous. Each of these passes visits at
/// most <c>capacity</c> entries and is followed by at least <c>capacity / 8</c> insertions without one, so insertion is O(1) amortised.</para>
/// <para>Thread-safe: lookups and insertions are lock-free (<see cref="ConcurrentDictionary{TKey, TValue}"/>); the generation pass runs
/// under a lock. A generation may exceed its bound by at most one entry per thread inserting concurrently, so the cache holds at most
/// <c>capacity</c> (rounded up to even) plus that many entries.</para>
/// <para>Keys are compared ordinally, whole string. Only tokens whose signature verified are inserted, so an attacker cannot choose keys
/// to collide hashes without the pool's signing key.</para>
/// </remarks>
internal sealed class VerifiedTokenCache
{
    readonly int generationCapacity;
    readonly long skewSeconds;
    readonly Lock gate = new();
    volatile Generation current = new();
    volatile Generation previous = new();

    /// <param name="capacity">Most entries held (at least 1).</param>
    /// <param name="skewSeconds">Clock skew granted after <c>exp</c>: an entry is dropped once <c>exp + skew &lt;= now</c>.</param>
    public VerifiedTokenCache(int capacity, long skewSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        generationCapacity = (capacity + 1) / 2;
        this.skewSeconds = skewSeconds;
    }

    /// <summary>Entries held now (both generations; approximate while other threads insert or remove).</summary>
    public int Count => Math.Max(0, Volatile.Read(ref current.Count)) + Math.Max(0, Volatile.Read(ref previous.Count));

    /// <summary>The entry for exactly <paramref name="token"/>, promoting it from the previous generation if it was there.</summary>
    /// <param name="token">The exact token string.</param>
    /// <param name="now">Current time, Unix seconds (used if the promotion fills the current generation).</param>
    /// <param name="entry">The entry found.</param>
    public bool TryGet(string token, long now, out VerifiedToken entry)
    {
        if (current.Map.TryGetValue(token, out entry!)) return true;
        var old = previous;
        if (!old.Map.TryGetValue(token, out entry!)) return false;
        if (old.Map.TryRemove(new KeyValuePair<string, VerifiedToken>(token, entry))) Interlocked.Decrement(ref old.Count);
        Add(token, entry, now);
        return true;
    }

    /// <summary>Forgets <paramref name="entry"/> (only that entry: a newer one for the same token is kept).</summary>
    public void Remove(string token, VerifiedToken entry)
    {
        var pair = new KeyValuePair<string, VerifiedToken>(token, entry);
        var gen = current;
        if (gen.Map.TryRemove(pair)) Interlocked.Decrement(ref gen.Count);
        gen = previous;
        if (gen.Map.TryRemove(pair)) Interlocked.Decrement(ref gen.Count);
    }

    /// <summary>Remembers a token that passed every check.</summary>
    /// <param name="token">The exact token string.</param>
    /// <param name="entry">What was verified.</param>
    /// <param name="now">Current time, Unix seconds (for dropping expired entries when the cache is full).</param>
    public void Add(string token, VerifiedToken entry, long now)
    {
        var gen = current;
        if (Volatile.Read(ref gen.Count) >= generationCapacity) gen = MakeRoom(now);
        if (gen.Map.TryAdd(token, entry)) Interlocked.Increment(ref gen.Count);
    }

    /// <summary>The generation to insert into, after dropping expired entries or, failing that, the previous generation.</summary>
    Generation MakeRoom(long now)
    {
        lock (gate)
        {
            var gen = current;
            if (Volatile.Read(ref gen.Count) < generationCapacity) return gen; // another thread made room
            Sweep(gen, now);
            Sweep(previous, now);
            if (Volatile.Read(ref gen.Count) <= generationCapacity - Math.Max(1, generationCapacity / 4)) return gen;
            previous = gen;
            return current = new Generation();
        }
    }

    void Sweep(Generation gen, long now)
    {
        foreach (var pair in gen.Map)
        {
            if (pair.Value.Exp + skewSeconds <= now && gen.Map.TryRemove(pair)) Interlocked.Decrement(ref gen.Count);
        }
    }

    sealed class Generation
    {
        public readonly ConcurrentDictionary<string, VerifiedToken> Map = new(StringComparer.Ordinal);
        public int Count;
    }
}
