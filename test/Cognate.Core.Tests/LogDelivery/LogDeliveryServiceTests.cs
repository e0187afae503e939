using Cognate.Core.Errors;
using Cognate.Core.LogDelivery;
using Cognate.Core.Pools;
using Cognate.Core.Tests.Pools;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.LogDelivery;

/// <summary>SetLogDeliveryConfiguration's rules: level per source, destinations, one per source, PLUS for userAuthEvents.</summary>
public sealed class LogDeliveryServiceTests
{
    sealed class FakeLogDeliveryStore : ILogDeliveryStore
    {
        public Dictionary<string, IReadOnlyList<LogConfiguration>> Items { get; } = new(StringComparer.Ordinal);
        public ValueTask<IReadOnlyList<LogConfiguration>> GetAsync(string userPoolId, CancellationToken ct = default) => ValueTask.FromResult(Items.GetValueOrDefault(userPoolId) ?? []);
        public ValueTask SetAsync(string userPoolId, IReadOnlyList<LogConfiguration> configurations, DateTimeOffset modifiedAt, CancellationToken ct = default)
        {
            Items[userPoolId] = configurations;
            return ValueTask.CompletedTask;
        }
    }

    const string Group = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/cognito/app";
    readonly FakeLogDeliveryStore _store = new();
    readonly UserPoolService _pools;
    readonly LogDeliveryService _svc;

    public LogDeliveryServiceTests()
    {
        var time = new FixedTime(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));
        _pools = new UserPoolService(new FakeUserPoolStore(), time);
        _svc = new LogDeliveryService(_pools, _store, time);
    }

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    async Task<string> PoolAsync(string tier) => (await _pools.CreateAsync("us-east-1", new UserPoolConfig { PoolName = "p", UserPoolTier = tier }, null, ct: Ct)).Id;

    async Task<string> Refused(string pool, params LogConfiguration[] configs) =>
        (await Should.ThrowAsync<CognitoException>(_svc.SetAsync(pool, configs, Ct).AsTask())).Error.Type;

    [Fact]
    public async Task Set_ValidCombinations_Stored_ForSourceFindsThem()
    {
        var pool = await PoolAsync("PLUS");
        await _svc.SetAsync(pool, [new("ERROR", "userNotification", Group, null, null), new("INFO", "userAuthEvents", null, "arn:aws:s3:::auth-logs", null)], Ct);
        (await _svc.GetAsync(pool, Ct)).Count.ShouldBe(2);
        (await _svc.ForSourceAsync(pool, "userAuthEvents", Ct))!.DestinationArn.ShouldBe("arn:aws:s3:::auth-logs");
        await _svc.SetAsync(pool, [], Ct);
        (await _svc.ForSourceAsync(pool, "userAuthEvents", Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task Set_InvalidCombinations_Refused()
    {
        var plus = await PoolAsync("PLUS");
        (await Refused(plus, new LogConfiguration("INFO", "userNotification", Group, null, null))).ShouldBe("InvalidParameterException");
        (await Refused(plus, new LogConfiguration("ERROR", "userNotification", null, "arn:aws:s3:::b-1", null))).ShouldBe("InvalidParameterException");
        (await Refused(plus, new LogConfiguration("ERROR", "userAuthEvents", Group, null, null))).ShouldBe("InvalidParameterException");
        (await Refused(plus, new LogConfiguration("INFO", "userAuthEvents", null, null, null))).ShouldBe("InvalidParameterException");
        (await Refused(plus, new LogConfiguration("INFO", "userAuthEvents", Group, "arn:aws:s3:::b-1", null))).ShouldBe("InvalidParameterException");
        (await Refused(plus, new LogConfiguration("INFO", "userAuthEvents", null, null, "arn:aws:kinesis:us-east-1:123456789012:stream/s"))).ShouldBe("InvalidParameterException");
        (await Refused(plus, new LogConfiguration("INFO", "userAuthEvents", null, "arn:aws:s3:::Bad_Bucket", null))).ShouldBe("InvalidParameterException");
        (await Refused(plus, new LogConfiguration("ERROR", "userNotification", Group, null, null), new LogConfiguration("ERROR", "userNotification", Group, null, null))).ShouldBe("InvalidParameterException");
        (await Refused(await PoolAsync("ESSENTIALS"), new LogConfiguration("INFO", "userAuthEvents", Group, null, null))).ShouldBe("FeatureUnavailableInTierException");
        (await Refused("us-east-1_Missing")).ShouldBe("ResourceNotFoundException");
        _store.Items.ShouldBeEmpty();
    }
}
