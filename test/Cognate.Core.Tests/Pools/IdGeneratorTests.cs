using Cognate.Core.Ids;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.Pools;

public sealed class IdGeneratorTests
{
    [Fact]
    public void NewSession_Always_StartsWithLetterOrDigitAndFitsCognitoLimits()
    {
        for (int i = 0; i < 2000; i++)
        {
            var s = IdGenerator.NewSession();
            char.IsAsciiLetterOrDigit(s[0]).ShouldBeTrue();
            s.Length.ShouldBeInRange(20, 2048);
        }
    }

    [Fact]
    public void NewUserPoolId_HasCognitoShape()
    {
        IdGenerator.NewUserPoolId("eu-west-1").ShouldMatch(@"^eu-west-1_[0-9A-Za-z]{9}$");
        IdGenerator.NewClientId().ShouldMatch("^[a-z0-9]{26}$");
    }
}
