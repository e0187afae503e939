using System.Security.Cryptography;
using System.Text;
using Cognate.Core.Stores;
using static Cognate.Storage.Tests.Sqlite.TestDatabase;

namespace Cognate.Storage.Tests.Sqlite;

public sealed class SqliteAppClientStoreTests
{
    [Fact]
    public async Task CreateAsync_ClientWithSecret_RoundTrips()
    {
        await using var db = await CreateAsync();
        await db.SeedPoolAsync();
        var client = NewClient("us-east-1_TestPool1");

        (await db.Clients.CreateAsync(client, Ct)).ShouldBeTrue();
        var read = await db.Clients.GetAsync(client.ClientId, Ct);

        read.ShouldNotBeNull();
        read.UserPoolId.ShouldBe(client.UserPoolId);
        read.ClientSecret.ShouldBe("s3cr3t-client-secret-value");
        read.CreatedAt.ShouldBe(T0);
        read.Config.ClientName.ShouldBe("web");
        read.Config.ExplicitAuthFlows.ShouldBe(["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]);
        read.Config.AuthSessionValidity.ShouldBe(3);
    }

    [Fact]
    public async Task CreateAsync_PublicClient_StoresNullSecret()
    {
        await using var db = await CreateAsync();
        await db.SeedPoolAsync();

        (await db.Clients.CreateAsync(NewClient("us-east-1_TestPool1", secret: null), Ct)).ShouldBeTrue();

        (await db.Clients.GetAsync("client0000000000000000000a", Ct))!.ClientSecret.ShouldBeNull();
        (await db.ScalarAsync("SELECT secret_sealed FROM app_clients")).ShouldBeNull();
    }

    [Fact]
    public async Task CreateAsync_Secret_IsNotStoredInPlaintext()
    {
        await using var db = await CreateAsync();
        await db.SeedPoolAsync();
        await db.SeedClientAsync("us-east-1_TestPool1");

        var raw = (byte[])(await db.ScalarAsync("SELECT secret_sealed FROM app_clients"))!;

        raw.AsSpan().IndexOf(Encoding.UTF8.GetBytes("s3cr3t-client-secret-value")).ShouldBe(-1);
        raw.Length.ShouldBeGreaterThan("s3cr3t-client-secret-value".Length);
    }

    [Fact]
    public async Task GetAsync_SealedSecretCopiedToOtherClient_FailsToUnseal()
    {
        await using var db = await CreateAsync();
        await db.SeedPoolAsync();
        await db.SeedClientAsync("us-east-1_TestPool1", "client-a");
        await db.SeedClientAsync("us-east-1_TestPool1", "client-b");

        await db.ScalarAsync("UPDATE app_clients SET secret_sealed = (SELECT secret_sealed FROM app_clients WHERE client_id = 'client-a') WHERE client_id = 'client-b'");

        await Should.ThrowAsync<CryptographicException>(async () => await db.Clients.GetAsync("client-b", Ct));
    }

    [Fact]
    public async Task CreateAsync_DuplicateClientId_ReturnsFalse()
    {
        await using var db = await CreateAsync();
        await db.SeedPoolAsync();
        await db.SeedClientAsync("us-east-1_TestPool1");

        (await db.Clients.CreateAsync(NewClient("us-east-1_TestPool1"), Ct)).ShouldBeFalse();
    }

    [Fact]
    public async Task ListAsync_TwoPools_PagesOnlyThePoolsClients()
    {
        await using var db = await CreateAsync();
        await db.SeedPoolAsync("us-east-1_A");
        await db.SeedPoolAsync("us-east-1_B");
        foreach (var id in new[] { "c3", "c1", "c2" })
        {
            await db.SeedClientAsync("us-east-1_A", id);
        }

        await db.SeedClientAsync("us-east-1_B", "c0");

        (await db.Clients.ListAsync("us-east-1_A", null, 2, Ct)).Select(c => c.ClientId).ShouldBe(["c1", "c2"]);
        (await db.Clients.ListAsync("us-east-1_A", "c2", 2, Ct)).Select(c => c.ClientId).ShouldBe(["c3"]);
    }

    [Fact]
    public async Task UpdateAsync_CurrentVersion_ReplacesAndIncrements_StaleVersionConflicts()
    {
        await using var db = await CreateAsync();
        await db.SeedPoolAsync();
        var client = await db.SeedClientAsync("us-east-1_TestPool1");

        (await db.Clients.UpdateAsync(client with { ClientSecret = null, Config = client.Config with { ClientName = "renamed" } }, Ct)).ShouldBeTrue();
        (await db.Clients.UpdateAsync(client with { Config = client.Config with { ClientName = "stale" } }, Ct)).ShouldBeFalse();

        var read = (await db.Clients.GetAsync(client.ClientId, Ct))!;
        read.Version.ShouldBe(1);
        read.Config.ClientName.ShouldBe("renamed");
        read.ClientSecret.ShouldBeNull();
    }

    [Fact]
    public async Task DeleteAsync_ClientWithTokensAndSessions_RemovesThem()
    {
        await using var db = await CreateAsync();
        await db.SeedPoolAsync();
        var client = await db.SeedClientAsync("us-east-1_TestPool1");
        await db.SeedUserAsync("us-east-1_TestPool1", "alice");
        await db.RefreshTokens.CreateAsync(new RefreshTokenRecord([1], "us-east-1_TestPool1", client.ClientId, "alice", "jti-1", T0, T0, false), Ct);
        await db.Sessions.CreateAsync(new AuthSessionRecord([2], "us-east-1_TestPool1", client.ClientId, "alice", "X", "{}", T0), Ct);

        (await db.Clients.DeleteAsync("us-east-1_TestPool1", client.ClientId, Ct)).ShouldBeTrue();

        (await db.Clients.GetAsync(client.ClientId, Ct)).ShouldBeNull();
        (await db.CountAsync("SELECT COUNT(*) FROM refresh_tokens")).ShouldBe(0);
        (await db.CountAsync("SELECT COUNT(*) FROM auth_sessions")).ShouldBe(0);
        (await db.CountAsync("SELECT COUNT(*) FROM users")).ShouldBe(1);
        (await db.Clients.DeleteAsync("us-east-1_TestPool1", client.ClientId, Ct)).ShouldBeFalse();
    }

    [Fact]
    public async Task DeleteAsync_WrongPool_ReturnsFalseAndKeepsClient()
    {
        await using var db = await CreateAsync();
        await db.SeedPoolAsync();
        var client = await db.SeedClientAsync("us-east-1_TestPool1");

        (await db.Clients.DeleteAsync("us-east-1_Other", client.ClientId, Ct)).ShouldBeFalse();
        (await db.Clients.GetAsync(client.ClientId, Ct)).ShouldNotBeNull();
    }
}
