using System.Text;
using System.Text.Json.Nodes;
using Cognate.Client;
using Cognate.Server.Tests.Infrastructure;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Groups;

public sealed class GroupTests(ServerFixture f)
{
    const string RoleA = "arn:aws:iam::123456789012:role/admins";
    const string RoleB = "arn:aws:iam::123456789012:role/readers";

    static string[] Strings(JsonNode? node) => node is JsonArray a ? [.. a.Select(x => (string)x!)] : [];

    Task<JsonObject> Invoke(string action, JsonObject body) => f.Admin.InvokeAsync(action, body);

    [Fact]
    public async Task Groups_CrudAndPaging_AsCognito()
    {
        var pool = await f.CreatePoolAsync();
        var created = await Invoke("CreateGroup", new JsonObject { ["UserPoolId"] = pool, ["GroupName"] = "admins", ["Description"] = "Admins", ["RoleArn"] = RoleA, ["Precedence"] = 1 });
        ((string?)created["Group"]!["GroupName"]).ShouldBe("admins");
        ((int?)created["Group"]!["Precedence"]).ShouldBe(1);
        created["Group"]!["CreationDate"].ShouldNotBeNull();
        var dup = await Should.ThrowAsync<CognitoServiceException>(() => Invoke("CreateGroup", new JsonObject { ["UserPoolId"] = pool, ["GroupName"] = "admins" }));
        dup.ErrorType.ShouldBe("GroupExistsException");

        var updated = await Invoke("UpdateGroup", new JsonObject { ["UserPoolId"] = pool, ["GroupName"] = "admins", ["Precedence"] = 5 });
        ((int?)updated["Group"]!["Precedence"]).ShouldBe(5);
        ((string?)updated["Group"]!["RoleArn"]).ShouldBe(RoleA);
        ((string?)(await Invoke("GetGroup", new JsonObject { ["UserPoolId"] = pool, ["GroupName"] = "admins" }))["Group"]!["Description"]).ShouldBe("Admins");

        for (int i = 0; i < 4; i++) await Invoke("CreateGroup", new JsonObject { ["UserPoolId"] = pool, ["GroupName"] = $"g{i}" });
        var names = new List<string>();
        string? token = null;
        do
        {
            var page = await Invoke("ListGroups", new JsonObject { ["UserPoolId"] = pool, ["Limit"] = 2, ["NextToken"] = token });
            names.AddRange(page["Groups"]!.AsArray().Select(g => (string)g!["GroupName"]!));
            token = (string?)page["NextToken"];
        } while (token is not null);
        names.ShouldBe(["admins", "g0", "g1", "g2", "g3"]);

        await Invoke("DeleteGroup", new JsonObject { ["UserPoolId"] = pool, ["GroupName"] = "g0" });
        foreach (var action in new[] { "GetGroup", "DeleteGroup" })
        {
            var ex = await Should.ThrowAsync<CognitoServiceException>(() => Invoke(action, new JsonObject { ["UserPoolId"] = pool, ["GroupName"] = "g0" }));
            ex.ErrorType.ShouldBe("ResourceNotFoundException");
        }
        var missingPool = await Should.ThrowAsync<CognitoServiceException>(() => Invoke("ListGroups", new JsonObject { ["UserPoolId"] = "us-east-1_Missing00" }));
        missingPool.ErrorType.ShouldBe("ResourceNotFoundException");
        var badToken = await Should.ThrowAsync<CognitoServiceException>(() => Invoke("ListGroups", new JsonObject { ["UserPoolId"] = pool, ["NextToken"] = "%%%" }));
        badToken.ErrorType.ShouldBe("InvalidParameterException");
    }

