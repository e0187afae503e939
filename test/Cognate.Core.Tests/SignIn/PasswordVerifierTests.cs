using System.Text.Json.Nodes;
using Cognate.Client.Srp;
using Cognate.Core.SignIn;
using Cognate.Core.Stores;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.SignIn;

/// <summary>USER_SRP_AUTH → PASSWORD_VERIFIER through the engine, answered by Cognate.Client's SRP code (S8: the SECRET_BLOCK
/// is single use and taken before the proof, so any failure needs a new USER_SRP_AUTH).</summary>
public sealed class PasswordVerifierTests
{
    static async Task<(SignInHarness H, SrpSignIn.Ephemeral A, SignInResult.ChallengeIssued Challenge)> StartAsync(string typed = "alice", Action<SignInHarness>? configure = null)
    {
        var h = new SignInHarness();
        h.Pool = h.Pool with { Config = h.Pool.Config with { UsernameAttributes = ["email"] } };
        configure?.Invoke(h);
        h.AddUser(configure: u => u.Attributes["email"] = "alice@example.com");
        var a = new SrpSignIn.Ephemeral();
        var c = (await h.Engine.StartAsync(h.Request("USER_SRP_AUTH", new() { ["USERNAME"] = typed, ["SRP_A"] = a.SrpA }))).ShouldBeOfType<SignInResult.ChallengeIssued>();
        c.ChallengeName.ShouldBe("PASSWORD_VERIFIER");
        c.Session.ShouldBeNull();
        return (h, a, c);
    }

    static SignInRequest Answer(SignInHarness h, SrpSignIn.Ephemeral a, SignInResult.ChallengeIssued c, string password = "Passw0rd!", DateTimeOffset? at = null)
    {
        var parameters = new JsonObject();
        foreach (var (k, v) in c.Parameters) parameters[k] = v;
        var answer = SrpSignIn.Answer(h.Pool.Id, h.Client.ClientId, null, password, a, parameters, at ?? h.Time.Now);
        return h.Request("PASSWORD_VERIFIER", answer.ToDictionary(p => p.Key, p => (string)p.Value!));
    }

    [Fact]
    public async Task RightProof_SignedIn()
    {
        var (h, a, c) = await StartAsync();
        (await h.Engine.RespondAsync(Answer(h, a, c))).ShouldBeOfType<SignInResult.SignedIn>().User.Username.ShouldBe("alice");
    }

    [Fact]
    public async Task Alias_Accepted()
    {
        var (h, a, c) = await StartAsync("alice@example.com");
        c.Parameters["USER_ID_FOR_SRP"].ShouldBe("alice");
        var request = Answer(h, a, c);
        request = request with { Parameters = new Dictionary<string, string>(request.Parameters) { ["USERNAME"] = "alice@example.com" } };
        (await h.Engine.RespondAsync(request)).ShouldBeOfType<SignInResult.SignedIn>();
    }

    [Fact]
    public async Task ReplayedBlock_FailStale()
    {
        var (h, a, c) = await StartAsync();
        (await h.Engine.RespondAsync(Answer(h, a, c, "wrong"))).ShouldBeOfType<SignInResult.Failed>().Error.Message.ShouldBe("Incorrect username or password.");
        (await h.Engine.RespondAsync(Answer(h, a, c))).ShouldBeOfType<SignInResult.Failed>().Error.Message.ShouldBe("Invalid session for the user, session is expired.");
    }

    [Fact]
    public async Task StaleTimestamp_Fail()
    {
        var (h, a, c) = await StartAsync();
        (await h.Engine.RespondAsync(Answer(h, a, c, at: h.Time.Now.AddMinutes(-6)))).ShouldBeOfType<SignInResult.Failed>()
            .Error.Message.ShouldBe("Incorrect username or password.");
    }

    [Fact]
    public async Task OtherClientsBlock_Fail()
    {
        var (h, a, c) = await StartAsync();
        var request = Answer(h, a, c);
        h.Client = h.Client with { ClientId = "otherclient000000000000001" };
        (await h.Engine.RespondAsync(request with { Client = h.Client })).ShouldBeOfType<SignInResult.Failed>()
            .Error.Message.ShouldBe("Incorrect username or password.");
    }

    [Fact]
    public async Task LockedUser_FailPasswordAttemptsExceeded()
    {
        var (h, a, c) = await StartAsync();
        h.Lockouts.States[(h.Pool.Id, "alice", LockoutKind.Password)] = new LockoutState(6, h.Time.Now, h.Time.Now.AddMinutes(1));
        (await h.Engine.RespondAsync(Answer(h, a, c))).ShouldBeOfType<SignInResult.Failed>().Error.Message.ShouldBe("Password attempts exceeded");
    }

    [Fact]
    public async Task FakeBlock_FailIncorrect()
    {
        var h = new SignInHarness();
        h.Client = h.Client with { Config = h.Client.Config with { PreventUserExistenceErrors = "ENABLED" } };
        var a = new SrpSignIn.Ephemeral();
        var c = (await h.Engine.StartAsync(h.Request("USER_SRP_AUTH", new() { ["USERNAME"] = "nobody", ["SRP_A"] = a.SrpA }))).ShouldBeOfType<SignInResult.ChallengeIssued>();
        (await h.Engine.RespondAsync(Answer(h, a, c))).ShouldBeOfType<SignInResult.Failed>().Error.Message.ShouldBe("Incorrect username or password.");
    }
}
