using System.Collections.Concurrent;
using Shouldly;
using Xunit;

namespace Cognate.AspNetCore.Tests;

/// <summary>The verified-token cache of <see cref="CognitoTokenValidator"/> (<see cref="CognitoJwtBearerOptions.TokenCacheSize"/>).</summary>
public sealed class VerifiedTokenCacheTests : IDisposable
{
    readonly TestKey key = new();
    readonly JwksHandler jwks = new();
    readonly ManualTime time = new(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
    readonly HttpClient http;

    public VerifiedTokenCacheTests()
    {
        jwks.Keys.Add(key);
        http = new HttpClient(jwks);
    }

    public void Dispose()
    {
        http.Dispose();
        key.Dispose();
    }

    CognitoTokenValidator Validator(int? cacheSize = null)
    {
        var o = new CognitoJwtBearerOptions { UserPoolId = TestKey.PoolId, JwksRefreshInterval = TimeSpan.FromSeconds(10) };
        o.ClientIds.Add(TestKey.ClientId);
        if (cacheSize is { } size) o.TokenCacheSize = size;
        return new CognitoTokenValidator(o, new JwksCache(o.EffectiveJwksUri, http, o.JwksRefreshInterval, time), time);
    }

    static async Task<string?> Failure(CognitoTokenValidator v, string token) =>
        (await v.ValidateAsync(token, TestContext.Current.CancellationToken)).Failure;

    string Token(int i = 0, TestKey? signer = null, TimeSpan? lifetime = null)
    {
        var claims = TestKey.AccessClaims(time.Now);
        claims["jti"] = "jti-" + i;
        if (lifetime is { } l) claims["exp"] = (time.Now + l).ToUnixTimeSeconds();
        return (signer ?? key).Sign(claims);
    }

    [Fact]
    public async Task Validate_SameTokenAgain_ServedFromCacheWithSamePayload()
    {
        var v = Validator();
        var token = Token();
        var first = await v.ValidateAsync(token, TestContext.Current.CancellationToken);
        first.Succeeded.ShouldBeTrue(first.Failure);
        v.CachedTokenCount.ShouldBe(1);
        for (int i = 0; i < 3; i++)
        {
            var again = await v.ValidateAsync(token, TestContext.Current.CancellationToken);
            again.Succeeded.ShouldBeTrue(again.Failure);
            again.Payload.GetProperty("username").GetString().ShouldBe("alice");
            again.Payload.GetProperty("jti").GetString().ShouldBe("jti-0");
        }
        v.CachedTokenCount.ShouldBe(1);
        jwks.Requests.ShouldBe(1);
    }

    [Fact]
    public async Task Validate_CachedTokenPastExp_ExpiredAndForgotten()
    {
        var v = Validator();
        var token = Token();
        (await Failure(v, token)).ShouldBeNull();
        v.CachedTokenCount.ShouldBe(1);

        time.Advance(TimeSpan.FromSeconds(3600 + 20)); // within the 30 s skew: still good, from the cache
        (await Failure(v, token)).ShouldBeNull();
        v.CachedTokenCount.ShouldBe(1);

        time.Advance(TimeSpan.FromSeconds(10));
        (await Failure(v, token)).ShouldBe(CognitoTokenValidator.Expired);
        v.CachedTokenCount.ShouldBe(0);
        (await Failure(v, token)).ShouldBe(CognitoTokenValidator.Expired);
    }

    [Fact]
    public async Task Validate_CachedTokenWhenClockGoesBack_IatInFutureNotYetValid()
    {
        var v = Validator();
        var token = Token();
        (await Failure(v, token)).ShouldBeNull();
        time.Advance(TimeSpan.FromMinutes(-2)); // iat is now 2 minutes ahead, beyond the 30 s skew
        (await Failure(v, token)).ShouldBe(CognitoTokenValidator.NotYetValid);
        v.CachedTokenCount.ShouldBe(0);
    }

    [Fact]
    public async Task Validate_CachedTokenAfterItsKidLeftTheKeySet_UnknownKey()
    {
        var v = Validator();
        var token = Token();
        (await Failure(v, token)).ShouldBeNull();
        v.CachedTokenCount.ShouldBe(1);

        // The issuer rotates: the old key is removed, a new one published. A token of the new key makes the cache refetch the set.
        using var rotated = new TestKey();
        lock (jwks.Keys)
        {
            jwks.Keys.Clear();
            jwks.Keys.Add(rotated);
        }
        time.Advance(TimeSpan.FromSeconds(11));
        (await Failure(v, Token(1, rotated))).ShouldBeNull();
        jwks.Requests.ShouldBe(2);
        v.Keys.KeyIds.ShouldBe([rotated.Kid]);

        (await Failure(v, token)).ShouldBe(CognitoTokenValidator.UnknownKey);
        v.CachedTokenCount.ShouldBe(1); // only the new key's token
        (await Failure(v, token)).ShouldBe(CognitoTokenValidator.UnknownKey);
    }

    [Fact]
    public async Task Validate_CachedTokenAfterItsKidNamesAnotherKey_BadSignature()
    {
        var v = Validator();
        var token = Token();
        (await Failure(v, token)).ShouldBeNull();

        // Same kid, different key material (a compromised key replaced under the same name): the cached verdict no longer stands.
        using var replacement = new TestKey { Kid = key.Kid };
        lock (jwks.Keys)
        {
            jwks.Keys.Clear();
            jwks.Keys.Add(replacement);
        }
        time.Advance(TimeSpan.FromSeconds(11));
        (await Failure(v, key.Sign(TestKey.AccessClaims(time.Now), kid: "not-in-the-set"))).ShouldBe(CognitoTokenValidator.UnknownKey); // triggers the refetch
        jwks.Requests.ShouldBe(2);

        (await Failure(v, token)).ShouldBe(CognitoTokenValidator.BadSignature);
        v.CachedTokenCount.ShouldBe(0);
        (await Failure(v, Token(2, replacement))).ShouldBeNull();
    }

    [Fact]
    public async Task Validate_OneCharChangedWhileOriginalCached_RefusedLikeWithoutCache()
    {
        var cached = Validator();
        var uncached = Validator(cacheSize: 0);
        var token = Token();
        (await Failure(cached, token)).ShouldBeNull();
        int sigStart = token.LastIndexOf('.') + 1;

        for (int i = 0; i < token.Length; i++)
        {
            var tampered = string.Concat(token.AsSpan(0, i), token[i] == 'A' ? "B" : "A", token.AsSpan(i + 1));
            var withCache = await Failure(cached, tampered);
            withCache.ShouldBe(await Failure(uncached, tampered), $"position {i}");
            // Every change is refused, except possibly the signature's last character, whose low bits base64 may not carry.
            if (i != token.Length - 1) withCache.ShouldNotBeNull($"position {i}");
            if (i >= sigStart && i < token.Length - 1) withCache.ShouldBe(CognitoTokenValidator.BadSignature, $"position {i}");
        }

        (await Failure(cached, token)).ShouldBeNull();
        cached.CachedTokenCount.ShouldBeLessThanOrEqualTo(2); // the original, and at most the one base64-equivalent spelling
    }

    [Fact]
    public async Task Validate_ManyDistinctTokens_CacheStaysWithinBound()
    {
        var v = Validator(cacheSize: 10);
        var tokens = Enumerable.Range(0, 60).Select(i => Token(i)).ToArray();
        int peak = 0;
        foreach (var t in tokens)
        {
            (await Failure(v, t)).ShouldBeNull();
            peak = Math.Max(peak, v.CachedTokenCount);
            v.CachedTokenCount.ShouldBeLessThanOrEqualTo(10);
        }
        peak.ShouldBe(10);
        // Evicted tokens are simply verified again.
        foreach (var t in tokens) (await Failure(v, t)).ShouldBeNull();
        v.CachedTokenCount.ShouldBeLessThanOrEqualTo(10);
    }

    [Fact]
    public async Task Validate_CacheFullWithExpiredTokens_DropsThoseBeforeLiveOnes()
    {
        var v = Validator(cacheSize: 10); // two generations of 5
        var longLived = Enumerable.Range(0, 5).Select(i => Token(i, lifetime: TimeSpan.FromHours(10))).ToArray();
        var shortLived = Enumerable.Range(10, 5).Select(i => Token(i)).ToArray();
        foreach (var t in longLived.Concat(shortLived)) (await Failure(v, t)).ShouldBeNull();
        v.CachedTokenCount.ShouldBe(10);

        time.Advance(TimeSpan.FromHours(2)); // the five short-lived tokens have expired
        (await Failure(v, Token(20))).ShouldBeNull(); // the cache is full: the expired five go, nothing live does
        v.CachedTokenCount.ShouldBe(6);
        foreach (var t in longLived) (await Failure(v, t)).ShouldBeNull();
        v.CachedTokenCount.ShouldBe(6); // all five were still cached (hits, not re-insertions)
        foreach (var t in shortLived) (await Failure(v, t)).ShouldBe(CognitoTokenValidator.Expired);
    }

    [Fact]
    public async Task Validate_CacheSizeZero_NothingCachedAndStillValid()
    {
        var v = Validator(cacheSize: 0);
        var token = Token();
        for (int i = 0; i < 3; i++) (await Failure(v, token)).ShouldBeNull();
        v.CachedTokenCount.ShouldBe(0);
        time.Advance(TimeSpan.FromHours(2));
        (await Failure(v, token)).ShouldBe(CognitoTokenValidator.Expired);
    }

    [Fact]
    public async Task Validate_RefusedTokens_NeverCached()
    {
        var v = Validator();
        var token = Token();
        (await Failure(v, token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1])).ShouldBe(CognitoTokenValidator.BadSignature);
        (await Failure(v, key.Sign(TestKey.AccessClaims(time.Now, "another-client")))).ShouldBe(CognitoTokenValidator.BadClient);
        (await Failure(v, new string('a', CognitoTokenValidator.MaxTokenLength + 1))).ShouldBe(CognitoTokenValidator.Malformed);
        v.CachedTokenCount.ShouldBe(0);
    }

