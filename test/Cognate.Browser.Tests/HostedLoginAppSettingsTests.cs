using Cognate.Samples.HostedLogin;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Cognate.Browser.Tests;

/// <summary>The sample's Cognito-style settings: the same app runs against Amazon Cognito by changing them.</summary>
public sealed class HostedLoginAppSettingsTests
{
    [Fact]
    public void Settings_NoEndpointUrl_UseAmazonCognitoAuthorityAndPrefixDomain()
    {
        var s = new CognitoSettings { UserPoolId = "eu-west-1_AbCdEf123", ClientId = "c", Domain = "myapp" };

        s.Authority.ShouldBe("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123");
        s.HostedUiBase.ShouldBe("https://myapp.auth.eu-west-1.amazoncognito.com");
        new CognitoSettings { UserPoolId = "eu-west-1_AbCdEf123", Domain = "auth.example.com" }.HostedUiBase.ShouldBe("https://auth.example.com");
    }

    [Fact]
    public void Settings_EndpointUrl_AuthorityAndHostedPagesOnCognate()
    {
        var s = new CognitoSettings { UserPoolId = "us-east-1_AbCdEf123", ClientId = "c", EndpointUrl = "http://localhost:9229/", Domain = "ignored" };

        s.Authority.ShouldBe("http://localhost:9229/us-east-1_AbCdEf123");
        s.HostedUiBase.ShouldBe("http://localhost:9229");
    }

    [Fact]
    public async Task Build_NeitherEndpointUrlNorDomain_FailsAtStartSayingWhatToSet()
    {
        await using var app = HostedLoginApp.Build([], b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Cognito:UserPoolId"] = "us-east-1_AbCdEf123",
            ["Cognito:ClientId"] = "client",
            ["Cognito:EndpointUrl"] = "",
        }));

        var thrown = await Should.ThrowAsync<Exception>(() => app.StartAsync(TestContext.Current.CancellationToken));

        // The host's start-up validation may arrive wrapped (TargetInvocationException); the validation error is inside.
        var e = thrown as OptionsValidationException ?? thrown.InnerException.ShouldBeOfType<OptionsValidationException>();
        e.Message.ShouldContain("Cognito:EndpointUrl");
    }
}
