using Cognate.Core.Clients;
using Cognate.Core.Sessions;
using Cognate.Core.Stores;
using Cognate.Storage.Secrets;
using Cognate.Storage.Stores;
using static Cognate.Storage.Tests.Sqlite.TestDatabase;

namespace Cognate.Storage.Tests.Specification;

/// <summary>
/// Migration 0018 on every provider: an app client's second secret is sealed (its own associated data), round-trips with its
/// creation time, is re-keyed by the master-key rotation and cleared by an update; token sessions are the user's unrevoked,
/// unexpired refresh-token families; a family revokes as a whole and only for its user; session configurations upsert and go
/// with their pool and client.
/// </summary>
public abstract class SessionsSecretsStoreSpecification
{
    private const string Pool = "us-east-1_TestPool1";
    private const string Client = "client0000000000000000000a";

    private protected abstract Task<StoreHarness> OpenAsync();

    async Task<StoreHarness> WithPoolAndClientAsync()
    {
        var h = await OpenAsync();
        (await h.Pools.CreateAsync(NewPool(Pool), Ct)).ShouldBeTrue();
        (await h.Clients.CreateAsync(NewClient(Pool), Ct)).ShouldBeTrue();
        return h;
    }

    [Fact]
    public async Task SecondSecret_SealedRoundTripRekeyedAndCleared()
    {
        await using var h = await WithPoolAndClientAsync();
        var client = (await h.Clients.GetAsync(Client, Ct))!;
        client.SecondSecret.ShouldBeNull();
        client.Secrets.Single().CreatedAt.ShouldBe(client.CreatedAt);
        var second = new AppClientSecret("second_secret_value_0123456789", T0.AddMinutes(5));
        (await h.Clients.UpdateAsync(client with { SecondSecret = second, SecretCreatedAt = T0 }, Ct)).ShouldBeTrue();

        var read = (await h.Clients.GetAsync(Client, Ct))!;
        read.SecondSecret.ShouldBe(second);
        read.SecretCreatedAt.ShouldBe(T0);
        var sealedBlob = await h.ScalarAsync<byte[]>("SELECT secret2_sealed FROM app_clients WHERE client_id = @Client", new { Client });
        System.Text.Encoding.UTF8.GetString(sealedBlob!).ShouldNotContain("second_secret_value");
        h.Sealer.Unseal(sealedBlob!, SealedSecrets.SecondClientSecretContext(Client)).ShouldBe(System.Text.Encoding.UTF8.GetBytes(second.Value));

        var next = new TestSecretSealer(keySeed: 91);
        var result = await MasterKeyRotation.RekeyAsync(h.Database, h.Sealer, next, Ct);
        result.Resealed["app_clients"].ShouldBe(2);
        (await h.StoresWith(next).Clients.GetAsync(Client, Ct))!.SecondSecret!.Value.ShouldBe(second.Value);

        var current = (await h.StoresWith(next).Clients.GetAsync(Client, Ct))!;
        (await h.StoresWith(next).Clients.UpdateAsync(current with { ClientSecret = second.Value, SecretCreatedAt = second.CreatedAt, SecondSecret = null }, Ct)).ShouldBeTrue();
        var after = (await h.StoresWith(next).Clients.GetAsync(Client, Ct))!;
        after.Secrets.Select(s => (s.Value, s.CreatedAt)).ShouldBe([(second.Value, second.CreatedAt)]);
        (await h.CountAsync("SELECT COUNT(*) FROM app_clients WHERE secret2_sealed IS NOT NULL")).ShouldBe(0);
    }

    static RefreshTokenRecord Token(string username, string jti, string? family, DateTimeOffset expires, byte seed) =>
        new([seed, 1, 2, 3], Pool, Client, username, jti, T0, expires, Revoked: false) { FamilyId = family };

