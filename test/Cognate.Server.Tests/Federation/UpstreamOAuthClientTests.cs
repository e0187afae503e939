using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Cognate.Core.IdentityProviders;
using Cognate.Server.Federation;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Federation;

/// <summary>
/// The back channel of federated sign-in against a scripted upstream (no network): the ID-token checks (signature by a JWKS
/// key, issuer, audience, lifetime, nonce, algorithms), the JWKS cache and its unknown-kid refresh, the code exchange and its
/// error relay in Cognito's format, userInfo by GET / POST, and Sign in with Apple's client secret.
/// </summary>
public sealed class UpstreamOAuthClientTests : IDisposable
{
    const string Issuer = "https://idp.example.com";
    const string ClientId = "upstream-client";
    const string JwksUri = "https://idp.example.com/jwks";

    readonly RSA rsa = RSA.Create(2048);
    readonly Clock time = new(DateTimeOffset.UtcNow);
    readonly Upstream upstream = new();
    readonly UpstreamOAuthClient client;
    string kid = "k1";

    public UpstreamOAuthClientTests()
    {
        client = new UpstreamOAuthClient(time, NullLogger<UpstreamOAuthClient>.Instance, upstream);
        upstream.Routes[JwksUri] = _ => Json(Jwks());
    }

    public void Dispose() => rsa.Dispose();

    static IdentityProvider Provider(string type = IdentityProviderTypes.Oidc, Dictionary<string, string>? details = null, Dictionary<string, string>? mapping = null) => new()
    {
        UserPoolId = "us-east-1_abc",
        ProviderName = type == IdentityProviderTypes.Oidc ? "CorpOIDC" : type,
        ProviderType = type,
        ProviderDetails = details ?? new Dictionary<string, string>
        {
            ["client_id"] = ClientId, ["client_secret"] = "s3cret", ["oidc_issuer"] = Issuer, ["jwks_uri"] = JwksUri,
            ["token_url"] = Issuer + "/token", ["attributes_url"] = Issuer + "/me", ["authorize_url"] = Issuer + "/auth",
        },
        AttributeMapping = mapping ?? new Dictionary<string, string> { ["email"] = "email" },
        IdpIdentifiers = [],
        CreatedAt = DateTimeOffset.UnixEpoch,
        ModifiedAt = DateTimeOffset.UnixEpoch,
    };

    string Jwks(params (RSA Key, string Kid)[] extra)
    {
        var keys = new JsonArray();
        foreach (var (key, id) in extra.Prepend((rsa, kid)))
        {
            var p = key.ExportParameters(false);
            keys.Add(new JsonObject { ["kty"] = "RSA", ["kid"] = id, ["use"] = "sig", ["alg"] = "RS256", ["n"] = Base64UrlEncoder.Encode(p.Modulus), ["e"] = Base64UrlEncoder.Encode(p.Exponent) });
        }
        return new JsonObject { ["keys"] = keys }.ToJsonString();
    }

