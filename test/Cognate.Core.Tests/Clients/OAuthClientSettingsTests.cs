using Cognate.Core.Clients;
using Cognate.Core.Errors;
using Cognate.Core.Pools;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.Clients;

/// <summary>The OAuth members of Create/UpdateUserPoolClient as Cognito validates them (reference §9).</summary>
public sealed class OAuthClientSettingsTests
{
    static readonly UserPool Pool = new() { Id = "us-east-1_AAAAAAAAA", Region = "us-east-1", CreatedAt = DateTimeOffset.UnixEpoch, ModifiedAt = DateTimeOffset.UnixEpoch, Config = new UserPoolConfig() };

    static AppClientConfig Code(params string[] callbacks) => new()
    {
        ClientName = "web", AllowedOAuthFlowsUserPoolClient = true, AllowedOAuthFlows = ["code"], AllowedOAuthScopes = ["openid"], CallbackURLs = [.. callbacks],
    };

    static CognitoError Fails(AppClientConfig c, bool secret = false, IReadOnlySet<string>? custom = null) =>
        Should.Throw<CognitoException>(() => AppClientDefaults.Apply(c, Pool, secret, creating: true, custom)).Error;

    [Theory]
    [InlineData("https://app.example.com/cb")]
    [InlineData("http://localhost:3000/cb")]
    [InlineData("myapp://callback")]
    [InlineData("com.example.app:/oauth2redirect")]
    [InlineData("https://app.example.com/cb?tenant=1")]
    public void Callback_AllowedForms_Stored(string url) =>
        AppClientDefaults.Apply(Code(url), Pool, false, true).CallbackURLs.ShouldBe([url]);

    [Theory]
    [InlineData("http://app.example.com/cb")]
    [InlineData("http://127.0.0.1.evil.example/cb")]
    [InlineData("https://app.example.com/cb#frag")]
    [InlineData("/relative/cb")]
    [InlineData("https://app.example.com/c b")]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:text/html,hi")]
    public void Callback_RefusedForms_InvalidParameter(string url) => Fails(Code(url)).Type.ShouldBe("InvalidParameterException");

    [Fact]
    public void ClientTokenAuth_OnlyFlowWithScopesAndNoOAuthFlows_Stored() =>
        AppClientDefaults.Apply(new AppClientConfig { ClientName = "m2m", ExplicitAuthFlows = ["ALLOW_CLIENT_TOKEN_AUTH"], AllowedOAuthScopes = ["api/read"] },
            Pool, true, true, new HashSet<string> { "api/read" }).ExplicitAuthFlows.ShouldBe(["ALLOW_CLIENT_TOKEN_AUTH"]);

    [Theory]
    [InlineData("ALLOW_REFRESH_TOKEN_AUTH")]
    [InlineData("ALLOW_USER_SRP_AUTH")]
    public void ClientTokenAuth_WithAnotherFlow_InvalidParameter(string other) =>
        Fails(new AppClientConfig { ClientName = "m2m", ExplicitAuthFlows = ["ALLOW_CLIENT_TOKEN_AUTH", other] }, secret: true).Type.ShouldBe("InvalidParameterException");

    [Fact]
    public void LogoutUrl_PlainHttp_InvalidParameter() =>
        Fails(Code("https://a.example/cb") with { LogoutURLs = ["http://a.example/out"] }).Type.ShouldBe("InvalidParameterException");

    [Fact]
    public void DefaultRedirect_NotACallback_InvalidParameter() =>
        Fails(Code("https://a.example/cb") with { DefaultRedirectURI = "https://a.example/other" }).Type.ShouldBe("InvalidParameterException");

    [Fact]
    public void CodeFlow_NoCallbacks_InvalidOAuthFlow() =>
        Fails(Code() with { CallbackURLs = null }).ShouldBe(new CognitoError("InvalidOAuthFlowException", "CallbackUrls can not be empty when code flow or implicit flow is selected"));

    [Fact]
    public void OAuthClient_NoFlows_InvalidOAuthFlow() =>
        Fails(new AppClientConfig { ClientName = "x", AllowedOAuthFlowsUserPoolClient = true }).Type.ShouldBe("InvalidOAuthFlowException");

    [Fact]
    public void Flows_NoScopes_InvalidOAuthFlow() =>
        Fails(Code("https://a.example/cb") with { AllowedOAuthScopes = null }).Type.ShouldBe("InvalidOAuthFlowException");

    [Fact]
    public void ClientCredentials_StandardScope_InvalidOAuthFlow() =>
        Fails(new AppClientConfig { ClientName = "m", AllowedOAuthFlowsUserPoolClient = true, AllowedOAuthFlows = ["client_credentials"], AllowedOAuthScopes = ["openid"] }, secret: true)
            .Type.ShouldBe("InvalidOAuthFlowException");

    [Fact]
    public void ClientCredentials_WithCode_InvalidOAuthFlow() =>
        Fails(Code("https://a.example/cb") with { AllowedOAuthFlows = ["code", "client_credentials"] }, secret: true).Type.ShouldBe("InvalidOAuthFlowException");

    [Fact]
    public void CustomScope_ExistsOrNot_Decides()
    {
        var custom = new HashSet<string>(StringComparer.Ordinal) { "api/read" };
        var ok = new AppClientConfig { ClientName = "m", AllowedOAuthFlowsUserPoolClient = true, AllowedOAuthFlows = ["client_credentials"], AllowedOAuthScopes = ["api/read"] };
        AppClientDefaults.Apply(ok, Pool, true, true, custom).AllowedOAuthScopes.ShouldBe(["api/read"]);
        Fails(ok with { AllowedOAuthScopes = ["api/write"] }, secret: true, custom).Type.ShouldBe("ScopeDoesNotExistException");
        Fails(ok, secret: true, custom: null).Type.ShouldBe("ScopeDoesNotExistException");
    }

    [Fact]
    public void SupportedIdentityProviders_UnknownProvider_InvalidParameter() =>
        Fails(Code("https://a.example/cb") with { SupportedIdentityProviders = ["COGNITO", "Google"] })
            .ShouldBe(new CognitoError("InvalidParameterException", $"The provider Google does not exist for User Pool {Pool.Id}"));
}
