using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Shouldly;
using Xunit;

namespace Cognate.AspNetCore.Tests;

public sealed class JwksCacheTests : IDisposable
{
    readonly TestKey first = new();
    readonly JwksHandler jwks = new();
    readonly ManualTime time = new(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
    readonly HttpClient http;

    public JwksCacheTests()
    {
        jwks.Keys.Add(first);
        http = new HttpClient(jwks);
    }

    public void Dispose()
    {
        http.Dispose();
        first.Dispose();
    }

    CognitoTokenValidator Validator()
    {
        var o = new CognitoJwtBearerOptions { UserPoolId = TestKey.PoolId, JwksRefreshInterval = TimeSpan.FromSeconds(10) };
        o.ClientIds.Add(TestKey.ClientId);
        return new CognitoTokenValidator(o, new JwksCache(o.EffectiveJwksUri, http, o.JwksRefreshInterval, time), time);
    }

    [Fact]
    public async Task UnknownKid_RotatedKey_RefetchedOnceAndAccepted()
    {
        var v = Validator();
        (await v.ValidateAsync(first.Sign(TestKey.AccessClaims(time.Now)), TestContext.Current.CancellationToken)).Succeeded.ShouldBeTrue();
        using var rotated = new TestKey();
        lock (jwks.Keys) jwks.Keys.Add(rotated);
        time.Advance(TimeSpan.FromSeconds(11));
        (await v.ValidateAsync(rotated.Sign(TestKey.AccessClaims(time.Now)), TestContext.Current.CancellationToken)).Succeeded.ShouldBeTrue();
        jwks.Requests.ShouldBe(2);
        (await v.ValidateAsync(first.Sign(TestKey.AccessClaims(time.Now)), TestContext.Current.CancellationToken)).Succeeded.ShouldBeTrue();
        jwks.Requests.ShouldBe(2);
    }

    [Fact]
    public async Task UnknownKids_Flood_AtMostOneFetchPerInterval()
    {
        var v = Validator();
        (await v.ValidateAsync(first.Sign(TestKey.AccessClaims(time.Now)), TestContext.Current.CancellationToken)).Succeeded.ShouldBeTrue();
        time.Advance(TimeSpan.FromSeconds(11));
        for (int i = 0; i < 200; i++)
        {
            var r = await v.ValidateAsync(first.Sign(TestKey.AccessClaims(time.Now), kid: "bogus-" + i), TestContext.Current.CancellationToken);
            r.Failure.ShouldBe(CognitoTokenValidator.UnknownKey);
        }
        jwks.Requests.ShouldBe(2);
        time.Advance(TimeSpan.FromSeconds(11));
        (await v.ValidateAsync(first.Sign(TestKey.AccessClaims(time.Now), kid: "bogus-x"), TestContext.Current.CancellationToken)).Failure.ShouldBe(CognitoTokenValidator.UnknownKey);
        jwks.Requests.ShouldBe(3);
    }

    [Fact]
    public async Task UnknownKid_ConcurrentCallers_ShareOneFetch()
    {
        jwks.Delay = TimeSpan.FromMilliseconds(200);
        var v = Validator();
        var token = first.Sign(TestKey.AccessClaims(time.Now));
        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => v.ValidateAsync(token, TestContext.Current.CancellationToken).AsTask()));
        results.ShouldAllBe(r => r.Succeeded);
        jwks.Requests.ShouldBe(1);
    }

    [Fact]
    public async Task FetchFailure_KeepsPreviousKeys()
    {
        using var failing = new HttpClient(new FailingHandler());
        var cache = new JwksCache(new Uri("https://example.invalid/jwks.json"), failing, TimeSpan.Zero, time);
        (await cache.GetKeyAsync("k", TestContext.Current.CancellationToken)).ShouldBeNull();
        cache.FetchCount.ShouldBe(1);
    }

    [Fact]
    public void Parse_SkipsUnusableKeys()
    {
        using var small = RSA.Create(1024);
        var p = small.ExportParameters(false);
        var doc = new JsonObject
        {
            ["keys"] = new JsonArray(
                first.Jwk(),
                new JsonObject { ["kty"] = "RSA", ["kid"] = "small", ["n"] = System.Buffers.Text.Base64Url.EncodeToString(p.Modulus), ["e"] = "AQAB" },
                WithMember(first.Jwk(), "kid", "enc", "use", "enc"),
                WithMember(first.Jwk(), "kid", "rs512", "alg", "RS512"),
                new JsonObject { ["kty"] = "EC", ["kid"] = "ec", ["crv"] = "P-256" },
                new JsonObject { ["kty"] = "RSA", ["kid"] = "broken", ["n"] = "!!!", ["e"] = "AQAB" }),
        };
        var keys = JwksCache.Parse(Encoding.UTF8.GetBytes(doc.ToJsonString()), FrozenDictionary<string, RSA>.Empty)!;
        keys.Keys.ShouldBe([first.Kid]);
        JwksCache.Parse("{\"nokeys\":[]}"u8.ToArray(), FrozenDictionary<string, RSA>.Empty).ShouldBeNull();
    }

    static JsonObject WithMember(JsonObject jwk, string k1, string v1, string k2, string v2)
    {
        jwk[k1] = v1;
        jwk[k2] = v2;
        return jwk;
    }

    sealed class FailingHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new HttpRequestException("down");
    }
}
