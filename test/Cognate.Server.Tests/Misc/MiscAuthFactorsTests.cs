using System.Text.Json.Nodes;
using Cognate.Client;
using Cognate.Server.Tests.Infrastructure;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Misc;

/// <summary>AdminGetUserAuthFactors and AdminDeleteSoftwareToken over HTTP.</summary>
public sealed class MiscAuthFactorsTests(ServerFixture f)
{
    const string Password = "Passw0rd!";

    /// <summary>The current TOTP code (Cognate's RFC 6238 code; ChallengeFlowTests checks it against oathtool).</summary>
    static string Code(string base32Secret)
    {
        Core.Mfa.Totp.TryFromBase32(base32Secret, out var key).ShouldBeTrue();
        return Core.Mfa.Totp.Compute(key, Core.Mfa.Totp.StepOf(DateTimeOffset.UtcNow));
    }

    static async Task<CognitoServiceException> Fails(Task t, string type)
    {
        var ex = await Should.ThrowAsync<CognitoServiceException>(t);
        ex.ErrorType.ShouldBe(type, ex.Message);
        return ex;
    }

    async Task<(string Pool, string Client)> TotpPoolAsync()
    {
        var pool = await f.CreatePoolAsync();
        await f.Admin.InvokeAsync("SetUserPoolMfaConfig", new JsonObject
        {
            ["UserPoolId"] = pool, ["MfaConfiguration"] = "OPTIONAL", ["SoftwareTokenMfaConfiguration"] = new JsonObject { ["Enabled"] = true },
        });
        var (client, _) = await f.CreateClientAsync(pool);
        return (pool, client);
    }

    /// <summary>A user with a verified TOTP authenticator, preferred; returns the secret and an access token.</summary>
    async Task<(string Secret, string Access)> TotpUserAsync(string client, string username)
    {
        await f.CreateConfirmedUserAsync(client, username, Password, ServerFixture.NewEmail());
        var access = (string)(await f.SignInAsync(client, username, Password))["AccessToken"]!;
        var secret = (string)(await f.Public.InvokeAsync("AssociateSoftwareToken", new JsonObject { ["AccessToken"] = access }))["SecretCode"]!;
        await f.Public.InvokeAsync("VerifySoftwareToken", new JsonObject { ["AccessToken"] = access, ["UserCode"] = Code(secret) });
        await f.Public.InvokeAsync("SetUserMFAPreference", new JsonObject
        {
            ["AccessToken"] = access, ["SoftwareTokenMfaSettings"] = new JsonObject { ["Enabled"] = true, ["PreferredMfa"] = true },
        });
        return (secret, access);
    }

    [Fact]
    public async Task AdminGetUserAuthFactors_MatchesGetUserAuthFactors_AndFindsAliases()
    {
        var (pool, client) = await TotpPoolAsync();
        var (_, access) = await TotpUserAsync(client, "ada");
        var admin = await f.Admin.InvokeAsync("AdminGetUserAuthFactors", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "ada" });
        ((string?)admin["Username"]).ShouldBe("ada");
        ((string?)admin["PreferredMfaSetting"]).ShouldBe("SOFTWARE_TOKEN_MFA");
        admin["UserMFASettingList"]!.AsArray().Select(n => (string?)n).ShouldBe(["SOFTWARE_TOKEN_MFA"]);
        admin["ConfiguredUserAuthFactors"]!.AsArray().Select(n => (string?)n).ShouldContain("PASSWORD");

