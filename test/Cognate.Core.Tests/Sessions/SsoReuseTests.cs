using Cognate.Core.Clients;
using Cognate.Core.Pools;
using Cognate.Core.Sessions;
using Cognate.Core.Tests.Pools;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.Sessions;

/// <summary>
/// SSO session reuse (<see cref="SessionService.ReuseSsoAsync"/>) against a clock: a client's SSOSession.MaxValidityMinutes
/// counted from the fresh authentication, 0 never, the 1-hour default, tracking DISABLED, a revoked, expired or other user's
/// SSO session; and <see cref="SessionService.StartSsoAsync"/>'s lifetime.
/// </summary>
public sealed class SsoReuseTests
{
    static readonly DateTimeOffset T0 = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    const string PoolId = "us-east-1_SsoPool1", Client = "client-a", Other = "client-b";

    sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = T0;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    /// <summary>The SSO and configuration parts of <see cref="ISessionStore"/> in memory (token sessions: none).</summary>
    sealed class MemorySessionStore : ISessionStore
    {
        public PoolSessionConfig? Pool { get; set; }
        public Dictionary<string, ClientSessionConfig> Clients { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, SsoSessionRecord> Sso { get; } = new(StringComparer.Ordinal);

        public ValueTask<IReadOnlyList<TokenSessionRecord>> ListActiveAsync(string userPoolId, string username, DateTimeOffset now, CancellationToken ct = default) =>
            ValueTask.FromResult<IReadOnlyList<TokenSessionRecord>>([]);
        public ValueTask<int> RevokeFamilyAsync(string userPoolId, string username, string family, CancellationToken ct = default) => ValueTask.FromResult(0);
        public ValueTask TouchAsync(byte[] tokenHash, DateTimeOffset now, string? ipAddress = null, string? deviceType = null, CancellationToken ct = default) => ValueTask.CompletedTask;
        public ValueTask<int> RevokeFamiliesOfSsoAsync(string userPoolId, string username, string ssoSessionId, CancellationToken ct = default) => ValueTask.FromResult(0);
        public ValueTask CreateSsoAsync(SsoSessionRecord record, CancellationToken ct = default) { Sso.Add(record.SessionId, record); return ValueTask.CompletedTask; }
        public ValueTask<SsoSessionRecord?> GetSsoAsync(string sessionId, CancellationToken ct = default) => ValueTask.FromResult(Sso.GetValueOrDefault(sessionId));
        public ValueTask<IReadOnlyList<SsoSessionRecord>> ListActiveSsoAsync(string userPoolId, string username, DateTimeOffset now, CancellationToken ct = default) =>
            ValueTask.FromResult<IReadOnlyList<SsoSessionRecord>>(Sso.Values.Where(s => s.Username == username && !s.Revoked && s.ExpiresAt > now).ToList());
        public ValueTask TouchSsoAsync(string sessionId, DateTimeOffset now, string? ipAddress, string? deviceType, CancellationToken ct = default)
        {
            Sso[sessionId] = Sso[sessionId] with { LastActiveAt = now, LastIpAddress = ipAddress ?? Sso[sessionId].LastIpAddress };
            return ValueTask.CompletedTask;
        }
        public ValueTask<bool> RevokeSsoAsync(string userPoolId, string username, string sessionId, CancellationToken ct = default)
        {
            if (!Sso.TryGetValue(sessionId, out var s) || s.Revoked || s.Username != username) return ValueTask.FromResult(false);
            Sso[sessionId] = s with { Revoked = true };
            return ValueTask.FromResult(true);
        }
        public ValueTask<int?> MaxSsoValidityMinutesAsync(string userPoolId, CancellationToken ct = default) =>
            ValueTask.FromResult(Clients.Count == 0 ? null : (int?)Clients.Values.Max(c => c.SsoMaxValidityMinutes));
        public ValueTask<PoolSessionConfig?> GetPoolConfigAsync(string userPoolId, CancellationToken ct = default) => ValueTask.FromResult(Pool);
        public ValueTask SetPoolConfigAsync(PoolSessionConfig config, DateTimeOffset now, CancellationToken ct = default) { Pool = config; return ValueTask.CompletedTask; }
        public ValueTask<ClientSessionConfig?> GetClientConfigAsync(string clientId, CancellationToken ct = default) => ValueTask.FromResult(Clients.GetValueOrDefault(clientId));
        public ValueTask SetClientConfigAsync(ClientSessionConfig config, DateTimeOffset now, CancellationToken ct = default) { Clients[config.ClientId] = config; return ValueTask.CompletedTask; }
    }

