using Cognate.Core.Mfa;
using Cognate.Storage.Sqlite;
using Cognate.Storage.Stores;
using static Cognate.Storage.Tests.Sqlite.TestDatabase;

namespace Cognate.Storage.Tests.Sqlite;

public sealed class SqliteUserMfaStoreTests
{
    [Fact]
    public void LoadEmbedded_MigrationsWithAGap_AreAcceptedInOrder()
    {
        var known = Cognate.Storage.Migrations.MigrationRunner.LoadEmbedded(typeof(SqliteDatabase).Assembly, "Cognate.Storage.Sqlite.Migrations.");
        known.Select(m => m.Version).ShouldBe(known.Select(m => m.Version).Order().Distinct());
        known.ShouldContain(m => m.Name == "user_mfa");
    }
}

public sealed class SqliteUserMfaStoreRoundTripTests
{
    [Fact]
    public async Task PutGet_RoundTripsSealed_OptimisticVersion_AndGoesWithTheUser()
    {
        await using var db = await CreateAsync();
        var pool = await db.SeedPoolAsync();
        await db.SeedUserAsync(pool.Id, "mo");
        var store = new SqlUserMfaStore(db.Database, db.Sealer);
        (await store.GetAsync(pool.Id, "mo", Ct)).ShouldBeNull();

        var mfa = new UserMfa { SoftwareTokenEnabled = true, Preferred = MfaFactor.SoftwareToken, TotpSecret = [1, 2, 3], LastTotpStep = 42, TotpDeviceName = "phone" };
        (await store.PutAsync(pool.Id, "mo", mfa, Ct)).ShouldBeTrue();
        mfa.Version.ShouldBe(1);
        var stale = new UserMfa { SmsEnabled = true }; // Version 0: a second insert conflicts
        (await store.PutAsync(pool.Id, "mo", stale, Ct)).ShouldBeFalse();

        var read = (await store.GetAsync(pool.Id, "mo", Ct))!;
        read.TotpSecret.ShouldBe(new byte[] { 1, 2, 3 });
        read.LastTotpStep.ShouldBe(42);
        read.Preferred.ShouldBe(MfaFactor.SoftwareToken);
        read.EnabledFactors().ShouldBe([MfaFactor.SoftwareToken]);
        read.LastTotpStep = 43;
        (await store.PutAsync(pool.Id, "mo", read, Ct)).ShouldBeTrue();
        mfa.LastTotpStep = 44;
        (await store.PutAsync(pool.Id, "mo", mfa, Ct)).ShouldBeFalse(); // version 1 is stale now

        (await db.CountAsync("SELECT COUNT(*) FROM user_mfa WHERE instr(CAST(data_sealed AS TEXT), 'phone') > 0")).ShouldBe(0);
        (await db.Users.DeleteAsync(pool.Id, "mo", Ct)).ShouldBeTrue();
        (await db.CountAsync("SELECT COUNT(*) FROM user_mfa")).ShouldBe(0);
    }
}
