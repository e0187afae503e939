using System.Text.Json.Nodes;
using Cognate.Client;
using Cognate.Server.Tests.Infrastructure;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Triggers;

/// <summary>CUSTOM_AUTH over the JSON API: the checks before any trigger runs, and the wire shape of the errors.</summary>
public sealed class CustomAuthTests(ServerFixture f)
{
    const string NotConfigured = "Custom auth lambda trigger is not configured for the user pool.";

    static JsonObject LambdaConfig(string? define, string? create, string? verify)
    {
        var config = new JsonObject();
        if (define is not null) config["DefineAuthChallenge"] = define;
        if (create is not null) config["CreateAuthChallenge"] = create;
        if (verify is not null) config["VerifyAuthChallengeResponse"] = verify;
        return config;
    }

    async Task<(string Pool, string Client)> PoolAsync(JsonObject? lambdaConfig, params string[] flows)
    {
        var pool = await f.CreatePoolAsync(lambdaConfig is null ? null : new JsonObject { ["LambdaConfig"] = lambdaConfig });
        var (client, _) = await f.CreateClientAsync(pool, extra: new JsonObject
        {
            ["ExplicitAuthFlows"] = new JsonArray([.. (flows.Length == 0 ? ["ALLOW_CUSTOM_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] : flows).Select(x => (JsonNode)x)]),
        });
        await UserAsync(pool, "carol");
        return (pool, client);
    }

    const string Password = "Passw0rd!";

    async Task UserAsync(string pool, string username, string? email = null)
    {
        var attrs = new JsonArray(new JsonObject { ["Name"] = "email", ["Value"] = email ?? ServerFixture.NewEmail() }, new JsonObject { ["Name"] = "email_verified", ["Value"] = "true" });
        await f.Admin.InvokeAsync("AdminCreateUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = username, ["UserAttributes"] = attrs, ["MessageAction"] = "SUPPRESS" });
        await f.Admin.InvokeAsync("AdminSetUserPassword", new JsonObject { ["UserPoolId"] = pool, ["Username"] = username, ["Password"] = Password, ["Permanent"] = true });
    }

    Task<JsonObject> InitiateAsync(string client, JsonObject parameters) =>
        f.Public.InvokeAsync("InitiateAuth", new JsonObject { ["AuthFlow"] = "CUSTOM_AUTH", ["ClientId"] = client, ["AuthParameters"] = parameters });

    static async Task<CognitoServiceException> Fails(Task t, string type)
    {
        var ex = await Should.ThrowAsync<CognitoServiceException>(t);
        ex.ErrorType.ShouldBe(type);
        return ex;
    }

    [Fact]
    public async Task NoTriggers_InvalidParameter()
    {
        var (_, client) = await PoolAsync(null);
        (await Fails(InitiateAsync(client, new JsonObject { ["USERNAME"] = "carol" }), "InvalidParameterException")).Message.ShouldBe(NotConfigured);
    }

    [Fact]
    public async Task OnlyDefine_InvalidParameter()
    {
        var (_, client) = await PoolAsync(LambdaConfig("arn:aws:lambda:us-east-1:000000000000:function:define", null, null));
        (await Fails(InitiateAsync(client, new JsonObject { ["USERNAME"] = "carol" }), "InvalidParameterException")).Message.ShouldBe(NotConfigured);
    }

    [Fact]
    public async Task FlowNotEnabled_InvalidParameter()
    {
        var (_, client) = await PoolAsync(LambdaConfig("arn:aws:lambda:us-east-1:000000000000:function:d", "arn:aws:lambda:us-east-1:000000000000:function:c", null),
            "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH");
        (await Fails(InitiateAsync(client, new JsonObject { ["USERNAME"] = "carol" }), "InvalidParameterException")).Message.ShouldBe("Auth flow not enabled for this client");
    }

    [Fact]
    public async Task MissingUsername_InvalidParameter()
    {
        var (_, client) = await PoolAsync(null);
        (await Fails(InitiateAsync(client, []), "InvalidParameterException")).Message.ShouldBe("Missing required parameter USERNAME");
    }

    [Fact]
    public async Task RespondWithStaleSession_NotAuthorized()
    {
        var (_, client) = await PoolAsync(null);
        var respond = f.Public.InvokeAsync("RespondToAuthChallenge", new JsonObject
        {
            ["ClientId"] = client, ["ChallengeName"] = "CUSTOM_CHALLENGE", ["Session"] = new string('A', 40),
            ["ChallengeResponses"] = new JsonObject { ["USERNAME"] = "carol", ["ANSWER"] = "x" },
        });
        (await Fails(respond, "NotAuthorizedException")).Message.ShouldBe("Invalid session for the user, session is expired.");
    }
}
