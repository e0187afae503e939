using Cognate.Core.Risk;
using Cognate.Core.Stores;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.Risk;

/// <summary>The account-takeover risk level (<see cref="RiskService.TakeoverLevel"/>) and the decision derived from it.</summary>
public sealed class TakeoverLevelTests
{
    static readonly DateTimeOffset T = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    static AuthEventRecord Event(string response, string? ip, string type = "SignIn") =>
        new(Guid.NewGuid().ToString(), "p", "u", type, response, "Password", "Success", T) { IpAddress = ip };

    [Fact]
    public void NoEarlierSuccessfulSignIn_IsLow()
    {
        RiskService.TakeoverLevel([], "198.51.100.7", knownDevice: false).ShouldBe("Low");
        // failures, interrupted (InProgress) sign-ins, other event types and events without an address are no history
        RiskService.TakeoverLevel([Event("Fail", "203.0.113.5"), Event("InProgress", "203.0.113.5"), Event("Pass", "203.0.113.5", "PasswordChange"), Event("Pass", null)],
            "198.51.100.7", knownDevice: false).ShouldBe("Low");
    }

    [Fact]
    public void KnownAddress_IsLow_IPv4MappedMatchesIPv4()
    {
        var history = new[] { Event("Pass", "203.0.113.5"), Event("Fail", "198.51.100.7") };
        RiskService.TakeoverLevel(history, "203.0.113.5", knownDevice: false).ShouldBe("Low");
        RiskService.TakeoverLevel(history, "::ffff:203.0.113.5", knownDevice: false).ShouldBe("Low");
    }

    [Fact]
    public void NewAddress_IsMediumWithKnownDevice_HighWithout_UnknownAddressCountsAsNew()
    {
        var history = new[] { Event("Pass", "203.0.113.5"), Event("Fail", "198.51.100.7"), Event("InProgress", "198.51.100.7") };
        RiskService.TakeoverLevel(history, "198.51.100.7", knownDevice: true).ShouldBe("Medium");
        RiskService.TakeoverLevel(history, "198.51.100.7", knownDevice: false).ShouldBe("High");
        RiskService.TakeoverLevel(history, null, knownDevice: false).ShouldBe("High");
    }

    [Fact]
    public void Decision_AuditTakesNoAction_RiskDecisionFollowsLevel()
    {
        new TakeoverDecision("High", "BLOCK", true, Enforced: false).Effective.ShouldBe("NO_ACTION");
        new TakeoverDecision("High", "MFA_REQUIRED", false, Enforced: true).RequiresMfa.ShouldBeTrue();
        new TakeoverDecision("Medium", "NO_ACTION", false, Enforced: true).RiskDecision.ShouldBe("AccountTakeover");
        new TakeoverDecision("Low", "NO_ACTION", false, Enforced: true).RiskDecision.ShouldBe("NoRisk");
    }
}