    readonly Clock clock = new();
    readonly MemorySessionStore store = new();
    readonly SessionService service;
    readonly UserPool pool = new() { Id = PoolId, Region = "us-east-1", CreatedAt = T0, ModifiedAt = T0, Config = new UserPoolConfig { PoolName = "p" } };

    public SsoReuseTests()
    {
        var pools = new UserPoolService(new FakeUserPoolStore(), clock);
        service = new SessionService(store, pools, new AppClientService(new FakeAppClientStore(), pools, clock), clock);
        store.Pool = new PoolSessionConfig(PoolId, SessionService.Enabled, 20);
    }

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    async Task<string> StartAsync(string username = "ann")
    {
        var (id, _) = await service.StartSsoAsync(pool, Client, username, clock.Now, Ct);
        return id.ShouldNotBeNull();
    }

    [Fact]
    public async Task Reuse_WithinClientsMinutesFromSignIn_ThenPrompts()
    {
        store.Clients[Client] = new ClientSessionConfig(PoolId, Client, 5);
        var id = await StartAsync();
        clock.Now = T0.AddMinutes(4);
        (await service.ReuseSsoAsync(pool, Client, "ann", id, T0, Ct)).ShouldBeTrue();
        store.Sso[id].LastActiveAt.ShouldBe(T0.AddMinutes(4)); // a reuse is activity
        clock.Now = T0.AddMinutes(5);
        (await service.ReuseSsoAsync(pool, Client, "ann", id, T0, Ct)).ShouldBeFalse(); // measured from the sign-in, not the last reuse
        (await service.ReuseSsoAsync(pool, Other, "ann", id, T0, Ct)).ShouldBeTrue();  // another client: the default 60 minutes
    }

    [Fact]
    public async Task Reuse_ZeroMinutes_NeverEvenAtOnce()
    {
        store.Clients[Client] = new ClientSessionConfig(PoolId, Client, 0);
        var id = await StartAsync();
        (await service.ReuseSsoAsync(pool, Client, "ann", id, T0, Ct)).ShouldBeFalse();
    }

    [Fact]
    public async Task Start_LifetimeIsTheLongestClientValidity_AtLeastAnHour()
    {
        var (_, expires) = await service.StartSsoAsync(pool, Client, "ann", T0, Ct);
        expires.ShouldBe(T0.AddHours(1));
        store.Clients[Other] = new ClientSessionConfig(PoolId, Other, 600);
        var (id, longer) = await service.StartSsoAsync(pool, Client, "ann", T0, Ct);
        longer.ShouldBe(T0.AddMinutes(600));
        id!.ShouldMatch("^sso[a-z2-7]{25}$");
        clock.Now = T0.AddMinutes(599);
        (await service.ReuseSsoAsync(pool, Other, "ann", id, T0, Ct)).ShouldBeTrue();
        clock.Now = T0.AddMinutes(600);
        (await service.ReuseSsoAsync(pool, Other, "ann", id, T0, Ct)).ShouldBeFalse(); // the session itself ended
    }

    [Fact]
    public async Task Reuse_RevokedOrOtherUsersOrUnknownSession_Refused()
    {
        var id = await StartAsync();
        (await service.ReuseSsoAsync(pool, Client, "bob", id, T0, Ct)).ShouldBeFalse();
        (await service.ReuseSsoAsync(pool, Client, "ann", "sso" + new string('z', 25), T0, Ct)).ShouldBeFalse();
        await service.EndSsoAsync(id, Ct);
        (await service.ReuseSsoAsync(pool, Client, "ann", id, T0, Ct)).ShouldBeFalse();
    }

    [Fact]
    public async Task TrackingDisabled_NoRecordAndTheOneHourCookie()
    {
        store.Pool = new PoolSessionConfig(PoolId, SessionService.Disabled, 20);
        store.Clients[Client] = new ClientSessionConfig(PoolId, Client, 0); // left from when tracking was on: not applied
        var (id, expires) = await service.StartSsoAsync(pool, Client, "ann", T0, Ct);
        (id, expires).ShouldBe(((string?)null, T0.AddHours(1)));
        store.Sso.ShouldBeEmpty();
        clock.Now = T0.AddMinutes(59);
        (await service.ReuseSsoAsync(pool, Client, "ann", null, T0, Ct)).ShouldBeTrue();
        clock.Now = T0.AddMinutes(60);
        (await service.ReuseSsoAsync(pool, Client, "ann", null, T0, Ct)).ShouldBeFalse();
    }
}
