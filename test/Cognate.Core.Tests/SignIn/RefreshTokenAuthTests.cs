using Cognate.Core.Crypto;
using Cognate.Core.Groups;
using Cognate.Core.SignIn;
using Cognate.Core.SignIn.Flows;
using Cognate.Core.Stores;
using Cognate.Core.Tokens;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.SignIn;

/// <summary>REFRESH_TOKEN_AUTH over a real TokenService (in-memory keys, refresh tokens and groups).</summary>
public sealed class RefreshTokenAuthTests
{
    sealed class Keys : ISigningKeyStore
    {
        readonly List<SigningKeyRecord> keys = [];
        public ValueTask<IReadOnlyList<SigningKeyRecord>> ListAsync(string userPoolId, CancellationToken ct = default) =>
            ValueTask.FromResult<IReadOnlyList<SigningKeyRecord>>(keys.Where(k => k.UserPoolId == userPoolId).ToList());
        public ValueTask<bool> AddAsync(SigningKeyRecord key, CancellationToken ct = default) { keys.Add(key); return ValueTask.FromResult(true); }
        public ValueTask<bool> AddInitialAsync(IReadOnlyList<SigningKeyRecord> initial, CancellationToken ct = default)
        {
            if (keys.Any(k => k.UserPoolId == initial[0].UserPoolId)) return ValueTask.FromResult(false);
            keys.AddRange(initial);
            return ValueTask.FromResult(true);
        }
    }

    sealed class RefreshTokens : IRefreshTokenStore
    {
        public Dictionary<string, RefreshTokenRecord> ByHash { get; } = new(StringComparer.Ordinal);
        public ValueTask CreateAsync(RefreshTokenRecord record, CancellationToken ct = default) { ByHash[Convert.ToHexString(record.TokenHash)] = record; return ValueTask.CompletedTask; }
        public ValueTask<RefreshTokenRecord?> GetAsync(byte[] tokenHash, CancellationToken ct = default) => ValueTask.FromResult(ByHash.GetValueOrDefault(Convert.ToHexString(tokenHash)));
        public ValueTask<RefreshTokenRecord?> GetByOriginJtiAsync(string originJti, CancellationToken ct = default) => ValueTask.FromResult(ByHash.Values.FirstOrDefault(r => r.OriginJti == originJti));
        public ValueTask<bool> RevokeAsync(byte[] tokenHash, CancellationToken ct = default)
        {
            var key = Convert.ToHexString(tokenHash);
            if (!ByHash.TryGetValue(key, out var r)) return ValueTask.FromResult(false);
            ByHash[key] = r with { Revoked = true };
            return ValueTask.FromResult(true);
        }
        public ValueTask<int> RevokeAllForUserAsync(string userPoolId, string username, CancellationToken ct = default) => throw new NotSupportedException();
    }

    sealed class NoGroups : IGroupStore
    {
        public ValueTask<bool> CreateAsync(Group group, CancellationToken ct = default) => throw new NotSupportedException();
        public ValueTask<Group?> GetAsync(string userPoolId, string groupName, CancellationToken ct = default) => throw new NotSupportedException();
        public ValueTask<bool> UpdateAsync(Group group, CancellationToken ct = default) => throw new NotSupportedException();
        public ValueTask<bool> DeleteAsync(string userPoolId, string groupName, CancellationToken ct = default) => throw new NotSupportedException();
        public ValueTask<IReadOnlyList<Group>> ListAsync(string userPoolId, string? afterName, int limit, CancellationToken ct = default) => throw new NotSupportedException();
        public ValueTask<bool> AddMemberAsync(string userPoolId, string groupName, string username, CancellationToken ct = default) => throw new NotSupportedException();
        public ValueTask RemoveMemberAsync(string userPoolId, string groupName, string username, CancellationToken ct = default) => throw new NotSupportedException();
        public ValueTask<IReadOnlyList<Group>> ListForUserAsync(string userPoolId, string username, string? afterName, int limit, CancellationToken ct = default) =>
            ValueTask.FromResult<IReadOnlyList<Group>>([]);
        public ValueTask<IReadOnlyList<string>> ListMembersAsync(string userPoolId, string groupName, string? afterUsername, int limit, CancellationToken ct = default) => throw new NotSupportedException();
    }

