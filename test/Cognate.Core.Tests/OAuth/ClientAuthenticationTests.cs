using System.Text;
using Cognate.Core.Clients;
using Cognate.Core.OAuth;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.OAuth;

/// <summary>RFC 6749 §2.3.1 client authentication: client_secret_basic (URL-decoded) and client_secret_post.</summary>
public sealed class ClientAuthenticationTests
{
    static string Basic(string id, string secret) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(id + ":" + secret));

    static AppClient Client(string? secret) => new()
    {
        ClientId = "abcdefghijklmnopqrstuvwxyz", UserPoolId = "us-east-1_AAAAAAAAA", ClientSecret = secret,
        CreatedAt = DateTimeOffset.UnixEpoch, ModifiedAt = DateTimeOffset.UnixEpoch, Config = new AppClientConfig(),
    };

    [Fact]
    public void Read_BasicUrlEncoded_Decoded()
    {
        var r = ClientAuthentication.Read(Basic("client", "s3cr%25t%2Bx"), null, null);
        r.Succeeded.ShouldBeTrue();
        r.Value!.ClientId.ShouldBe("client");
        (r.Value.ClientSecret == "s3cr%t+x").ShouldBeTrue("Basic credentials are form-URL-decoded");
    }

    [Fact]
    public void Read_BasicSecretWithColon_SplitAtFirstColon()
    {
        var r = ClientAuthentication.Read(Basic("client", "a:b"), null, null);
        (r.Value!.ClientSecret == "a:b").ShouldBeTrue();
    }

    [Theory]
    [InlineData("Basic !!!notbase64")]
    [InlineData("Basic Y2xpZW50")] // "client", no colon
    [InlineData("Basic OnNlY3JldA==")] // ":secret", empty id
    [InlineData("Basic /w==")] // not UTF-8
    public void Read_MalformedBasic_InvalidClient(string header) =>
        ClientAuthentication.Read(header, null, null).Error!.Error.ShouldBe(OAuthErrors.InvalidClient);

    [Fact]
    public void Read_Post_UsesFormCredentials()
    {
        var r = ClientAuthentication.Read(null, "client", "secret");
        r.Value!.ClientId.ShouldBe("client");
        (r.Value.ClientSecret == "secret").ShouldBeTrue();
        ClientAuthentication.Read(null, "client", "").Value!.ClientSecret.ShouldBeNull();
    }

    [Fact]
    public void Read_BasicAndPostSameClient_Lenient() =>
        ClientAuthentication.Read(Basic("client", "secret"), "client", "secret").Succeeded.ShouldBeTrue();

    [Fact]
    public void Read_BasicAndPostDifferentClients_InvalidClient() =>
        ClientAuthentication.Read(Basic("client", "secret"), "other", null).Error!.Error.ShouldBe(OAuthErrors.InvalidClient);

    [Fact]
    public void Read_NoClientAtAll_InvalidClient() =>
        ClientAuthentication.Read(null, null, "secret").Error!.Error.ShouldBe(OAuthErrors.InvalidClient);

    [Fact]
    public void Read_SecretNeverInToString() =>
        ClientAuthentication.Read(null, "client", "topsecretvalue").Value!.ToString().ShouldNotContain("topsecretvalue");

    [Theory]
    [InlineData("secret", true)]
    [InlineData("secreT", false)]
    [InlineData("secret ", false)]
    [InlineData("s", false)]
    [InlineData("", false)]
    public void SecretsEqual_ComparesWholeValue(string presented, bool expected) =>
        ClientAuthentication.SecretsEqual("secret", presented).ShouldBe(expected);

    [Fact]
    public void Verify_ConfidentialClient_NeedsItsSecret()
    {
        ClientAuthentication.Verify(Client("secret"), "secret").ShouldBeTrue();
        ClientAuthentication.Verify(Client("secret"), "wrong").ShouldBeFalse();
        ClientAuthentication.Verify(Client("secret"), null).ShouldBeFalse();
    }

    [Fact]
    public void Verify_PublicClient_MustNotPresentASecret()
    {
        ClientAuthentication.Verify(Client(null), null).ShouldBeTrue();
        ClientAuthentication.Verify(Client(null), "anything").ShouldBeFalse();
    }
    [Fact]
    public void AuthenticatedClient_ToString_NeverPrintsTheSecret()
    {
        var pool = new Cognate.Core.Pools.UserPool { Id = "us-east-1_AAAAAAAAA", Region = "us-east-1", CreatedAt = DateTimeOffset.UnixEpoch, ModifiedAt = DateTimeOffset.UnixEpoch, Config = new Cognate.Core.Pools.UserPoolConfig() };
        new AuthenticatedClient(Client("topsecretvalue"), pool).ToString().ShouldNotContain("topsecretvalue");
    }
}
