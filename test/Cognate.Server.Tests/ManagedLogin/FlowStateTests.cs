using Cognate.Core.Crypto;
using Cognate.Server.ManagedLogin;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.ManagedLogin;

/// <summary>The sealed flow state of the managed-login pages: unreadable, unforgeable, bound to client, browser and time.</summary>
public sealed class FlowStateTests
{
    static readonly MasterKeyProtector Protector = MasterKeyProtector.FromBase64(MasterKeyProtector.DevelopmentMasterKeyBase64);
    static readonly DateTimeOffset Now = new(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);
    const string Csrf = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    static FlowState State(string client = "client1") =>
        new(client, "SOFTWARE_TOKEN_MFA", "alice", "engine-session-value", new() { ["CODE_DELIVERY_DESTINATION"] = "a***@e***" }, null, null,
            Now.ToUnixTimeSeconds(), FlowState.HashCsrf(Csrf));

    [Fact]
    public void Open_SealedState_RoundTrips()
    {
        var opened = FlowState.Open(Protector, State().Seal(Protector), "client1", Csrf, Now.AddMinutes(1));
        opened.ShouldNotBeNull();
        opened.Step.ShouldBe("SOFTWARE_TOKEN_MFA");
        opened.Session.ShouldBe("engine-session-value");
        opened.Parameter("CODE_DELIVERY_DESTINATION").ShouldBe("a***@e***");
    }

    [Fact]
    public void Seal_State_HidesSessionAndUsername()
    {
        var sealedState = State().Seal(Protector);
        sealedState.ShouldNotContain("alice");
        System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(sealedState)).ShouldNotContain("engine-session-value");
    }

    [Fact]
    public void Open_TamperedState_ReturnsNull()
    {
        var sealedState = State().Seal(Protector).ToCharArray();
        sealedState[20] = sealedState[20] == 'A' ? 'B' : 'A';
        FlowState.Open(Protector, new string(sealedState), "client1", Csrf, Now).ShouldBeNull();
    }

    [Fact]
    public void Open_OtherClient_ReturnsNull() =>
        FlowState.Open(Protector, State().Seal(Protector), "client2", Csrf, Now).ShouldBeNull();

    [Fact]
    public void Open_OtherBrowserCsrfCookie_ReturnsNull() =>
        FlowState.Open(Protector, State().Seal(Protector), "client1", "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB", Now).ShouldBeNull();

    [Fact]
    public void Open_AfterLifetime_ReturnsNull() =>
        FlowState.Open(Protector, State().Seal(Protector), "client1", Csrf, Now + FlowState.Lifetime + TimeSpan.FromSeconds(1)).ShouldBeNull();

    [Theory]
    [InlineData("")]
    [InlineData("not base64 !")]
    [InlineData("AAAA")]
    public void Open_Garbage_ReturnsNull(string value) =>
        FlowState.Open(Protector, value, "client1", Csrf, Now).ShouldBeNull();
}
