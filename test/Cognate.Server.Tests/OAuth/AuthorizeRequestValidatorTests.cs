using Cognate.Core.Clients;
using Cognate.Core.Pools;
using Cognate.Server.OAuth.Authorize;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.OAuth;

/// <summary>
/// The rules of <see cref="AuthorizeRequestValidator"/> after the client lookup (docs/design/oauth-server.md §5 items 1–7;
/// reference §9.2), without a server: one test per rule and its ordering.
/// </summary>
public sealed class AuthorizeRequestValidatorTests
{
    const string Cb = "https://app.example.com/callback";
    const string Challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    static readonly DateTimeOffset T0 = new(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);

    static readonly UserPool Pool = new() { Id = "us-east-1_Validator", Region = "us-east-1", CreatedAt = T0, ModifiedAt = T0, Config = new UserPoolConfig { PoolName = "p" } };

    static AppClient Client(Func<AppClientConfig, AppClientConfig>? change = null)
    {
        var config = new AppClientConfig
        {
            ClientName = "web",
            AllowedOAuthFlowsUserPoolClient = true,
            AllowedOAuthFlows = ["code"],
            AllowedOAuthScopes = ["openid", "email", "profile", "https://api.example.com/read"],
            CallbackURLs = [Cb, "myapp://cb", "http://localhost:3000/cb?x=1"],
            SupportedIdentityProviders = ["COGNITO"],
        };
        return new AppClient { ClientId = "client1", UserPoolId = Pool.Id, CreatedAt = T0, ModifiedAt = T0, Config = change?.Invoke(config) ?? config };
    }

    static Dictionary<string, string> Query(params (string Name, string Value)[] extra)
    {
        var q = new Dictionary<string, string>(StringComparer.Ordinal) { ["client_id"] = "client1", ["response_type"] = "code", ["redirect_uri"] = Cb, ["state"] = "s+/=%" };
        foreach (var (n, v) in extra) q[n] = v;
        return q;
    }

    static AuthorizeValidation Validate(Dictionary<string, string> q, AppClient? client = null) => AuthorizeRequestValidator.Validate(Pool, client ?? Client(), q);

    static AuthorizeValidation.RedirectError RedirectError(AuthorizeValidation v) => v.ShouldBeOfType<AuthorizeValidation.RedirectError>();

    [Fact]
    public void Validate_MinimalCodeRequest_ValidWithAllAllowedScopes()
    {
        var v = Validate(Query()).ShouldBeOfType<AuthorizeValidation.Valid>();
        v.Pool.ShouldBe(Pool);
        var r = v.Request;
        (r.ClientId, r.RedirectUri, r.ResponseType, r.State).ShouldBe(("client1", Cb, "code", "s+/=%"));
        r.Scopes.ShouldBe(["openid", "email", "profile", "https://api.example.com/read"]);
        (r.CodeChallenge, r.CodeChallengeMethod, r.Nonce, r.Prompt).ShouldBe((null, null, null, null));
    }

    [Fact]
    public void Validate_EveryOptionalParameter_CarriedThrough()
    {
        var v = Validate(Query(("code_challenge", Challenge), ("code_challenge_method", "S256"), ("nonce", "n-0"), ("prompt", "login"),
            ("login_hint", "ann"), ("lang", "fr"), ("identity_provider", "COGNITO"), ("scope", "openid email openid"))).ShouldBeOfType<AuthorizeValidation.Valid>();
        var r = v.Request;
        (r.CodeChallenge, r.CodeChallengeMethod, r.Nonce, r.Prompt, r.LoginHint, r.Lang, r.IdentityProvider).ShouldBe((Challenge, "S256", "n-0", "login", "ann", "fr", "COGNITO"));
        r.Scopes.ShouldBe(["openid", "email"]);
    }

    [Fact]
    public void Validate_ClientNotOAuth_ErrorPage()
    {
        Validate(Query(), Client(c => c with { AllowedOAuthFlowsUserPoolClient = false })).ShouldBeOfType<AuthorizeValidation.ErrorPage>()
            .Message.ShouldBe(AuthorizeRequestValidator.InvalidClientMessage);
        Validate(Query(), Client(c => c with { SupportedIdentityProviders = [] })).ShouldBeOfType<AuthorizeValidation.ErrorPage>();
    }