    [Fact]
    public async Task TokenSessions_FamiliesListedRevokedPerUserAndTouched()
    {
        await using var h = await WithPoolAndClientAsync();
        foreach (var name in new[] { "alice", "bob" })
        {
            var user = NewUser(Pool, name);
            (await h.Users.CreateAsync(user, IdentifiersOf(user), Ct)).ShouldBe(UserWriteResult.Ok);
        }
        var sessions = new SqlSessionStore(h.Database);
        var later = T0.AddDays(1);
        await h.RefreshTokens.CreateAsync(Token("alice", "a1", null, later, 1), Ct);
        await h.RefreshTokens.CreateAsync(Token("alice", "a1r", "a1", later, 2) with { ReplacedAt = null }, Ct);
        await h.RefreshTokens.CreateAsync(Token("alice", "a2", null, later, 3), Ct);
        await h.RefreshTokens.CreateAsync(Token("alice", "old", null, T0.AddSeconds(1), 4), Ct); // expired by T0 + 1 min
        await h.RefreshTokens.CreateAsync(Token("bob", "b1", null, later, 5), Ct);

        var now = T0.AddMinutes(1);
        var listed = await sessions.ListActiveAsync(Pool, "alice", now, Ct);
        listed.Select(s => s.Family).Order(StringComparer.Ordinal).ShouldBe(["a1", "a2"]);
        listed.Single(s => s.Family == "a1").OriginJtis.Order(StringComparer.Ordinal).ShouldBe(["a1", "a1r"]);
        listed.ShouldAllBe(s => s.ClientId == Client && s.CreatedAt == T0 && s.LastActiveAt == T0);

        await sessions.TouchAsync([2, 1, 2, 3], T0.AddMinutes(3), ct: Ct);
        (await sessions.ListActiveAsync(Pool, "alice", now, Ct)).Single(s => s.Family == "a1").LastActiveAt.ShouldBe(T0.AddMinutes(3));

        (await sessions.RevokeFamilyAsync(Pool, "bob", "a1", Ct)).ShouldBe(0); // not bob's
        (await sessions.RevokeFamilyAsync(Pool, "alice", "a1", Ct)).ShouldBe(2);
        (await h.RefreshTokens.GetAsync([1, 1, 2, 3], Ct))!.Revoked.ShouldBeTrue();
        (await h.RefreshTokens.GetAsync([2, 1, 2, 3], Ct))!.Revoked.ShouldBeTrue();
        (await sessions.ListActiveAsync(Pool, "alice", now, Ct)).Select(s => s.Family).ShouldBe(["a2"]);
        (await sessions.ListActiveAsync(Pool, "bob", now, Ct)).Select(s => s.Family).ShouldBe(["b1"]);
    }

    [Fact]
    public async Task TokenSessions_ClientOfLatestActivityAndOriginSession()
    {
        await using var h = await WithPoolAndClientAsync();
        var user = NewUser(Pool, "carol");
        (await h.Users.CreateAsync(user, IdentifiersOf(user), Ct)).ShouldBe(UserWriteResult.Ok);
        var sessions = new SqlSessionStore(h.Database);
        var later = T0.AddDays(1);
        await h.RefreshTokens.CreateAsync(Token("carol", "c1", null, later, 7) with { LastIpAddress = "192.0.2.1", DeviceType = "Chrome on Linux", OriginSessionId = "sso" + new string('a', 25) }, Ct);
        var listed = (await sessions.ListActiveAsync(Pool, "carol", T0, Ct)).Single();
        (listed.LastIpAddress, listed.DeviceType, listed.OriginSessionId).ShouldBe(("192.0.2.1", "Chrome on Linux", "sso" + new string('a', 25)));
        (await h.RefreshTokens.GetAsync([7, 1, 2, 3], Ct))!.OriginSessionId.ShouldBe("sso" + new string('a', 25));

        await sessions.TouchAsync([7, 1, 2, 3], T0.AddMinutes(1), "2001:db8::7", "aws-sdk-js on Linux", Ct);
        listed = (await sessions.ListActiveAsync(Pool, "carol", T0, Ct)).Single();
        (listed.LastIpAddress, listed.DeviceType).ShouldBe(("2001:db8::7", "aws-sdk-js on Linux"));
        await sessions.TouchAsync([7, 1, 2, 3], T0.AddMinutes(2), null, null, Ct); // unknown client: what was stored stays
        (await sessions.ListActiveAsync(Pool, "carol", T0, Ct)).Single().LastIpAddress.ShouldBe("2001:db8::7");

        // A rotation's new row is the latest activity: its client is the session's.
        await h.RefreshTokens.CreateAsync(Token("carol", "c1r", "c1", later, 8) with { LastIpAddress = "198.51.100.9", DeviceType = "Firefox on Windows" }, Ct);
        await h.ExecuteAsync("UPDATE refresh_tokens SET replaced_at = @At WHERE origin_jti = 'c1'", new { At = T0.AddMinutes(5).ToUnixTimeMilliseconds() });
        listed = (await sessions.ListActiveAsync(Pool, "carol", T0, Ct)).Single();
        (listed.LastIpAddress, listed.DeviceType, listed.OriginSessionId).ShouldBe(("198.51.100.9", "Firefox on Windows", "sso" + new string('a', 25)));
    }

