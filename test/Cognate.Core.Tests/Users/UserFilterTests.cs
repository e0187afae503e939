using Cognate.Core.Errors;
using Cognate.Core.Groups;
using Cognate.Core.Users;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.Users;

public sealed class UserFilterTests
{
    [Theory]
    [InlineData("email = \"a@b.c\"", "email", false, "a@b.c")]
    [InlineData("email=\"a@b.c\"", "email", false, "a@b.c")]
    [InlineData("  given_name ^=  \"Jo\"  ", "given_name", true, "Jo")]
    [InlineData("cognito:user_status = \"CONFIRMED\"", "cognito:user_status", false, "CONFIRMED")]
    [InlineData("family_name = \"a\\\" OR \\\"1\\\"=\\\"1\"", "family_name", false, "a\" OR \"1\"=\"1")]
    [InlineData("name = \"back\\\\slash\"", "name", false, "back\\slash")]
    [InlineData("name = \"keep\\n\"", "name", false, "keep\\n")]
    [InlineData("email ^= \"100%_\"", "email", true, "100%_")]
    [InlineData("email = \"\"", "email", false, "")]
    [InlineData("sub = \"x = \\\"y\\\"\"", "sub", false, "x = \"y\"")]
    public void Parse_ValidFilter_Unescapes(string filter, string attribute, bool prefix, string value) =>
        UserFilter.Parse(filter).ShouldBe(new UserFilter(attribute, prefix, value));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Parse_Empty_NoFilter(string? filter) => UserFilter.Parse(filter).ShouldBeNull();

    [Theory]
    [InlineData("email == \"a\"")]
    [InlineData("email != \"a\"")]
    [InlineData("email ^ \"a\"")]
    [InlineData("email \"a\"")]
    [InlineData("email = 'a'")]
    [InlineData("email = \"a")]
    [InlineData("email = \"a\\\"")]
    [InlineData("email = \"a\" \"b\"")]
    [InlineData("email = \"a\" AND name = \"b\"")]
    [InlineData("\"email\" = \"a\"")]
    [InlineData("= \"a\"")]
    public void Parse_Malformed_ErrorWhileParsing(string filter)
    {
        var ex = Should.Throw<CognitoException>(() => UserFilter.Parse(filter));
        ex.Error.Type.ShouldBe("InvalidParameterException");
        ex.Error.Message.ShouldBe("Error while parsing filter.");
    }

    [Theory]
    [InlineData("custom:plan")]
    [InlineData("address")]
    [InlineData("EMAIL")]
    [InlineData("email_verified")]
    public void Parse_UnknownAttribute_InvalidSearchAttribute(string attribute)
    {
        var ex = Should.Throw<CognitoException>(() => UserFilter.Parse($"{attribute} = \"x\""));
        ex.Error.Type.ShouldBe("InvalidParameterException");
        ex.Error.Message.ShouldBe($"Invalid search attribute: {attribute}");
    }

    [Fact]
    public void SearchKeys_LowerCaseExceptStatus()
    {
        var user = new User { UserPoolId = "p", Username = "Bob", Sub = "S", Status = "CONFIRMED", Enabled = false, CreatedAt = default, ModifiedAt = default };
        user.Attributes["email"] = "Bob@X.Example";
        user.Attributes["nickname"] = "not searchable";
        user.Attributes["name"] = "";
        var keys = UserSearchKeys.For(user).ToDictionary(k => k.Key, k => k.Value);
        keys.ShouldBe(new Dictionary<string, string>
        {
            ["username"] = "bob", ["status"] = "Disabled", ["cognito:user_status"] = "confirmed", ["email"] = "bob@x.example",
        }, ignoreOrder: true);
    }

    static Group G(string name, int? precedence, string? role = null) => new() { UserPoolId = "p", GroupName = name, Precedence = precedence, RoleArn = role, CreatedAt = default, ModifiedAt = default };

    [Fact]
    public void GroupClaims_OrderedByPrecedenceUnsetLast_PreferredRoleFromLowest()
    {
        var c = GroupClaims.From([G("z", null, "r3"), G("b", 5, "r2"), G("a", 5), G("top", 1, "r1")]);
        c.Groups.ShouldBe(["top", "a", "b", "z"]);
        c.Roles.ShouldBe(["r1", "r2", "r3"]);
        c.PreferredRole.ShouldBe("r1");
    }

    [Fact]
    public void GroupClaims_TieWithDifferentRoles_NoPreferredRole()
    {
        GroupClaims.From([G("a", 1, "r1"), G("b", 1, "r2")]).PreferredRole.ShouldBeNull();
        GroupClaims.From([G("a", 1, "r1"), G("b", 1, "r1")]).PreferredRole.ShouldBe("r1");
        GroupClaims.From([G("a", null)]).Roles.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(4, 0)]
    [InlineData(5, 1)]
    [InlineData(6, 2)]
    [InlineData(10, 32)]
    [InlineData(14, 512)]
    [InlineData(15, 900)]
    [InlineData(1000, 900)]
    public void LockFor_DoublesFromFifthFailure_CappedAtFifteenMinutes(int failures, int seconds) =>
        LockoutService.LockFor(failures).ShouldBe(TimeSpan.FromSeconds(seconds));
}