    [Theory]
    [InlineData("https://app.example.com/callback/")]
    [InlineData("https://APP.example.com/callback")]
    [InlineData("https://app.example.com:443/callback")]
    [InlineData("https://app.example.com/Callback")]
    [InlineData("https://app.example.com/callback?x=1")]
    [InlineData("https://app.example.com/callback#frag")]
    [InlineData("https://app.example.com@evil.example/callback")]
    [InlineData("https://app.example.com.evil.example/callback")]
    [InlineData("https://app.example.com/callback/../callback")]
    [InlineData("https://app.example.com/%63allback")]
    [InlineData("http://localhost:3000/cb")]
    public void Validate_UnregisteredRedirectUri_ErrorPageNeverRedirect(string redirectUri)
    {
        Validate(Query(("redirect_uri", redirectUri))).ShouldBeOfType<AuthorizeValidation.ErrorPage>().Message.ShouldBe(AuthorizeRequestValidator.RedirectMismatchMessage);
    }

    [Fact]
    public void Validate_MissingRedirectUri_ErrorPageEvenWithOtherErrors()
    {
        var q = Query(("response_type", "bogus"));
        q.Remove("redirect_uri");
        Validate(q).ShouldBeOfType<AuthorizeValidation.ErrorPage>().Message.ShouldBe(AuthorizeRequestValidator.MissingRedirectUriMessage);
    }

    [Fact]
    public void Validate_RegisteredCustomSchemeAndQueryCallbacks_Valid()
    {
        Validate(Query(("redirect_uri", "myapp://cb"))).ShouldBeOfType<AuthorizeValidation.Valid>();
        Validate(Query(("redirect_uri", "http://localhost:3000/cb?x=1"))).ShouldBeOfType<AuthorizeValidation.Valid>();
    }

    [Fact]
    public void Validate_ResponseTypes_UnsupportedOrNotAllowed()
    {
        var missing = Query();
        missing.Remove("response_type");
        RedirectError(Validate(missing)).Error.ShouldBe("invalid_request");
        RedirectError(Validate(Query(("response_type", "id_token")))).Error.ShouldBe("unsupported_response_type");
        RedirectError(Validate(Query(("response_type", "code token")))).Error.ShouldBe("unsupported_response_type");
        var e = RedirectError(Validate(Query(("response_type", "token"))));
        (e.Error, e.InFragment, e.State, e.RedirectUri).ShouldBe(("unauthorized_client", true, "s+/=%", Cb));
        var code = RedirectError(Validate(Query(), Client(c => c with { AllowedOAuthFlows = ["implicit"] })));
        (code.Error, code.InFragment).ShouldBe(("unauthorized_client", false));
        Validate(Query(("response_type", "token")), Client(c => c with { AllowedOAuthFlows = ["implicit"] })).ShouldBeOfType<AuthorizeValidation.Valid>();
    }

