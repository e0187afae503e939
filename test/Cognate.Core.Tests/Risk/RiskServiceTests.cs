using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Cognate.Core.Errors;
using Cognate.Core.Risk;
using Cognate.Core.SignIn;
using Cognate.Core.SignIn.Flows;
using Cognate.Core.SignIn.Steps;
using Cognate.Core.Stores;
using Cognate.Core.Tests.Pools;
using Cognate.Core.Tests.SignIn;
using Cognate.Core.Users;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.Risk;

/// <summary>In-memory IRiskConfigurationStore.</summary>
internal sealed class FakeRiskStore : IRiskConfigurationStore
{
    public Dictionary<(string, string), RiskConfiguration> Rows { get; } = [];

    public ValueTask<RiskConfiguration?> GetAsync(string userPoolId, string? clientId, CancellationToken ct = default) =>
        ValueTask.FromResult(Rows.GetValueOrDefault((userPoolId, clientId ?? "")));

    public ValueTask PutAsync(RiskConfiguration configuration, CancellationToken ct = default)
    {
        Rows[(configuration.UserPoolId, configuration.ClientId ?? "")] = configuration;
        return ValueTask.CompletedTask;
    }

    public ValueTask DeleteAsync(string userPoolId, string? clientId, CancellationToken ct = default)
    {
        Rows.Remove((userPoolId, clientId ?? ""));
        return ValueTask.CompletedTask;
    }
}

public sealed class RiskServiceTests
{
    const string Breached = "Breached#2024pw";

    static string Sha1(string s) =>
#pragma warning disable CA5350 // the list's format
        Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(s)));
