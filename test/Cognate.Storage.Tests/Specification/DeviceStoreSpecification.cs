using Cognate.Core.Devices;
using Cognate.Storage.Secrets;
using Cognate.Storage.Stores;
using static Cognate.Storage.Tests.Sqlite.TestDatabase;

namespace Cognate.Storage.Tests.Specification;

/// <summary>
/// The device store's contract on every provider (migration 0013): a device round-trips with its verifier sealed, updates
/// replace the row, listing is per user and newest first, rows go with their user and their pool, and the sealed verifier
/// column is re-sealed by MasterKeyRotation.
/// </summary>
public abstract class DeviceStoreSpecification
{
    private const string Pool = "us-east-1_TestPool1";

    private protected abstract Task<StoreHarness> OpenAsync();

    static Device NewDevice(string username, string key, DateTimeOffset at) => new()
    {
        UserPoolId = Pool, Username = username, DeviceKey = key, DeviceGroupKey = "-group0001", Status = DeviceStatus.NotRemembered,
        CreatedAt = at, ModifiedAt = at, LastAuthenticatedAt = at, LastIp = "192.0.2.1",
    };

    async Task<(StoreHarness H, SqlDeviceStore Devices)> SetUpAsync()
    {
        var h = await OpenAsync();
        (await h.Pools.CreateAsync(NewPool(Pool), Ct)).ShouldBeTrue();
        foreach (var name in (string[])["alice", "bob"])
        {
            var user = NewUser(Pool, name);
            await h.Users.CreateAsync(user, IdentifiersOf(user), Ct);
        }
        return (h, new SqlDeviceStore(h.Database, h.Sealer));
    }

    [Fact]
    public async Task Device_CreateConfirmList_RoundTripsWithSealedVerifier()
    {
        var (h, devices) = await SetUpAsync();
        await using var _ = h;
        (await devices.CreateAsync(NewDevice("alice", "us-east-1_a", T0), Ct)).ShouldBeTrue();
        (await devices.CreateAsync(NewDevice("alice", "us-east-1_a", T0), Ct)).ShouldBeFalse();
        (await devices.CreateAsync(NewDevice("nobody", "us-east-1_n", T0), Ct)).ShouldBeFalse(); // no such user
        (await devices.CreateAsync(NewDevice("alice", "us-east-1_b", T0.AddMinutes(1)), Ct)).ShouldBeTrue();
        (await devices.CreateAsync(NewDevice("bob", "us-east-1_c", T0), Ct)).ShouldBeTrue();

        var got = (await devices.GetAsync(Pool, "us-east-1_a", Ct))!;
        got.Confirmed.ShouldBeFalse();
        got.LastIp.ShouldBe("192.0.2.1");
        got.CreatedAt.ShouldBe(T0);
        var verifier = Enumerable.Range(0, 384).Select(i => (byte)i).ToArray();
        (await devices.UpdateAsync(got with { Salt = [1, 2], Verifier = verifier, Status = DeviceStatus.Remembered, Name = "laptop", ModifiedAt = T0.AddHours(1) }, Ct)).ShouldBeTrue();
        var confirmed = (await devices.GetAsync(Pool, "us-east-1_a", Ct))!;
        confirmed.Verifier.ShouldBe(verifier);
        confirmed.Salt.ShouldBe(new byte[] { 1, 2 });
        (confirmed.Status, confirmed.Name, confirmed.ModifiedAt).ShouldBe((DeviceStatus.Remembered, "laptop", T0.AddHours(1)));

        (await devices.ListAsync(Pool, "alice", Ct)).Select(d => d.DeviceKey).ShouldBe(["us-east-1_b", "us-east-1_a"]);
        (await devices.DeleteAsync(Pool, "us-east-1_b", Ct)).ShouldBeTrue();
        (await devices.DeleteAsync(Pool, "us-east-1_b", Ct)).ShouldBeFalse();
        (await devices.UpdateAsync(NewDevice("alice", "us-east-1_b", T0), Ct)).ShouldBeFalse();

        var next = new TestSecretSealer(keySeed: 93);
        await MasterKeyRotation.RekeyAsync(h.Database, h.Sealer, next, Ct);
        (await new SqlDeviceStore(h.Database, next).GetAsync(Pool, "us-east-1_a", Ct))!.Verifier.ShouldBe(verifier);
    }

    [Fact]
    public async Task Device_UserOrPoolDeleted_RowsGone()
    {
        var (h, devices) = await SetUpAsync();
        await using var _ = h;
        (await devices.CreateAsync(NewDevice("alice", "us-east-1_a", T0), Ct)).ShouldBeTrue();
        (await devices.CreateAsync(NewDevice("bob", "us-east-1_c", T0), Ct)).ShouldBeTrue();
        (await h.Users.DeleteAsync(Pool, "alice", Ct)).ShouldBeTrue();
        (await devices.GetAsync(Pool, "us-east-1_a", Ct)).ShouldBeNull();
        (await h.Pools.DeleteAsync(Pool, Ct)).ShouldBeTrue();
        (await devices.GetAsync(Pool, "us-east-1_c", Ct)).ShouldBeNull();
    }
}

/// <summary>The device store specification on SQLite.</summary>
public sealed class SqliteDeviceStoreSpecificationTests : DeviceStoreSpecification
{
    private protected override Task<StoreHarness> OpenAsync() => StoreHarness.SqliteAsync(migrate: true);
}

/// <summary>The device store specification on PostgreSQL.</summary>
public sealed class PostgresDeviceStoreSpecificationTests : DeviceStoreSpecification
{
    private protected override Task<StoreHarness> OpenAsync() => StoreHarness.PostgresAsync(migrate: true);
}
