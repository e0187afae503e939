using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Cognate.Client;
using Cognate.Server.Tests.Infrastructure;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Sessions;

/// <summary>
/// AddUserPoolClientSecret, ListUserPoolClientSecrets and DeleteUserPoolClientSecret over the wire: two secrets per client,
/// SECRET_HASH and /oauth2/token accept either, a deleted secret is refused everywhere, the last one stays.
/// </summary>
public sealed class ClientSecretTests(ServerFixture f)
{
    const string Password = "Passw0rd!x";

    Task<JsonObject> AddAsync(string pool, string client, string? value = null)
    {
        var body = new JsonObject { ["UserPoolId"] = pool, ["ClientId"] = client };
        if (value is not null) body["ClientSecret"] = value;
        return f.Admin.InvokeAsync("AddUserPoolClientSecret", body);
    }

    async Task<JsonArray> ListAsync(string pool, string client) =>
        (await f.Admin.InvokeAsync("ListUserPoolClientSecrets", new JsonObject { ["UserPoolId"] = pool, ["ClientId"] = client }))["ClientSecrets"]!.AsArray();

    Task<JsonObject> DeleteAsync(string pool, string client, string id) =>
        f.Admin.InvokeAsync("DeleteUserPoolClientSecret", new JsonObject { ["UserPoolId"] = pool, ["ClientId"] = client, ["ClientSecretId"] = id });

