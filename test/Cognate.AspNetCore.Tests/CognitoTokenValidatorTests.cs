using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Shouldly;
using Xunit;

namespace Cognate.AspNetCore.Tests;

public sealed class CognitoTokenValidatorTests : IDisposable
{
    readonly TestKey key = new();
    readonly JwksHandler jwks = new();
    readonly ManualTime time = new(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
    readonly HttpClient http;

    public CognitoTokenValidatorTests()
    {
        jwks.Keys.Add(key);
        http = new HttpClient(jwks);
    }

    public void Dispose()
    {
        http.Dispose();
        key.Dispose();
    }

    CognitoTokenValidator Validator(Action<CognitoJwtBearerOptions>? configure = null)
    {
        var o = new CognitoJwtBearerOptions { UserPoolId = TestKey.PoolId };
        o.ClientIds.Add(TestKey.ClientId);
        configure?.Invoke(o);
        return new CognitoTokenValidator(o, new JwksCache(o.EffectiveJwksUri, http, o.JwksRefreshInterval, time), time);
    }

    async Task<string?> Failure(string token, CognitoTokenValidator? v = null) => (await (v ?? Validator()).ValidateAsync(token, TestContext.Current.CancellationToken)).Failure;

    [Fact]
    public async Task Validate_GoodAccessToken_Succeeds()
    {
        var r = await Validator().ValidateAsync(key.Sign(TestKey.AccessClaims(time.Now)), TestContext.Current.CancellationToken);
        r.Succeeded.ShouldBeTrue(r.Failure);
        r.Payload.GetProperty("username").GetString().ShouldBe("alice");
        jwks.Requests.ShouldBe(1);
    }

    [Fact]
    public async Task Validate_SecondToken_UsesCachedKeys()
    {
        var v = Validator();
        (await Failure(key.Sign(TestKey.AccessClaims(time.Now)), v)).ShouldBeNull();
        (await Failure(key.Sign(TestKey.AccessClaims(time.Now)), v)).ShouldBeNull();
        jwks.Requests.ShouldBe(1);
    }

    [Fact]
    public async Task Validate_AlgNone_Refused()
    {
        var claims = TestKey.AccessClaims(time.Now).ToJsonString();
        var token = TestKey.B64($"{{\"kid\":\"{key.Kid}\",\"alg\":\"none\"}}") + "." + TestKey.B64(claims) + ".";
        (await Failure(token)).ShouldBe(CognitoTokenValidator.Malformed);
        var withSig = TestKey.B64($"{{\"kid\":\"{key.Kid}\",\"alg\":\"none\"}}") + "." + TestKey.B64(claims) + ".AAAA";
        (await Failure(withSig)).ShouldBe(CognitoTokenValidator.BadAlgorithm);
    }

    [Fact]
    public async Task Validate_Hs256KeyedWithPublicKey_Refused()
    {
        // Algorithm confusion (RFC 8725 §2.1): HMAC keyed with the public key, which an attacker knows.
        var publicKey = key.Rsa.ExportSubjectPublicKeyInfoPem();
        var input = TestKey.B64($"{{\"kid\":\"{key.Kid}\",\"alg\":\"HS256\"}}") + "." + TestKey.B64(TestKey.AccessClaims(time.Now).ToJsonString());
        var mac = HMACSHA256.HashData(Encoding.ASCII.GetBytes(publicKey), Encoding.ASCII.GetBytes(input));
        (await Failure(input + "." + Base64Url.EncodeToString(mac))).ShouldBe(CognitoTokenValidator.BadAlgorithm);
        jwks.Requests.ShouldBe(0);
    }

    [Theory]
    [InlineData("RS384")]
    [InlineData("rs256")]
    [InlineData("ES256")]
    public async Task Validate_OtherAlgorithms_Refused(string alg) =>
        (await Failure(key.Sign(TestKey.AccessClaims(time.Now), alg))).ShouldBe(CognitoTokenValidator.BadAlgorithm);

    [Fact]
    public async Task Validate_CritHeaderOrDuplicateAlg_Refused()
    {
        (await Failure(key.Sign(TestKey.AccessClaims(time.Now), header: new JsonObject { ["kid"] = key.Kid, ["alg"] = "RS256", ["crit"] = new JsonArray("x") })))
            .ShouldBe(CognitoTokenValidator.BadAlgorithm);
        var dup = TestKey.SignRaw($"{{\"kid\":\"{key.Kid}\",\"alg\":\"RS256\",\"alg\":\"none\"}}", TestKey.AccessClaims(time.Now).ToJsonString(), key.Rsa);
        (await Failure(dup)).ShouldBe(CognitoTokenValidator.BadAlgorithm);
    }

    [Fact]
    public async Task Validate_MissingKid_Refused() =>
        (await Failure(key.Sign(TestKey.AccessClaims(time.Now), header: new JsonObject { ["alg"] = "RS256" }))).ShouldBe(CognitoTokenValidator.Malformed);

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("a.b")]
    [InlineData("a.b.c.d")]
    [InlineData("..")]
    [InlineData("!!.@@.##")]
    public async Task Validate_Malformed_Refused(string token) => (await Failure(token)).ShouldBe(CognitoTokenValidator.Malformed);