        var own = await f.Public.InvokeAsync("GetUserAuthFactors", new JsonObject { ["AccessToken"] = access });
        own.ToJsonString().ShouldBe(admin.ToJsonString());
        await Fails(f.Admin.InvokeAsync("AdminGetUserAuthFactors", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "nobody" }), "UserNotFoundException");
        await Fails(f.Admin.InvokeAsync("AdminGetUserAuthFactors", new JsonObject { ["UserPoolId"] = "eu-west-1_Nope12345", ["Username"] = "ada" }), "ResourceNotFoundException");
    }

    [Fact]
    public async Task AdminDeleteSoftwareToken_RemovesTotpAndPreference_MfaOnThenAsksMfaSetup_SecondDeleteFails()
    {
        var (pool, client) = await TotpPoolAsync();
        await TotpUserAsync(client, "bob");
        await f.Admin.InvokeAsync("SetUserPoolMfaConfig", new JsonObject
        {
            ["UserPoolId"] = pool, ["MfaConfiguration"] = "ON", ["SoftwareTokenMfaConfiguration"] = new JsonObject { ["Enabled"] = true },
        });
        var before = await f.Public.InvokeAsync("InitiateAuth", new JsonObject
        {
            ["ClientId"] = client, ["AuthFlow"] = "USER_PASSWORD_AUTH", ["AuthParameters"] = new JsonObject { ["USERNAME"] = "bob", ["PASSWORD"] = Password },
        });
        ((string?)before["ChallengeName"]).ShouldBe("SOFTWARE_TOKEN_MFA");

        var deleted = await f.Admin.InvokeAsync("AdminDeleteSoftwareToken", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "bob" });
        deleted.Count.ShouldBe(0);

        var factors = await f.Admin.InvokeAsync("AdminGetUserAuthFactors", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "bob" });
        factors["PreferredMfaSetting"].ShouldBeNull();
        factors["UserMFASettingList"].ShouldBeNull();
        var user = await f.Admin.InvokeAsync("AdminGetUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "bob" });
        user["UserMFASettingList"].ShouldBeNull();

        // Pool MFA ON and no factor left: the next sign-in must set one up (Cognito's documented outcome).
        var after = await f.Public.InvokeAsync("InitiateAuth", new JsonObject
        {
            ["ClientId"] = client, ["AuthFlow"] = "USER_PASSWORD_AUTH", ["AuthParameters"] = new JsonObject { ["USERNAME"] = "bob", ["PASSWORD"] = Password },
        });
        ((string?)after["ChallengeName"]).ShouldBe("MFA_SETUP");

        await Fails(f.Admin.InvokeAsync("AdminDeleteSoftwareToken", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "bob" }), "InvalidParameterException");
        await Fails(f.Admin.InvokeAsync("AdminDeleteSoftwareToken", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "nobody" }), "UserNotFoundException");
        await Fails(f.Admin.InvokeAsync("AdminDeleteSoftwareToken", new JsonObject { ["UserPoolId"] = "eu-west-1_Nope12345", ["Username"] = "bob" }), "ResourceNotFoundException");
    }

    [Fact]
    public async Task AdminDeleteSoftwareToken_KeepsOtherFactors_AndAUserCanAssociateAgain()
    {
        var pool = await f.CreatePoolAsync();
        await f.Admin.InvokeAsync("SetUserPoolMfaConfig", new JsonObject
        {
            ["UserPoolId"] = pool, ["MfaConfiguration"] = "OPTIONAL", ["SoftwareTokenMfaConfiguration"] = new JsonObject { ["Enabled"] = true },
            ["EmailMfaConfiguration"] = new JsonObject { ["Message"] = "Code {####}", ["Subject"] = "Code" },
        });
        var (client, _) = await f.CreateClientAsync(pool);
        await TotpUserAsync(client, "cy");
        await f.Admin.InvokeAsync("AdminSetUserMFAPreference", new JsonObject
        {
            ["UserPoolId"] = pool, ["Username"] = "cy", ["EmailMfaSettings"] = new JsonObject { ["Enabled"] = true },
        });
        await f.Admin.InvokeAsync("AdminDeleteSoftwareToken", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "cy" });
        var factors = await f.Admin.InvokeAsync("AdminGetUserAuthFactors", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "cy" });
        factors["UserMFASettingList"]!.AsArray().Select(n => (string?)n).ShouldBe(["EMAIL_OTP"]);
        factors["PreferredMfaSetting"].ShouldBeNull();
    }
}
