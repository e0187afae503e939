using Cognate.Core.Pools;
using Cognate.Core.Stores;
using static Cognate.Storage.Tests.Sqlite.TestDatabase;

namespace Cognate.Storage.Tests.Sqlite;

public sealed class SqliteUserPoolStoreTests
{
    [Fact]
    public async Task CreateAsync_NewPool_RoundTripsConfigAndTimes()
    {
        await using var db = await CreateAsync();
        var pool = NewPool();

        (await db.Pools.CreateAsync(pool, Ct)).ShouldBeTrue();
        var read = await db.Pools.GetAsync(pool.Id, Ct);

        read.ShouldNotBeNull();
        read.Region.ShouldBe("us-east-1");
        read.CreatedAt.ShouldBe(T0);
        read.ModifiedAt.ShouldBe(T0);
        read.Version.ShouldBe(0);
        read.Config.PoolName.ShouldBe("test pool");
        read.CaseInsensitive.ShouldBeTrue();
        read.Config.AliasAttributes.ShouldBe(["email"]);
        read.Config.UserPoolTags!["team"].ShouldBe("identity");
        read.Config.LambdaConfig!["PreSignUp"]!.GetValue<string>().ShouldBe("arn:aws:lambda:us-east-1:1:function:x");
        (await db.ScalarAsync("SELECT name FROM user_pools")).ShouldBe("test pool");
    }

    [Fact]
    public async Task CreateAsync_ConfigJson_OmitsNullsAndKeepsCognitoNames()
    {
        await using var db = await CreateAsync();
        await db.SeedPoolAsync();

        var json = (string)(await db.ScalarAsync("SELECT config_json FROM user_pools"))!;

        json.ShouldContain("\"PoolName\":\"test pool\"");
        json.ShouldNotContain("null");
    }

    [Fact]
    public async Task CreateAsync_DuplicateId_ReturnsFalse()
    {
        await using var db = await CreateAsync();
        await db.SeedPoolAsync();

        (await db.Pools.CreateAsync(NewPool(), Ct)).ShouldBeFalse();
    }

