using Cognate.Core.Messaging;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.Messaging;

public sealed class MessageBudgetTests
{
    sealed class FakeTimeProvider(DateTimeOffset now) : TimeProvider
    {
        DateTimeOffset _now = now;
        public override DateTimeOffset GetUtcNow() => _now;
        public void Advance(TimeSpan by) => _now += by;
    }

    static readonly DateTimeOffset T0 = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

    static (MessageBudget Budget, FakeTimeProvider Time) Create(Action<MessageBudgetOptions>? configure = null)
    {
        var options = new MessageBudgetOptions
        {
            EmailPerUser = new() { PerHour = 3, PerDay = 5 },
            SmsPerUser = new() { PerHour = 2, PerDay = 10 },
            EmailPerPool = new() { PerHour = 100, PerDay = 1000 },
            SmsPerPool = new() { PerHour = 4, PerDay = 1000 },
        };
        configure?.Invoke(options);
        var time = new FakeTimeProvider(T0);
        return (new MessageBudget(options, time), time);
    }

    [Fact]
    public void TryConsume_RecipientOverHourlyBudget_RefusedUntilNextHour()
    {
        var (budget, time) = Create();
        for (int i = 0; i < 3; i++) budget.TryConsume("p", DeliveryMedium.Email, "a@example.com").ShouldBe(BudgetVerdict.Allowed);
        budget.TryConsume("p", DeliveryMedium.Email, "A@example.com").ShouldBe(BudgetVerdict.RecipientExhausted);
        budget.TryConsume("p", DeliveryMedium.Email, "b@example.com").ShouldBe(BudgetVerdict.Allowed);
        budget.TryConsume("other", DeliveryMedium.Email, "a@example.com").ShouldBe(BudgetVerdict.Allowed);
        budget.TryConsume("p", DeliveryMedium.Sms, "a@example.com").ShouldBe(BudgetVerdict.Allowed);

        time.Advance(TimeSpan.FromHours(1));
        budget.TryConsume("p", DeliveryMedium.Email, "a@example.com").ShouldBe(BudgetVerdict.Allowed);
        budget.TryConsume("p", DeliveryMedium.Email, "a@example.com").ShouldBe(BudgetVerdict.Allowed);
        budget.TryConsume("p", DeliveryMedium.Email, "a@example.com").ShouldBe(BudgetVerdict.RecipientExhausted); // 5 a day
        time.Advance(TimeSpan.FromDays(1));
        budget.TryConsume("p", DeliveryMedium.Email, "a@example.com").ShouldBe(BudgetVerdict.Allowed);
    }

    [Fact]
    public void TryConsume_PoolSmsBudgetSpent_RefusesEveryNewNumber()
    {
        var (budget, _) = Create();
        for (int i = 0; i < 4; i++) budget.TryConsume("p", DeliveryMedium.Sms, "+1555000000" + i).ShouldBe(BudgetVerdict.Allowed);
        budget.TryConsume("p", DeliveryMedium.Sms, "+15550000009").ShouldBe(BudgetVerdict.PoolExhausted);
        budget.TryConsume("p", DeliveryMedium.Email, "x@example.com").ShouldBe(BudgetVerdict.Allowed);
        budget.TryConsume("q", DeliveryMedium.Sms, "+15550000009").ShouldBe(BudgetVerdict.Allowed);
    }

    [Fact]
    public void TryConsume_Refused_DoesNotCount()
    {
        var (budget, _) = Create();
        budget.TryConsume("p", DeliveryMedium.Sms, "+15550000001").ShouldBe(BudgetVerdict.Allowed);
        budget.TryConsume("p", DeliveryMedium.Sms, "+15550000001").ShouldBe(BudgetVerdict.Allowed);
        for (int i = 0; i < 5; i++) budget.TryConsume("p", DeliveryMedium.Sms, "+15550000001").ShouldBe(BudgetVerdict.RecipientExhausted);
        budget.TryConsume("p", DeliveryMedium.Sms, "+15550000002").ShouldBe(BudgetVerdict.Allowed);
        budget.TryConsume("p", DeliveryMedium.Sms, "+15550000003").ShouldBe(BudgetVerdict.Allowed); // pool: 4 counted, not 9
    }

    [Fact]
    public void TryConsume_Disabled_AlwaysAllowed()
    {
        var (budget, _) = Create(o => o.Enabled = false);
        for (int i = 0; i < 50; i++) budget.TryConsume("p", DeliveryMedium.Sms, "+15550000001").ShouldBe(BudgetVerdict.Allowed);
    }

    [Fact]
    public async Task TryConsume_ConcurrentCallers_NeverExceedTheBudget()
    {
        var (budget, _) = Create(o => o.EmailPerUser = new() { PerHour = 7, PerDay = 7 });
        var verdicts = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() => budget.TryConsume("p", DeliveryMedium.Email, "a@example.com"))));
        verdicts.Count(v => v == BudgetVerdict.Allowed).ShouldBe(7);
    }
}