    [Theory]
    [InlineData("plain", Challenge)]
    [InlineData("s256", Challenge)]
    [InlineData(null, Challenge)]
    [InlineData("S256", null)]
    [InlineData("S256", "short")]
    [InlineData("S256", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+cM")]
    public void Validate_BadPkce_InvalidRequestAtTheApp(string? method, string? challenge)
    {
        var q = Query();
        if (method is not null) q["code_challenge_method"] = method;
        if (challenge is not null) q["code_challenge"] = challenge;
        var e = RedirectError(Validate(q));
        (e.Error, e.State, e.InFragment).ShouldBe(("invalid_request", "s+/=%", false));
    }

    [Fact]
    public void Validate_PkceWithImplicit_InvalidRequestInFragment()
    {
        var e = RedirectError(Validate(Query(("response_type", "token"), ("code_challenge", Challenge), ("code_challenge_method", "S256")),
            Client(c => c with { AllowedOAuthFlows = ["implicit"] })));
        (e.Error, e.InFragment).ShouldBe(("invalid_request", true));
    }

    [Fact]
    public void Validate_Scopes_IntersectedOpenIdDependentAndEmptyIsInvalidScope()
    {
        Validate(Query(("scope", "openid email phone aws.cognito.signin.user.admin other"))).ShouldBeOfType<AuthorizeValidation.Valid>().Request.Scopes.ShouldBe(["openid", "email"]);
        Validate(Query(("scope", "email profile https://api.example.com/read"))).ShouldBeOfType<AuthorizeValidation.Valid>().Request.Scopes.ShouldBe(["https://api.example.com/read"]);
        RedirectError(Validate(Query(("scope", "email profile")))).Error.ShouldBe("invalid_scope");
        RedirectError(Validate(Query(("scope", "phone")))).Error.ShouldBe("invalid_scope");
        var noOpenId = Client(c => c with { AllowedOAuthScopes = ["email", "phone"] });
        RedirectError(Validate(Query(), noOpenId)).Error.ShouldBe("invalid_scope");
    }

    [Fact]
    public void Validate_IdentityProviderNotSupportedByTheClient_InvalidRequest()
    {
        RedirectError(Validate(Query(("identity_provider", "Google")))).Error.ShouldBe("invalid_request");
        RedirectError(Validate(Query(("identity_provider", "COGNITO")), Client(c => c with { SupportedIdentityProviders = ["Google"] }))).Error.ShouldBe("invalid_request");
        // Provider names match exactly.
        RedirectError(Validate(Query(("identity_provider", "corpoidc")), Client(c => c with { SupportedIdentityProviders = ["COGNITO", "CorpOIDC"] }))).Error.ShouldBe("invalid_request");
        RedirectError(Validate(Query(("idp_identifier", new string('x', 41))))).Error.ShouldBe("invalid_request");
    }

    [Fact]
    public void Validate_SupportedIdentityProvider_CarriedThrough()
    {
        var client = Client(c => c with { SupportedIdentityProviders = ["COGNITO", "CorpOIDC"] });
        Validate(Query(("identity_provider", "CorpOIDC")), client).ShouldBeOfType<AuthorizeValidation.Valid>().Request.IdentityProvider.ShouldBe("CorpOIDC");
        // idp_identifier is resolved by the authorize endpoint against the pool's providers.
        Validate(Query(("idp_identifier", "example.com")), client).ShouldBeOfType<AuthorizeValidation.Valid>();
    }

    [Theory]
    [InlineData("none login")]
    [InlineData("bogus")]
    [InlineData(" ")]
    public void Validate_BadPrompt_InvalidRequest(string prompt) => RedirectError(Validate(Query(("prompt", prompt)))).Error.ShouldBe("invalid_request");

    [Fact]
    public void Validate_RequestObjectsAndResponseMode_Refused()
    {
        RedirectError(Validate(Query(("request", "eyJ.x.y")))).Error.ShouldBe("request_not_supported");
        RedirectError(Validate(Query(("request_uri", "https://x")))).Error.ShouldBe("request_uri_not_supported");
        RedirectError(Validate(Query(("response_mode", "fragment")))).Error.ShouldBe("invalid_request");
        Validate(Query(("response_mode", "query"))).ShouldBeOfType<AuthorizeValidation.Valid>();
    }

    [Fact]
    public void Validate_OversizedParameter_InvalidRequestWithoutEchoingIt()
    {
        var e = RedirectError(Validate(Query(("state", new string('s', 5000)))));
        (e.Error, e.State).ShouldBe(("invalid_request", null));
        RedirectError(Validate(Query(("nonce", new string('n', 5000))))).Error.ShouldBe("invalid_request");
    }

    [Fact]
    public void Append_StateWithReservedCharacters_RoundTripsByteForByte()
    {
        const string state = "a+b=c&d%20e/ü?#";
        var url = AuthorizeCompletion.Append("https://app/cb?x=1", '?', [("code", "abc"), ("state", state), ("skip", null)]);
        url.ShouldStartWith("https://app/cb?x=1&code=abc&state=");
        var parsed = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(url).Query);
        parsed["state"].ToString().ShouldBe(state);
        parsed.ContainsKey("skip").ShouldBeFalse();
    }
}
