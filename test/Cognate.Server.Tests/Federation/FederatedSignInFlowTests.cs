using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Cognate.Client;
using Cognate.Client.SigV4;
using Cognate.Core.Federation;
using Cognate.Core.IdentityProviders;
using Cognate.Core.OAuth;
using Cognate.Core.Stores;
using Cognate.Server.Hosting;
using Cognate.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Federation;

/// <summary>
/// Federated sign-in end to end, in-process: Cognate (Development, SQLite in a temp directory) with an in-memory
/// <see cref="IIdentityProviderStore"/> (test-only registration until the IdP API lands) and a scripted upstream OIDC provider on
/// a loopback port (authorize → code, token with PKCE and client_secret_post, JWKS, userInfo). The browser is an HttpClient with a
/// cookie jar that follows nothing by itself, so every hop is asserted.
/// </summary>
public sealed class FederatedSignInFlowTests : IAsyncLifetime
{
    const string Cb = "https://app.example.com/callback";
    const string ProviderName = "CorpOIDC";

    WebApplication cognate = null!;
    FakeUpstream upstream = null!;
    readonly MemoryProviders providers = new();
    readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "cognate-fed-" + Guid.NewGuid().ToString("N"));
    Uri endpoint = null!;
    CognitoIdentityProviderClient admin = null!;
    string poolId = null!, clientId = null!;

    public async ValueTask InitializeAsync()
    {
        upstream = await FakeUpstream.StartAsync();
        Directory.CreateDirectory(dataDirectory);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development", ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["ConnectionStrings:Cognate"] = $"Data Source={Path.Combine(dataDirectory, "cognate.db")}",
        });
        builder.Logging.ClearProviders();
        builder.AddCognate();
        builder.Services.AddSingleton<IIdentityProviderStore>(providers);
        cognate = builder.Build();
        cognate.MapCognate();
        await cognate.InitializeCognateAsync();
        await cognate.StartAsync();
        endpoint = new Uri(cognate.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        admin = new CognitoIdentityProviderClient(endpoint, "us-east-1", new AwsCredentials(CognateServer.AccessKeyId, CognateServer.SecretAccessKey));

        var pool = await admin.InvokeAsync("CreateUserPool", new JsonObject
        {
            ["PoolName"] = "fed",
            ["Schema"] = new JsonArray(new JsonObject { ["Name"] = "dept", ["AttributeDataType"] = "String", ["Mutable"] = true }),
        });
        poolId = (string)pool["UserPool"]!["Id"]!;
        var client = await admin.InvokeAsync("CreateUserPoolClient", new JsonObject
        {
            ["UserPoolId"] = poolId, ["ClientName"] = "app", ["AllowedOAuthFlowsUserPoolClient"] = true, ["AllowedOAuthFlows"] = new JsonArray("code"),
            ["AllowedOAuthScopes"] = new JsonArray("openid", "email", "profile"), ["CallbackURLs"] = new JsonArray(Cb),
            ["SupportedIdentityProviders"] = new JsonArray("COGNITO"),
        });
        clientId = (string)client["UserPoolClient"]!["ClientId"]!;
        await providers.CreateAsync(Provider());
        // CreateUserPoolClient refuses providers the pool does not have until the IdP API lands: list it through the store.
        await SupportAsync("COGNITO", ProviderName);
    }

    public async ValueTask DisposeAsync()
    {
        admin.Dispose();
        await cognate.StopAsync();
        await cognate.DisposeAsync();
        await upstream.DisposeAsync();
        try { Directory.Delete(dataDirectory, recursive: true); } catch (IOException) { }
    }

    async Task SupportAsync(params string[] names)
    {
        var clients = cognate.Services.GetRequiredService<IAppClientStore>();
        var c = (await clients.GetAsync(clientId))!;
        (await clients.UpdateAsync(c with { Config = c.Config with { SupportedIdentityProviders = [.. names] }, ModifiedAt = DateTimeOffset.UtcNow })).ShouldBeTrue();
    }

    IdentityProvider Provider(string? upstreamClientId = null) => new()
    {
        UserPoolId = poolId,
        ProviderName = ProviderName,
        ProviderType = IdentityProviderTypes.Oidc,
        ProviderDetails = new Dictionary<string, string>
        {
            ["client_id"] = upstreamClientId ?? FakeUpstream.ClientId, ["client_secret"] = FakeUpstream.ClientSecret, ["authorize_scopes"] = "openid email profile",
            ["oidc_issuer"] = upstream.Issuer, ["authorize_url"] = upstream.Issuer + "/auth", ["token_url"] = upstream.Issuer + "/token",
            ["attributes_url"] = upstream.Issuer + "/me", ["jwks_uri"] = upstream.Issuer + "/jwks", ["attributes_request_method"] = "GET",
        },
        AttributeMapping = new Dictionary<string, string> { ["email"] = "email", ["custom:dept"] = "dept", ["name"] = "name" },
        IdpIdentifiers = ["corp.example.com"],
        CreatedAt = DateTimeOffset.UtcNow,
        ModifiedAt = DateTimeOffset.UtcNow,
    };

    /// <summary>A browser: a cookie jar and no automatic redirects.</summary>
    sealed class Browser : IDisposable
    {
        public CookieContainer Jar { get; } = new();
        readonly HttpClient http;
        public Browser() => http = new HttpClient(new HttpClientHandler { CookieContainer = Jar, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };
        public Task<HttpResponseMessage> GetAsync(string url) => http.GetAsync(url);
        public Task<HttpResponseMessage> PostAsync(string url, Dictionary<string, string> form) => http.PostAsync(url, new FormUrlEncodedContent(form));
        public void Dispose() => http.Dispose();
    }

    string AuthorizeUrl(params (string Name, string Value)[] extra)
    {
        var q = new Dictionary<string, string?> { ["client_id"] = clientId, ["response_type"] = "code", ["redirect_uri"] = Cb, ["scope"] = "openid email profile", ["state"] = "app-state", ["nonce"] = "app-nonce" };
        foreach (var (n, v) in extra) q[n] = v;
        return QueryHelpers.AddQueryString(new Uri(endpoint, "/oauth2/authorize").ToString(), q);
    }

    /// <summary>authorize (identity_provider) → upstream /auth → the 302 back to /oauth2/idpresponse (not followed).</summary>
    async Task<string> ToUpstreamAndBackAsync(Browser browser, string sub, params (string Name, string Value)[] extra)
    {
        var r = await browser.GetAsync(AuthorizeUrl([("identity_provider", ProviderName), .. extra]));
        r.StatusCode.ShouldBe(HttpStatusCode.Redirect, await r.Content.ReadAsStringAsync());
        var toUpstream = r.Headers.Location!;
        toUpstream.ToString().ShouldStartWith(upstream.Issuer + "/auth?");
        upstream.NextSubject = sub;
        var back = await browser.GetAsync(toUpstream.ToString());
        back.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        back.Headers.Location!.ToString().ShouldStartWith(new Uri(endpoint, "/oauth2/idpresponse?").ToString());
        return back.Headers.Location!.ToString();
    }

    static Dictionary<string, string> QueryOf(Uri location) => QueryHelpers.ParseQuery(location.Query).ToDictionary(p => p.Key, p => p.Value.ToString());

    async Task<JsonObject> RedeemAsync(string code)
    {
        using var http = new HttpClient();
        var r = await http.PostAsync(new Uri(endpoint, "/oauth2/token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = clientId, ["code"] = code, ["redirect_uri"] = Cb,
        }));
        var body = await r.Content.ReadAsStringAsync();
        r.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        return JsonNode.Parse(body)!.AsObject();
    }

    [Fact]
    public async Task SignIn_ThroughUpstream_TokensNameTheProviderAndMapAttributes()
    {
        using var browser = new Browser();
        var callback = await ToUpstreamAndBackAsync(browser, "alice-sub");

        // The upstream request Cognate made.
        var auth = upstream.LastAuthorize!;
        auth["response_type"].ShouldBe("code");
        auth["client_id"].ShouldBe(FakeUpstream.ClientId);
        auth["redirect_uri"].ShouldBe(new Uri(endpoint, "/oauth2/idpresponse").ToString());
        auth["scope"].ShouldBe("openid email profile");
        auth["code_challenge_method"].ShouldBe("S256");
        auth["nonce"].ShouldNotBe("app-nonce"); // Cognate's own nonce upstream, never the app's
        auth["state"].ShouldNotContain("app-state");

        var done = await browser.GetAsync(callback);
        done.StatusCode.ShouldBe(HttpStatusCode.Redirect, await done.Content.ReadAsStringAsync());
        done.Headers.Location!.ToString().ShouldStartWith(Cb + "?");
        var q = QueryOf(done.Headers.Location!);
        q["state"].ShouldBe("app-state");
        upstream.LastTokenForm!["client_secret"].ShouldBe(FakeUpstream.ClientSecret);

        var tokens = await RedeemAsync(q["code"]);
        var id = TestJwt.Claims((string)tokens["id_token"]!);
        id["cognito:username"]!.GetValue<string>().ShouldBe($"{ProviderName}_alice-sub");
        id["email"]!.GetValue<string>().ShouldBe("alice-sub@corp.example.com");
        id["custom:dept"]!.GetValue<string>().ShouldBe("R&D");
        id["nonce"]!.GetValue<string>().ShouldBe("app-nonce");
        var identity = id["identities"].ShouldBeOfType<JsonArray>().Single()!.AsObject();
        identity["providerName"]!.GetValue<string>().ShouldBe(ProviderName);
        identity["providerType"]!.GetValue<string>().ShouldBe("OIDC");
        identity["userId"]!.GetValue<string>().ShouldBe("alice-sub");
        identity["primary"]!.GetValue<string>().ShouldBe("true");
        id["cognito:groups"]!.AsArray().Select(g => g!.GetValue<string>()).ShouldContain($"{poolId}_{ProviderName}");

        // A second sign-in (new browser: no session) reuses the same user.
        using var again = new Browser();
        var second = await again.GetAsync(await ToUpstreamAndBackAsync(again, "alice-sub"));
        var id2 = TestJwt.Claims((string)(await RedeemAsync(QueryOf(second.Headers.Location!)["code"]))["id_token"]!);
        id2["sub"]!.GetValue<string>().ShouldBe(id["sub"]!.GetValue<string>());
        var users = await admin.InvokeAsync("ListUsers", new JsonObject { ["UserPoolId"] = poolId });
        users["Users"]!.AsArray().Count.ShouldBe(1);
        users["Users"]![0]!["UserStatus"]!.GetValue<string>().ShouldBe("EXTERNAL_PROVIDER");
    }

    [Fact]
    public async Task LoginPage_ShowsOneButtonPerProvider_LinkingToAuthorizeWithIdentityProvider()
    {
        using var browser = new Browser();
        var r = await browser.GetAsync(AuthorizeUrl());
        r.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        r.Headers.Location!.ToString().ShouldStartWith("/login?");
        var page = await (await browser.GetAsync(new Uri(endpoint, r.Headers.Location!.ToString()).ToString())).Content.ReadAsStringAsync();
        page.ShouldContain(">Sign in with CorpOIDC</a>");
        page.ShouldContain("identity_provider=CorpOIDC");
        page.ShouldContain("name=\"password\"");
    }

    [Fact]
    public async Task Authorize_OnlyProviderNotCognito_GoesStraightUpstream()
    {
        await SupportAsync(ProviderName);
        using var browser = new Browser();
        var r = await browser.GetAsync(AuthorizeUrl());
        r.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        r.Headers.Location!.ToString().ShouldStartWith(upstream.Issuer + "/auth?");
    }

    [Fact]
    public async Task Authorize_IdpIdentifier_ResolvesTheProvider()
    {
        using var browser = new Browser();
        var r = await browser.GetAsync(AuthorizeUrl(("idp_identifier", "corp.example.com")));
        r.Headers.Location!.ToString().ShouldStartWith(upstream.Issuer + "/auth?");
        var unknown = await browser.GetAsync(AuthorizeUrl(("idp_identifier", "nobody.example.com")));
        QueryOf(unknown.Headers.Location!)["error"].ShouldBe("invalid_request");
    }

    [Fact]
    public async Task Authorize_ProviderNotSupportedByTheClient_ErrorToTheApp()
    {
        using var browser = new Browser();
        var r = await browser.GetAsync(AuthorizeUrl(("identity_provider", "Google")));
        r.Headers.Location!.ToString().ShouldStartWith(Cb + "?");
        QueryOf(r.Headers.Location!)["error"].ShouldBe("invalid_request");
    }

    [Fact]
    public async Task Callback_WrongAudience_ErrorPage()
    {
        // The upstream mints the ID token for another of its registered clients (a legitimate token, for someone else).
        upstream.AudienceOverride = "another-upstream-client";
        using var browser = new Browser();
        var r = await browser.GetAsync(await ToUpstreamAndBackAsync(browser, "bob-sub"));
        r.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await r.Content.ReadAsStringAsync()).ShouldContain("audience");
        r.Headers.Location.ShouldBeNull();
    }

    [Fact]
    public async Task Callback_Replayed_ErrorPage()
    {
        using var browser = new Browser();
        var callback = await ToUpstreamAndBackAsync(browser, "carol-sub");
        (await browser.GetAsync(callback)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var replay = await browser.GetAsync(callback);
        replay.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await replay.Content.ReadAsStringAsync()).ShouldContain("invalid or has expired");
    }

    [Fact]
    public async Task Callback_FromAnotherBrowser_ErrorPage()
    {
        using var victim = new Browser();
        var callback = await ToUpstreamAndBackAsync(victim, "dave-sub");
        using var attacker = new Browser();
        var r = await attacker.GetAsync(callback);
        r.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        // The victim's own browser can still finish (the state was not consumed by the refused attempt).
        (await victim.GetAsync(callback)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task TwoSignInsStartedInOneBrowser_BothFinish()
    {
        using var browser = new Browser();
        var first = await ToUpstreamAndBackAsync(browser, "tab-one");
        var second = await ToUpstreamAndBackAsync(browser, "tab-two");
        (await browser.GetAsync(first)).Headers.Location!.ToString().ShouldStartWith(Cb + "?code=");
        (await browser.GetAsync(second)).Headers.Location!.ToString().ShouldStartWith(Cb + "?code=");
    }

    [Fact]
    public async Task Callback_ForgedState_ErrorPage()
    {
        using var browser = new Browser();
        await ToUpstreamAndBackAsync(browser, "erin-sub");
        var r = await browser.GetAsync(new Uri(endpoint, "/oauth2/idpresponse?code=abc&state=forged").ToString());
        r.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Callback_UpstreamError_RelayedToTheApp()
    {
        upstream.DenyNext = true;
        using var browser = new Browser();
        var r = await browser.GetAsync(await ToUpstreamAndBackAsync(browser, "frank-sub"));
        r.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var q = QueryOf(r.Headers.Location!);
        r.Headers.Location!.ToString().ShouldStartWith(Cb + "?");
        q["error"].ShouldBe("access_denied");
        q["error_description"].ShouldStartWith($"{ProviderName} Error - access_denied");
        q["state"].ShouldBe("app-state");
    }

    [Fact]
    public async Task Callback_DisabledFederatedUser_ErrorToTheApp()
    {
        using var first = new Browser();
        (await first.GetAsync(await ToUpstreamAndBackAsync(first, "gina-sub"))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        await admin.InvokeAsync("AdminDisableUser", new JsonObject { ["UserPoolId"] = poolId, ["Username"] = $"{ProviderName}_gina-sub" });
        using var second = new Browser();
        var r = await second.GetAsync(await ToUpstreamAndBackAsync(second, "gina-sub"));
        var q = QueryOf(r.Headers.Location!);
        q["error"].ShouldBe("invalid_request");
        q["error_description"].ShouldBe("User is disabled.");
    }

    [Fact]
    public async Task SignInWithApple_FormPostWithUserJson_ClientSecretJwtAndNoPkce()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await providers.CreateAsync(new IdentityProvider
        {
            UserPoolId = poolId, ProviderName = "SignInWithApple", ProviderType = IdentityProviderTypes.SignInWithApple,
            ProviderDetails = new Dictionary<string, string>
            {
                ["client_id"] = FakeUpstream.ClientId, ["team_id"] = "TEAM123456", ["key_id"] = "KEY1234567", ["private_key"] = ec.ExportPkcs8PrivateKeyPem(),
                ["authorize_scopes"] = "email name", ["oidc_issuer"] = upstream.Issuer, ["authorize_url"] = upstream.Issuer + "/auth",
                ["token_url"] = upstream.Issuer + "/token", ["jwks_uri"] = upstream.Issuer + "/jwks",
            },
            AttributeMapping = new Dictionary<string, string> { ["email"] = "email", ["given_name"] = "firstName", ["family_name"] = "lastName" },
            IdpIdentifiers = [], CreatedAt = DateTimeOffset.UtcNow, ModifiedAt = DateTimeOffset.UtcNow,
        });
        await SupportAsync("COGNITO", "SignInWithApple");
        using var browser = new Browser();
        var r = await browser.GetAsync(AuthorizeUrl(("identity_provider", "SignInWithApple")));
        var toApple = QueryOf(r.Headers.Location!);
        toApple["response_mode"].ShouldBe("form_post");
        toApple.ContainsKey("code_challenge").ShouldBeFalse();
        toApple.ContainsKey("nonce").ShouldBeTrue();
        upstream.NextSubject = "apple-sub";
        var back = QueryOf((await browser.GetAsync(r.Headers.Location!.ToString())).Headers.Location!);

        // Apple posts the code, the state and (first sign-in only) the user's name.
        var done = await browser.PostAsync(new Uri(endpoint, "/oauth2/idpresponse").ToString(), new Dictionary<string, string>
        {
            ["code"] = back["code"], ["state"] = back["state"], ["user"] = """{"name":{"firstName":"Ada","lastName":"Lovelace"},"email":"apple-sub@corp.example.com"}""",
        });
        done.StatusCode.ShouldBe(HttpStatusCode.Redirect, await done.Content.ReadAsStringAsync());
        var secret = new JsonWebToken(upstream.LastTokenForm!["client_secret"]);
        (secret.Alg, secret.Kid, secret.Issuer, secret.Subject).ShouldBe(("ES256", "KEY1234567", "TEAM123456", FakeUpstream.ClientId));
        var id = TestJwt.Claims((string)(await RedeemAsync(QueryOf(done.Headers.Location!)["code"]))["id_token"]!);
        id["cognito:username"]!.GetValue<string>().ShouldBe("SignInWithApple_apple-sub");
        id["given_name"]!.GetValue<string>().ShouldBe("Ada");
        id["family_name"]!.GetValue<string>().ShouldBe("Lovelace");
        id["identities"]![0]!["providerType"]!.GetValue<string>().ShouldBe("SignInWithApple");
    }

    [Fact]
    public async Task Facebook_NoIdToken_SubjectIsTheProfileIdAndFieldsAreRequested()
    {
        await providers.CreateAsync(new IdentityProvider
        {
            UserPoolId = poolId, ProviderName = "Facebook", ProviderType = IdentityProviderTypes.Facebook,
            ProviderDetails = new Dictionary<string, string>
            {
                ["client_id"] = FakeUpstream.ClientId, ["client_secret"] = FakeUpstream.ClientSecret, ["authorize_scopes"] = "public_profile,email",
                ["authorize_url"] = upstream.Issuer + "/auth", ["token_url"] = upstream.Issuer + "/token",
                ["attributes_url"] = upstream.Issuer + "/me?fields=", ["attributes_url_add_attributes"] = "true",
            },
            AttributeMapping = new Dictionary<string, string> { ["email"] = "email" },
            IdpIdentifiers = [], CreatedAt = DateTimeOffset.UtcNow, ModifiedAt = DateTimeOffset.UtcNow,
        });
        await SupportAsync("COGNITO", "Facebook");
        using var browser = new Browser();
        var r = await browser.GetAsync(AuthorizeUrl(("identity_provider", "Facebook")));
        QueryOf(r.Headers.Location!).ContainsKey("nonce").ShouldBeFalse();
        upstream.NextSubject = "fb-1234";
        var done = await browser.GetAsync((await browser.GetAsync(r.Headers.Location!.ToString())).Headers.Location!.ToString());
        done.StatusCode.ShouldBe(HttpStatusCode.Redirect, await done.Content.ReadAsStringAsync());
        Uri.UnescapeDataString(upstream.LastUserInfoQuery!).ShouldBe("?fields=id,email");
        var id = TestJwt.Claims((string)(await RedeemAsync(QueryOf(done.Headers.Location!)["code"]))["id_token"]!);
        id["cognito:username"]!.GetValue<string>().ShouldBe("Facebook_fb-1234");
        id["email"]!.GetValue<string>().ShouldBe("fb-1234@corp.example.com");
    }

    /// <summary>The pool's providers, in memory (test-only: the SQL store and the IdP API are another branch's).</summary>
    sealed class MemoryProviders : IIdentityProviderStore
    {
        readonly ConcurrentDictionary<(string, string), IdentityProvider> all = new();
        public ValueTask<IdentityProviderWriteResult> CreateAsync(IdentityProvider provider, CancellationToken ct = default) =>
            ValueTask.FromResult(all.TryAdd((provider.UserPoolId, provider.ProviderName), provider) ? IdentityProviderWriteResult.Ok : IdentityProviderWriteResult.NameTaken);
        public ValueTask<IdentityProvider?> GetAsync(string userPoolId, string providerName, CancellationToken ct = default) =>
            ValueTask.FromResult(all.GetValueOrDefault((userPoolId, providerName)));
        public ValueTask<IdentityProvider?> GetByIdentifierAsync(string userPoolId, string idpIdentifier, CancellationToken ct = default) =>
            ValueTask.FromResult(all.Values.FirstOrDefault(p => p.UserPoolId == userPoolId && p.IdpIdentifiers.Contains(idpIdentifier)));
        public ValueTask<IReadOnlyList<IdentityProvider>> ListAsync(string userPoolId, string? afterName, int limit, CancellationToken ct = default) =>
            ValueTask.FromResult<IReadOnlyList<IdentityProvider>>([.. all.Values.Where(p => p.UserPoolId == userPoolId).OrderBy(p => p.ProviderName, StringComparer.Ordinal)]);
        public ValueTask<IdentityProviderWriteResult> UpdateAsync(IdentityProvider provider, CancellationToken ct = default)
        {
            all[(provider.UserPoolId, provider.ProviderName)] = provider;
            return ValueTask.FromResult(IdentityProviderWriteResult.Ok);
        }
        public ValueTask<bool> DeleteAsync(string userPoolId, string providerName, CancellationToken ct = default) => ValueTask.FromResult(all.TryRemove((userPoolId, providerName), out _));
        public ValueTask<int> CountAsync(string userPoolId, CancellationToken ct = default) => ValueTask.FromResult(all.Values.Count(p => p.UserPoolId == userPoolId));
    }

    /// <summary>
    /// A scripted OIDC provider: <c>/auth</c> answers at once with a code (or <c>error=access_denied</c>), <c>/token</c> checks the
    /// client secret, redirect_uri and PKCE verifier and returns an RS256 ID token with the nonce, <c>/jwks</c>, <c>/me</c>.
    /// </summary>
    sealed class FakeUpstream : IAsyncDisposable
    {
        public const string ClientId = "cognate-rp";
        public const string ClientSecret = "upstream-secret";
        readonly WebApplication app;
        readonly RSA key = RSA.Create(2048);
        readonly ConcurrentDictionary<string, (string Sub, string? Nonce, string? Challenge, string RedirectUri)> codes = new();

        public string Issuer { get; private set; } = "";
        public string? NextSubject { get; set; }
        public string? AudienceOverride { get; set; }
        public bool DenyNext { get; set; }
        public Dictionary<string, string>? LastAuthorize { get; private set; }
        public Dictionary<string, string>? LastTokenForm { get; private set; }
        public string? LastUserInfoQuery { get; private set; }

        FakeUpstream()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            app = builder.Build();
            app.MapGet("/auth", (HttpContext http) =>
            {
                var q = http.Request.Query.ToDictionary(p => p.Key, p => p.Value.ToString());
                LastAuthorize = q;
                if (DenyNext)
                {
                    DenyNext = false;
                    return Results.Redirect(QueryHelpers.AddQueryString(q["redirect_uri"], new Dictionary<string, string?> { ["error"] = "access_denied", ["error_description"] = "The user said no", ["state"] = q["state"] }));
                }
                var code = Guid.NewGuid().ToString("N");
                codes[code] = (NextSubject ?? "someone", q.GetValueOrDefault("nonce"), q.GetValueOrDefault("code_challenge"), q["redirect_uri"]);
                return Results.Redirect(QueryHelpers.AddQueryString(q["redirect_uri"], new Dictionary<string, string?> { ["code"] = code, ["state"] = q["state"] }));
            });
            app.MapPost("/token", async (HttpContext http) =>
            {
                var form = (await http.Request.ReadFormAsync()).ToDictionary(p => p.Key, p => p.Value.ToString());
                LastTokenForm = form;
                var secret = form.GetValueOrDefault("client_secret");
                bool appleSecret = secret is not null && secret.Count(c => c == '.') == 2 && new JsonWebToken(secret).Alg == "ES256";
                if (form.GetValueOrDefault("client_id") != ClientId || (secret != ClientSecret && !appleSecret)) return Results.Json(new { error = "invalid_client" }, statusCode: 401);
                if (!codes.TryRemove(form.GetValueOrDefault("code") ?? "", out var grant) || grant.RedirectUri != form.GetValueOrDefault("redirect_uri")
                    || (grant.Challenge is not null && Pkce.ChallengeOf(form.GetValueOrDefault("code_verifier") ?? "") != grant.Challenge))
                {
                    return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
                }
                var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                var claims = new JsonObject { ["iss"] = Issuer, ["aud"] = AudienceOverride ?? ClientId, ["sub"] = grant.Sub, ["iat"] = now, ["exp"] = now + 300, ["email"] = grant.Sub + "@corp.example.com" };
                if (grant.Nonce is not null) claims["nonce"] = grant.Nonce;
                var idToken = new JsonWebTokenHandler().CreateToken(claims.ToJsonString(), new SigningCredentials(new RsaSecurityKey(key) { KeyId = "up-1" }, SecurityAlgorithms.RsaSha256));
                return Results.Json(new { access_token = "at-" + grant.Sub, id_token = idToken, token_type = "Bearer", expires_in = 300 });
            });
            app.MapGet("/jwks", () =>
            {
                var p = key.ExportParameters(false);
                return Results.Json(new { keys = new[] { new { kty = "RSA", kid = "up-1", use = "sig", alg = "RS256", n = Base64UrlEncoder.Encode(p.Modulus), e = Base64UrlEncoder.Encode(p.Exponent) } } });
            });
            app.MapGet("/me", (HttpContext http) =>
            {
                var auth = http.Request.Headers.Authorization.ToString();
                if (!auth.StartsWith("Bearer at-", StringComparison.Ordinal)) return Results.StatusCode(401);
                var sub = auth["Bearer at-".Length..];
                LastUserInfoQuery = http.Request.QueryString.Value;
                return Results.Json(new { sub, id = sub, name = "User " + sub, dept = "R&D", email = sub + "@corp.example.com" });
            });
        }

        public static async Task<FakeUpstream> StartAsync()
        {
            var upstream = new FakeUpstream();
            await upstream.app.StartAsync();
            upstream.Issuer = upstream.app.Urls.First();
            return upstream;
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
            key.Dispose();
        }
    }
}
