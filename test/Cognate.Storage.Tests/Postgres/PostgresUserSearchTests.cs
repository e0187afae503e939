using Cognate.Storage.Postgres;
using Cognate.Storage.Stores;
using Cognate.Tests.Shared;
using Dapper;
using Npgsql;
using static Cognate.Storage.Tests.Sqlite.TestDatabase;

namespace Cognate.Storage.Tests.Postgres;

/// <summary>The ListUsers search on PostgreSQL over 50,000 users: every query shape is a primary-key range without a sort, and fast.</summary>
public sealed class PostgresUserSearchTests
{
    private const string Pool = "us-east-1_TestPool1";

    [Fact]
    public async Task SearchAsync_FiftyThousandUsers_PrimaryKeyRangesAndFast()
    {
        var connectionString = await PostgresTestServer.CreateDatabaseAsync();
        try
        {
            await using var database = new PostgresDatabase(new PostgresStoreOptions { ConnectionString = connectionString });
            await database.MigrateAsync(Ct);
            await using (var connection = new NpgsqlConnection(connectionString))
            {
                await connection.OpenAsync(Ct);
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO user_pools (id, region, name, created_at, modified_at, version, config_json)
                    VALUES ('us-east-1_TestPool1', 'us-east-1', 'p', 0, 0, 0, '{}');
                    INSERT INTO users (user_pool_id, username, sub, status, enabled, created_at, modified_at, attributes_json, version)
                    SELECT 'us-east-1_TestPool1', 'user' || i, 'sub' || i, 'CONFIRMED', TRUE, 0, 0, '{"email":"user' || i || '@example.com"}', 0
                    FROM generate_series(0, 49999) AS i;
                    INSERT INTO user_search (user_pool_id, attribute, value, username)
                    SELECT user_pool_id, 'email', 'user' || substr(username, 5) || '@example.com', username FROM users;
                    INSERT INTO user_search (user_pool_id, attribute, value, username)
                    SELECT user_pool_id, 'username', username, username FROM users;
                    ANALYZE;
                    """,
                    commandTimeout: 120,
                    cancellationToken: Ct));
            }

            await using (var connection = new NpgsqlConnection(connectionString))
            {
                await connection.OpenAsync(Ct);
                foreach (var (prefix, cursor) in new[] { (false, false), (true, false), (false, true), (true, true) })
                {
#pragma warning disable CA2100
                    var plan = string.Join("\n", await connection.QueryAsync<string>(new CommandDefinition(
                        "EXPLAIN " + SqlUserStore.SearchSql(PostgresDialect.Instance, prefix, cursor),
                        new { userPoolId = Pool, attribute = "email", value = prefix ? "user12" : "user12@example.com", afterValue = "user12@example.com", afterUsername = "user12", limit = 61 },
                        cancellationToken: Ct)));
#pragma warning restore CA2100
                    TestContext.Current.SendDiagnosticMessage($"prefix={prefix} cursor={cursor}:\n{plan}");

                    // The key range is the index condition of the primary key (no Filter on user_search), and the index
                    // order is the result order (no Sort).
                    plan.ShouldMatch(@"Index (Only )?Scan using user_search_pkey on user_search s\s+\(cost=[^)]*\)\s+Index Cond: \(\(user_pool_id = .* AND \(value (=|>=) ");
                    plan.ShouldNotMatch(@"Scan using user_search_pkey on user_search s\s+\(cost=[^)]*\)\s+Index Cond: [^\n]*\n\s+Filter:");
                    plan.ShouldNotContain("Sort");
                }
            }

            var store = new SqlUserStore(database, new TestSecretSealer());
            await store.SearchAsync(Pool, "email", "user1@example.com", false, null, null, 61, Ct); // warm-up
            var sw = System.Diagnostics.Stopwatch.StartNew();
            for (var i = 0; i < 50; i++)
            {
                (await store.SearchAsync(Pool, "email", $"user{i * 997}@example.com", false, null, null, 61, Ct)).Count.ShouldBe(1);
                var page = await store.SearchAsync(Pool, "email", $"user{i * 997 % 100}", true, null, null, 61, Ct);
                page.Count.ShouldBeGreaterThan(0);
                await store.SearchAsync(Pool, "email", $"user{i * 997 % 100}", true, page[^1].Key, page[^1].User.Username, 61, Ct);
            }

            sw.Stop();
            TestContext.Current.SendDiagnosticMessage($"150 ListUsers searches over 50,000 users on PostgreSQL: {sw.ElapsedMilliseconds} ms");
            sw.ElapsedMilliseconds.ShouldBeLessThan(10000);
        }
        finally
        {
            await PostgresTestServer.DropDatabaseAsync(connectionString);
        }
    }
}
