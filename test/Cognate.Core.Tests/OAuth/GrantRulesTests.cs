using Cognate.Core.Clients;
using Cognate.Core.OAuth;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.OAuth;

/// <summary>The client_credentials rules: confidential client, grant allowed, custom scopes only (reference §9.4, §9.7).</summary>
public sealed class GrantRulesTests
{
    static AppClient Client(string? secret = "secret", bool oauth = true, string[]? flows = null, string[]? scopes = null) => new()
    {
        ClientId = "abcdefghijklmnopqrstuvwxyz", UserPoolId = "us-east-1_AAAAAAAAA", ClientSecret = secret,
        CreatedAt = DateTimeOffset.UnixEpoch, ModifiedAt = DateTimeOffset.UnixEpoch,
        Config = new AppClientConfig
        {
            AllowedOAuthFlowsUserPoolClient = oauth, AllowedOAuthFlows = [.. flows ?? ["client_credentials"]],
            AllowedOAuthScopes = [.. scopes ?? ["api/read", "api/write", "openid"]],
        },
    };

    [Fact]
    public void Allowed_ConfidentialClientWithFlow_Ok() => GrantRules.CheckClientCredentialsAllowed(Client()).ShouldBeNull();

    [Fact]
    public void Allowed_PublicClient_UnauthorizedClient() =>
        GrantRules.CheckClientCredentialsAllowed(Client(secret: null))!.Error.ShouldBe(OAuthErrors.UnauthorizedClient);

    [Fact]
    public void Allowed_FlowNotListed_UnauthorizedClient() =>
        GrantRules.CheckClientCredentialsAllowed(Client(flows: ["code"]))!.Error.ShouldBe(OAuthErrors.UnauthorizedClient);

    [Fact]
    public void Allowed_OAuthOff_UnauthorizedClient() =>
        GrantRules.CheckClientCredentialsAllowed(Client(oauth: false))!.Error.ShouldBe(OAuthErrors.UnauthorizedClient);

    static AppClient TokenClient(string? secret = "secret", params string[] flows) => Client(secret, oauth: false, flows: []) is var c
        ? c with { Config = c.Config with { AllowedOAuthFlowsUserPoolClient = null, AllowedOAuthFlows = null, ExplicitAuthFlows = [.. flows] } }
        : c;

    [Fact]
    public void ClientToken_SecretAndAllowClientTokenAuth_OkWithoutOAuthFlows() =>
        GrantRules.CheckClientTokenAllowed(TokenClient(flows: "ALLOW_CLIENT_TOKEN_AUTH")).ShouldBeNull();

    [Fact]
    public void ClientToken_PublicClient_UnauthorizedClient() =>
        GrantRules.CheckClientTokenAllowed(TokenClient(null, "ALLOW_CLIENT_TOKEN_AUTH"))!.Error.ShouldBe(OAuthErrors.UnauthorizedClient);

    [Fact]
    public void ClientToken_FlowNotListed_UnauthorizedClient() =>
        GrantRules.CheckClientTokenAllowed(TokenClient(flows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]))!.Error.ShouldBe(OAuthErrors.UnauthorizedClient);

    [Fact]
    public void ClientToken_ClientCredentialsOAuthFlowAlone_UnauthorizedClient() =>
        GrantRules.CheckClientTokenAllowed(Client())!.Error.ShouldBe(OAuthErrors.UnauthorizedClient);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Scopes_Omitted_AllCustomScopesOfClient(string? requested) =>
        GrantRules.ClientCredentialsScopes(Client(), requested).Value.ShouldBe(["api/read", "api/write"]);

    [Fact]
    public void Scopes_Requested_GrantedInOrderWithoutDuplicates() =>
        GrantRules.ClientCredentialsScopes(Client(), "api/write  api/read api/write").Value.ShouldBe(["api/write", "api/read"]);

    [Theory]
    [InlineData("api/admin")] // not allowed for the client
    [InlineData("openid")] // allowed, but not a custom scope
    [InlineData("aws.cognito.signin.user.admin")]
    [InlineData("api/read other/read")]
    [InlineData("API/read")] // scopes compare ordinally
    public void Scopes_NotAllowed_InvalidScope(string requested) =>
        GrantRules.ClientCredentialsScopes(Client(), requested).Error!.Error.ShouldBe(OAuthErrors.InvalidScope);

    [Fact]
    public void Scopes_ClientWithoutCustomScopes_InvalidScope() =>
        GrantRules.ClientCredentialsScopes(Client(scopes: ["openid", "email"]), null).Error!.Error.ShouldBe(OAuthErrors.InvalidScope);

    [Theory]
    [InlineData("https://api.example.com/read", true)]
    [InlineData("api/read", true)]
    [InlineData("profile", false)]
    [InlineData("plain", false)]
    public void IsCustomScope_ResourceServerScopes(string scope, bool expected) => GrantRules.IsCustomScope(scope).ShouldBe(expected);
}
