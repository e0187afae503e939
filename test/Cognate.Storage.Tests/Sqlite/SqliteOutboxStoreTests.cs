using Cognate.Core.Stores;
using static Cognate.Storage.Tests.Sqlite.TestDatabase;

namespace Cognate.Storage.Tests.Sqlite;

public sealed class SqliteOutboxStoreTests
{
    private const string Pool = "us-east-1_TestPool1";

    [Fact]
    public async Task ListAsync_SeveralMessages_NewestFirstFilteredAndLimited()
    {
        await using var db = await CreateAsync();
        await db.Outbox.AddAsync(new OutboxMessage("m1", Pool, "a@example.com", "s1", "b1", "111111", T0), Ct);
        await db.Outbox.AddAsync(new OutboxMessage("m2", Pool, "b@example.com", "s2", "b2", null, T0.AddSeconds(1)), Ct);
        await db.Outbox.AddAsync(new OutboxMessage("m3", Pool, "a@example.com", "s3", "b3", "333333", T0.AddSeconds(2)), Ct);
        await db.Outbox.AddAsync(new OutboxMessage("m4", Pool, "+15550100", "", "sms", "444444", T0.AddSeconds(2)), Ct);

        (await db.Outbox.ListAsync(null, 10, Ct)).Select(m => m.Id).ShouldBe(["m4", "m3", "m2", "m1"]);
        (await db.Outbox.ListAsync(null, 2, Ct)).Select(m => m.Id).ShouldBe(["m4", "m3"]);
        (await db.Outbox.ListAsync("a@example.com", 10, Ct)).Select(m => m.Id).ShouldBe(["m3", "m1"]);

        var m2 = (await db.Outbox.ListAsync("b@example.com", 10, Ct)).Single();
        m2.ShouldBe(new OutboxMessage("m2", Pool, "b@example.com", "s2", "b2", null, T0.AddSeconds(1)));
    }
}
