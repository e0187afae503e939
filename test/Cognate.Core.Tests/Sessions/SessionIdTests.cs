using Cognate.Core.Sessions;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.Sessions;

public sealed class SessionIdTests
{
    [Fact]
    public void SessionIdOf_Family_CognitoShapeStableAndDistinct()
    {
        var a = SessionService.SessionIdOf("family-a");
        a.ShouldMatch("^tkn[a-z2-7]{25}$");
        SessionService.SessionIdOf("family-a").ShouldBe(a);
        SessionService.SessionIdOf("family-b").ShouldNotBe(a);
    }
}
