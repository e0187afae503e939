using Cognate.Core.Crypto;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.Crypto;

public sealed class SecretHashTests
{
    // Reference §5 test vector.
    private const string Secret = "abcdef0123456789abcdef0123456789abcdef0123456789abc";
    private const string ClientId = "1example23456789";
    private const string Expected = "OIW+PJ1Y1++4QwCbA1Ltj1ZcSm5xe7y2X8WNd/ZMwu8=";

    [Fact]
    public void Compute_ReferenceVector_Matches()
    {
        SecretHash.Compute(Secret, "alice", ClientId).ShouldBe(Expected);
    }

    [Fact]
    public void Verify_ReferenceVector_ReturnsTrue()
    {
        SecretHash.Verify(Secret, "alice", ClientId, Expected).ShouldBeTrue();
    }

    [Theory]
    [InlineData("PIW+PJ1Y1++4QwCbA1Ltj1ZcSm5xe7y2X8WNd/ZMwu8=")]
    [InlineData("OIW-PJ1Y1--4QwCbA1Ltj1ZcSm5xe7y2X8WNd_ZMwu8")]
    [InlineData("OIW+PJ1Y1++4QwCbA1Ltj1ZcSm5xe7y2X8WNd/ZMwu8")]
    [InlineData("OIW+PJ1Y1++4QwCbA1Ltj1ZcSm5xe7y2X8WNd/ZMwu8=AAAA")]
    [InlineData("not base64")]
    [InlineData("")]
    [InlineData(null)]
    public void Verify_WrongOrMalformed_ReturnsFalse(string? presented)
    {
        SecretHash.Verify(Secret, "alice", ClientId, presented).ShouldBeFalse();
    }

    [Fact]
    public void Verify_OtherUsernameOrClient_ReturnsFalse()
    {
        SecretHash.Verify(Secret, "Alice", ClientId, Expected).ShouldBeFalse();
        SecretHash.Verify(Secret, "alice", "2example23456789", Expected).ShouldBeFalse();
        SecretHash.Verify(Secret + "x", "alice", ClientId, Expected).ShouldBeFalse();
    }
}
