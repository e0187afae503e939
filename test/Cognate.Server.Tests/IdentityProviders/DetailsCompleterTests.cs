using System.Net;
using System.Text;
using Cognate.Core.Errors;
using Cognate.Core.IdentityProviders;
using Cognate.Core.Pools;
using Cognate.Server.IdentityProviders;
using Cognate.Server.Options;
using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.IdentityProviders;

/// <summary>The OIDC and social ProviderDetails completers without a server: URL policy, discovery rules, fixed endpoints.</summary>
public sealed class DetailsCompleterTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    static readonly UserPool Pool = new() { Id = "us-east-1_Abc", Region = "us-east-1", Config = new UserPoolConfig(), CreatedAt = DateTimeOffset.UnixEpoch, ModifiedAt = DateTimeOffset.UnixEpoch };

    sealed class Handler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        public List<Uri> Seen { get; } = [];
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Seen.Add(request.RequestUri!);
            return Task.FromResult(answer(request));
        }
    }

    static HttpResponseMessage Json(string body, HttpStatusCode status = HttpStatusCode.OK) => new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    static (OidcDetailsCompleter, Handler) Oidc(bool development, Func<HttpRequestMessage, HttpResponseMessage> answer)
    {
        var handler = new Handler(answer);
        return (new OidcDetailsCompleter(new HttpClient(handler), new OidcDiscoveryPolicy(development, TimeSpan.FromSeconds(5)), NullLogger<OidcDetailsCompleter>.Instance), handler);
    }

    static Dictionary<string, string> Details(string issuer, params (string K, string V)[] more)
    {
        var d = new Dictionary<string, string> { ["client_id"] = "c", ["authorize_scopes"] = "openid", ["oidc_issuer"] = issuer };
        foreach (var (k, v) in more) d[k] = v;
        return d;
    }

    const string Doc = """{"issuer":"https://login.example.com/t1","authorization_endpoint":"https://login.example.com/t1/auth","token_endpoint":"https://login.example.com/t1/token","jwks_uri":"https://login.example.com/t1/keys","userinfo_endpoint":"https://login.example.com/t1/me"}""";

    [Fact]
    public async Task Oidc_Discovers_GivenEndpointsWin_AddsAttributesUrlAddAttributes()
    {
        var (completer, handler) = Oidc(false, _ => Json(Doc));
        var result = await completer.CompleteAsync(Pool, "OIDC", Details("https://login.example.com/t1/", ("token_url", "https://other.example.com/token")), Ct);

        handler.Seen.Single().ToString().ShouldBe("https://login.example.com/t1/.well-known/openid-configuration");
        (result["authorize_url"], result["token_url"], result["attributes_url"], result["jwks_uri"], result["attributes_url_add_attributes"])
            .ShouldBe(("https://login.example.com/t1/auth", "https://other.example.com/token", "https://login.example.com/t1/me", "https://login.example.com/t1/keys", "false"));
    }

    [Fact]
    public async Task Oidc_AllEndpointsGiven_NoRequest()
    {
        var (completer, handler) = Oidc(false, _ => throw new InvalidOperationException("no request expected"));
        var result = await completer.CompleteAsync(Pool, "OIDC", Details("https://i.example.com",
            ("authorize_url", "https://i.example.com/a"), ("token_url", "https://i.example.com/t"), ("attributes_url", "https://i.example.com/u"), ("jwks_uri", "https://i.example.com/k")), Ct);
        handler.Seen.ShouldBeEmpty();
        result["attributes_url_add_attributes"].ShouldBe("false");
    }

    [Theory]
    [InlineData(false, "http://127.0.0.1:9000/t")]      // loopback http outside Development
    [InlineData(true, "http://idp.example.com")]        // http to a non-loopback host, even in Development
    [InlineData(true, "https://idp.example.com/?a=b")]  // a query
    [InlineData(false, "not a url")]
    public async Task Oidc_IssuerNotAllowed_InvalidParameter_NoRequest(bool development, string issuer)
    {
        var (completer, handler) = Oidc(development, _ => Json(Doc));
        var e = await Should.ThrowAsync<CognitoException>(async () => await completer.CompleteAsync(Pool, "OIDC", Details(issuer), Ct));
        e.Error.Type.ShouldBe("InvalidParameterException");
        handler.Seen.ShouldBeEmpty();
    }

    [Fact]
    public async Task Oidc_LoopbackHttpInDevelopment_Allowed()
    {
        var doc = Doc.Replace("https://login.example.com/t1", "http://127.0.0.1:9000/t1", StringComparison.Ordinal);
        var (completer, _) = Oidc(true, _ => Json(doc));
        (await completer.CompleteAsync(Pool, "OIDC", Details("http://127.0.0.1:9000/t1"), Ct))["jwks_uri"].ShouldBe("http://127.0.0.1:9000/t1/keys");
    }

    [Theory]
    [InlineData("""{"issuer":"https://evil.example.com","authorization_endpoint":"https://a","token_endpoint":"https://t","jwks_uri":"https://k"}""", 200, "does not match")]
    [InlineData("not json", 200, "not JSON")]
    [InlineData("{}", 404, "HTTP 404")]
    [InlineData("""{"issuer":"https://login.example.com/t1","authorization_endpoint":"https://login.example.com/a","token_endpoint":"https://login.example.com/t"}""", 200, "jwks_uri")]
    [InlineData("""{"issuer":"https://login.example.com/t1","authorization_endpoint":"http://login.example.com/a","token_endpoint":"https://login.example.com/t","jwks_uri":"https://k.example.com"}""", 200, "authorize_url must be an https URL")]
    public async Task Oidc_BadDiscovery_InvalidParameter(string body, int status, string says)
    {
        var (completer, _) = Oidc(false, _ => Json(body, (HttpStatusCode)status));
        var e = await Should.ThrowAsync<CognitoException>(async () => await completer.CompleteAsync(Pool, "OIDC", Details("https://login.example.com/t1"), Ct));
        (e.Error.Type, e.Error.Message.Contains(says, StringComparison.Ordinal)).ShouldBe(("InvalidParameterException", true), e.Error.Message);
    }

    [Fact]
    public async Task Social_FixedEndpointsReplaceGiven_FacebookVersioned_OverridesApply()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new FederationOptions());
        options.Value.Endpoints["Facebook"] = new Dictionary<string, string> { ["token_url"] = "http://127.0.0.1:5000/token" };
        var completer = new SocialDetailsCompleter(options);

        var google = await completer.CompleteAsync(Pool, "Google", new Dictionary<string, string> { ["client_id"] = "g", ["authorize_url"] = "https://evil.example.com" }, Ct);
        google["authorize_url"].ShouldBe("https://accounts.google.com/o/oauth2/v2/auth");
        google["token_request_method"].ShouldBe("POST");

        var facebook = await completer.CompleteAsync(Pool, "Facebook", new Dictionary<string, string> { ["client_id"] = "f", ["api_version"] = "v17.0" }, Ct);
        (facebook["attributes_url"], facebook["authorize_url"], facebook["token_url"], facebook["token_request_method"])
            .ShouldBe(("https://graph.facebook.com/v17.0/me?fields=", "https://www.facebook.com/v17.0/dialog/oauth", "http://127.0.0.1:5000/token", "GET"));

        var apple = await completer.CompleteAsync(Pool, "SignInWithApple", new Dictionary<string, string> { ["client_id"] = "a", ["private_key"] = "pk" }, Ct);
        (apple["oidc_issuer"], apple["private_key"]).ShouldBe(("https://appleid.apple.com", "pk"));
        completer.Handles("OIDC").ShouldBeFalse();
        completer.Handles("LoginWithAmazon").ShouldBeTrue();
    }

    [Fact]
    public void Options_OverridesOutsideDevelopment_Fail()
    {
        var options = new FederationOptions();
        options.Endpoints["Google"] = new Dictionary<string, string> { ["token_url"] = "http://127.0.0.1:5000/token" };
        new FederationOptionsValidator(development: true).Validate(null, options).Succeeded.ShouldBeTrue();
        new FederationOptionsValidator(development: false).Validate(null, options).Failed.ShouldBeTrue();
        options.Endpoints["Google"]["userinfo"] = "http://127.0.0.1:5000/u";
        new FederationOptionsValidator(development: true).Validate(null, options).FailureMessage!.ShouldContain("unknown key");
    }
}
