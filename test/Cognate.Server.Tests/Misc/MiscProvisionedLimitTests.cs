using System.Text.Json.Nodes;
using Cognate.Client;
using Cognate.Tests.Shared;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Misc;

/// <summary>
/// GetProvisionedLimit / UpdateProvisionedLimit on a server of their own (a provisioned rate applies to every pool of the
/// server, so the shared test server is left alone): the rate is the rate limiter's, lowered it throttles, raised it does not,
/// and it survives a restart.
/// </summary>
public sealed class MiscProvisionedLimitTests
{
    static JsonObject Definition(string category) => new()
    {
        ["LimitClass"] = "API_CATEGORY", ["Attributes"] = new JsonObject { ["Category"] = category },
    };

    static async Task<CognitoServiceException> Fails(Task t, string type)
    {
        var ex = await Should.ThrowAsync<CognitoServiceException>(t);
        ex.ErrorType.ShouldBe(type, ex.Message);
        return ex;
    }

    /// <summary>Fires <paramref name="count"/> DescribeUserPool calls at once; returns how many were throttled.</summary>
    static async Task<int> ThrottledAsync(CognitoIdentityProviderClient admin, string pool, int count)
    {
        var calls = Enumerable.Range(0, count).Select(async _ =>
        {
            try
            {
                await admin.InvokeAsync("DescribeUserPool", new JsonObject { ["UserPoolId"] = pool });
                return 0;
            }
            catch (CognitoServiceException e) when (e.ErrorType == "TooManyRequestsException")
            {
                return 1;
            }
        });
        return (await Task.WhenAll(calls)).Sum();
    }

    [Fact]
    public async Task ProvisionedLimit_DefaultsLowerThrottlesRaiseDoesNot_PersistsAcrossRestart_BoundsAndErrors()
    {
        await using var server = await CognateServer.StartAsync();
        using var admin = server.Client();

        var got = await admin.InvokeAsync("GetProvisionedLimit", new JsonObject { ["LimitDefinition"] = Definition("UserAuthentication") });
        ((int)got["Limit"]!["FreeLimitValue"]!).ShouldBe(120);
        ((int)got["Limit"]!["ProvisionedLimitValue"]!).ShouldBe(1200); // 10 × Cognito's rate, per pool (Cognate's default)
        ((string?)got["Limit"]!["LimitDefinition"]!["LimitClass"]).ShouldBe("API_CATEGORY");
        ((string?)got["Limit"]!["LimitDefinition"]!["Attributes"]!["Category"]).ShouldBe("UserAuthentication");

        var pool = (string)(await admin.InvokeAsync("CreateUserPool", new JsonObject { ["PoolName"] = "limits" }))["UserPool"]!["Id"]!;
        (await ThrottledAsync(admin, pool, 40)).ShouldBe(0); // UserPoolRead default: 150/s, burst 600

        // Lowered to Cognito's free rate, 15/s (burst 60): 120 calls at once cannot all pass.
        var lowered = await admin.InvokeAsync("UpdateProvisionedLimit", new JsonObject { ["LimitDefinition"] = Definition("UserPoolRead"), ["RequestedLimitValue"] = 15 });
        ((int)lowered["Limit"]!["ProvisionedLimitValue"]!).ShouldBe(15);
        ((int)lowered["Limit"]!["FreeLimitValue"]!).ShouldBe(15);
        (await ThrottledAsync(admin, pool, 120)).ShouldBeGreaterThan(0);

        // Raised: a fresh bucket of 5,000/s (burst 20,000), so the same burst passes untouched.
        await admin.InvokeAsync("UpdateProvisionedLimit", new JsonObject { ["LimitDefinition"] = Definition("UserPoolRead"), ["RequestedLimitValue"] = 5000 });
        (await ThrottledAsync(admin, pool, 120)).ShouldBe(0);

        // Stored in the database: the value is back after a restart.
        await server.RestartAsync();
        using var again = server.Client();
        var persisted = await again.InvokeAsync("GetProvisionedLimit", new JsonObject { ["LimitDefinition"] = Definition("UserPoolRead") });
        ((int)persisted["Limit"]!["ProvisionedLimitValue"]!).ShouldBe(5000);

        // Bounds and errors.
        await Fails(again.InvokeAsync("UpdateProvisionedLimit", new JsonObject { ["LimitDefinition"] = Definition("UserCreation"), ["RequestedLimitValue"] = 49 }), "InvalidParameterException");
        await Fails(again.InvokeAsync("UpdateProvisionedLimit", new JsonObject { ["LimitDefinition"] = Definition("UserCreation"), ["RequestedLimitValue"] = 100_001 }), "ServiceQuotaExceededException");
        await Fails(again.InvokeAsync("UpdateProvisionedLimit", new JsonObject { ["LimitDefinition"] = Definition("UserCreation"), ["RequestedLimitValue"] = 0 }), "InvalidParameterException");
        await Fails(again.InvokeAsync("GetProvisionedLimit", new JsonObject { ["LimitDefinition"] = Definition("UserFederation") }), "ResourceNotFoundException");
        await Fails(again.InvokeAsync("GetProvisionedLimit", new JsonObject
        {
            ["LimitDefinition"] = new JsonObject { ["LimitClass"] = "API_CATEGORY", ["Attributes"] = new JsonObject { ["Kind"] = "UserRead" } },
        }), "InvalidParameterException");
        await Fails(again.InvokeAsync("GetProvisionedLimit", new JsonObject
        {
            ["LimitDefinition"] = new JsonObject { ["LimitClass"] = "ACCOUNT", ["Attributes"] = new JsonObject { ["Category"] = "UserRead" } },
        }), "InvalidParameterException");
        using var anonymous = server.AnonymousClient();
        await Should.ThrowAsync<CognitoServiceException>(anonymous.InvokeAsync("GetProvisionedLimit", new JsonObject { ["LimitDefinition"] = Definition("UserRead") }));
    }
}