    [Fact]
    public async Task SsoSessions_CreatedListedTouchedRevokedPerUserAndLinked()
    {
        await using var h = await WithPoolAndClientAsync();
        foreach (var name in new[] { "dora", "eve" })
        {
            var user = NewUser(Pool, name);
            (await h.Users.CreateAsync(user, IdentifiersOf(user), Ct)).ShouldBe(UserWriteResult.Ok);
        }
        var sessions = new SqlSessionStore(h.Database);
        var id = "sso" + new string('b', 25);
        var record = new SsoSessionRecord(id, Pool, "dora", Client, T0, T0, T0.AddHours(1), Revoked: false) { LastIpAddress = "192.0.2.4", DeviceType = "Safari on iOS" };
        await sessions.CreateSsoAsync(record, Ct);
        await sessions.CreateSsoAsync(new SsoSessionRecord("sso" + new string('c', 25), Pool, "dora", Client, T0, T0, T0.AddMinutes(1), Revoked: false), Ct);
        (await sessions.GetSsoAsync(id, Ct)).ShouldBe(record);
        (await sessions.ListActiveSsoAsync(Pool, "dora", T0.AddMinutes(2), Ct)).Select(s => s.SessionId).ShouldBe([id]); // the other expired
        (await sessions.ListActiveSsoAsync(Pool, "eve", T0, Ct)).ShouldBeEmpty();

        await sessions.TouchSsoAsync(id, T0.AddMinutes(3), "203.0.113.5", null, Ct);
        var touched = (await sessions.GetSsoAsync(id, Ct))!;
        (touched.LastActiveAt, touched.LastIpAddress, touched.DeviceType).ShouldBe((T0.AddMinutes(3), "203.0.113.5", "Safari on iOS"));

        // LINKED: the families that came through the SSO session, and only those, of that user.
        await h.RefreshTokens.CreateAsync(Token("dora", "d1", null, T0.AddDays(1), 11) with { OriginSessionId = id }, Ct);
        await h.RefreshTokens.CreateAsync(Token("dora", "d1r", "d1", T0.AddDays(1), 12), Ct);
        await h.RefreshTokens.CreateAsync(Token("dora", "d2", null, T0.AddDays(1), 13), Ct);
        (await sessions.RevokeFamiliesOfSsoAsync(Pool, "eve", id, Ct)).ShouldBe(0);
        (await sessions.RevokeFamiliesOfSsoAsync(Pool, "dora", id, Ct)).ShouldBe(2);
        (await sessions.ListActiveAsync(Pool, "dora", T0, Ct)).Select(s => s.Family).ShouldBe(["d2"]);

        (await sessions.RevokeSsoAsync(Pool, "eve", id, Ct)).ShouldBeFalse(); // not eve's
        (await sessions.RevokeSsoAsync(Pool, "dora", id, Ct)).ShouldBeTrue();
        (await sessions.RevokeSsoAsync(Pool, "dora", id, Ct)).ShouldBeFalse();
        (await sessions.GetSsoAsync(id, Ct))!.Revoked.ShouldBeTrue();
        (await sessions.ListActiveSsoAsync(Pool, "dora", T0, Ct)).Select(s => s.SessionId).ShouldBe(["sso" + new string('c', 25)]);

        (await sessions.MaxSsoValidityMinutesAsync(Pool, Ct)).ShouldBeNull();
        await sessions.SetClientConfigAsync(new ClientSessionConfig(Pool, Client, 720), T0, Ct);
        (await sessions.MaxSsoValidityMinutesAsync(Pool, Ct)).ShouldBe(720);

        (await h.Users.DeleteAsync(Pool, "dora", Ct)).ShouldBeTrue();
        (await sessions.GetSsoAsync(id, Ct)).ShouldBeNull(); // gone with its user
    }

    [Fact]
    public async Task Configurations_UpsertAndGoWithPoolAndClient()
    {
        await using var h = await WithPoolAndClientAsync();
        var sessions = new SqlSessionStore(h.Database);
        (await sessions.GetPoolConfigAsync(Pool, Ct)).ShouldBeNull();
        (await sessions.GetClientConfigAsync(Client, Ct)).ShouldBeNull();
        await sessions.SetPoolConfigAsync(new PoolSessionConfig(Pool, "ENABLED", 5), T0, Ct);
        await sessions.SetPoolConfigAsync(new PoolSessionConfig(Pool, "DISABLED", 9), T0, Ct);
        await sessions.SetClientConfigAsync(new ClientSessionConfig(Pool, Client, 120), T0, Ct);
        await sessions.SetClientConfigAsync(new ClientSessionConfig(Pool, Client, 0), T0, Ct);
        (await sessions.GetPoolConfigAsync(Pool, Ct)).ShouldBe(new PoolSessionConfig(Pool, "DISABLED", 9));
        (await sessions.GetClientConfigAsync(Client, Ct)).ShouldBe(new ClientSessionConfig(Pool, Client, 0));

        (await h.Clients.DeleteAsync(Pool, Client, Ct)).ShouldBeTrue();
        (await sessions.GetClientConfigAsync(Client, Ct)).ShouldBeNull();
        (await h.Pools.DeleteAsync(Pool, Ct)).ShouldBeTrue();
        (await sessions.GetPoolConfigAsync(Pool, Ct)).ShouldBeNull();
    }
}

/// <summary>The client-secret and session specification on SQLite.</summary>
public sealed class SqliteSessionsSecretsStoreSpecificationTests : SessionsSecretsStoreSpecification
{
    private protected override Task<StoreHarness> OpenAsync() => StoreHarness.SqliteAsync(migrate: true);
}

/// <summary>The client-secret and session specification on PostgreSQL.</summary>
public sealed class PostgresSessionsSecretsStoreSpecificationTests : SessionsSecretsStoreSpecification
{
    private protected override Task<StoreHarness> OpenAsync() => StoreHarness.PostgresAsync(migrate: true);
}
