using Cognate.Core.Risk;
using Cognate.Core.Stores;
using Cognate.Core.Users;
using Cognate.Storage.Stores;
using static Cognate.Storage.Tests.Sqlite.TestDatabase;

namespace Cognate.Storage.Tests.Specification;

/// <summary>
/// Migration 0016 on every provider: risk configurations per pool and per client (upsert, delete, gone with the pool), and the
/// threat-protection columns of auth events (verdict, source IP, feedback token hash, feedback).
/// </summary>
public abstract class RiskStoreSpecification
{
    private const string Pool = "us-east-1_TestPool1";

    private protected abstract Task<StoreHarness> OpenAsync();

    [Fact]
    public async Task RiskConfigurations_PoolAndClientRows_Upsert_Delete_GoneWithPool()
    {
        await using var h = await OpenAsync();
        (await h.Pools.CreateAsync(NewPool(Pool), Ct)).ShouldBeTrue();
        var store = new SqlRiskConfigurationStore(h.Database);
        (await store.GetAsync(Pool, null, Ct)).ShouldBeNull();

        var poolConfig = new RiskConfiguration(Pool, null,
            new CompromisedCredentialsRiskConfigurationType(["SIGN_IN", "SIGN_UP"], new CompromisedCredentialsActionsType("BLOCK")),
            new AccountTakeoverRiskConfigurationType(
                new NotifyConfigurationType("a@example.com", null, "arn:aws:ses:us-east-1:123456789012:identity/example.com", new NotifyEmailType("Blocked", null, "text {username}"), null, null),
                new AccountTakeoverActionsType(new AccountTakeoverActionType(false, "NO_ACTION"), null, new AccountTakeoverActionType(true, "BLOCK"))),
            new RiskExceptionConfigurationType(["192.0.2.0/24"], ["2001:db8::/32"]), T0);
        await store.PutAsync(poolConfig, Ct);
        await store.PutAsync(new RiskConfiguration(Pool, "client1", null, null, new RiskExceptionConfigurationType(["10.0.0.0/8"], null), T0), Ct);

        var read = (await store.GetAsync(Pool, null, Ct))!;
        read.CompromisedCredentialsRiskConfiguration!.EventFilter.ShouldBe(["SIGN_IN", "SIGN_UP"]);
        read.AccountTakeoverRiskConfiguration!.Actions.HighAction!.EventAction.ShouldBe("BLOCK");
        read.AccountTakeoverRiskConfiguration.NotifyConfiguration!.BlockEmail!.TextBody.ShouldBe("text {username}");
        read.RiskExceptionConfiguration!.SkippedIPRangeList.ShouldBe(["2001:db8::/32"]);
        read.LastModifiedDate.ShouldBe(T0);
        (await store.GetAsync(Pool, "client1", Ct))!.CompromisedCredentialsRiskConfiguration.ShouldBeNull();

        await store.PutAsync(poolConfig with { CompromisedCredentialsRiskConfiguration = null, LastModifiedDate = T0.AddMinutes(1) }, Ct);
        var updated = (await store.GetAsync(Pool, null, Ct))!;
        updated.CompromisedCredentialsRiskConfiguration.ShouldBeNull();
        updated.LastModifiedDate.ShouldBe(T0.AddMinutes(1));

        await store.DeleteAsync(Pool, "client1", Ct);
        (await store.GetAsync(Pool, "client1", Ct)).ShouldBeNull();
        (await store.GetAsync(Pool, null, Ct)).ShouldNotBeNull();

        (await h.Pools.DeleteAsync(Pool, Ct)).ShouldBeTrue();
        (await h.CountAsync("SELECT COUNT(*) FROM risk_configurations")).ShouldBe(0);
    }

    [Fact]
    public async Task AuthEvents_RiskColumnsAndFeedback_RoundTrip()
    {
        await using var h = await OpenAsync();
        (await h.Pools.CreateAsync(NewPool(Pool), Ct)).ShouldBeTrue();
        var user = NewUser(Pool, "ann");
        (await h.Users.CreateAsync(user, IdentifiersOf(user), Ct)).ShouldBe(UserWriteResult.Ok);
        byte[] hash = [1, 2, 3, 4];
        await h.AuthEvents.AddAsync(new AuthEventRecord("e1", Pool, "ann", "SignIn", "Fail", null, null, T0)
        {
            Risk = new AuthEventRisk("Block", null, true), IpAddress = "192.0.2.7", FeedbackTokenHash = hash,
        }, T0.AddDays(-1), Ct);
        await h.AuthEvents.AddAsync(new AuthEventRecord("e2", Pool, "ann", "SignIn", "Pass", "Password", "Success", T0.AddSeconds(1)), T0.AddDays(-1), Ct);

        var e1 = (await h.AuthEvents.GetAsync(Pool, "ann", "e1", Ct))!;
        e1.Risk.ShouldBe(new AuthEventRisk("Block", null, true));
        e1.IpAddress.ShouldBe("192.0.2.7");
        e1.FeedbackTokenHash.ShouldBe(hash);
        e1.Feedback.ShouldBeNull();
        var e2 = (await h.AuthEvents.GetAsync(Pool, "ann", "e2", Ct))!;
        (e2.Risk, e2.IpAddress, e2.FeedbackTokenHash).ShouldBe((null, null, null));
        (await h.AuthEvents.GetAsync(Pool, "bob", "e1", Ct)).ShouldBeNull();

        (await h.AuthEvents.SetFeedbackAsync(Pool, "ann", "e1", new AuthEventFeedback("Invalid", "User", T0.AddMinutes(2)), Ct)).ShouldBeTrue();
        (await h.AuthEvents.SetFeedbackAsync(Pool, "ann", "e1", new AuthEventFeedback("Valid", "Admin", T0.AddMinutes(3)), Ct)).ShouldBeTrue();
        (await h.AuthEvents.SetFeedbackAsync(Pool, "ann", "nope", new AuthEventFeedback("Valid", "Admin", T0), Ct)).ShouldBeFalse();
        (await h.AuthEvents.SetFeedbackAsync(Pool, "bob", "e1", new AuthEventFeedback("Valid", "Admin", T0), Ct)).ShouldBeFalse();
        var listed = await h.AuthEvents.ListAsync(Pool, "ann", null, null, 10, Ct);
        listed.Select(e => e.EventId).ShouldBe(["e2", "e1"]);
        listed[1].Feedback.ShouldBe(new AuthEventFeedback("Valid", "Admin", T0.AddMinutes(3)));
    }
}

/// <summary>The risk specification on SQLite.</summary>
public sealed class SqliteRiskStoreSpecificationTests : RiskStoreSpecification
{
    private protected override Task<StoreHarness> OpenAsync() => StoreHarness.SqliteAsync(migrate: true);
}

/// <summary>The risk specification on PostgreSQL.</summary>
public sealed class PostgresRiskStoreSpecificationTests : RiskStoreSpecification
{
    private protected override Task<StoreHarness> OpenAsync() => StoreHarness.PostgresAsync(migrate: true);
}
