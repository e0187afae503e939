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
        public ValueTask CreateAsync(RefreshTokenRecord record, CancellationToken ct = default) { lock (ByHash) ByHash[Convert.ToHexString(record.TokenHash)] = record; return ValueTask.CompletedTask; }
        public ValueTask<RefreshTokenRecord?> GetAsync(byte[] tokenHash, CancellationToken ct = default) { lock (ByHash) return ValueTask.FromResult(ByHash.GetValueOrDefault(Convert.ToHexString(tokenHash))); }
        public ValueTask<RefreshTokenRecord?> GetByOriginJtiAsync(string originJti, CancellationToken ct = default) => ValueTask.FromResult(ByHash.Values.FirstOrDefault(r => r.OriginJti == originJti));
        public ValueTask<bool> RevokeAsync(byte[] tokenHash, CancellationToken ct = default)
        {
            var key = Convert.ToHexString(tokenHash);
            if (!ByHash.TryGetValue(key, out var r)) return ValueTask.FromResult(false);
            foreach (var (k, member) in ByHash.Where(e => e.Value.Family == r.Family).ToList()) ByHash[k] = member with { Revoked = true };
            return ValueTask.FromResult(true);
        }
        public ValueTask<bool> RotateAsync(byte[] presentedHash, RefreshTokenRecord replacement, DateTimeOffset now, DateTimeOffset replacedAfter, CancellationToken ct = default)
        {
            lock (ByHash)
            {
                var key = Convert.ToHexString(presentedHash);
                if (!ByHash.TryGetValue(key, out var r) || r.Revoked || (r.ReplacedAt is { } at && at <= replacedAfter)) return ValueTask.FromResult(false);
                ByHash[key] = r with { ReplacedAt = r.ReplacedAt ?? now };
                ByHash[Convert.ToHexString(replacement.TokenHash)] = replacement;
                return ValueTask.FromResult(true);
            }
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
    public async Task IdToken_UserWithIdentities_CarriesTheClaimOnIssueAndRefresh()
    {
        var (h, flow, tokens, _) = Build();
        var user = h.AddUser();
        var linked = new Cognate.Core.Federation.FederatedIdentity("sub-1", "CorpOIDC", "OIDC", null, true, DateTimeOffset.FromUnixTimeMilliseconds(1_642_699_117_273));
        user.Attributes["identities"] = Cognate.Core.Federation.FederatedIdentity.Serialize([linked]);
        var token = await RefreshTokenAsync(h, tokens);
        var issued = await tokens.IssueAsync(h.Pool, h.Client, user, "http://localhost/" + h.Pool.Id, SignInHarness.T0, null, issueRefreshToken: false);
        var refreshed = (await flow.StartAsync(Refresh(h, token), default)).ShouldBeOfType<StepResult.SignedIn>().Tokens!.IdToken;
        foreach (var idToken in new[] { issued.IdToken, refreshed! })
        {
            var claims = System.Text.Json.Nodes.JsonNode.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(idToken.Split('.')[1]))!.AsObject();
            var entry = claims["identities"].ShouldBeOfType<System.Text.Json.Nodes.JsonArray>().Single()!.AsObject();
            entry["userId"]!.GetValue<string>().ShouldBe("sub-1");
            entry["providerName"]!.GetValue<string>().ShouldBe("CorpOIDC");
            entry["providerType"]!.GetValue<string>().ShouldBe("OIDC");
            entry["primary"]!.GetValue<string>().ShouldBe("true");
            entry["dateCreated"]!.GetValue<string>().ShouldBe("1642699117273");
            entry.ContainsKey("issuer").ShouldBeTrue();
        }
    }

    [Fact]
    public async Task IdToken_UserWithoutIdentities_HasNoClaim()
    {
        var (h, _, tokens, _) = Build();
        var user = h.AddUser();
        var issued = await tokens.IssueAsync(h.Pool, h.Client, user, "http://localhost/" + h.Pool.Id, SignInHarness.T0, null, issueRefreshToken: false);
        var claims = System.Text.Json.Nodes.JsonNode.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(issued.IdToken.Split('.')[1]))!.AsObject();
        claims.ContainsKey("identities").ShouldBeFalse();
    }

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

    // ---- Refresh-token rotation (GetTokensFromRefreshToken on a client with RefreshTokenRotation ENABLED) ----

    static void Rotating(SignInHarness h, int grace, string? secret = null) =>
        h.Client = h.Client with
        {
            ClientSecret = secret,
            Config = h.Client.Config with
            {
                ExplicitAuthFlows = ["ALLOW_USER_PASSWORD_AUTH"],
                RefreshTokenRotation = new Cognate.Core.Clients.RefreshTokenRotationType { Feature = "ENABLED", RetryGracePeriodSeconds = grace },
            },
        };

    static async Task<RefreshOutcome> GetTokens(SignInHarness h, RefreshTokenAuth flow, string token, string? secret = null) =>
        await flow.GetTokensAsync(h.Pool, h.Client, token, secret, "http://localhost/" + h.Pool.Id);

    [Fact]
    public async Task GetTokens_NonRotating_NoNewRefreshTokenSameOriginJti()
    {
        var (h, flow, tokens, store) = Build();
        h.AddUser();
        var token = await RefreshTokenAsync(h, tokens);
        var outcome = await GetTokens(h, flow, token);
        outcome.Error.ShouldBeNull();
        outcome.Tokens!.RefreshToken.ShouldBeNull();
        (await tokens.ValidateAccessTokenAsync(outcome.Tokens.AccessToken)).OriginJti.ShouldBe(store.ByHash.Values.Single().OriginJti);
    }

    [Fact]
    public async Task GetTokens_Rotating_NewTokenSameFamilyAndExpiryNewOriginJti()
    {
        var (h, flow, tokens, store) = Build();
        h.AddUser();
        var token = await RefreshTokenAsync(h, tokens);
        Rotating(h, grace: 10);
        h.Time.Now = SignInHarness.T0.AddDays(3);
        var outcome = await GetTokens(h, flow, token);
        outcome.Error.ShouldBeNull();
        var fresh = outcome.Tokens!.RefreshToken.ShouldNotBeNull();
        fresh.ShouldNotBe(token);
        var old = store.ByHash[Convert.ToHexString(TokenService.HashToken(token))];
        var replacement = store.ByHash[Convert.ToHexString(TokenService.HashToken(fresh))];
        old.ReplacedAt.ShouldBe(h.Time.Now);
        replacement.Family.ShouldBe(old.Family);
        replacement.ExpiresAt.ShouldBe(old.ExpiresAt); // the sign-in's validity, not extended
        replacement.AuthTime.ShouldBe(SignInHarness.T0);
        replacement.OriginJti.ShouldNotBe(old.OriginJti);
        (await tokens.ValidateAccessTokenAsync(outcome.Tokens.AccessToken)).OriginJti.ShouldBe(replacement.OriginJti);
        outcome.AuthTime.ShouldBe(SignInHarness.T0);
    }

    [Fact]
    public async Task GetTokens_Rotating_OldTokenWorksWithinGraceThenReuse()
    {
        var (h, flow, tokens, _) = Build();
        h.AddUser();
        var token = await RefreshTokenAsync(h, tokens);
        Rotating(h, grace: 10);
        (await GetTokens(h, flow, token)).Error.ShouldBeNull();
        h.Time.Now = SignInHarness.T0.AddSeconds(9);
        var retry = await GetTokens(h, flow, token);
        retry.Error.ShouldBeNull();
        retry.Tokens!.RefreshToken.ShouldNotBeNull();
        h.Time.Now = SignInHarness.T0.AddSeconds(10); // first rotation at T0 + 10 s grace: over
        (await GetTokens(h, flow, token)).Error!.Type.ShouldBe("RefreshTokenReuseException");
        // REFRESH_TOKEN_AUTH refuses the rotated-out token the same way (the flow itself, door rules aside).
        (await flow.StartAsync(Refresh(h, token), default)).ShouldBeOfType<StepResult.Fail>().Error.Type.ShouldBe("RefreshTokenReuseException");
    }

    [Fact]
    public async Task GetTokens_RotatingNoGrace_SecondUseIsReuse_NewTokenRotatesOn()
    {
        var (h, flow, tokens, _) = Build();
        h.AddUser();
        var token = await RefreshTokenAsync(h, tokens);
        Rotating(h, grace: 0);
        var first = (await GetTokens(h, flow, token)).Tokens!.RefreshToken!;
        (await GetTokens(h, flow, token)).Error!.Type.ShouldBe("RefreshTokenReuseException");
        var second = await GetTokens(h, flow, first);
        second.Error.ShouldBeNull();
        second.Tokens!.RefreshToken.ShouldNotBe(first);
    }

    [Fact]
    public async Task GetTokens_Rotating_ConcurrentNoGrace_ExactlyOneWins()
    {
        var (h, flow, tokens, _) = Build();
        h.AddUser();
        var token = await RefreshTokenAsync(h, tokens);
        Rotating(h, grace: 0);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => GetTokens(h, flow, token))));
        outcomes.Count(o => o.Error is null).ShouldBe(1);
        outcomes.Where(o => o.Error is not null).ShouldAllBe(o => o.Error!.Type == "RefreshTokenReuseException");
    }

    [Fact]
    public async Task Revoke_KillsTheWholeFamily()
    {
        var (h, flow, tokens, store) = Build();
        h.AddUser();
        var token = await RefreshTokenAsync(h, tokens);
        Rotating(h, grace: 60);
        var child = (await GetTokens(h, flow, token)).Tokens!;
        var grandchild = (await GetTokens(h, flow, child.RefreshToken!)).Tokens!;
        await store.RevokeAsync(TokenService.HashToken(token)); // the ancestor, still within its grace period
        (await GetTokens(h, flow, grandchild.RefreshToken!)).Error!.Message.ShouldBe("Refresh Token has been revoked");
        (await GetTokens(h, flow, child.RefreshToken!)).Error!.Message.ShouldBe("Refresh Token has been revoked");
        store.ByHash.Values.ShouldAllBe(r => r.Revoked);
    }

    [Fact]
    public async Task GetTokens_ExpiryIsTheFamilys()
    {
        var (h, flow, tokens, _) = Build();
        h.AddUser();
        var token = await RefreshTokenAsync(h, tokens);
        Rotating(h, grace: 0);
        h.Time.Now = SignInHarness.T0.AddDays(29);
        var fresh = (await GetTokens(h, flow, token)).Tokens!.RefreshToken!;
        h.Time.Now = SignInHarness.T0.AddDays(30).AddSeconds(1);
        (await GetTokens(h, flow, fresh)).Error!.Message.ShouldBe("Refresh Token has expired");
    }

    [Fact]
    public async Task GetTokens_ClientSecret_RequiredAndCompared()
    {
        var (h, flow, tokens, _) = Build();
        h.AddUser();
        var token = await RefreshTokenAsync(h, tokens);
        Rotating(h, grace: 0, secret: "s3cret");
        (await GetTokens(h, flow, token)).Error!.Message.ShouldBe($"Unable to verify secret for client {h.Client.ClientId}");
        (await GetTokens(h, flow, token, "wrong")).Error!.Type.ShouldBe("NotAuthorizedException");
        (await GetTokens(h, flow, token, "s3cret")).Error.ShouldBeNull();
    }

    [Fact]
    public async Task GetTokens_OtherClientsToken_Invalid()
    {
        var (h, flow, tokens, _) = Build();
        h.AddUser();
        var token = await RefreshTokenAsync(h, tokens);
        Rotating(h, grace: 0);
        h.Client = h.Client with { ClientId = "otherclient000000000000001" };
        (await GetTokens(h, flow, token)).Error!.Message.ShouldBe("Invalid Refresh Token");
    }

    [Fact]
    public void RotatingClient_HasNoRefreshTokenAuthFlow_ButCanRefresh()
    {
        var h = new SignInHarness();
        Cognate.Core.Clients.AppClientService.IsAuthFlowEnabled(h.Client, "REFRESH_TOKEN_AUTH").ShouldBeTrue();
        Rotating(h, grace: 0);
        h.Client = h.Client with { Config = h.Client.Config with { ExplicitAuthFlows = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] } };
        Cognate.Core.Clients.AppClientService.IsAuthFlowEnabled(h.Client, "REFRESH_TOKEN_AUTH").ShouldBeFalse();
        Cognate.Core.Clients.AppClientService.IsAuthFlowEnabled(h.Client, "REFRESH_TOKEN").ShouldBeFalse();
        Cognate.Core.Clients.AppClientService.CanRefresh(h.Client).ShouldBeTrue();
    }

    [Theory]
    [InlineData(null, 0)]
    [InlineData(0, 0)]
    [InlineData(30, 30)]
    [InlineData(60, 60)]
    public void GracePeriod_FromRetryGracePeriodSeconds(int? configured, int expected)
    {
        var h = new SignInHarness();
        h.Client = h.Client with { Config = h.Client.Config with { RefreshTokenRotation = new Cognate.Core.Clients.RefreshTokenRotationType { Feature = "ENABLED", RetryGracePeriodSeconds = configured } } };
        RefreshTokenRotation.GracePeriod(h.Client).ShouldBe(TimeSpan.FromSeconds(expected));
        RefreshTokenRotation.IsEnabled(h.Client).ShouldBeTrue();
    }

    [Fact]
    public void IsReused_OnlyAfterTheGracePeriod()
    {
        var h = new SignInHarness();
        Rotating(h, grace: 5);
        var record = new RefreshTokenRecord([1], h.Pool.Id, h.Client.ClientId, "alice", "o", SignInHarness.T0, SignInHarness.T0.AddDays(1), false);
        RefreshTokenRotation.IsReused(record, h.Client, SignInHarness.T0.AddHours(1)).ShouldBeFalse(); // never rotated
        var rotated = record with { ReplacedAt = SignInHarness.T0 };
        RefreshTokenRotation.IsReused(rotated, h.Client, SignInHarness.T0.AddSeconds(4.999)).ShouldBeFalse();
        RefreshTokenRotation.IsReused(rotated, h.Client, SignInHarness.T0.AddSeconds(5)).ShouldBeTrue();
        // Rotation turned off later: a rotated-out token stays dead.
        h.Client = h.Client with { Config = h.Client.Config with { RefreshTokenRotation = null } };
        RefreshTokenRotation.IsReused(rotated, h.Client, SignInHarness.T0).ShouldBeTrue();
    }

    [Fact]
    public void ZeroGrace_ARotationStampedAfterThisRequestsClockIsStillReuse()
    {
        // Two concurrent rotations: B read its clock at T0, A stamped replaced_at at T0 + 1 ms and committed first. With no grace
        // period B must not find A's rotation "within grace" (the store's conditional UPDATE uses ReplacedAfter as its bound).
        var h = new SignInHarness();
        Rotating(h, grace: 0);
        var rotatedByA = new RefreshTokenRecord([1], h.Pool.Id, h.Client.ClientId, "alice", "o", SignInHarness.T0, SignInHarness.T0.AddDays(1), false)
        {
            ReplacedAt = SignInHarness.T0.AddMilliseconds(1),
        };
        RefreshTokenRotation.IsReused(rotatedByA, h.Client, SignInHarness.T0).ShouldBeTrue();
        (rotatedByA.ReplacedAt!.Value > RefreshTokenRotation.ReplacedAfter(h.Client, SignInHarness.T0)).ShouldBeFalse();
    }
}
