using Cognate.Core.Errors;
using Cognate.Core.Pools;
using Cognate.Core.Sessions;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.Sessions;

/// <summary>The NextToken of the session listings (<see cref="SessionPageToken"/>): round trip, order, and refusal of another
/// user's, an edited or a malformed token.</summary>
public sealed class SessionPageTokenTests
{
    static readonly DateTimeOffset T = new(2026, 12, 6, 12, 0, 0, 123, TimeSpan.Zero);
    static readonly string Id = SessionService.SessionIdOf("family-1");

    [Fact]
    public void Encode_ThenDecode_SamePosition()
    {
        var token = SessionPageToken.Encode("us-east-1_pool", "alice", T, Id);
        token.ShouldNotContain("alice");
        token.ShouldNotContain(Id);
        var position = SessionPageToken.Decode(token, "us-east-1_pool", "alice");
        position.CreatedAt.ShouldBe(T);
        position.SessionId.ShouldBe(Id);
    }

    [Fact]
    public void Encode_SsoSessionLast_Decodes()
    {
        var sso = "sso" + new string('q', 25);
        SessionPageToken.Decode(SessionPageToken.Encode("p", "u", T, sso), "p", "u").SessionId.ShouldBe(sso);
    }

    [Fact]
    public void IsAfter_NewestFirstThenSessionId()
    {
        var p = new SessionPageToken.Position(T, "tknmmmmmmmmmmmmmmmmmmmmmmmmm");
        SessionPageToken.IsAfter(T.AddSeconds(-1), "tknaaaaaaaaaaaaaaaaaaaaaaaaa", p).ShouldBeTrue(); // older: later in the listing
        SessionPageToken.IsAfter(T.AddSeconds(1), "tknzzzzzzzzzzzzzzzzzzzzzzzzz", p).ShouldBeFalse();
        SessionPageToken.IsAfter(T, "tknzzzzzzzzzzzzzzzzzzzzzzzzz", p).ShouldBeTrue();
        SessionPageToken.IsAfter(T, "tknaaaaaaaaaaaaaaaaaaaaaaaaa", p).ShouldBeFalse();
        SessionPageToken.IsAfter(T, p.SessionId, p).ShouldBeFalse();
    }

    [Theory]
    [InlineData("us-east-1_pool", "bob")]
    [InlineData("us-east-1_other", "alice")]
    public void Decode_AnotherUsersToken_InvalidParameter(string pool, string user)
    {
        var token = SessionPageToken.Encode("us-east-1_pool", "alice", T, Id);
        Should.Throw<CognitoException>(() => SessionPageToken.Decode(token, pool, user)).Error.Type.ShouldBe("InvalidParameterException");
    }

    [Theory]
    [InlineData("x")]
    [InlineData("!!!!")]
    [InlineData("dGtu")]
    public void Decode_Malformed_InvalidParameter(string token) =>
        Should.Throw<CognitoException>(() => SessionPageToken.Decode(token, "p", "u")).Error.Type.ShouldBe("InvalidParameterException");

    [Fact]
    public void Decode_EditedPositionOrHugeToken_InvalidParameter()
    {
        var good = SessionPageToken.Decode(SessionPageToken.Encode("p", "u", T, Id), "p", "u");
        good.SessionId.ShouldBe(Id);
        var tag = PageToken.Decode(SessionPageToken.Encode("p", "u", T, Id), _ => true)!.Split('.')[0];
        foreach (var text in new[] { $"{tag}.-5.{Id}", $"{tag}.99999999999999999999.{Id}", $"{tag}.1.tkn", $"{tag}.1.abc{Id[3..]}", $"{tag}.1.tkn{new string('A', 25)}", $"{tag}.1", $"{tag}.1.{Id}.x" })
        {
            Should.Throw<CognitoException>(() => SessionPageToken.Decode(PageToken.Encode(text), "p", "u")).Error.Type.ShouldBe("InvalidParameterException");
        }
        Should.Throw<CognitoException>(() => SessionPageToken.Decode(new string('A', 200_000), "p", "u")).Error.Type.ShouldBe("InvalidParameterException");
    }
}
