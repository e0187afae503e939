using Cognate.Core.Stores;
using static Cognate.Storage.Tests.Sqlite.TestDatabase;

namespace Cognate.Storage.Tests.Sqlite;

public sealed class SqliteRefreshTokenStoreTests
{
    private const string Pool = "us-east-1_TestPool1";

    private static RefreshTokenRecord Token(string name, string username = "alice") =>
        new(SqliteUserPoolStoreTests.Hash(name), Pool, "client0000000000000000000a", username, "jti-" + name, T0, T0.AddDays(30), false);

    private static async Task<TestDatabase> SeededAsync()
    {
        var db = await CreateAsync();
        await db.SeedPoolAsync();
        await db.SeedClientAsync(Pool);
        await db.SeedUserAsync(Pool, "alice");
        await db.SeedUserAsync(Pool, "bob");
        return db;
    }

    [Fact]
    public async Task CreateAsync_ThenGetByHashAndJti_RoundTrips()
    {
        await using var db = await SeededAsync();
        var token = Token("t1");

        await db.RefreshTokens.CreateAsync(token, Ct);

        var byHash = (await db.RefreshTokens.GetAsync(token.TokenHash, Ct))!;
        byHash.TokenHash.ShouldBe(token.TokenHash);
        byHash.OriginJti.ShouldBe("jti-t1");
        byHash.ClientId.ShouldBe(token.ClientId);
        byHash.AuthTime.ShouldBe(T0);
        byHash.ExpiresAt.ShouldBe(T0.AddDays(30));
        byHash.Revoked.ShouldBeFalse();
        (await db.RefreshTokens.GetByOriginJtiAsync("jti-t1", Ct))!.Username.ShouldBe("alice");
        (await db.RefreshTokens.GetAsync(SqliteUserPoolStoreTests.Hash("other"), Ct)).ShouldBeNull();
        (await db.RefreshTokens.GetByOriginJtiAsync("other", Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task RevokeAsync_Existing_MarksRevoked_MissingReturnsFalse()
    {
        await using var db = await SeededAsync();
        var token = Token("t1");
        await db.RefreshTokens.CreateAsync(token, Ct);

        (await db.RefreshTokens.RevokeAsync(token.TokenHash, Ct)).ShouldBeTrue();
        (await db.RefreshTokens.RevokeAsync(SqliteUserPoolStoreTests.Hash("missing"), Ct)).ShouldBeFalse();

        (await db.RefreshTokens.GetAsync(token.TokenHash, Ct))!.Revoked.ShouldBeTrue();
    }

    [Fact]
    public async Task RevokeAllForUserAsync_ThreeTokens_RevokesOnlyTheUsers()
    {
        await using var db = await SeededAsync();
        await db.RefreshTokens.CreateAsync(Token("a1"), Ct);
        await db.RefreshTokens.CreateAsync(Token("a2"), Ct);
        await db.RefreshTokens.CreateAsync(Token("b1", "bob"), Ct);

        (await db.RefreshTokens.RevokeAllForUserAsync(Pool, "alice", Ct)).ShouldBe(2);

        (await db.RefreshTokens.GetByOriginJtiAsync("jti-a1", Ct))!.Revoked.ShouldBeTrue();
        (await db.RefreshTokens.GetByOriginJtiAsync("jti-a2", Ct))!.Revoked.ShouldBeTrue();
        (await db.RefreshTokens.GetByOriginJtiAsync("jti-b1", Ct))!.Revoked.ShouldBeFalse();
    }
}
