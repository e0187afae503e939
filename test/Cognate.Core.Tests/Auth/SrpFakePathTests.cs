using Cognate.Core.SignIn;
using Cognate.Core.SignIn.Challenges;
using Cognate.Core.SignIn.Flows;
using Cognate.Core.SignIn.Steps;
using Cognate.Core.Clients;
using Cognate.Core.Codes;
using Cognate.Core.Crypto;
using Cognate.Core.Errors;
using Cognate.Core.Pools;
using Cognate.Core.Stores;
using Cognate.Core.Tests.Pools;
using Cognate.Core.Users;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.Auth;

/// <summary>
/// USER_SRP_AUTH for an unknown user with PreventUserExistenceErrors: a deterministic fake PASSWORD_VERIFIER whose answer
/// runs the same proof check (verifier, S, K, signature) as a real one before answering "Incorrect username or password.".
/// Structural, not timed: the fake answer must go through <c>Srp.VerifyPasswordClaim</c> (counted), so its cost has the
/// real answer's shape on any machine load.
/// </summary>
public sealed class SrpFakePathTests
{
    static readonly DateTimeOffset T0 = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    sealed class NoUsers : IUserStore
    {
        public ValueTask<UserWriteResult> CreateAsync(User user, IReadOnlyCollection<UserIdentifier> identifiers, CancellationToken ct = default) => throw new NotSupportedException();
        public ValueTask<User?> FindByIdentifierAsync(string userPoolId, string kind, string value, CancellationToken ct = default) => ValueTask.FromResult<User?>(null);
        public ValueTask<User?> GetAsync(string userPoolId, string username, CancellationToken ct = default) => ValueTask.FromResult<User?>(null);
        public ValueTask<(User? User, bool Revoked)> GetForAccessTokenAsync(string userPoolId, string username, string? originJti, CancellationToken ct = default) => ValueTask.FromResult<(User?, bool)>((null, false));
        public ValueTask<UserWriteResult> UpdateAsync(User user, IReadOnlyCollection<UserIdentifier>? identifiers, CancellationToken ct = default) => throw new NotSupportedException();
        public ValueTask<bool> DeleteAsync(string userPoolId, string username, CancellationToken ct = default) => ValueTask.FromResult(false);
    }

    sealed class Sessions : IAuthSessionStore
    {
        readonly Dictionary<string, AuthSessionRecord> byHash = new(StringComparer.Ordinal);
        public ValueTask CreateAsync(AuthSessionRecord session, CancellationToken ct = default) { byHash[Convert.ToHexString(session.SessionHash)] = session; return ValueTask.CompletedTask; }
        public ValueTask<AuthSessionRecord?> TakeAsync(byte[] sessionHash, CancellationToken ct = default) =>
            ValueTask.FromResult(byHash.Remove(Convert.ToHexString(sessionHash), out var s) ? s : null);
    }

    static ((UserSrpAuth Flow, PasswordVerifier Verifier) Flows, UserPool Pool, AppClient Client, FixedTime Time) Build()
    {
        var time = new FixedTime(T0);
        var users = new UserService(new NoUsers(), null!, null!, null!, time);
        var protector = new MasterKeyProtector(Convert.FromBase64String(MasterKeyProtector.DevelopmentMasterKeyBase64));
        var srp = new SrpExchange(new SignInSessions(new Sessions(), time), new CodeHashKey(new byte[32]), protector, time);
        var flows = (new UserSrpAuth(users, srp), new PasswordVerifier(srp, users, null!, null!, time));
        var pool = new UserPool { Id = "us-east-1_SrpFake01", Region = "us-east-1", CreatedAt = T0, ModifiedAt = T0, Config = new UserPoolConfig(), Version = 0 };
        var client = new AppClient
        {
            ClientId = "srpfakeclient0000000000001", UserPoolId = pool.Id, CreatedAt = T0, ModifiedAt = T0,
            Config = new AppClientConfig { PreventUserExistenceErrors = "ENABLED", ExplicitAuthFlows = ["ALLOW_USER_SRP_AUTH"] },
        };
        return (flows, pool, client, time);
    }

    // Any A with A mod N != 0 is accepted; 512 random bits are far below N.
    static string ClientPublicHex() => "1" + Convert.ToHexString(RandomBytes(64));

    static SignInRequest Request(UserPool pool, AppClient client, string name, Dictionary<string, string> p) =>
        new(pool, client, SignInDoor.JsonApi, name, p, null, "http://issuer");

    static byte[] RandomBytes(int n) => System.Security.Cryptography.RandomNumberGenerator.GetBytes(n);

    [Fact]
    public async Task PasswordVerifier_UnknownUser_DeterministicFakeChallenge_RunsTheProofCheck_ThenIncorrectUsernameOrPassword()
    {
        var (flows, pool, client, time) = Build();
        var p = new Dictionary<string, string> { ["USERNAME"] = "nobody", ["SRP_A"] = ClientPublicHex() };

        var first = (StepResult.Challenge)await flows.Flow.StartAsync(Request(pool, client, "USER_SRP_AUTH", p), default);
        var second = (StepResult.Challenge)await flows.Flow.StartAsync(Request(pool, client, "USER_SRP_AUTH", p), default);
        first.Name.ShouldBe("PASSWORD_VERIFIER");
        first.State.ShouldBeNull();
        first.Parameters["SALT"].ShouldBe(second.Parameters["SALT"]);
        first.Parameters["USER_ID_FOR_SRP"].ShouldBe(second.Parameters["USER_ID_FOR_SRP"]);
        first.Parameters["USER_ID_FOR_SRP"].ShouldMatch("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
        first.Parameters["SRP_B"].ShouldNotBe(second.Parameters["SRP_B"]);

        long before = Interlocked.Read(ref SrpExchange.FakeProofChecks);
        var answer = new Dictionary<string, string>
        {
            ["USERNAME"] = first.Parameters["USER_ID_FOR_SRP"],
            ["PASSWORD_CLAIM_SECRET_BLOCK"] = first.Parameters["SECRET_BLOCK"],
            ["PASSWORD_CLAIM_SIGNATURE"] = Convert.ToBase64String(RandomBytes(32)),
            ["TIMESTAMP"] = Srp.FormatTimestamp(time.GetUtcNow()),
        };
        var fail = (await flows.Verifier.RespondAsync(Request(pool, client, "PASSWORD_VERIFIER", answer), null, default)).ShouldBeOfType<StepResult.Fail>();
        fail.Error.Type.ShouldBe("NotAuthorizedException");
        fail.Error.Message.ShouldBe("Incorrect username or password.");
        Interlocked.Read(ref SrpExchange.FakeProofChecks).ShouldBeGreaterThan(before);
    }

    [Fact]
    public async Task StartSrp_UnknownUser_Legacy_UserNotFound()
    {
        var (flows, pool, client, _) = Build();
        var legacy = client with { Config = client.Config with { PreventUserExistenceErrors = "LEGACY" } };
        var result = await flows.Flow.StartAsync(Request(pool, legacy, "USER_SRP_AUTH", new Dictionary<string, string> { ["USERNAME"] = "nobody", ["SRP_A"] = ClientPublicHex() }), default);
        result.ShouldBeOfType<StepResult.Fail>().Error.Type.ShouldBe("UserNotFoundException");
    }
}
