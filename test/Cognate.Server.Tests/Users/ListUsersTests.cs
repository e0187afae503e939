using System.Text.Json.Nodes;
using Cognate.Client;
using Cognate.Server.Tests.Infrastructure;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Users;

public sealed class ListUsersTests(ServerFixture f)
{
    async Task<string> PoolWithUsersAsync(JsonObject? poolConfig = null)
    {
        var pool = await f.CreatePoolAsync(poolConfig);
        async Task Create(string name, string email, string? family = null)
        {
            var attrs = new JsonArray(new JsonObject { ["Name"] = "email", ["Value"] = email });
            if (family is not null) attrs.Add(new JsonObject { ["Name"] = "family_name", ["Value"] = family });
            await f.Admin.InvokeAsync("AdminCreateUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = name, ["MessageAction"] = "SUPPRESS", ["UserAttributes"] = attrs });
        }
        await Create("zoe", "zoe@alpha.example", "Reddy");
        await Create("adam", "adam@beta.example", "Reddy");
        await Create("Bea", "bea@alpha.example", "Ross");
        await Create("carl", "Carl@Alpha.example");
        await Create("pct", "100%_off@x.example", "a\" OR \"1\"=\"1");
        return pool;
    }

    async Task<List<string>> Names(string pool, string? filter, int? limit = null, JsonArray? attributesToGet = null)
    {
        var names = new List<string>();
        string? token = null;
        do
        {
            var req = new JsonObject { ["UserPoolId"] = pool, ["Filter"] = filter, ["PaginationToken"] = token };
            if (limit is not null) req["Limit"] = limit;
            if (attributesToGet is not null) req["AttributesToGet"] = attributesToGet.DeepClone();
            var page = await f.Admin.InvokeAsync("ListUsers", req);
            names.AddRange(page["Users"]!.AsArray().Select(u => (string)u!["Username"]!));
            token = (string?)page["PaginationToken"];
        } while (token is not null);
        return names;
    }

    [Fact]
    public async Task ListUsers_Filters_ExactPrefixCaseInsensitiveSortedByAttribute()
    {
        var pool = await PoolWithUsersAsync();
        (await Names(pool, null)).ShouldBe(["Bea", "adam", "carl", "pct", "zoe"]);
        (await Names(pool, null, limit: 2)).ShouldBe(["Bea", "adam", "carl", "pct", "zoe"]);
        (await Names(pool, "email = \"zoe@alpha.example\"")).ShouldBe(["zoe"]);
        (await Names(pool, "email ^= \"ZOE\"")).ShouldBe(["zoe"]);
        (await Names(pool, "family_name = \"Reddy\"")).ShouldBe(["adam", "zoe"]);
        (await Names(pool, "email ^= \"\"", limit: 1)).ShouldBe(["pct", "adam", "Bea", "carl", "zoe"]);
        (await Names(pool, "username = \"bea\"")).ShouldBeEmpty(); // usernames are case-sensitive in this pool
        (await Names(pool, "username = \"Bea\"")).ShouldBe(["Bea"]);
        (await Names(pool, "username^=\"c\"")).ShouldBe(["carl"]);
        (await Names(pool, "cognito:user_status = \"force_change_password\"")).Count.ShouldBe(5);
        (await Names(pool, "status = \"Enabled\"")).Count.ShouldBe(5);
        (await Names(pool, "status = \"Disabled\"")).ShouldBeEmpty();
        await f.Admin.InvokeAsync("AdminDisableUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "adam" });
        (await Names(pool, "status = \"Disabled\"")).ShouldBe(["adam"]);
        var sub = (string)(await f.Admin.InvokeAsync("AdminGetUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "zoe" }))["UserAttributes"]![0]!["Value"]!;
        (await Names(pool, $"sub = \"{sub}\"")).ShouldBe(["zoe"]);
    }

    [Fact]
    public async Task ListUsers_InjectionLookingValues_MatchLiterally()
    {
        var pool = await PoolWithUsersAsync();
        (await Names(pool, "family_name = \"a\\\" OR \\\"1\\\"=\\\"1\"")).ShouldBe(["pct"]);
        (await Names(pool, "family_name = \"a\\\" OR \\\"1\\\"=\\\"2\"")).ShouldBeEmpty();
        (await Names(pool, "email ^= \"%\"")).ShouldBeEmpty();
        (await Names(pool, "email ^= \"_\"")).ShouldBeEmpty();
        (await Names(pool, "email ^= \"100%_\"")).ShouldBe(["pct"]);
        (await Names(pool, "email = \"*\"")).ShouldBeEmpty();
    }

    [Fact]
    public async Task ListUsers_AttributesToGetAndUpdates_FollowTheUser()
    {
        var pool = await PoolWithUsersAsync();
        var page = await f.Admin.InvokeAsync("ListUsers", new JsonObject { ["UserPoolId"] = pool, ["Filter"] = "username = \"zoe\"", ["AttributesToGet"] = new JsonArray("email") });
        var attrs = page["Users"]![0]!["Attributes"]!.AsArray();
        attrs.Count.ShouldBe(1);
        ((string?)attrs[0]!["Name"]).ShouldBe("email");
        page["Users"]![0]!["UserStatus"].ShouldNotBeNull();

        await f.Admin.InvokeAsync("AdminUpdateUserAttributes", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "zoe", ["UserAttributes"] = new JsonArray(new JsonObject { ["Name"] = "email", ["Value"] = "zed@gamma.example" }) });
        (await Names(pool, "email ^= \"zoe\"")).ShouldBeEmpty();
        (await Names(pool, "email = \"zed@gamma.example\"")).ShouldBe(["zoe"]);
        await f.Admin.InvokeAsync("AdminDeleteUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "zoe" });
        (await Names(pool, "email = \"zed@gamma.example\"")).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("email == \"a\"")]
    [InlineData("email ~ \"a\"")]
    [InlineData("email = a")]
    [InlineData("email = \"a")]
    [InlineData("email = \"a\" extra")]
    [InlineData("email = \"a\" OR \"1\"=\"1\"")]
    [InlineData("= \"a\"")]
    [InlineData("custom:plan = \"a\"")]
    [InlineData("address = \"a\"")]
    [InlineData("Email = \"a\"")]
    public async Task ListUsers_BadFilter_InvalidParameter(string filter)
    {
        var pool = await f.CreatePoolAsync();
        var ex = await Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("ListUsers", new JsonObject { ["UserPoolId"] = pool, ["Filter"] = filter }));
        ex.ErrorType.ShouldBe("InvalidParameterException");
    }

    [Fact]
    public async Task ListUsers_LimitAboveSixtyOrBadToken_InvalidParameter()
    {
        var pool = await f.CreatePoolAsync();
        var limit = await Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("ListUsers", new JsonObject { ["UserPoolId"] = pool, ["Limit"] = 61 }));
        limit.ErrorType.ShouldBe("InvalidParameterException");
        var token = await Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("ListUsers", new JsonObject { ["UserPoolId"] = pool, ["PaginationToken"] = "bm90LWEtdG9rZW4", ["Filter"] = "email ^= \"a\"" }));
        token.ErrorType.ShouldBe("InvalidParameterException");
    }

    [Fact]
    public async Task ListUsers_CaseInsensitivePool_UsernameFilterIgnoresCase()
    {
        var pool = await f.CreatePoolAsync(new JsonObject { ["UsernameConfiguration"] = new JsonObject { ["CaseSensitive"] = false } });
        await f.Admin.InvokeAsync("AdminCreateUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "Quinn", ["MessageAction"] = "SUPPRESS" });
        (await Names(pool, "username = \"QUINN\"")).Count.ShouldBe(1);
    }
}