    [Fact]
    public async Task Membership_TokensCarryGroupsRolesByPrecedence_ChangesOnNextToken()
    {
        var pool = await f.CreatePoolAsync();
        var (client, _) = await f.CreateClientAsync(pool);
        await f.CreateConfirmedUserAsync(client, "mia", "Passw0rd!", ServerFixture.NewEmail());
        await Invoke("CreateGroup", new JsonObject { ["UserPoolId"] = pool, ["GroupName"] = "readers", ["RoleArn"] = RoleB, ["Precedence"] = 10 });
        await Invoke("CreateGroup", new JsonObject { ["UserPoolId"] = pool, ["GroupName"] = "admins", ["RoleArn"] = RoleA, ["Precedence"] = 1 });
        await Invoke("CreateGroup", new JsonObject { ["UserPoolId"] = pool, ["GroupName"] = "plain" });
        foreach (var g in new[] { "readers", "admins", "plain" })
        {
            await Invoke("AdminAddUserToGroup", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "mia", ["GroupName"] = g });
        }
        await Invoke("AdminAddUserToGroup", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "mia", ["GroupName"] = "plain" }); // idempotent

        var tokens = await f.SignInAsync(client, "mia", "Passw0rd!");
        var id = TestJwt.Claims((string)tokens["IdToken"]!);
        var access = TestJwt.Claims((string)tokens["AccessToken"]!);
        Strings(id["cognito:groups"]).ShouldBe(["admins", "readers", "plain"]);
        Strings(access["cognito:groups"]).ShouldBe(["admins", "readers", "plain"]);
        Strings(id["cognito:roles"]).ShouldBe([RoleA, RoleB]);
        ((string?)id["cognito:preferred_role"]).ShouldBe(RoleA);
        access["cognito:roles"].ShouldBeNull();

        var forUser = await Invoke("AdminListGroupsForUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "mia" });
        forUser["Groups"]!.AsArray().Select(g => (string)g!["GroupName"]!).ShouldBe(["admins", "plain", "readers"]);
        var members = await Invoke("ListUsersInGroup", new JsonObject { ["UserPoolId"] = pool, ["GroupName"] = "admins" });
        ((string?)members["Users"]![0]!["Username"]).ShouldBe("mia");

        await Invoke("AdminRemoveUserFromGroup", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "mia", ["GroupName"] = "readers" });
        await Invoke("DeleteGroup", new JsonObject { ["UserPoolId"] = pool, ["GroupName"] = "admins" });
        var refreshed = await f.Public.InvokeAsync("InitiateAuth", new JsonObject
        {
            ["AuthFlow"] = "REFRESH_TOKEN_AUTH", ["ClientId"] = client, ["AuthParameters"] = new JsonObject { ["REFRESH_TOKEN"] = (string)tokens["RefreshToken"]! },
        });
        var after = TestJwt.Claims((string)refreshed["AuthenticationResult"]!["IdToken"]!);
        Strings(after["cognito:groups"]).ShouldBe(["plain"]);
        after["cognito:roles"].ShouldBeNull();
        after["cognito:preferred_role"].ShouldBeNull();

        await Invoke("AdminRemoveUserFromGroup", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "mia", ["GroupName"] = "plain" });
        var none = TestJwt.Claims((string)(await f.SignInAsync(client, "mia", "Passw0rd!"))["AccessToken"]!);
        none["cognito:groups"].ShouldBeNull();
    }

    [Fact]
    public async Task Membership_UnknownUserOrGroup_Errors()
    {
        var pool = await f.CreatePoolAsync();
        await Invoke("AdminCreateUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "nia", ["MessageAction"] = "SUPPRESS" });
        await Invoke("CreateGroup", new JsonObject { ["UserPoolId"] = pool, ["GroupName"] = "g" });
        var noUser = await Should.ThrowAsync<CognitoServiceException>(() => Invoke("AdminAddUserToGroup", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "ghost", ["GroupName"] = "g" }));
        noUser.ErrorType.ShouldBe("UserNotFoundException");
        var noGroup = await Should.ThrowAsync<CognitoServiceException>(() => Invoke("AdminAddUserToGroup", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "nia", ["GroupName"] = "nope" }));
        noGroup.ErrorType.ShouldBe("ResourceNotFoundException");
        var noGroupList = await Should.ThrowAsync<CognitoServiceException>(() => Invoke("ListUsersInGroup", new JsonObject { ["UserPoolId"] = pool, ["GroupName"] = "nope" }));
        noGroupList.ErrorType.ShouldBe("ResourceNotFoundException");
        var noUserList = await Should.ThrowAsync<CognitoServiceException>(() => Invoke("AdminListGroupsForUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "ghost" }));
        noUserList.ErrorType.ShouldBe("UserNotFoundException");
        var badPrecedence = await Should.ThrowAsync<CognitoServiceException>(() => Invoke("CreateGroup", new JsonObject { ["UserPoolId"] = pool, ["GroupName"] = "neg", ["Precedence"] = -1 }));
        badPrecedence.ErrorType.ShouldBe("InvalidParameterException");

        await Invoke("AdminAddUserToGroup", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "nia", ["GroupName"] = "g" });
        await Invoke("AdminDeleteUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "nia" });
        var members = await Invoke("ListUsersInGroup", new JsonObject { ["UserPoolId"] = pool, ["GroupName"] = "g" });
        members["Users"]!.AsArray().Count.ShouldBe(0);
    }
}