    [Fact]
    public async Task GetAsync_Missing_ReturnsNull()
    {
        await using var db = await CreateAsync();

        (await db.Pools.GetAsync("us-east-1_nope", Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task ListAsync_AfterIdAndLimit_PagesInIdOrder()
    {
        await using var db = await CreateAsync();
        foreach (var id in new[] { "us-east-1_C", "us-east-1_A", "us-east-1_D", "us-east-1_B" })
        {
            await db.SeedPoolAsync(id);
        }

        var first = await db.Pools.ListAsync(null, 2, Ct);
        var second = await db.Pools.ListAsync(first[^1].Id, 2, Ct);
        var third = await db.Pools.ListAsync(second[^1].Id, 2, Ct);

        first.Select(p => p.Id).ShouldBe(["us-east-1_A", "us-east-1_B"]);
        second.Select(p => p.Id).ShouldBe(["us-east-1_C", "us-east-1_D"]);
        third.ShouldBeEmpty();
    }

    [Fact]
    public async Task UpdateAsync_CurrentVersion_ReplacesAndIncrementsVersion()
    {
        await using var db = await CreateAsync();
        var pool = await db.SeedPoolAsync();
        var changed = pool with { ModifiedAt = T0.AddMinutes(1), Config = pool.Config with { PoolName = "renamed", MfaConfiguration = "OPTIONAL" } };

        (await db.Pools.UpdateAsync(changed, Ct)).ShouldBeTrue();

        var read = (await db.Pools.GetAsync(pool.Id, Ct))!;
        read.Version.ShouldBe(1);
        read.Config.PoolName.ShouldBe("renamed");
        read.Config.MfaConfiguration.ShouldBe("OPTIONAL");
        read.ModifiedAt.ShouldBe(T0.AddMinutes(1));
    }

    [Fact]
    public async Task UpdateAsync_StaleVersion_ReturnsFalseAndKeepsRow()
    {
        await using var db = await CreateAsync();
        var pool = await db.SeedPoolAsync();
        (await db.Pools.UpdateAsync(pool with { Config = pool.Config with { PoolName = "first" } }, Ct)).ShouldBeTrue();

        (await db.Pools.UpdateAsync(pool with { Config = pool.Config with { PoolName = "second" } }, Ct)).ShouldBeFalse();

        var read = (await db.Pools.GetAsync(pool.Id, Ct))!;
        read.Config.PoolName.ShouldBe("first");
        read.Version.ShouldBe(1);
    }

    [Fact]
    public async Task UpdateAsync_Missing_ReturnsFalse()
    {
        await using var db = await CreateAsync();

        (await db.Pools.UpdateAsync(NewPool(), Ct)).ShouldBeFalse();
    }

    [Fact]
    public async Task CountUsersAsync_UsersInTwoPools_CountsOnlyThePool()
    {
        await using var db = await CreateAsync();
        await db.SeedPoolAsync("us-east-1_A");
        await db.SeedPoolAsync("us-east-1_B");
        await db.SeedUserAsync("us-east-1_A", "alice");
        await db.SeedUserAsync("us-east-1_A", "bob");
        await db.SeedUserAsync("us-east-1_B", "alice");

        (await db.Pools.CountUsersAsync("us-east-1_A", Ct)).ShouldBe(2);
        (await db.Pools.CountUsersAsync("us-east-1_C", Ct)).ShouldBe(0);
    }

    [Fact]
    public async Task DeleteAsync_PoolWithData_RemovesEverythingOfThePoolOnly()
    {
        await using var db = await CreateAsync();
        const string Doomed = "us-east-1_Doomed";
        const string Kept = "us-east-1_Kept";
        foreach (var poolId in new[] { Doomed, Kept })
        {
            await db.SeedPoolAsync(poolId);
            var client = await db.SeedClientAsync(poolId, "client-" + poolId);
            await db.SeedUserAsync(poolId, "alice", "alice@example.com");
            await db.Codes.PutAsync(new StoredCode(poolId, "alice", CodePurpose.SignUp, [1, 2, 3], T0, 0), Ct);
            await db.RefreshTokens.CreateAsync(new RefreshTokenRecord(Hash(poolId + "rt"), poolId, client.ClientId, "alice", poolId + "-jti", T0, T0.AddDays(30), false), Ct);
            (await db.SigningKeys.AddAsync(new SigningKeyRecord(poolId, "kid-" + poolId, "id", [9, 9], T0, true), Ct)).ShouldBeTrue();
            await db.Sessions.CreateAsync(new AuthSessionRecord(Hash(poolId + "s"), poolId, client.ClientId, "alice", "NEW_PASSWORD_REQUIRED", "{}", T0), Ct);
            await db.Outbox.AddAsync(new OutboxMessage(Guid.NewGuid().ToString(), poolId, "alice@example.com", "subj", "body", "123456", T0), Ct);
        }

        (await db.Pools.DeleteAsync(Doomed, Ct)).ShouldBeTrue();

        foreach (var table in new[] { "user_pools", "app_clients", "users", "user_identifiers", "codes", "refresh_tokens", "signing_keys", "auth_sessions", "outbox" })
        {
            var column = table == "user_pools" ? "id" : "user_pool_id";
            (await db.CountAsync($"SELECT COUNT(*) FROM {table} WHERE {column} = $p", ("$p", Doomed))).ShouldBe(0, table);
            (await db.CountAsync($"SELECT COUNT(*) FROM {table} WHERE {column} = $p", ("$p", Kept))).ShouldBeGreaterThan(0, table);
        }

        (await db.Pools.DeleteAsync(Doomed, Ct)).ShouldBeFalse();
    }

    internal static byte[] Hash(string value) => System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(value));
}
