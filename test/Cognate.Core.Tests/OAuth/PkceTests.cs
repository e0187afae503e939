using Cognate.Core.OAuth;
using Cognate.Core.Tokens;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.OAuth;

/// <summary>RFC 7636 S256 (the only method Cognito accepts) and the OIDC <c>at_hash</c>.</summary>
public sealed class PkceTests
{
    const string Verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    const string Challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    [Fact]
    public void ChallengeOf_Rfc7636AppendixB_Matches() => Pkce.ChallengeOf(Verifier).ShouldBe(Challenge);

    [Fact]
    public void Verify_RightWrongAndMalformed_OnlyRightPasses()
    {
        Pkce.Verify(Verifier, Challenge).ShouldBeTrue();
        Pkce.Verify(Verifier[..^1] + "j", Challenge).ShouldBeFalse();
        Pkce.Verify(null, Challenge).ShouldBeFalse();
        Pkce.Verify("short", Pkce.ChallengeOf("short")).ShouldBeFalse(); // under 43 characters
        Pkce.Verify(new string('a', 129), Pkce.ChallengeOf(new string('a', 129))).ShouldBeFalse();
        Pkce.Verify(Verifier + "!", Pkce.ChallengeOf(Verifier + "!")).ShouldBeFalse(); // not unreserved
        Pkce.Verify(Challenge, Challenge).ShouldBeFalse(); // the challenge itself is no verifier
    }

    [Theory]
    [InlineData(Challenge, true)]
    [InlineData("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-c", false)]
    [InlineData("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+cM", false)]
    [InlineData("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM=", false)]
    [InlineData(null, false)]
    public void IsValidChallenge_Shape(string? challenge, bool valid) => Pkce.IsValidChallenge(challenge).ShouldBe(valid);

    [Fact]
    public void AtHash_OidcCoreExample_Matches()
    {
        // OpenID Connect Core 1.0 Appendix A.3 / A.4: access token "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y" → at_hash "77QmUPtjPfzWtF2AnpK9RQ".
        TokenService.AtHash("jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y").ShouldBe("77QmUPtjPfzWtF2AnpK9RQ");
    }
}
