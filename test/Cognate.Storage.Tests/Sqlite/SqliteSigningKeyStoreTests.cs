using Cognate.Core.Stores;
using static Cognate.Storage.Tests.Sqlite.TestDatabase;

namespace Cognate.Storage.Tests.Sqlite;

public sealed class SqliteSigningKeyStoreTests
{
    private const string Pool = "us-east-1_TestPool1";

    [Fact]
    public async Task AddAsync_ThenList_ReturnsPoolKeysOldestFirstWithSealedBytesAsGiven()
    {
        await using var db = await CreateAsync();
        await db.SeedPoolAsync();
        await db.SeedPoolAsync("us-east-1_Other");

        (await db.SigningKeys.AddAsync(new SigningKeyRecord(Pool, "kid-new", "access", [3, 4], T0.AddDays(1), true), Ct)).ShouldBeTrue();
        (await db.SigningKeys.AddAsync(new SigningKeyRecord(Pool, "kid-old", "id", [1, 2], T0, false), Ct)).ShouldBeTrue();
        (await db.SigningKeys.AddAsync(new SigningKeyRecord("us-east-1_Other", "kid-x", "id", [5], T0, true), Ct)).ShouldBeTrue();

        var keys = await db.SigningKeys.ListAsync(Pool, Ct);

        keys.Select(k => k.Kid).ShouldBe(["kid-old", "kid-new"]);
        keys[0].Use.ShouldBe("id");
        keys[0].EncryptedPrivateKey.ShouldBe(new byte[] { 1, 2 });
        keys[0].CreatedAt.ShouldBe(T0);
        keys[0].Active.ShouldBeFalse();
        keys[1].Active.ShouldBeTrue();
        (await db.ScalarAsync("SELECT private_sealed FROM signing_keys WHERE kid = 'kid-old'")).ShouldBe(new byte[] { 1, 2 });
    }

    [Fact]
    public async Task AddAsync_DuplicateKid_ReturnsFalse()
    {
        await using var db = await CreateAsync();
        await db.SeedPoolAsync();
        var key = new SigningKeyRecord(Pool, "kid", "id", [1], T0, true);
        (await db.SigningKeys.AddAsync(key, Ct)).ShouldBeTrue();

        (await db.SigningKeys.AddAsync(key with { EncryptedPrivateKey = [2] }, Ct)).ShouldBeFalse();

        (await db.SigningKeys.ListAsync(Pool, Ct)).Single().EncryptedPrivateKey.ShouldBe(new byte[] { 1 });
    }
}