    [Fact]
    public async Task Validate_TamperedPayload_BadSignature()
    {
        var token = key.Sign(TestKey.AccessClaims(time.Now));
        var parts = token.Split('.');
        var claims = TestKey.AccessClaims(time.Now);
        claims["username"] = "mallory";
        (await Failure(parts[0] + "." + TestKey.B64(claims.ToJsonString()) + "." + parts[2])).ShouldBe(CognitoTokenValidator.BadSignature);
    }

    [Fact]
    public async Task Validate_SignedByAnotherKeyWithSameKid_BadSignature()
    {
        using var other = RSA.Create(2048);
        var token = TestKey.SignRaw($"{{\"kid\":\"{key.Kid}\",\"alg\":\"RS256\"}}", TestKey.AccessClaims(time.Now).ToJsonString(), other);
        (await Failure(token)).ShouldBe(CognitoTokenValidator.BadSignature);
    }

    [Fact]
    public async Task Validate_TruncatedSignature_BadSignature()
    {
        var token = key.Sign(TestKey.AccessClaims(time.Now));
        (await Failure(token[..^4])).ShouldBe(CognitoTokenValidator.BadSignature);
    }

    [Fact]
    public async Task Validate_DuplicateClaim_Refused()
    {
        var json = TestKey.AccessClaims(time.Now).ToJsonString().TrimEnd('}') + ",\"token_use\":\"id\"}";
        (await Failure(TestKey.SignRaw($"{{\"kid\":\"{key.Kid}\",\"alg\":\"RS256\"}}", json, key.Rsa))).ShouldBe(CognitoTokenValidator.Malformed);
    }

    [Fact]
    public async Task Validate_WrongIssuer_RefusedWithoutFetchingKeys()
    {
        var claims = TestKey.AccessClaims(time.Now);
        claims["iss"] = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other";
        (await Failure(key.Sign(claims, kid: "unknown"))).ShouldBe(CognitoTokenValidator.BadIssuer);
        jwks.Requests.ShouldBe(0);
    }

    [Fact]
    public async Task Validate_IssuerWithTrailingSlash_Refused()
    {
        var claims = TestKey.AccessClaims(time.Now);
        claims["iss"] = TestKey.Issuer + "/";
        (await Failure(key.Sign(claims))).ShouldBe(CognitoTokenValidator.BadIssuer);
    }

    [Fact]
    public async Task Validate_IdTokenWhereAccessExpected_Refused() =>
        (await Failure(key.Sign(TestKey.IdClaims(time.Now)))).ShouldBe(CognitoTokenValidator.BadTokenUse);

    [Fact]
    public async Task Validate_IdTokenWhenConfigured_SucceedsWithAudString()
    {
        var v = Validator(o => o.TokenUse = CognitoTokenUse.Id);
        (await Failure(key.Sign(TestKey.IdClaims(time.Now)), v)).ShouldBeNull();
        (await Failure(key.Sign(TestKey.AccessClaims(time.Now)), v)).ShouldBe(CognitoTokenValidator.BadTokenUse);
    }

    [Fact]
    public async Task Validate_IdTokenAudArray_MatchesAnyAllowedClient()
    {
        var v = Validator(o => o.TokenUse = CognitoTokenUse.Id);
        var claims = TestKey.IdClaims(time.Now);
        claims["aud"] = new JsonArray("someone-else", TestKey.ClientId);
        (await Failure(key.Sign(claims), v)).ShouldBeNull();
        claims["aud"] = new JsonArray("someone-else");
        (await Failure(key.Sign(claims), v)).ShouldBe(CognitoTokenValidator.BadClient);
    }

    [Fact]
    public async Task Validate_WrongClient_Refused() =>
        (await Failure(key.Sign(TestKey.AccessClaims(time.Now, "another-client")))).ShouldBe(CognitoTokenValidator.BadClient);

    [Fact]
    public async Task Validate_AllowAnyClient_AcceptsOtherClient() =>
        (await Failure(key.Sign(TestKey.AccessClaims(time.Now, "another-client")), Validator(o => { o.ClientIds.Clear(); o.AllowAnyClient = true; }))).ShouldBeNull();