    /// <summary>The refresh_token grant at /oauth2/token with HTTP Basic client authentication: the status and the OAuth error, if any.</summary>
    async Task<(HttpStatusCode Status, string? Error)> TokenEndpointAsync(string client, string secret, string refreshToken)
    {
        using var req = new HttpRequestMessage(HttpMethod.Post, new Uri(f.Server.Endpoint, "/oauth2/token"))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken }),
        };
        req.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(client + ":" + secret)));
        using var r = await f.Server.Http.SendAsync(req);
        var body = JsonNode.Parse(await r.Content.ReadAsStringAsync())!.AsObject();
        return (r.StatusCode, (string?)body["error"]);
    }

    [Fact]
    public async Task AddListDelete_Rotation_BothSecretsWorkThenOnlyTheNewOne()
    {
        var pool = await f.CreatePoolAsync();
        var (client, first) = await f.CreateClientAsync(pool, secret: true);
        var email = ServerFixture.NewEmail();
        await f.CreateConfirmedUserAsync(client, email, Password, email, first);

        var listed = await ListAsync(pool, client);
        listed.Count.ShouldBe(1);
        var firstId = (string)listed[0]!["ClientSecretId"]!;
        firstId.ShouldStartWith(client + "--");
        listed[0]!.AsObject().ContainsKey("ClientSecretValue").ShouldBeFalse();

        var added = (await AddAsync(pool, client))["ClientSecretDescriptor"]!.AsObject();
        var second = (string)added["ClientSecretValue"]!;
        second.Length.ShouldBe(51);
        var secondId = (string)added["ClientSecretId"]!;
        secondId.ShouldNotBe(firstId);
        added["ClientSecretCreateDate"].ShouldNotBeNull();

        listed = await ListAsync(pool, client);
        listed.Select(s => (string)s!["ClientSecretId"]!).ShouldBe([firstId, secondId]);
        listed.ShouldAllBe(s => !s!.AsObject().ContainsKey("ClientSecretValue"));

        // Either secret signs in and authenticates at /oauth2/token.
        var tokens = await f.SignInAsync(client, email, Password, first);
        (await f.SignInAsync(client, email, Password, second))["AccessToken"].ShouldNotBeNull();
        var refresh = (string)tokens["RefreshToken"]!;
        (await TokenEndpointAsync(client, first!, refresh)).ShouldBe((HttpStatusCode.OK, null));
        (await TokenEndpointAsync(client, second, refresh)).ShouldBe((HttpStatusCode.OK, null));

        // A third is over Cognito's limit of two.
        (await Should.ThrowAsync<CognitoServiceException>(() => AddAsync(pool, client))).ErrorType.ShouldBe("LimitExceededException");

        // Delete the first: it is refused for SECRET_HASH, at /oauth2/token and by GetTokensFromRefreshToken; the second works.
        await DeleteAsync(pool, client, firstId);
        (await ListAsync(pool, client)).Select(s => (string)s!["ClientSecretId"]!).ShouldBe([secondId]);
        var refused = await Should.ThrowAsync<CognitoServiceException>(() => f.SignInAsync(client, email, Password, first));
        refused.ErrorType.ShouldBe("NotAuthorizedException");
        refused.Message.ShouldBe($"Unable to verify secret hash for client {client}");
        (await TokenEndpointAsync(client, first!, refresh)).ShouldBe((HttpStatusCode.BadRequest, "invalid_client"));
        (await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("GetTokensFromRefreshToken",
            new JsonObject { ["ClientId"] = client, ["RefreshToken"] = refresh, ["ClientSecret"] = first }))).ErrorType.ShouldBe("NotAuthorizedException");
        (await TokenEndpointAsync(client, second, refresh)).ShouldBe((HttpStatusCode.OK, null));
        (await f.SignInAsync(client, email, Password, second))["AccessToken"].ShouldNotBeNull();

        // DescribeUserPoolClient now shows the remaining secret; the last one cannot be deleted.
        var described = await f.Admin.InvokeAsync("DescribeUserPoolClient", new JsonObject { ["UserPoolId"] = pool, ["ClientId"] = client });
        ((string?)described["UserPoolClient"]!["ClientSecret"]).ShouldBe(second);
        (await Should.ThrowAsync<CognitoServiceException>(() => DeleteAsync(pool, client, secondId))).ErrorType.ShouldBe("InvalidParameterException");
        (await Should.ThrowAsync<CognitoServiceException>(() => DeleteAsync(pool, client, firstId))).ErrorType.ShouldBe("ResourceNotFoundException");
    }

    [Fact]
    public async Task Add_CallerSuppliedValue_NotEchoedAndAccepted()
    {
        var pool = await f.CreatePoolAsync();
        var (client, _) = await f.CreateClientAsync(pool, secret: true);
        var mine = "rotation" + Guid.NewGuid().ToString("N");
        var added = (await AddAsync(pool, client, mine))["ClientSecretDescriptor"]!.AsObject();
        added.ContainsKey("ClientSecretValue").ShouldBeFalse();
        var email = ServerFixture.NewEmail();
        await f.CreateConfirmedUserAsync(client, email, Password, email, mine);
        (await f.SignInAsync(client, email, Password, mine))["AccessToken"].ShouldNotBeNull();
    }

    [Theory]
    [InlineData("short")]
    [InlineData("has spaces in it which are not allowed here")]
    public async Task Add_MalformedValue_InvalidParameter(string value)
    {
        var pool = await f.CreatePoolAsync();
        var (client, _) = await f.CreateClientAsync(pool, secret: true);
        (await Should.ThrowAsync<CognitoServiceException>(() => AddAsync(pool, client, value))).ErrorType.ShouldBe("InvalidParameterException");
    }

    [Fact]
    public async Task Add_PublicClient_InvalidParameterAndStaysPublic()
    {
        var pool = await f.CreatePoolAsync();
        var (client, _) = await f.CreateClientAsync(pool, secret: false);
        (await Should.ThrowAsync<CognitoServiceException>(() => AddAsync(pool, client))).ErrorType.ShouldBe("InvalidParameterException");
        (await ListAsync(pool, client)).Count.ShouldBe(0);
    }

    [Fact]
    public async Task Actions_UnknownClientOrOtherPool_ResourceNotFound()
    {
        var pool = await f.CreatePoolAsync();
        var other = await f.CreatePoolAsync();
        var (client, _) = await f.CreateClientAsync(pool, secret: true);
        (await Should.ThrowAsync<CognitoServiceException>(() => AddAsync(other, client))).ErrorType.ShouldBe("ResourceNotFoundException");
        (await Should.ThrowAsync<CognitoServiceException>(() => ListAsync(other, client))).ErrorType.ShouldBe("ResourceNotFoundException");
        (await Should.ThrowAsync<CognitoServiceException>(() => DeleteAsync(pool, client, client + "--1"))).ErrorType.ShouldBe("ResourceNotFoundException");
    }
}
