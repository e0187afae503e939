using Cognate.Core.Sessions;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.Sessions;

/// <summary>The DeviceType rule (<see cref="UserAgentDevice"/>): app and OS from real User-Agents, <c>unknown</c> for nothing usable.</summary>
public sealed class UserAgentDeviceTests
{
    [Theory]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "Chrome on Windows")]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", "Edge on Windows")]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox on Linux")]
    [InlineData("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15", "Safari on macOS")]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", "Safari on iOS")]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1", "Chrome on iOS")]
    [InlineData("Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36", "Samsung Internet on Android")]
    [InlineData("Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "Chrome on ChromeOS")]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36", "Chrome on Linux")]
    [InlineData("aws-sdk-js/3.1169.0 ua/2.1 os/linux#6.1.0 lang/js md/nodejs#20.19.2 api/cognito-identity-provider#3.1169.0", "aws-sdk-js on Linux")]
    [InlineData("Boto3/1.35.0 md/Botocore#1.35.0 ua/2.0 os/macos#23.4.0 md/arch#arm64 lang/python#3.12.3", "Boto3 on macOS")]
    [InlineData("aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/windows#10 md/arch#amd64 lang/python#3.11.8", "aws-cli on Windows")]
    [InlineData("aws-sdk-dotnet-coreclr/3.7.0 aws-sdk-dotnet-core/3.7.0 .NET_Core/8.0 OS/Microsoft_Windows_10", "aws-sdk-dotnet-coreclr on Windows")]
    [InlineData("curl/8.5.0", "curl")]
    [InlineData("python-requests/2.32.3", "python-requests")]
    [InlineData("Mozilla/5.0", "Mozilla")]
    public void Describe_KnownAgents_AppAndOs(string userAgent, string expected) => UserAgentDevice.Describe(userAgent).ShouldBe(expected);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("\u00e9t\u00e9/1.0")]
    public void Describe_NothingUsable_Unknown(string? userAgent) => UserAgentDevice.Describe(userAgent).ShouldBe("unknown");

    [Fact]
    public void Describe_HugeAgent_BoundedAndNeverOverLimit()
    {
        UserAgentDevice.Describe(new string('a', 100_000)).ShouldBe("unknown"); // one 100,000-letter token: too long a name
        UserAgentDevice.Describe("x/1 " + new string(' ', 50_000) + "Firefox/1").ShouldBe("x"); // only the first 2,048 characters are read
        UserAgentDevice.Describe("aws-sdk-js/1 os/" + new string('z', 5000)).Length.ShouldBeLessThanOrEqualTo(1024);
    }

    [Fact]
    public void SessionClient_LongIp_NotRecorded()
    {
        new SessionClient(new string('1', 129), null).RecordedIp.ShouldBeNull();
        new SessionClient("2001:db8::1", null).RecordedIp.ShouldBe("2001:db8::1");
        new SessionClient("198.51.100.4", "curl/8").DeviceType.ShouldBe("curl");
    }
}