    [Fact]
    public async Task Validate_Expired_RefusedBeyondSkewOnly()
    {
        var v = Validator(o => o.ClockSkew = TimeSpan.FromSeconds(30));
        var token = key.Sign(TestKey.AccessClaims(time.Now));
        time.Advance(TimeSpan.FromSeconds(3600 + 20));
        (await Failure(token, v)).ShouldBeNull();
        time.Advance(TimeSpan.FromSeconds(10));
        (await Failure(token, v)).ShouldBe(CognitoTokenValidator.Expired);
    }

    [Fact]
    public async Task Validate_NbfOrIatInFuture_NotYetValid()
    {
        var claims = TestKey.AccessClaims(time.Now);
        claims["nbf"] = time.Now.ToUnixTimeSeconds() + 120;
        (await Failure(key.Sign(claims))).ShouldBe(CognitoTokenValidator.NotYetValid);
        claims = TestKey.AccessClaims(time.Now);
        claims["iat"] = time.Now.ToUnixTimeSeconds() + 120;
        (await Failure(key.Sign(claims))).ShouldBe(CognitoTokenValidator.NotYetValid);
    }

    [Theory]
    [InlineData("exp")]
    [InlineData("sub")]
    public async Task Validate_MissingRequiredClaim_Refused(string claim)
    {
        var claims = TestKey.AccessClaims(time.Now);
        claims.Remove(claim);
        (await Failure(key.Sign(claims))).ShouldBe(CognitoTokenValidator.BadClaims);
    }

    [Fact]
    public async Task Validate_ClaimsOfWrongType_Refused()
    {
        foreach (var (name, value) in new (string, JsonNode)[] { ("exp", "9999999999"), ("iat", "1"), ("scope", new JsonArray("a")), ("cognito:groups", "admins"), ("nbf", true) })
        {
            var claims = TestKey.AccessClaims(time.Now);
            claims[name] = value.DeepClone();
            (await Failure(key.Sign(claims))).ShouldBe(CognitoTokenValidator.BadClaims, name);
        }
    }

    [Fact]
    public async Task Validate_OversizedToken_Refused() =>
        (await Failure(new string('a', CognitoTokenValidator.MaxTokenLength + 1))).ShouldBe(CognitoTokenValidator.Malformed);

    [Fact]
    public async Task Validate_CognateIssuerBaseUrl_UsesItForIssAndJwks()
    {
        var o = new CognitoJwtBearerOptions { UserPoolId = TestKey.PoolId, IssuerBaseUrl = "http://127.0.0.1:9229/" };
        o.ClientIds.Add(TestKey.ClientId);
        o.ExpectedIssuer.ShouldBe("http://127.0.0.1:9229/" + TestKey.PoolId);
        o.EffectiveJwksUri.ShouldBe(new Uri("http://127.0.0.1:9229/" + TestKey.PoolId + "/.well-known/jwks.json"));
        var v = Validator(x => x.IssuerBaseUrl = "http://127.0.0.1:9229");
        var claims = TestKey.AccessClaims(time.Now);
        claims["iss"] = "http://127.0.0.1:9229/" + TestKey.PoolId;
        (await Failure(key.Sign(claims), v)).ShouldBeNull();
        (await Failure(key.Sign(TestKey.AccessClaims(time.Now)), v)).ShouldBe(CognitoTokenValidator.BadIssuer);
    }

    [Fact]
    public void Options_DefaultIssuer_IsAmazonCognitos()
    {
        var o = new CognitoJwtBearerOptions { UserPoolId = "eu-west-1_AbC123" };
        o.ClientIds.Add("x");
        o.ExpectedIssuer.ShouldBe("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123");
        o.IssuerBaseUrl = "https://idp.example.com/{region}";
        o.ExpectedIssuer.ShouldBe("https://idp.example.com/eu-west-1/eu-west-1_AbC123");
    }

    [Fact]
    public void Options_Misconfigured_FailWithWhatToSet()
    {
        Should.Throw<InvalidOperationException>(() => new CognitoJwtBearerOptions().Validate()).Message.ShouldContain("UserPoolId");
        Should.Throw<InvalidOperationException>(() => new CognitoJwtBearerOptions { UserPoolId = TestKey.PoolId }.Validate()).Message.ShouldContain("ClientIds");
        var o = new CognitoJwtBearerOptions { UserPoolId = TestKey.PoolId, AllowAnyClient = true, ClockSkew = TimeSpan.FromHours(1) };
        Should.Throw<InvalidOperationException>(o.Validate).Message.ShouldContain("ClockSkew");
    }
}