#pragma warning restore CA5350

    [Fact]
    public void BreachedPasswords_PlainAndSha1Lines_CrLfAndCountSuffix()
    {
        var list = new BreachedPasswords([Breached + "\r", Sha1("Other#1pass").ToLowerInvariant() + ":17", Sha1("Third#1pass"), "", "0123456789abcdef0123456789abcdef0123456x"]);
        list.Contains(Breached).ShouldBeTrue();
        list.Contains("Other#1pass").ShouldBeTrue();
        list.Contains("Third#1pass").ShouldBeTrue();
        list.Contains("0123456789abcdef0123456789abcdef0123456x").ShouldBeTrue(); // not 40 hex digits: a plain password
        list.Contains(Breached.ToUpperInvariant()).ShouldBeFalse();
        list.Contains("Passw0rd!").ShouldBeFalse();
        new BreachedPasswords((string?)null).IsEmpty.ShouldBeTrue();
        new BreachedPasswords((string?)null).Contains(Breached).ShouldBeFalse();
    }

    [Theory]
    [InlineData("192.0.2.0/24", "192.0.2.200", true)]
    [InlineData("192.0.2.0/24", "192.0.3.1", false)]
    [InlineData("203.0.113.9", "203.0.113.9", true)]
    [InlineData("2001:db8::/32", "2001:db8:1::5", true)]
    [InlineData("0.0.0.0/0", "8.8.8.8", true)]
    public void TryParseRange_Contains(string range, string ip, bool inside)
    {
        RiskService.TryParseRange(range, out var net).ShouldBeTrue();
        net.Contains(IPAddress.Parse(ip)).ShouldBe(inside);
    }

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("nope")]
    [InlineData("")]
    public void TryParseRange_Malformed_Refused(string range) => RiskService.TryParseRange(range, out _).ShouldBeFalse();

    [Fact]
    public void Assessment_EventFilterActionAndMode()
    {
        var config = new RiskConfiguration("p", null, new CompromisedCredentialsRiskConfigurationType(["SIGN_UP"], new CompromisedCredentialsActionsType("BLOCK")), null, null, null);
        var a = new RiskAssessment(config, Enforced: true, IpBlocked: false, IpSkipped: false, "1.2.3.4");
        a.BlocksCompromised("SIGN_UP").ShouldBeTrue();
        a.BlocksCompromised("SIGN_IN").ShouldBeFalse();
        (a with { Enforced = false }).BlocksCompromised("SIGN_UP").ShouldBeFalse();
        (a with { IpSkipped = true }).ChecksCompromised("SIGN_UP").ShouldBeFalse();
        var all = config with { CompromisedCredentialsRiskConfiguration = new([], new("BLOCK")) };
        (a with { Configuration = all }).BlocksCompromised("PASSWORD_CHANGE").ShouldBeTrue();
        (a with { IpBlocked = true }).BlocksSignIn.ShouldBeTrue();
        (a with { IpBlocked = true, Enforced = false }).BlocksSignIn.ShouldBeFalse();
    }

    static (RiskService Service, SignInHarness H, FakeRiskStore Store) Build(string mode = "ENFORCED")
    {
        var h = new SignInHarness();
        h.Pool = h.Pool with { Config = h.Pool.Config with { UserPoolAddOns = new JsonObject { ["AdvancedSecurityMode"] = mode } } };
        var store = new FakeRiskStore();
        var service = new RiskService(store, h.Events, null!, new BreachedPasswords([Breached]), h.Sender, h.Time);
        return (service, h, store);
    }

    [Fact]
    public async Task UpdateFeedback_TokenComparedByHash_WrongOrMissingRefused_AdminNeedsNone()
    {
        var (service, h, _) = Build();
        var user = h.AddUser("ann");
        var (token, hash) = RiskService.NewFeedbackToken();
        token.Length.ShouldBe(43);
        hash.ShouldBe(SHA256.HashData(Encoding.ASCII.GetBytes(token)));
        await h.Events.AddAsync(new AuthEventRecord("e1", h.Pool.Id, "ann", "SignIn", "Fail", null, null, SignInHarness.T0) { FeedbackTokenHash = hash }, SignInHarness.T0.AddDays(-1));
        await h.Events.AddAsync(new AuthEventRecord("e2", h.Pool.Id, "ann", "SignIn", "Pass", null, null, SignInHarness.T0), SignInHarness.T0.AddDays(-1));

        (await Should.ThrowAsync<CognitoException>(service.UpdateFeedbackAsync(h.Pool, "ann", "e1", RiskService.NewFeedbackToken().Token, "Valid").AsTask())).Error.Type.ShouldBe("NotAuthorizedException");
        (await Should.ThrowAsync<CognitoException>(service.UpdateFeedbackAsync(h.Pool, "ann", "e2", token, "Valid").AsTask())).Error.Type.ShouldBe("NotAuthorizedException");
        (await Should.ThrowAsync<CognitoException>(service.UpdateFeedbackAsync(h.Pool, "ann", "e9", token, "Valid").AsTask())).Error.Type.ShouldBe("NotAuthorizedException");
        await service.UpdateFeedbackAsync(h.Pool, "ann", "e1", token, "Invalid");
        h.Events.Events.Single(e => e.EventId == "e1").Feedback!.Provider.ShouldBe("User");
        await service.UpdateFeedbackAsync(h.Pool, "ann", "e2", null, "Valid");
        h.Events.Events.Single(e => e.EventId == "e2").Feedback.ShouldBe(new AuthEventFeedback("Valid", "Admin", SignInHarness.T0));
        (await Should.ThrowAsync<CognitoException>(service.UpdateFeedbackAsync(h.Pool, "ann", "e9", null, "Valid").AsTask())).Error.Type.ShouldBe("ResourceNotFoundException");
        _ = user;

        var (off, offHarness, _) = Build("OFF");
        (await Should.ThrowAsync<CognitoException>(off.UpdateFeedbackAsync(offHarness.Pool, "ann", "e1", null, "Valid").AsTask())).Error.Type.ShouldBe("UserPoolAddOnNotEnabledException");
    }

    [Fact]
    public async Task PasswordSignIn_BlockedIp_RefusedBeforePassword_BreachedPassword_ResetRequired()
    {
        var (service, h, store) = Build();
        h.AddUser("bo", Breached);
        var lockout = new LockoutService(h.Lockouts, h.Events, h.Time);
        var flow = new UserPasswordAuth(h.Users, new PasswordProof(lockout, service, h.Users), h.AfterFirstFactor);
        SignInRequest Req(string ip, string pw) => h.Request("USER_PASSWORD_AUTH", new() { ["USERNAME"] = "bo", ["PASSWORD"] = pw }) with { SourceIp = ip };

        await store.PutAsync(new RiskConfiguration(h.Pool.Id, null, new(null, new("BLOCK")), null, new(["198.51.100.0/24"], ["203.0.113.0/24"]), null));
        var blocked = await flow.StartAsync(Req("198.51.100.7", "wrong"), default);
        ((StepResult.Fail)blocked).Error.Message.ShouldBe("Unable to login because of security reasons.");
        h.Events.Events[^1].Risk!.RiskDecision.ShouldBe("Block");
        h.Lockouts.Slots.Values.Sum(s => s.Pending).ShouldBe(0); // no password check ran

        var skipped = await flow.StartAsync(Req("203.0.113.5", Breached), default); // skipped range: no breached-password check
        skipped.ShouldNotBeOfType<StepResult.Fail>();

        var reset = await flow.StartAsync(Req("192.0.2.1", Breached), default);
        ((StepResult.Fail)reset).Error.Type.ShouldBe("PasswordResetRequiredException");
        h.Events.Events[^1].Risk.ShouldBe(new AuthEventRisk("Block", null, true));
        (await h.Users.GetAsync(h.Pool, "bo")).Status.ShouldBe(UserStatus.ResetRequired);
    }
}
