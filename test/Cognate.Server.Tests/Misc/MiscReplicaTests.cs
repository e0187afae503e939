using System.Text.Json.Nodes;
using Cognate.Client;
using Cognate.Server.Tests.Infrastructure;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Misc;

/// <summary>
/// User-pool replicas: a replica in Region R is the same pool served under <c>R_{suffix}</c> while ACTIVE — every action takes
/// the id, tokens issued through it carry its issuer and validate against its JWKS — and INACTIVE makes the id unknown.
/// </summary>
public sealed class MiscReplicaTests(ServerFixture f)
{
    const string Password = "Passw0rd!";

    static async Task<CognitoServiceException> Fails(Task t, string type)
    {
        var ex = await Should.ThrowAsync<CognitoServiceException>(t);
        ex.ErrorType.ShouldBe(type, ex.Message);
        return ex;
    }

    static string Suffix(string poolId) => poolId[(poolId.IndexOf('_', StringComparison.Ordinal) + 1)..];

    Task<JsonObject> Replica(string action, string pool, string region, string? status = null)
    {
        var req = new JsonObject { ["UserPoolId"] = pool, ["RegionName"] = region };
        if (status is not null) req["Status"] = status;
        return f.Admin.InvokeAsync(action, req);
    }

    [Fact]
    public async Task Replica_ServesThePoolUnderItsId_IssuesItsOwnIssuer_InactiveHidesIt_DeleteRemovesIt()
    {
        var pool = await f.CreatePoolAsync();
        var region = pool[..pool.IndexOf('_', StringComparison.Ordinal)];
        var other = region == "eu-west-1" ? "ap-south-1" : "eu-west-1";
        var replicaId = other + "_" + Suffix(pool);

        var created = (await Replica("CreateUserPoolReplica", pool, other))["UserPoolReplica"]!;
        ((string?)created["RegionName"]).ShouldBe(other);
        ((string?)created["Role"]).ShouldBe("SECONDARY");
        ((string?)created["Status"]).ShouldBe("ACTIVE");
        ((string?)created["UserPoolArn"]).ShouldStartWith($"arn:aws:cognito-idp:{other}:");
        ((string?)created["UserPoolArn"]).ShouldEndWith($":userpool/{replicaId}");

        var list = (await f.Admin.InvokeAsync("ListUserPoolReplicas", new JsonObject { ["UserPoolId"] = pool }))["UserPoolReplicas"]!.AsArray();
        list.Select(x => ((string?)x!["RegionName"], (string?)x["Role"], (string?)x["Status"])).ShouldBe([(other, "SECONDARY", "ACTIVE"), (region, "PRIMARY", "ACTIVE")]);

        // Same pool, same users: written through the replica id, read through the primary id.
        ((string?)(await f.Admin.InvokeAsync("DescribeUserPool", new JsonObject { ["UserPoolId"] = replicaId }))["UserPool"]!["Id"]).ShouldBe(pool);
        var (client, _) = await f.CreateClientAsync(replicaId);
        await f.Admin.InvokeAsync("AdminCreateUser", new JsonObject
        {
            ["UserPoolId"] = replicaId, ["Username"] = "rita", ["MessageAction"] = "SUPPRESS",
            ["UserAttributes"] = new JsonArray(new JsonObject { ["Name"] = "email", ["Value"] = ServerFixture.NewEmail() }),
        });
        await f.Admin.InvokeAsync("AdminSetUserPassword", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "rita", ["Password"] = Password, ["Permanent"] = true });

        // Signed in through the replica id: the replica's issuer, its JWKS and discovery document (the pool's keys).
        var auth = (await f.Admin.InvokeAsync("AdminInitiateAuth", new JsonObject
        {
            ["UserPoolId"] = replicaId, ["ClientId"] = client, ["AuthFlow"] = "ADMIN_USER_PASSWORD_AUTH",
            ["AuthParameters"] = new JsonObject { ["USERNAME"] = "rita", ["PASSWORD"] = Password },
        }))["AuthenticationResult"]!;
        var access = (string)auth["AccessToken"]!;
        var iss = (string)TestJwt.Claims(access)["iss"]!;
        iss.ShouldEndWith("/" + replicaId);
        ((string?)TestJwt.Claims((string)auth["IdToken"]!)["iss"]).ShouldBe(iss);
        ((string?)(await f.Public.InvokeAsync("GetUser", new JsonObject { ["AccessToken"] = access }))["Username"]).ShouldBe("rita");
        var primaryAccess = (string)(await f.SignInAsync(client, "rita", Password))["AccessToken"]!;
        ((string)TestJwt.Claims(primaryAccess)["iss"]!).ShouldEndWith("/" + pool);

        var jwks = await f.Server.Http.GetStringAsync(new Uri(f.Server.Endpoint, $"{replicaId}/.well-known/jwks.json"));
        jwks.ShouldBe(await f.Server.Http.GetStringAsync(new Uri(f.Server.Endpoint, $"{pool}/.well-known/jwks.json")));
        var discovery = JsonNode.Parse(await f.Server.Http.GetStringAsync(new Uri(f.Server.Endpoint, $"{replicaId}/.well-known/openid-configuration")))!;
        ((string?)discovery["issuer"]).ShouldBe(iss);
        ((string?)discovery["jwks_uri"]).ShouldBe(iss + "/.well-known/jwks.json");