    string Token(Action<Dictionary<string, object>>? edit = null, SigningCredentials? credentials = null, string? keyId = null)
    {
        var now = time.GetUtcNow();
        var claims = new Dictionary<string, object>
        {
            ["iss"] = Issuer, ["aud"] = ClientId, ["sub"] = "user-1", ["nonce"] = "n-1", ["email"] = "a@example.com",
            ["iat"] = now.ToUnixTimeSeconds(), ["exp"] = now.AddMinutes(5).ToUnixTimeSeconds(),
        };
        edit?.Invoke(claims);
        var payload = new JsonObject();
        foreach (var (k, v) in claims) payload[k] = JsonValue.Create(v);
        credentials ??= new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = keyId ?? kid }, SecurityAlgorithms.RsaSha256);
        return new JsonWebTokenHandler().CreateToken(payload.ToJsonString(), credentials);
    }

    static HttpResponseMessage Json(string body, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    [Fact]
    public async Task IdToken_Valid_ReturnsClaims()
    {
        var (claims, error) = await client.ValidateIdTokenAsync(Provider(), Token(), "n-1", default);
        error.ShouldBeNull();
        claims!["sub"]!.GetValue<string>().ShouldBe("user-1");
        claims["email"]!.GetValue<string>().ShouldBe("a@example.com");
    }

    [Theory]
    [InlineData("aud", "another-client", "audience")]
    [InlineData("iss", "https://evil.example.com", "issuer")]
    [InlineData("nonce", "n-2", "nonce")]
    public async Task IdToken_WrongClaim_Refused(string claim, string value, string reason)
    {
        var (claims, error) = await client.ValidateIdTokenAsync(Provider(), Token(c => c[claim] = value), "n-1", default);
        claims.ShouldBeNull();
        error!.RefuseWithPage.ShouldBeTrue();
        error.Description.ShouldContain(reason);
    }

    [Fact]
    public async Task IdToken_Expired_Refused()
    {
        var token = Token(c => c["exp"] = time.GetUtcNow().AddMinutes(-5).ToUnixTimeSeconds());
        var (_, error) = await client.ValidateIdTokenAsync(Provider(), token, "n-1", default);
        error!.Description.ShouldContain("expired");
    }

    [Fact]
    public async Task IdToken_ExpiredWithinSkew_Accepted()
    {
        var token = Token(c => c["exp"] = time.GetUtcNow().AddSeconds(-30).ToUnixTimeSeconds());
        var (claims, _) = await client.ValidateIdTokenAsync(Provider(), token, "n-1", default);
        claims.ShouldNotBeNull();
    }

    [Fact]
    public async Task IdToken_IssuedInTheFuture_Refused()
    {
        var token = Token(c => { c["iat"] = time.GetUtcNow().AddMinutes(3).ToUnixTimeSeconds(); c["exp"] = time.GetUtcNow().AddMinutes(10).ToUnixTimeSeconds(); });
        var (_, error) = await client.ValidateIdTokenAsync(Provider(), token, "n-1", default);
        error.ShouldNotBeNull();
    }

    [Fact]
    public async Task IdToken_MissingNonce_Refused()
    {
        var (_, error) = await client.ValidateIdTokenAsync(Provider(), Token(c => c.Remove("nonce")), "n-1", default);
        error!.Description.ShouldContain("nonce");
    }

    [Fact]
    public async Task IdToken_SignedByAnotherKey_Refused()
    {
        using var other = RSA.Create(2048);
        var token = Token(credentials: new SigningCredentials(new RsaSecurityKey(other) { KeyId = "k1" }, SecurityAlgorithms.RsaSha256));
        var (_, error) = await client.ValidateIdTokenAsync(Provider(), token, "n-1", default);
        error!.Description.ShouldContain("signature");
    }

    [Fact]
    public async Task IdToken_Hs256WithASymmetricJwksKey_Refused()
    {
        // A JWKS that (wrongly) publishes an "oct" key, and a token HMAC-signed with it: never accepted.
        var secret = RandomNumberGenerator.GetBytes(32);
        upstream.Routes[JwksUri] = _ => Json(new JsonObject { ["keys"] = new JsonArray(new JsonObject { ["kty"] = "oct", ["kid"] = "h1", ["k"] = Base64UrlEncoder.Encode(secret) }) }.ToJsonString());
        var token = Token(credentials: new SigningCredentials(new SymmetricSecurityKey(secret) { KeyId = "h1" }, SecurityAlgorithms.HmacSha256));
        var (claims, error) = await client.ValidateIdTokenAsync(Provider(), token, "n-1", default);
        claims.ShouldBeNull();
        error.ShouldNotBeNull();
    }

    [Fact]
    public async Task IdToken_AlgNone_Refused()
    {
        var header = Base64UrlEncoder.Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var body = Base64UrlEncoder.Encode($"{{\"iss\":\"{Issuer}\",\"aud\":\"{ClientId}\",\"sub\":\"x\",\"nonce\":\"n-1\",\"iat\":{now},\"exp\":{now + 300}}}");
        var (claims, error) = await client.ValidateIdTokenAsync(Provider(), header + "." + body + ".", "n-1", default);
        claims.ShouldBeNull();
        error.ShouldNotBeNull();
    }

    [Fact]
    public async Task Jwks_CachedThenRefreshedForAnUnknownKid()
    {
        (await client.ValidateIdTokenAsync(Provider(), Token(), "n-1", default)).Error.ShouldBeNull();
        (await client.ValidateIdTokenAsync(Provider(), Token(), "n-1", default)).Error.ShouldBeNull();
        upstream.Count(JwksUri).ShouldBe(1);

        // The provider rotates to k2: the first token naming k2 makes the client fetch the JWKS again (after the minimum interval).
        using var rotated = RSA.Create(2048);
        upstream.Routes[JwksUri] = _ => Json(Jwks((rotated, "k2")));
        time.Advance(UpstreamOAuthClient.JwksRefreshInterval + TimeSpan.FromSeconds(1));
        var token = Token(credentials: new SigningCredentials(new RsaSecurityKey(rotated) { KeyId = "k2" }, SecurityAlgorithms.RsaSha256));
        (await client.ValidateIdTokenAsync(Provider(), token, "n-1", default)).Error.ShouldBeNull();
        upstream.Count(JwksUri).ShouldBe(2);
    }

    [Fact]
    public async Task Jwks_UnknownKidRefreshIsRateLimited()
    {
        (await client.ValidateIdTokenAsync(Provider(), Token(), "n-1", default)).Error.ShouldBeNull();
        using var stranger = RSA.Create(2048);
        for (int i = 0; i < 5; i++)
        {
            var token = Token(credentials: new SigningCredentials(new RsaSecurityKey(stranger) { KeyId = "unknown-" + i }, SecurityAlgorithms.RsaSha256));
            (await client.ValidateIdTokenAsync(Provider(), token, "n-1", default)).Error.ShouldNotBeNull();
        }
        upstream.Count(JwksUri).ShouldBe(1);
    }

    [Fact]
    public async Task Exchange_PostsTheCodeWithClientSecretPostAndVerifier()
    {
        upstream.Routes[Issuer + "/token"] = _ => Json("""{"access_token":"at","id_token":"it","token_type":"Bearer"}""");
        var (tokens, error) = await client.ExchangeCodeAsync(Provider(), "the-code", "https://cognate.example/oauth2/idpresponse", "verifier-1", default);
        error.ShouldBeNull();
        tokens!["access_token"]!.GetValue<string>().ShouldBe("at");
        var form = upstream.LastForm(Issuer + "/token");
        form["grant_type"].ShouldBe("authorization_code");
        form["code"].ShouldBe("the-code");
        form["redirect_uri"].ShouldBe("https://cognate.example/oauth2/idpresponse");
        form["client_id"].ShouldBe(ClientId);
        form["client_secret"].ShouldBe("s3cret");
        form["code_verifier"].ShouldBe("verifier-1");
    }

    [Fact]
    public async Task Exchange_NoSecret_SendsNone()
    {
        upstream.Routes[Issuer + "/token"] = _ => Json("""{"access_token":"at"}""");
        var details = new Dictionary<string, string>(Provider().ProviderDetails);
        details.Remove("client_secret");
        (await client.ExchangeCodeAsync(Provider(details: details), "c", "https://x/oauth2/idpresponse", null, default)).Error.ShouldBeNull();
        upstream.LastForm(Issuer + "/token").ContainsKey("client_secret").ShouldBeFalse();
    }

    [Fact]
    public async Task Exchange_ProviderError_RelayedInCognitosFormat()
    {
        upstream.Routes[Issuer + "/token"] = _ => Json("""{"error":"invalid_grant","error_description":"code expired"}""", HttpStatusCode.BadRequest);
        var (_, error) = await client.ExchangeCodeAsync(Provider(), "c", "https://x/oauth2/idpresponse", null, default);
        error!.Error.ShouldBe("invalid_grant");
        error.Description.ShouldBe("CorpOIDC Error - 400 invalid_grant code expired");
        error.RefuseWithPage.ShouldBeFalse();
    }

    [Fact]
    public async Task Exchange_TokenRequestMethodGet_ParametersInTheQuery()
    {
        string? query = null;
        upstream.Routes[Issuer + "/token"] = r => { query = r.Method == HttpMethod.Get ? r.RequestUri!.Query : null; return Json("""{"access_token":"at"}"""); };
        var details = new Dictionary<string, string>(Provider().ProviderDetails) { ["token_request_method"] = "GET" };
        (await client.ExchangeCodeAsync(Provider(details: details), "the code", "https://x/oauth2/idpresponse", null, default)).Error.ShouldBeNull();
        var q = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query);
        (q["code"].ToString(), q["client_secret"].ToString(), q["grant_type"].ToString()).ShouldBe(("the code", "s3cret", "authorization_code"));
    }

    [Fact]
    public void Social_DefaultJwksAndIssuers()
    {
        var google = Provider(IdentityProviderTypes.Google, new Dictionary<string, string> { ["client_id"] = "g", ["oidc_issuer"] = "https://accounts.google.com" });
        UpstreamOAuthClient.JwksUri(google).ShouldBe("https://www.googleapis.com/oauth2/v3/certs");
        UpstreamOAuthClient.ExpectedIssuers(google, "https://accounts.google.com").ShouldContain("accounts.google.com");
        var apple = Provider(IdentityProviderTypes.SignInWithApple, new Dictionary<string, string> { ["client_id"] = "a" });
        UpstreamOAuthClient.JwksUri(apple).ShouldBe("https://appleid.apple.com/auth/keys");
        UpstreamOAuthClient.ExpectedIssuer(apple).ShouldBe("https://appleid.apple.com");
        UpstreamOAuthClient.ExpectedIssuers(Provider(), "https://idp.example.com/").ShouldBe(["https://idp.example.com/", "https://idp.example.com"]);
    }

    [Fact]
    public async Task UserInfo_GooglePeopleApi_NotCalled()
    {
        var google = Provider(IdentityProviderTypes.Google, new Dictionary<string, string>
        {
            ["client_id"] = "g", ["attributes_url"] = "https://people.example.com/v1/people/me?personFields=", ["attributes_url_add_attributes"] = "true",
        });
        var (claims, error) = await client.UserInfoAsync(google, "at", default);
        (claims, error).ShouldBe((null, null));
        upstream.Count("https://people.example.com/v1/people/me").ShouldBe(0);
    }

    [Fact]
    public async Task UserInfo_GetOrPostWithTheBearerToken()
    {
        upstream.Routes[Issuer + "/me"] = r => r.Headers.Authorization?.ToString() == "Bearer at" ? Json($$"""{"sub":"user-1","dept":"{{r.Method}}"}""") : new HttpResponseMessage(HttpStatusCode.Unauthorized);
        (await client.UserInfoAsync(Provider(), "at", default)).Claims!["dept"]!.GetValue<string>().ShouldBe("GET");
        var details = new Dictionary<string, string>(Provider().ProviderDetails) { ["attributes_request_method"] = "POST" };
        (await client.UserInfoAsync(Provider(details: details), "at", default)).Claims!["dept"]!.GetValue<string>().ShouldBe("POST");
    }

    [Fact]
    public async Task UserInfo_FacebookFieldsAppended()
    {
        var details = new Dictionary<string, string>
        {
            ["client_id"] = "fb", ["client_secret"] = "x", ["attributes_url"] = "https://graph.example.com/v17.0/me?fields=", ["attributes_url_add_attributes"] = "true",
        };
        string? seen = null;
        upstream.Routes["https://graph.example.com/v17.0/me"] = r => { seen = r.RequestUri!.Query; return Json("""{"id":"123","email":"f@example.com"}"""); };
        var (claims, _) = await client.UserInfoAsync(Provider(IdentityProviderTypes.Facebook, details, new() { ["email"] = "email", ["name"] = "name" }), "at", default);
        claims!["id"]!.GetValue<string>().ShouldBe("123");
        Uri.UnescapeDataString(seen!).ShouldBe("?fields=id,email,name");
        UpstreamOAuthClient.SubjectClaim(IdentityProviderTypes.Facebook).ShouldBe("id");
        UpstreamOAuthClient.SubjectClaim(IdentityProviderTypes.LoginWithAmazon).ShouldBe("user_id");
    }

    [Fact]
    public void AppleClientSecret_IsAnEs256JwtSignedWithThePrivateKey()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var provider = Provider(IdentityProviderTypes.SignInWithApple, new Dictionary<string, string>
        {
            ["client_id"] = "com.example.web", ["team_id"] = "TEAM123456", ["key_id"] = "KEY1234567", ["private_key"] = ec.ExportPkcs8PrivateKeyPem(),
        });
        var jwt = AppleClientSecret.Create(provider, time.GetUtcNow())!;
        var parsed = new JsonWebToken(jwt);
        parsed.Alg.ShouldBe("ES256");
        parsed.Kid.ShouldBe("KEY1234567");
        parsed.Issuer.ShouldBe("TEAM123456");
        parsed.Subject.ShouldBe("com.example.web");
        parsed.Audiences.ShouldBe(["https://appleid.apple.com"]);
        var parts = jwt.Split('.');
        ec.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64UrlEncoder.DecodeBytes(parts[2]), HashAlgorithmName.SHA256).ShouldBeTrue();
    }

    [Fact]
    public void MergeAttributes_UserInfoWinsAndAppleUserFillsGaps()
    {
        var merged = FederationEndpoints.MergeAttributes(
            JsonNode.Parse("""{"sub":"s","email":"old@example.com","email_verified":true,"address":{"country":"FR"}}""")!.AsObject(),
            JsonNode.Parse("""{"sub":"s","email":"new@example.com","dept":"R&D"}""")!.AsObject(),
            """{"name":{"firstName":"Ada","lastName":"Lovelace"},"email":"ignored@example.com"}""");
        merged["email"].ShouldBe("new@example.com");
        merged["email_verified"].ShouldBe("true");
        merged["dept"].ShouldBe("R&D");
        merged["address"].ShouldBe("""{"country":"FR"}""");
        merged["firstName"].ShouldBe("Ada");
        merged["lastName"].ShouldBe("Lovelace");
    }

    sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        DateTimeOffset current = now;
        public override DateTimeOffset GetUtcNow() => current;
        public void Advance(TimeSpan by) => current += by;
    }

    /// <summary>A scripted upstream: one handler per URL (without query), recording requests.</summary>
    sealed class Upstream : HttpMessageHandler
    {
        public Dictionary<string, Func<HttpRequestMessage, HttpResponseMessage>> Routes { get; } = new(StringComparer.Ordinal);
        readonly List<(string Url, Dictionary<string, string>? Form)> seen = [];

        public int Count(string url) => seen.Count(s => s.Url == url);

        public Dictionary<string, string> LastForm(string url) => seen.Last(s => s.Url == url).Form!;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var url = request.RequestUri!.GetLeftPart(UriPartial.Path);
            Dictionary<string, string>? form = null;
            if (request.Content is FormUrlEncodedContent content)
            {
                var body = await content.ReadAsStringAsync(cancellationToken);
                form = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(body).ToDictionary(p => p.Key, p => p.Value.ToString());
            }
            seen.Add((url, form));
            return Routes.TryGetValue(url, out var route) ? route(request) : new HttpResponseMessage(HttpStatusCode.NotFound);
        }
    }
}