    static (SignInHarness H, RefreshTokenAuth Flow, TokenService Tokens, RefreshTokens Store) Build()
    {
        var h = new SignInHarness();
        var store = new RefreshTokens();
        var protector = new MasterKeyProtector(Convert.FromBase64String(MasterKeyProtector.DevelopmentMasterKeyBase64));
        var tokens = new TokenService(new Keys(), store, h.UserStore, h.PoolStore, new NoGroups(), protector, h.Time);
        return (h, new RefreshTokenAuth(h.Users, tokens, store, h.Time), tokens, store);
    }

    static async Task<string> RefreshTokenAsync(SignInHarness h, TokenService tokens)
    {
        var user = (await h.Users.FindAsync(h.Pool, "alice"))!;
        var result = await tokens.IssueAsync(h.Pool, h.Client, user, "http://localhost/" + h.Pool.Id, SignInHarness.T0, null, issueRefreshToken: true);
        return result.RefreshToken!;
    }

    static SignInRequest Refresh(SignInHarness h, string token) => h.Request("REFRESH_TOKEN_AUTH", new() { ["REFRESH_TOKEN"] = token }, door: SignInDoor.JsonApi);

    [Fact]
    public async Task Valid_SameOriginJtiNoNewRefreshToken()
    {
        var (h, flow, tokens, store) = Build();
        h.AddUser();
        var token = await RefreshTokenAsync(h, tokens);
        h.Time.Now = SignInHarness.T0.AddMinutes(30);
        var signedIn = (await flow.StartAsync(Refresh(h, token), default)).ShouldBeOfType<StepResult.SignedIn>();
        signedIn.AuthTime.ShouldBe(SignInHarness.T0);
        signedIn.Tokens!.RefreshToken.ShouldBeNull();
        var context = await tokens.ValidateAccessTokenAsync(signedIn.Tokens.AccessToken);
        context.OriginJti.ShouldBe(store.ByHash.Values.Single().OriginJti);
    }

    [Fact]
    public async Task OtherClient_FailInvalid()
    {
        var (h, flow, tokens, _) = Build();
        h.AddUser();
        var token = await RefreshTokenAsync(h, tokens);
        h.Client = h.Client with { ClientId = "otherclient000000000000001" };
        (await flow.StartAsync(Refresh(h, token), default)).ShouldBeOfType<StepResult.Fail>().Error.Message.ShouldBe("Invalid Refresh Token");
    }

    [Fact]
    public async Task Revoked_Fail()
    {
        var (h, flow, tokens, store) = Build();
        h.AddUser();
        var token = await RefreshTokenAsync(h, tokens);
        await store.RevokeAsync(TokenService.HashToken(token));
        (await flow.StartAsync(Refresh(h, token), default)).ShouldBeOfType<StepResult.Fail>().Error.Message.ShouldBe("Refresh Token has been revoked");
    }

    [Fact]
    public async Task Expired_Fail()
    {
        var (h, flow, tokens, _) = Build();
        h.AddUser();
        var token = await RefreshTokenAsync(h, tokens);
        h.Time.Now = SignInHarness.T0.AddDays(31);
        (await flow.StartAsync(Refresh(h, token), default)).ShouldBeOfType<StepResult.Fail>().Error.Message.ShouldBe("Refresh Token has expired");
    }

    [Fact]
    public async Task Disabled_Fail()
    {
        var (h, flow, tokens, _) = Build();
        var user = h.AddUser();
        var token = await RefreshTokenAsync(h, tokens);
        user.Enabled = false;
        (await flow.StartAsync(Refresh(h, token), default)).ShouldBeOfType<StepResult.Fail>().Error.Message.ShouldBe("User is disabled.");
    }

    [Fact]
    public async Task Missing_FailInvalidParameter()
    {
        var (h, flow, _, _) = Build();
        (await flow.StartAsync(h.Request("REFRESH_TOKEN_AUTH", []), default)).ShouldBeOfType<StepResult.Fail>()
            .Error.Message.ShouldBe("Missing required parameter REFRESH_TOKEN");
    }
}
