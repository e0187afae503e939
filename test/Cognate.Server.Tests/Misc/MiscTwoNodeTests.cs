using System.Text.Json.Nodes;
using Cognate.Client;
using Cognate.Tests.Shared;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Misc;

/// <summary>
/// Provisioned limits and replicas on two server processes sharing one PostgreSQL database: a rate set on node A throttles on
/// node B after B's refresh interval, and a replica created on A is served by B.
/// </summary>
public sealed class MiscTwoNodeTests
{
    [Fact]
    public async Task ProvisionedLimitAndReplica_SetOnOneNode_InForceOnTheOther()
    {
        var database = await PostgresTestServer.CreateDatabaseAsync();
        Dictionary<string, string> Env() => new() { ["Cognate__Storage__Provider"] = "postgres", ["ConnectionStrings__Cognate"] = database };
        await using var a = await CognateServer.StartAsync(Env());
        await using var b = await CognateServer.StartAsync(Env());
        using var adminA = a.Client();
        using var adminB = b.Client();
        try
        {
            var pool = (string)(await adminA.InvokeAsync("CreateUserPool", new JsonObject { ["PoolName"] = "two-node-limits" }))["UserPool"]!["Id"]!;
            var replicaId = "ap-south-1_" + pool[(pool.IndexOf('_', StringComparison.Ordinal) + 1)..];
            if (pool.StartsWith("ap-south-1_", StringComparison.Ordinal)) replicaId = "eu-west-1_" + pool[(pool.IndexOf('_', StringComparison.Ordinal) + 1)..];
            await adminA.InvokeAsync("CreateUserPoolReplica", new JsonObject { ["UserPoolId"] = pool, ["RegionName"] = replicaId[..replicaId.IndexOf('_', StringComparison.Ordinal)] });
            ((string?)(await adminB.InvokeAsync("DescribeUserPool", new JsonObject { ["UserPoolId"] = replicaId }))["UserPool"]!["Id"]).ShouldBe(pool);

            await adminA.InvokeAsync("UpdateProvisionedLimit", new JsonObject
            {
                ["LimitDefinition"] = new JsonObject { ["LimitClass"] = "API_CATEGORY", ["Attributes"] = new JsonObject { ["Category"] = "UserPoolRead" } },
                ["RequestedLimitValue"] = 15,
            });
            await Task.Delay(TimeSpan.FromSeconds(6)); // B re-reads every 5 s (Cognate:RateLimits:ProvisionedRefreshSeconds)
            var results = await Task.WhenAll(Enumerable.Range(0, 120).Select(async _ =>
            {
                try { await adminB.InvokeAsync("DescribeUserPool", new JsonObject { ["UserPoolId"] = pool }); return 0; }
                catch (CognitoServiceException e) when (e.ErrorType == "TooManyRequestsException") { return 1; }
            }));
            results.Sum().ShouldBeGreaterThan(0);
        }
        finally
        {
            await a.DisposeAsync();
            await b.DisposeAsync();
            await PostgresTestServer.DropDatabaseAsync(database);
        }
    }
}
