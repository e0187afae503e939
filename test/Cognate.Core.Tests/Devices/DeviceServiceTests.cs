using Cognate.Core.Devices;
using Cognate.Core.Errors;
using Cognate.Core.Pools;
using Cognate.Core.Tests.SigV4;
using Cognate.Core.Users;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.Devices;

/// <summary>An in-memory <see cref="IDeviceStore"/>.</summary>
internal sealed class FakeDeviceStore : IDeviceStore
{
    public Dictionary<string, Device> Devices { get; } = new(StringComparer.Ordinal);

    public ValueTask<bool> CreateAsync(Device device, CancellationToken ct = default) => ValueTask.FromResult(Devices.TryAdd(device.UserPoolId + "/" + device.DeviceKey, device));

    public ValueTask<Device?> GetAsync(string userPoolId, string deviceKey, CancellationToken ct = default) =>
        ValueTask.FromResult(Devices.GetValueOrDefault(userPoolId + "/" + deviceKey));

    public ValueTask<IReadOnlyList<Device>> ListAsync(string userPoolId, string username, CancellationToken ct = default) =>
        ValueTask.FromResult<IReadOnlyList<Device>>(Devices.Values.Where(d => d.UserPoolId == userPoolId && d.Username == username)
            .OrderByDescending(d => d.CreatedAt).ThenBy(d => d.DeviceKey, StringComparer.Ordinal).ToList());

    public ValueTask<bool> UpdateAsync(Device device, CancellationToken ct = default)
    {
        var key = device.UserPoolId + "/" + device.DeviceKey;
        if (!Devices.ContainsKey(key)) return ValueTask.FromResult(false);
        Devices[key] = device;
        return ValueTask.FromResult(true);
    }

    public ValueTask<bool> DeleteAsync(string userPoolId, string deviceKey, CancellationToken ct = default) => ValueTask.FromResult(Devices.Remove(userPoolId + "/" + deviceKey));
}

public sealed class DeviceServiceTests
{
    static readonly DateTimeOffset T0 = new(2026, 12, 6, 4, 0, 0, TimeSpan.Zero);
    readonly FakeDeviceStore store = new();
    readonly FixedTimeProvider time = new(T0);
    readonly DeviceService service;

    public DeviceServiceTests() => service = new DeviceService(store, time);

    static UserPool Pool(bool? prompt) => new()
    {
        Id = "us-east-1_Devices01", Region = "us-east-1", CreatedAt = T0, ModifiedAt = T0, Version = 0,
        Config = new UserPoolConfig { DeviceConfiguration = new DeviceConfigurationType { ChallengeRequiredOnNewDevice = true, DeviceOnlyRememberedOnUserPrompt = prompt } },
    };

    static User User(string name) => new() { UserPoolId = "us-east-1_Devices01", Username = name, Sub = Guid.NewGuid().ToString(), Status = UserStatus.Confirmed, CreatedAt = T0, ModifiedAt = T0 };

    static string Verifier385() => Convert.ToBase64String([0, .. Enumerable.Repeat((byte)0xAB, 384)]);

