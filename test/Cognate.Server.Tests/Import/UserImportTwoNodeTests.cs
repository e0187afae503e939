using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Cognate.Tests.Shared;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Import;

/// <summary>
/// Two server processes on one PostgreSQL database, both running the import worker: the database lease gives the job to one
/// worker at a time, so every row is imported exactly once (a second runner of the same rows would count them skipped), while
/// two jobs run side by side.
/// </summary>
public sealed class UserImportTwoNodeTests
{
    [Fact]
    public async Task Import_TwoNodesOneDatabase_EveryRowImportedOnce()
    {
        var database = await PostgresTestServer.CreateDatabaseAsync();
        Dictionary<string, string> Env() => new()
        {
            ["Cognate__Storage__Provider"] = "postgres", ["ConnectionStrings__Cognate"] = database,
            ["Cognate__Import__PollSeconds"] = "0.1", ["Cognate__Import__BatchSize"] = "200",
        };
        await using var a = await CognateServer.StartAsync(Env());
        await using var b = await CognateServer.StartAsync(Env());
        using var adminA = a.Client();
        using var adminB = b.Client();
        try
        {
            var pool = (string)(await adminA.InvokeAsync("CreateUserPool", new JsonObject { ["PoolName"] = "two-node-import", ["AutoVerifiedAttributes"] = new JsonArray("email") }))["UserPool"]!["Id"]!;
            var header = await UserImportTests.HeaderAsync(adminA, pool);
            var jobs = new List<string>();
            for (int j = 0; j < 2; j++)
            {
                var csv = UserImportTests.Csv(header, Enumerable.Range(0, 3000).Select(i => UserImportTests.User($"j{j}n{i}", $"j{j}n{i}@example.com")));
                var (jobId, url) = await UserImportTests.CreateJobAsync(j == 0 ? adminA : adminB, pool);
                (await UserImportTests.UploadAsync(j == 0 ? a.Http : b.Http, url, Encoding.UTF8.GetBytes(csv))).ShouldBe(HttpStatusCode.OK);
                jobs.Add(jobId);
            }
            // Both nodes' workers poll every 0.1 s for either job: a job run by two workers at once would count its rows skipped.
            await adminA.InvokeAsync("StartUserImportJob", new JsonObject { ["UserPoolId"] = pool, ["JobId"] = jobs[0] });
            await adminB.InvokeAsync("StartUserImportJob", new JsonObject { ["UserPoolId"] = pool, ["JobId"] = jobs[1] });
            var done = new List<JsonNode>();
            foreach (var jobId in jobs) done.Add(await UserImportTests.WaitAsync(adminB, pool, jobId, "Succeeded", "Failed"));
            done.ShouldAllBe(j => (string?)j["Status"] == "Succeeded");
            done.ShouldAllBe(j => (long)j["ImportedUsers"]! == 3000 && (long)j["SkippedUsers"]! == 0 && (long)j["FailedUsers"]! == 0);
        }
        finally
        {
            await a.DisposeAsync();
            await b.DisposeAsync();
            await PostgresTestServer.DropDatabaseAsync(database);
        }
    }
}
