using System.Text.Json.Nodes;
using Cognate.Client;
using Cognate.Server.Tests.Infrastructure;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Users;

public sealed class SchemaAndAliasTests(ServerFixture f)
{
    const string Password = "Passw0rd!";

    static JsonObject Attr(string name, string value) => new() { ["Name"] = name, ["Value"] = value };

    static JsonObject Custom(string name, string type = "String", bool? mutable = null, bool? devOnly = null, bool? required = null)
    {
        var o = new JsonObject { ["Name"] = name, ["AttributeDataType"] = type };
        if (mutable is not null) o["Mutable"] = mutable;
        if (devOnly is not null) o["DeveloperOnlyAttribute"] = devOnly;
        if (required is not null) o["Required"] = required;
        return o;
    }

    async Task<JsonArray> SchemaAsync(string pool) =>
        (await f.Admin.InvokeAsync("DescribeUserPool", new JsonObject { ["UserPoolId"] = pool }))["UserPool"]!["SchemaAttributes"]!.AsArray();

    [Fact]
    public async Task AddCustomAttributes_AppendsWithPrefixes_RefusesDuplicatesRequiredAndLongNames()
    {
        var pool = await f.CreatePoolAsync();
        await f.Admin.InvokeAsync("AddCustomAttributes", new JsonObject
        {
            ["UserPoolId"] = pool,
            ["CustomAttributes"] = new JsonArray(Custom("plan"), Custom("tier", "Number", devOnly: true), Custom("origin", mutable: false)),
        });
        var names = (await SchemaAsync(pool)).Select(a => (string)a!["Name"]!).ToList();
        names.ShouldContain("custom:plan");
        names.ShouldContain("dev:custom:tier");
        names.ShouldContain("custom:origin");

        async Task<CognitoServiceException> Fails(JsonObject attr) => await Should.ThrowAsync<CognitoServiceException>(() =>
            f.Admin.InvokeAsync("AddCustomAttributes", new JsonObject { ["UserPoolId"] = pool, ["CustomAttributes"] = new JsonArray(attr) }));
        (await Fails(Custom("plan"))).ErrorType.ShouldBe("InvalidParameterException");
        (await Fails(Custom("tier"))).ErrorType.ShouldBe("InvalidParameterException");
        (await Fails(Custom("req", required: true))).ErrorType.ShouldBe("InvalidParameterException");
        (await Fails(Custom(new string('n', 21)))).ErrorType.ShouldBe("InvalidParameterException");
        var missingPool = await Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("AddCustomAttributes", new JsonObject { ["UserPoolId"] = "us-east-1_Missing00", ["CustomAttributes"] = new JsonArray(Custom("x")) }));
        missingPool.ErrorType.ShouldBe("ResourceNotFoundException");
    }

    [Fact]
    public async Task AddCustomAttributes_FiftyLimit_LimitsAcrossCalls()
    {
        var pool = await f.CreatePoolAsync();
        for (int batch = 0; batch < 2; batch++)
        {
            var list = new JsonArray();
            for (int i = 0; i < 25; i++) list.Add(Custom($"a{batch}_{i}"));
            await f.Admin.InvokeAsync("AddCustomAttributes", new JsonObject { ["UserPoolId"] = pool, ["CustomAttributes"] = list });
        }
        var ex = await Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("AddCustomAttributes", new JsonObject { ["UserPoolId"] = pool, ["CustomAttributes"] = new JsonArray(Custom("one_more")) }));
        ex.ErrorType.ShouldBe("InvalidParameterException");
    }

    [Fact]
    public async Task CustomAttributes_DeveloperOnlyAdminOnly_ImmutableAfterCreation_NumberConstraints()
    {
        var pool = await f.CreatePoolAsync();
        var (client, _) = await f.CreateClientAsync(pool);
        await f.Admin.InvokeAsync("AddCustomAttributes", new JsonObject
        {
            ["UserPoolId"] = pool,
            ["CustomAttributes"] = new JsonArray(
                Custom("score", devOnly: true),
                Custom("origin", mutable: false),
                new JsonObject { ["Name"] = "age", ["AttributeDataType"] = "Number", ["NumberAttributeConstraints"] = new JsonObject { ["MinValue"] = "0", ["MaxValue"] = "150" } }),
        });
        var devSignUp = await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("SignUp", new JsonObject
        {
            ["ClientId"] = client, ["Username"] = "ivy", ["Password"] = Password,
            ["UserAttributes"] = new JsonArray(Attr("email", ServerFixture.NewEmail()), Attr("dev:custom:score", "9")),
        }));
        devSignUp.ErrorType.ShouldBe("NotAuthorizedException");
        var tooOld = await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("SignUp", new JsonObject
        {
            ["ClientId"] = client, ["Username"] = "ivy", ["Password"] = Password,
            ["UserAttributes"] = new JsonArray(Attr("email", ServerFixture.NewEmail()), Attr("custom:age", "151")),
        }));
        tooOld.ErrorType.ShouldBe("InvalidParameterException");

        var email = ServerFixture.NewEmail();
        await f.Public.InvokeAsync("SignUp", new JsonObject
        {
            ["ClientId"] = client, ["Username"] = "ivy", ["Password"] = Password,
            ["UserAttributes"] = new JsonArray(Attr("email", email), Attr("custom:origin", "web"), Attr("custom:age", "30")),
        });
        await f.Admin.InvokeAsync("AdminConfirmSignUp", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "ivy" });
        await f.Admin.InvokeAsync("AdminUpdateUserAttributes", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "ivy", ["UserAttributes"] = new JsonArray(Attr("dev:custom:score", "42")) });
        var immutable = await Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("AdminUpdateUserAttributes", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "ivy", ["UserAttributes"] = new JsonArray(Attr("custom:origin", "app")) }));
        immutable.ErrorType.ShouldBe("InvalidParameterException");

        var tokens = await f.SignInAsync(client, "ivy", Password);
        var userDev = await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("UpdateUserAttributes", new JsonObject { ["AccessToken"] = (string)tokens["AccessToken"]!, ["UserAttributes"] = new JsonArray(Attr("dev:custom:score", "1")) }));
        userDev.ErrorType.ShouldBe("NotAuthorizedException");
        var self = await f.Public.InvokeAsync("GetUser", new JsonObject { ["AccessToken"] = (string)tokens["AccessToken"]! });
        self["UserAttributes"]!.AsArray().Select(a => (string)a!["Name"]!).ShouldNotContain("dev:custom:score");
        var admin = await f.Admin.InvokeAsync("AdminGetUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "ivy" });
        admin["UserAttributes"]!.AsArray().Select(a => (string)a!["Name"]!).ShouldContain("dev:custom:score");
    }

    async Task<(string Pool, string Client)> AliasPoolAsync()
    {
        var pool = await f.CreatePoolAsync(new JsonObject { ["AliasAttributes"] = new JsonArray("email", "preferred_username") });
        var (client, _) = await f.CreateClientAsync(pool);
        return (pool, client);
    }

    async Task SignUpAsync(string client, string username, string email) =>
        await f.Public.InvokeAsync("SignUp", new JsonObject { ["ClientId"] = client, ["Username"] = username, ["Password"] = Password, ["UserAttributes"] = new JsonArray(Attr("email", email)) });

    [Fact]
    public async Task Aliases_OnlyVerifiedEmailSignsIn_ConfirmConflictNeedsForceAliasCreation()
    {
        var (pool, client) = await AliasPoolAsync();
        var email = ServerFixture.NewEmail();
        await SignUpAsync(client, "owner", email);
        var unverified = await Should.ThrowAsync<CognitoServiceException>(() => f.SignInAsync(client, email, Password));
        unverified.ErrorType.ShouldBe("UserNotFoundException");
        var code1 = (string)(await f.Server.LatestMessageAsync(email))["code"]!;
        await f.Public.InvokeAsync("ConfirmSignUp", new JsonObject { ["ClientId"] = client, ["Username"] = "owner", ["ConfirmationCode"] = code1 });
        await f.SignInAsync(client, email, Password);

        await SignUpAsync(client, "taker", email);
        var code2 = (string)(await f.Server.LatestMessageAsync(email))["code"]!;
        var conflict = await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("ConfirmSignUp", new JsonObject { ["ClientId"] = client, ["Username"] = "taker", ["ConfirmationCode"] = code2 }));
        (conflict.ErrorType, conflict.Message).ShouldBe(("AliasExistsException", "An account with the email already exists."));
        await f.Public.InvokeAsync("ConfirmSignUp", new JsonObject { ["ClientId"] = client, ["Username"] = "taker", ["ConfirmationCode"] = code2, ["ForceAliasCreation"] = true });

        var tokens = await f.SignInAsync(client, email, Password);
        var me = await f.Public.InvokeAsync("GetUser", new JsonObject { ["AccessToken"] = (string)tokens["AccessToken"]! });
        ((string?)me["Username"]).ShouldBe("taker");
        var old = await f.Admin.InvokeAsync("AdminGetUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "owner" });
        ((string?)old["UserAttributes"]!.AsArray().First(a => (string)a!["Name"]! == "email_verified")!["Value"]).ShouldBe("false");
    }

    [Fact]
    public async Task Aliases_AdminVerifiesEmail_AliasMovesToLastVerifier_AdminCreateUserForce()
    {
        var (pool, client) = await AliasPoolAsync();
        var email = ServerFixture.NewEmail();
        await f.Admin.InvokeAsync("AdminCreateUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "first", ["TemporaryPassword"] = Password, ["MessageAction"] = "SUPPRESS", ["UserAttributes"] = new JsonArray(Attr("email", email), Attr("email_verified", "true")) });
        var dup = await Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("AdminCreateUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "second", ["MessageAction"] = "SUPPRESS", ["UserAttributes"] = new JsonArray(Attr("email", email), Attr("email_verified", "true")) }));
        dup.ErrorType.ShouldBe("AliasExistsException");
        await f.Admin.InvokeAsync("AdminCreateUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "second", ["MessageAction"] = "SUPPRESS", ["ForceAliasCreation"] = true, ["UserAttributes"] = new JsonArray(Attr("email", email), Attr("email_verified", "true")) });
        ((string?)(await f.Admin.InvokeAsync("AdminGetUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = email }))["Username"]).ShouldBe("second");

        await f.Admin.InvokeAsync("AdminUpdateUserAttributes", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "first", ["UserAttributes"] = new JsonArray(Attr("email_verified", "true")) });
        ((string?)(await f.Admin.InvokeAsync("AdminGetUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = email }))["Username"]).ShouldBe("first");

        await f.Admin.InvokeAsync("AdminUpdateUserAttributes", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "first", ["UserAttributes"] = new JsonArray(Attr("preferred_username", "shared")) });
        var taken = await Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("AdminUpdateUserAttributes", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "second", ["UserAttributes"] = new JsonArray(Attr("preferred_username", "shared")) }));
        taken.ErrorType.ShouldBe("AliasExistsException");
    }

    [Fact]
    public async Task Aliases_VerifyUserAttribute_TakesAliasFromPreviousOwner()
    {
        var (pool, client) = await AliasPoolAsync();
        var email = ServerFixture.NewEmail();
        await f.CreateConfirmedUserAsync(client, "old", Password, email);
        await f.CreateConfirmedUserAsync(client, "new", Password, ServerFixture.NewEmail());
        var tokens = await f.SignInAsync(client, "new", Password);
        await f.Public.InvokeAsync("UpdateUserAttributes", new JsonObject { ["AccessToken"] = (string)tokens["AccessToken"]!, ["UserAttributes"] = new JsonArray(Attr("email", email)) });
        var code = (string)(await f.Server.LatestMessageAsync(email))["code"]!;
        await f.Public.InvokeAsync("VerifyUserAttribute", new JsonObject { ["AccessToken"] = (string)tokens["AccessToken"]!, ["AttributeName"] = "email", ["Code"] = code });
        ((string?)(await f.Admin.InvokeAsync("AdminGetUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = email }))["Username"]).ShouldBe("new");
        var old = await f.Admin.InvokeAsync("AdminGetUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "old" });
        ((string?)old["UserAttributes"]!.AsArray().First(a => (string)a!["Name"]! == "email_verified")!["Value"]).ShouldBe("false");
    }
}