    [Fact]
    public async Task Create_NewDevice_RegionUuidKeyAndGroupKey()
    {
        var d = await service.CreateAsync(Pool(false), User("alice"), "203.0.113.7", default);
        d.DeviceKey.ShouldMatch("^us-east-1_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
        d.DeviceGroupKey.ShouldMatch("^-[A-Za-z0-9]{9}$");
        d.Status.ShouldBe(DeviceStatus.NotRemembered);
        d.Confirmed.ShouldBeFalse();
        d.LastIp.ShouldBe("203.0.113.7");
    }

    [Theory]
    [InlineData(false, false, DeviceStatus.Remembered)]
    [InlineData(true, true, DeviceStatus.NotRemembered)]
    public async Task Confirm_DeviceOnlyRememberedOnUserPrompt_DecidesConfirmationAndStatus(bool prompt, bool necessary, string status)
    {
        var pool = Pool(prompt);
        var user = User("alice");
        var d = await service.CreateAsync(pool, user, null, default);
        (await service.ConfirmAsync(pool, user, d.DeviceKey, Verifier385(), Convert.ToBase64String([0x6a, 0x04]), "laptop", default)).ShouldBe(necessary);
        var stored = store.Devices.Values.Single();
        stored.Status.ShouldBe(status);
        stored.Name.ShouldBe("laptop");
        stored.Verifier!.Length.ShouldBe(384); // acij's padHex leading zero removed
        stored.Confirmed.ShouldBeTrue();
    }

    [Fact]
    public async Task Get_AnotherUsersDevice_DeviceDoesNotExist()
    {
        var pool = Pool(false);
        var d = await service.CreateAsync(pool, User("alice"), null, default);
        var ex = await Should.ThrowAsync<CognitoException>(async () => await service.GetAsync(pool, User("bob"), d.DeviceKey, default));
        ex.Error.Type.ShouldBe("ResourceNotFoundException");
        ex.Error.Message.ShouldBe("Device does not exist.");
    }

    [Fact]
    public async Task Confirm_NotBase64Verifier_InvalidParameter()
    {
        var pool = Pool(false);
        var user = User("alice");
        var d = await service.CreateAsync(pool, user, null, default);
        var ex = await Should.ThrowAsync<CognitoException>(async () => await service.ConfirmAsync(pool, user, d.DeviceKey, "***", "AAAA", null, default));
        ex.Error.Type.ShouldBe("InvalidParameterException");
    }

    [Fact]
    public async Task UpdateStatus_UnknownValue_InvalidParameter()
    {
        var pool = Pool(false);
        var user = User("alice");
        var d = await service.CreateAsync(pool, user, null, default);
        var ex = await Should.ThrowAsync<CognitoException>(async () => await service.UpdateStatusAsync(pool, user, d.DeviceKey, "forgotten", default));
        ex.Error.Type.ShouldBe("InvalidParameterException");
        await service.UpdateStatusAsync(pool, user, d.DeviceKey, DeviceStatus.Remembered, default);
        store.Devices.Values.Single().Status.ShouldBe(DeviceStatus.Remembered);
    }

    [Fact]
    public async Task List_FiveDevicesLimitTwo_PagesNewestFirst()
    {
        var pool = Pool(false);
        var user = User("alice");
        var keys = new List<string>();
        for (int i = 0; i < 5; i++)
        {
            time.Now = T0.AddMinutes(i);
            keys.Add((await service.CreateAsync(pool, user, null, default)).DeviceKey);
        }
        var seen = new List<string>();
        string? token = null;
        int pages = 0;
        do
        {
            var (page, next) = await service.ListAsync(pool, user, 2, token, default);
            page.Count.ShouldBeLessThanOrEqualTo(2);
            seen.AddRange(page.Select(d => d.DeviceKey));
            token = next;
            pages++;
        }
        while (token is not null);
        pages.ShouldBe(3);
        keys.Reverse();
        seen.ShouldBe(keys);
    }

    [Fact]
    public async Task Forget_ThenGet_DeviceDoesNotExist()
    {
        var pool = Pool(false);
        var user = User("alice");
        var d = await service.CreateAsync(pool, user, null, default);
        await service.ForgetAsync(pool, user, d.DeviceKey, default);
        var ex = await Should.ThrowAsync<CognitoException>(async () => await service.ForgetAsync(pool, user, d.DeviceKey, default));
        ex.Error.Message.ShouldBe("Device does not exist.");
    }

    [Fact]
    public void Tracks_NoDeviceConfiguration_False()
    {
        DeviceService.Tracks(Pool(false)).ShouldBeTrue();
        DeviceService.Tracks(Pool(false) with { Config = new UserPoolConfig() }).ShouldBeFalse();
    }
}
