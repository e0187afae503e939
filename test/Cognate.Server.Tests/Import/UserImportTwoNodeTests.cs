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
/// two jobs run side by side; two uploads of one job through both nodes at once leave one whole file (never a mix of their chunks),
/// and the job's result log reads the same from either node.
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

    [Fact]
    public async Task Upload_SameJobOnTwoNodesAtOnce_OneWholeFileWins_LogReadFromEitherNode()
    {
        var database = await PostgresTestServer.CreateDatabaseAsync();
        Dictionary<string, string> Env() => new()
        {
            ["Cognate__Storage__Provider"] = "postgres", ["ConnectionStrings__Cognate"] = database, ["Cognate__Import__PollSeconds"] = "0.1",
        };
        await using var a = await CognateServer.StartAsync(Env());
        await using var b = await CognateServer.StartAsync(Env());
        using var adminA = a.Client();
        using var adminB = b.Client();
        try
        {
            var pool = (string)(await adminA.InvokeAsync("CreateUserPool", new JsonObject { ["PoolName"] = "two-node-upload", ["AutoVerifiedAttributes"] = new JsonArray("email") }))["UserPool"]!["Id"]!;
            await adminA.InvokeAsync("AdminCreateUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "existing", ["MessageAction"] = "SUPPRESS" });
            var header = await UserImportTests.HeaderAsync(adminA, pool);
            // Two files of several chunks each; their first row names an existing user (SKIPPED, line 2).
            byte[] File(string prefix) => Encoding.UTF8.GetBytes(UserImportTests.Csv(header,
                new[] { UserImportTests.User("existing", "e@example.com") }.Concat(Enumerable.Range(0, 2500).Select(i =>
                {
                    var u = UserImportTests.User($"{prefix}{i}", $"{prefix}{i}@example.com");
                    u["name"] = new string('x', 1200);
                    return u;
                }))));
            var (jobId, url) = await UserImportTests.CreateJobAsync(adminA, pool, "race");
            var uploads = await Task.WhenAll(UserImportTests.UploadAsync(a.Http, url, File("a")),
                UserImportTests.UploadAsync(b.Http, url.Replace(a.Endpoint.ToString().TrimEnd('/'), b.Endpoint.ToString().TrimEnd('/'), StringComparison.Ordinal), File("b")));
            uploads.ShouldAllBe(s => s == HttpStatusCode.OK);
            await adminB.InvokeAsync("StartUserImportJob", new JsonObject { ["UserPoolId"] = pool, ["JobId"] = jobId });
            var job = await UserImportTests.WaitAsync(adminA, pool, jobId, "Succeeded", "Failed");
            ((string?)job["Status"], (long)job["ImportedUsers"]!, (long)job["SkippedUsers"]!).ShouldBe(("Succeeded", 2500L, 1L));
            // One whole file, never a mix: every imported user carries the winner's prefix.
            var users = await adminA.InvokeAsync("ListUsers", new JsonObject { ["UserPoolId"] = pool, ["Limit"] = 60 });
            var names = users["Users"]!.AsArray().Select(u => (string)u!["Username"]!).Where(n => n != "existing").ToList();
            names.Select(n => n[0]).Distinct().Count().ShouldBe(1);

            foreach (var node in new[] { a, b })
            {
                var (status, answer) = await ImportLogsTests.LogsAsync(node, "GetLogEvents", new JsonObject
                {
                    ["logGroupName"] = $"/aws/cognito/userpools/{pool}/two-node-upload", ["logStreamName"] = jobId + "/race", ["startFromHead"] = true,
                });
                status.ShouldBe(HttpStatusCode.OK, answer.ToJsonString());
                answer["events"]!.AsArray().Select(e => (string)e!["message"]!).ShouldBe(["[SKIPPED] Line Number 2 - The user already exists."]);
            }
        }
        finally
        {
            await a.DisposeAsync();
            await b.DisposeAsync();
            await PostgresTestServer.DropDatabaseAsync(database);
        }
    }
}