        // Errors Cognito documents: a duplicate, the pool's own Region, a call through the replica id, deleting an ACTIVE replica.
        await Fails(Replica("CreateUserPoolReplica", pool, other), "InvalidParameterException");
        await Fails(Replica("CreateUserPoolReplica", pool, region), "InvalidParameterException");
        await Fails(Replica("CreateUserPoolReplica", pool, "not a region"), "InvalidParameterException");
        await Fails(Replica("CreateUserPoolReplica", replicaId, "ca-central-1"), "OperationNotEnabledException");
        await Fails(Replica("DeleteUserPoolReplica", pool, other), "InvalidParameterException");
        await Fails(Replica("DeleteUserPoolReplica", replicaId, other), "OperationNotEnabledException");
        await Fails(f.Admin.InvokeAsync("DeleteUserPool", new JsonObject { ["UserPoolId"] = replicaId }), "OperationNotEnabledException");
        await Fails(Replica("UpdateUserPoolReplica", pool, "sa-east-1", "INACTIVE"), "ResourceNotFoundException");
        await Fails(Replica("UpdateUserPoolReplica", pool, region, "INACTIVE"), "InvalidParameterException");

        // INACTIVE: the replica id is unknown everywhere (configuration cache: at most one second).
        var inactive = (await Replica("UpdateUserPoolReplica", pool, other, "INACTIVE"))["UserPoolReplica"]!;
        ((string?)inactive["Status"]).ShouldBe("INACTIVE");
        await Task.Delay(1100);
        await Fails(f.Admin.InvokeAsync("DescribeUserPool", new JsonObject { ["UserPoolId"] = replicaId }), "ResourceNotFoundException");
        await Fails(f.Public.InvokeAsync("GetUser", new JsonObject { ["AccessToken"] = access }), "NotAuthorizedException");
        (await f.Server.Http.GetAsync(new Uri(f.Server.Endpoint, $"{replicaId}/.well-known/jwks.json"))).StatusCode.ShouldBe(System.Net.HttpStatusCode.NotFound);
        ((string?)(await f.Public.InvokeAsync("GetUser", new JsonObject { ["AccessToken"] = primaryAccess }))["Username"]).ShouldBe("rita");

        // ACTIVE again, then INACTIVE and deleted: reported DELETING, then gone.
        await Replica("UpdateUserPoolReplica", pool, other, "ACTIVE");
        await Task.Delay(1100);
        ((string?)(await f.Public.InvokeAsync("GetUser", new JsonObject { ["AccessToken"] = access }))["Username"]).ShouldBe("rita");
        await Replica("UpdateUserPoolReplica", pool, other, "INACTIVE");
        var deleted = (await Replica("DeleteUserPoolReplica", pool, other))["UserPoolReplica"]!;
        ((string?)deleted["Status"]).ShouldBe("DELETING");
        list = (await f.Admin.InvokeAsync("ListUserPoolReplicas", new JsonObject { ["UserPoolId"] = pool }))["UserPoolReplicas"]!.AsArray();
        list.Select(x => (string?)x!["Role"]).ShouldBe(["PRIMARY"]);
        await Fails(Replica("DeleteUserPoolReplica", pool, other), "ResourceNotFoundException");
    }

    [Fact]
    public async Task Replica_AtMostFivePerPool_ConcurrentCreatesKeepTheLimit_GoneWithThePool()
    {
        var pool = await f.CreatePoolAsync();
        string[] regions = ["eu-west-2", "eu-west-3", "eu-north-1", "ap-south-1", "ap-northeast-1", "ca-central-1", "sa-east-1", "me-south-1"];
        var results = await Task.WhenAll(regions.Select(async r =>
        {
            try { await Replica("CreateUserPoolReplica", pool, r); return "ok"; }
            catch (CognitoServiceException e) { return e.ErrorType; }
        }));
        results.Count(r => r == "ok").ShouldBe(5, string.Join(",", results));
        results.Where(r => r != "ok").ShouldAllBe(r => r == "LimitExceededException");
        var list = (await f.Admin.InvokeAsync("ListUserPoolReplicas", new JsonObject { ["UserPoolId"] = pool }))["UserPoolReplicas"]!.AsArray();
        list.Count.ShouldBe(6);

        await f.Admin.InvokeAsync("DeleteUserPool", new JsonObject { ["UserPoolId"] = pool });
        await Task.Delay(1100);
        var some = "eu-west-2_" + Suffix(pool);
        await Fails(f.Admin.InvokeAsync("DescribeUserPool", new JsonObject { ["UserPoolId"] = some }), "ResourceNotFoundException");
        await Fails(f.Admin.InvokeAsync("ListUserPoolReplicas", new JsonObject { ["UserPoolId"] = pool }), "ResourceNotFoundException");
    }
}