    [Fact]
    public async Task Validate_ParallelSameTokens_AllSucceed()
    {
        var tokens = Enumerable.Range(0, 32).Select(i => Token(i)).ToArray();
        foreach (var size in new[] { CognitoJwtBearerOptions.DefaultTokenCacheSize, 8 })
        {
            var v = Validator(size);
            (await Failure(v, tokens[0])).ShouldBeNull(); // key set fetched before the parallel part
            var failures = new ConcurrentBag<string>();
            Parallel.For(0, 4000, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = TestContext.Current.CancellationToken }, i =>
            {
                var t = tokens[i % tokens.Length];
                var r = v.ValidateAsync(t).AsTask().GetAwaiter().GetResult();
                if (!r.Succeeded) failures.Add(r.Failure!);
                else if (r.Payload.GetProperty("jti").GetString() != "jti-" + (i % tokens.Length)) failures.Add("wrong payload");
            });
            failures.ShouldBeEmpty();
            if (size == 8) v.CachedTokenCount.ShouldBeLessThanOrEqualTo(8 + 4);
            else v.CachedTokenCount.ShouldBe(tokens.Length);
        }
    }

    [Fact]
    public void Options_NegativeTokenCacheSize_Refused()
    {
        var o = new CognitoJwtBearerOptions { UserPoolId = TestKey.PoolId, AllowAnyClient = true, TokenCacheSize = -1 };
        Should.Throw<InvalidOperationException>(o.Validate).Message.ShouldContain("TokenCacheSize");
        Should.Throw<InvalidOperationException>(() => new CognitoTokenValidator(o, new JwksCache(new Uri("https://example.invalid/jwks.json"), http)));
        new CognitoJwtBearerOptions().TokenCacheSize.ShouldBe(10_000);
    }
}
