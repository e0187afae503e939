using System.Text.Json.Nodes;
using Cognate.Client;
using Cognate.Server.Tests.Infrastructure;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Misc;

/// <summary>Answers the moto suite and Terraform runs showed to differ from Cognito, now as Cognito gives them.</summary>
public sealed class MiscCognitoFixesTests(ServerFixture f)
{
    const string Password = "Passw0rd!";

    static async Task<CognitoServiceException> Fails(Task t, string type)
    {
        var ex = await Should.ThrowAsync<CognitoServiceException>(t);
        ex.ErrorType.ShouldBe(type, ex.Message);
        return ex;
    }

    static JsonArray Attrs(params (string Name, string Value)[] a) => new([.. a.Select(x => (JsonNode)new JsonObject { ["Name"] = x.Name, ["Value"] = x.Value })]);

    static string? Attr(JsonObject user, string key, string name) =>
        user[key]!.AsArray().Select(n => n!.AsObject()).Where(o => (string?)o["Name"] == name).Select(o => (string?)o["Value"]).FirstOrDefault();

    [Fact]
    public async Task VerifiedFlags_AnyLetterCase_StoredLowercase_OtherTextRefused()
    {
        var pool = await f.CreatePoolAsync();
        await f.Admin.InvokeAsync("AdminCreateUser", new JsonObject
        {
            ["UserPoolId"] = pool, ["Username"] = "vera", ["MessageAction"] = "SUPPRESS",
            ["UserAttributes"] = Attrs(("email", ServerFixture.NewEmail()), ("email_verified", "True"), ("phone_number", "+15555550100"), ("phone_number_verified", "FALSE")),
        });
        var user = await f.Admin.InvokeAsync("AdminGetUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "vera" });
        Attr(user, "UserAttributes", "email_verified").ShouldBe("true");
        Attr(user, "UserAttributes", "phone_number_verified").ShouldBe("false");

        await f.Admin.InvokeAsync("AdminUpdateUserAttributes", new JsonObject
        {
            ["UserPoolId"] = pool, ["Username"] = "vera", ["UserAttributes"] = Attrs(("phone_number_verified", "tRuE"), ("email_verified", "False")),
        });
        user = await f.Admin.InvokeAsync("AdminGetUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "vera" });
        Attr(user, "UserAttributes", "phone_number_verified").ShouldBe("true");
        Attr(user, "UserAttributes", "email_verified").ShouldBe("false");

        await Fails(f.Admin.InvokeAsync("AdminUpdateUserAttributes", new JsonObject
        {
            ["UserPoolId"] = pool, ["Username"] = "vera", ["UserAttributes"] = Attrs(("email_verified", "yes")),
        }), "InvalidParameterException");
    }

    [Fact]
    public async Task AddCustomAttributes_Existing_MessageStartsWithTheAttributeName()
    {
        var pool = await f.CreatePoolAsync();
        var add = new JsonObject
        {
            ["UserPoolId"] = pool,
            ["CustomAttributes"] = new JsonArray(new JsonObject { ["Name"] = "tier", ["AttributeDataType"] = "String" }),
        };
        await f.Admin.InvokeAsync("AddCustomAttributes", add.DeepClone().AsObject());
        var ex = await Fails(f.Admin.InvokeAsync("AddCustomAttributes", add), "InvalidParameterException");
        ex.Message.ShouldBe("custom:tier: Existing attribute already has name custom:tier.");
    }

    [Fact]
    public async Task UnknownAttributes_EveryOneNamed()
    {
        var pool = await f.CreatePoolAsync();
        var (client, _) = await f.CreateClientAsync(pool);
        var signUp = await Fails(f.Public.InvokeAsync("SignUp", new JsonObject
        {
            ["ClientId"] = client, ["Username"] = "una", ["Password"] = Password,
            ["UserAttributes"] = Attrs(("email", ServerFixture.NewEmail()), ("custom:first", "a"), ("custom:second", "b")),
        }), "InvalidParameterException");
        signUp.Message.ShouldBe("Attributes did not conform to the schema: custom:first: Attribute does not exist in the schema.\ncustom:second: Attribute does not exist in the schema.\n");

        var admin = await Fails(f.Admin.InvokeAsync("AdminCreateUser", new JsonObject
        {
            ["UserPoolId"] = pool, ["Username"] = "una", ["MessageAction"] = "SUPPRESS",
            ["UserAttributes"] = Attrs(("shoe_size", "44"), ("email", ServerFixture.NewEmail()), ("custom:hat", "m")),
        }), "InvalidParameterException");
        admin.Message.ShouldContain("{shoe_size}");
        admin.Message.ShouldContain("{custom:hat}");
    }

    [Fact]
    public async Task AdminResetUserPassword_DisabledUser_UserIsDisabled()
    {
        var pool = await f.CreatePoolAsync();
        var (client, _) = await f.CreateClientAsync(pool);
        await f.CreateConfirmedUserAsync(client, "dora", Password, ServerFixture.NewEmail());
        await f.Admin.InvokeAsync("AdminDisableUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "dora" });
        var ex = await Fails(f.Admin.InvokeAsync("AdminResetUserPassword", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "dora" }), "NotAuthorizedException");
        ex.Message.ShouldBe("User is disabled.");
        var user = await f.Admin.InvokeAsync("AdminGetUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "dora" });
        ((string?)user["UserStatus"]).ShouldBe("CONFIRMED");
    }

    [Fact]
    public async Task ForgotPasswordAndResendConfirmationCode_UnknownUser_UsernameClientIdCombinationNotFound()
    {
        var pool = await f.CreatePoolAsync();
        var (client, _) = await f.CreateClientAsync(pool, false, new JsonObject { ["PreventUserExistenceErrors"] = "LEGACY" });
        var ex = await Fails(f.Public.InvokeAsync("ForgotPassword", new JsonObject { ["ClientId"] = client, ["Username"] = "ghost" }), "UserNotFoundException");
        ex.Message.ShouldBe("Username/client id combination not found.");
        ex = await Fails(f.Public.InvokeAsync("ResendConfirmationCode", new JsonObject { ["ClientId"] = client, ["Username"] = "ghost" }), "UserNotFoundException");
        ex.Message.ShouldBe("Username/client id combination not found.");
    }

    [Fact]
    public async Task EnumValidation_ListsValuesInCognitosOrder()
    {
        var pool = await f.CreatePoolAsync();
        var (client, _) = await f.CreateClientAsync(pool);
        var ex = await Fails(f.Public.InvokeAsync("InitiateAuth", new JsonObject
        {
            ["ClientId"] = client, ["AuthFlow"] = "NO_SUCH_FLOW", ["AuthParameters"] = new JsonObject { ["USERNAME"] = "x", ["PASSWORD"] = "y" },
        }), "InvalidParameterException");
        ex.Message.ShouldContain("Value 'NO_SUCH_FLOW' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: " +
            "[ADMIN_NO_SRP_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_SRP_AUTH, REFRESH_TOKEN_AUTH, REFRESH_TOKEN, CUSTOM_AUTH, USER_PASSWORD_AUTH, USER_AUTH]");
    }
}
