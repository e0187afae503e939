using Cognate.Core.Crypto;
using Cognate.Server.Federation;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Federation;

/// <summary>The upstream <c>state</c>: sealed, bound to the browser's cookie, accepted for 5 minutes and once.</summary>
public sealed class FederationStateTests : IDisposable
{
    readonly MasterKeyProtector protector = MasterKeyProtector.FromBase64(MasterKeyProtector.DevelopmentMasterKeyBase64);
    static readonly DateTimeOffset T0 = new(2026, 12, 6, 3, 0, 0, TimeSpan.Zero);
    const string Browser = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    public void Dispose() => protector.Dispose();

    static FederationState State(string binding = Browser) => new("client1", new Dictionary<string, string> { ["client_id"] = "client1", ["state"] = "app-state" },
        "CorpOIDC", "nonce", "verifier", T0.ToUnixTimeSeconds(), FederationState.HashBinding(binding), "id-1");

    [Fact]
    public void Open_SameBrowserWithinLifetime_ReturnsTheState()
    {
        var opened = FederationState.Open(protector, State().Seal(protector), Browser, T0.AddMinutes(4));
        opened.ShouldNotBeNull();
        opened.Provider.ShouldBe("CorpOIDC");
        opened.Parameters["state"].ShouldBe("app-state");
        opened.Verifier.ShouldBe("verifier");
    }

    [Fact]
    public void Open_OtherBrowser_Null() =>
        FederationState.Open(protector, State().Seal(protector), "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB", T0).ShouldBeNull();

    [Fact]
    public void Open_NoCookie_Null() => FederationState.Open(protector, State().Seal(protector), null, T0).ShouldBeNull();

    [Fact]
    public void Open_Expired_Null() => FederationState.Open(protector, State().Seal(protector), Browser, T0.AddMinutes(5).AddSeconds(1)).ShouldBeNull();

    [Fact]
    public void Open_Tampered_Null()
    {
        var sealedState = State().Seal(protector);
        var tampered = sealedState[..^2] + (sealedState[^2] == 'A' ? "B" : "A") + sealedState[^1];
        FederationState.Open(protector, tampered, Browser, T0).ShouldBeNull();
        FederationState.Open(protector, "not-a-state", Browser, T0).ShouldBeNull();
    }

    [Fact]
    public void Open_SealedByAnotherKey_Null()
    {
        using var other = new MasterKeyProtector(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        FederationState.Open(protector, State().Seal(other), Browser, T0).ShouldBeNull();
    }

    [Fact]
    public void Ledger_SecondUse_Refused()
    {
        var ledger = new FederationStateLedger(TimeProvider.System);
        ledger.TryConsume("id-1").ShouldBeTrue();
        ledger.TryConsume("id-1").ShouldBeFalse();
        ledger.TryConsume("id-2").ShouldBeTrue();
    }
}
