using System.Text.Json.Nodes;
using Cognate.Client;
using Cognate.Server.Tests.Infrastructure;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Pools;

/// <summary>
/// CreateTerms, DescribeTerms, DescribeTermsByClient, ListTerms, UpdateTerms, DeleteTerms: terms documents per app client, one per
/// name, links per managed-login language as absolute https URLs, and Cognito's errors.
/// </summary>
public sealed class TermsTests(ServerFixture f)
{
    static async Task<CognitoServiceException> Fails(Task t, string type)
    {
        var ex = await Should.ThrowAsync<CognitoServiceException>(t);
        ex.ErrorType.ShouldBe(type, ex.Message);
        return ex;
    }

    Task<JsonObject> Create(string pool, string client, string name = "terms-of-use", JsonObject? links = null) =>
        f.Admin.InvokeAsync("CreateTerms", new JsonObject
        {
            ["UserPoolId"] = pool, ["ClientId"] = client, ["TermsName"] = name, ["TermsSource"] = "LINK", ["Enforcement"] = "NONE",
            ["Links"] = links ?? new JsonObject { ["cognito:default"] = "https://example.com/terms", ["cognito:spanish"] = "https://example.com/es/terms" },
        });

    [Fact]
    public async Task Terms_CreateDescribeListUpdateDelete_RoundTrip()
    {
        var pool = await f.CreatePoolAsync();
        var (client, _) = await f.CreateClientAsync(pool);
        var created = (await Create(pool, client))["Terms"]!;
        var id = (string)created["TermsId"]!;
        id.ShouldMatch("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
        ((string?)created["UserPoolId"]).ShouldBe(pool);
        ((string?)created["ClientId"]).ShouldBe(client);
        ((string?)created["TermsName"]).ShouldBe("terms-of-use");
        ((string?)created["TermsSource"]).ShouldBe("LINK");
        ((string?)created["Enforcement"]).ShouldBe("NONE");
        ((string?)created["Links"]!["cognito:spanish"]).ShouldBe("https://example.com/es/terms");
        created["CreationDate"]!.GetValueKind().ShouldBe(System.Text.Json.JsonValueKind.Number);
        created["LastModifiedDate"].ShouldNotBeNull();

        var described = (await f.Admin.InvokeAsync("DescribeTerms", new JsonObject { ["UserPoolId"] = pool, ["TermsId"] = id }))["Terms"]!;
        described.ToJsonString().ShouldBe(created.ToJsonString());
        var byClient = (await f.Admin.InvokeAsync("DescribeTermsByClient", new JsonObject { ["UserPoolId"] = pool, ["ClientId"] = client, ["TermsName"] = "terms-of-use" }))["Terms"]!;
        ((string?)byClient["TermsId"]).ShouldBe(id);

        var privacy = (string)(await Create(pool, client, "privacy-policy", new JsonObject { ["cognito:default"] = "https://example.com/privacy" }))["Terms"]!["TermsId"]!;
        var list = await f.Admin.InvokeAsync("ListTerms", new JsonObject { ["UserPoolId"] = pool });
        list["Terms"]!.AsArray().Select(t => (string?)t!["TermsId"]).ShouldBe(new[] { id, privacy }.Order(StringComparer.Ordinal));
        list["Terms"]![0]!.AsObject().Select(kv => kv.Key).ShouldBe(["TermsId", "TermsName", "Enforcement", "CreationDate", "LastModifiedDate"], ignoreOrder: true);
        list["NextToken"].ShouldBeNull();
        var page1 = await f.Admin.InvokeAsync("ListTerms", new JsonObject { ["UserPoolId"] = pool, ["MaxResults"] = 1 });
        page1["Terms"]!.AsArray().Count.ShouldBe(1);
        var page2 = await f.Admin.InvokeAsync("ListTerms", new JsonObject { ["UserPoolId"] = pool, ["MaxResults"] = 1, ["NextToken"] = (string)page1["NextToken"]! });
        page2["Terms"]!.AsArray().Count.ShouldBe(1);
        ((string?)page2["Terms"]![0]!["TermsId"]).ShouldNotBe((string?)page1["Terms"]![0]!["TermsId"]);

        // UpdateTerms: links replaced whole, the rest kept.
        var updated = (await f.Admin.InvokeAsync("UpdateTerms", new JsonObject
        {
            ["UserPoolId"] = pool, ["TermsId"] = id, ["Links"] = new JsonObject { ["cognito:default"] = "https://example.com/terms/v2" },
        }))["Terms"]!;
        updated["Links"]!.AsObject().Count.ShouldBe(1);
        ((string?)updated["TermsName"]).ShouldBe("terms-of-use");
        // Renaming to the client's other document's name: TermsExistsException.
        await Fails(f.Admin.InvokeAsync("UpdateTerms", new JsonObject { ["UserPoolId"] = pool, ["TermsId"] = id, ["TermsName"] = "privacy-policy" }), "TermsExistsException");

        await f.Admin.InvokeAsync("DeleteTerms", new JsonObject { ["UserPoolId"] = pool, ["TermsId"] = id });
        await Fails(f.Admin.InvokeAsync("DescribeTerms", new JsonObject { ["UserPoolId"] = pool, ["TermsId"] = id }), "ResourceNotFoundException");
        await Fails(f.Admin.InvokeAsync("DeleteTerms", new JsonObject { ["UserPoolId"] = pool, ["TermsId"] = id }), "ResourceNotFoundException");
        await Fails(f.Admin.InvokeAsync("DescribeTermsByClient", new JsonObject { ["UserPoolId"] = pool, ["ClientId"] = client, ["TermsName"] = "terms-of-use" }), "ResourceNotFoundException");
        // The name is free again.
        await Create(pool, client);
    }

    [Fact]
    public async Task CreateTerms_SameNameTwiceOnClient_TermsExists_OtherClientAllowed()
    {
        var pool = await f.CreatePoolAsync();
        var (a, _) = await f.CreateClientAsync(pool);
        var (b, _) = await f.CreateClientAsync(pool);
        await Create(pool, a);
        await Fails(Create(pool, a), "TermsExistsException");
        await Create(pool, b);
        (await f.Admin.InvokeAsync("ListTerms", new JsonObject { ["UserPoolId"] = pool }))["Terms"]!.AsArray().Count.ShouldBe(2);
    }

    [Fact]
    public async Task Terms_UnknownPoolClientOrOtherPoolsDocument_ResourceNotFound()
    {
        var pool = await f.CreatePoolAsync();
        var other = await f.CreatePoolAsync();
        var (client, _) = await f.CreateClientAsync(pool);
        var (otherClient, _) = await f.CreateClientAsync(other);
        var region = pool[..pool.IndexOf('_', StringComparison.Ordinal)];
        await Fails(Create(region + "_Missing0", client), "ResourceNotFoundException");
        await Fails(Create(pool, "nosuchclient1234567890abcd"), "ResourceNotFoundException");
        await Fails(Create(pool, otherClient), "ResourceNotFoundException");
        var id = (string)(await Create(pool, client))["Terms"]!["TermsId"]!;
        // Another pool cannot read, change or delete it.
        await Fails(f.Admin.InvokeAsync("DescribeTerms", new JsonObject { ["UserPoolId"] = other, ["TermsId"] = id }), "ResourceNotFoundException");
        await Fails(f.Admin.InvokeAsync("UpdateTerms", new JsonObject { ["UserPoolId"] = other, ["TermsId"] = id, ["Enforcement"] = "NONE" }), "ResourceNotFoundException");
        await Fails(f.Admin.InvokeAsync("DeleteTerms", new JsonObject { ["UserPoolId"] = other, ["TermsId"] = id }), "ResourceNotFoundException");
        await Fails(f.Admin.InvokeAsync("DescribeTerms", new JsonObject { ["UserPoolId"] = pool, ["TermsId"] = Guid.NewGuid().ToString() }), "ResourceNotFoundException");
        ((string?)(await f.Admin.InvokeAsync("DescribeTerms", new JsonObject { ["UserPoolId"] = pool, ["TermsId"] = id }))["Terms"]!["TermsId"]).ShouldBe(id);
    }

    [Fact]
    public async Task CreateTerms_BadLinksOrNames_Rejected()
    {
        var pool = await f.CreatePoolAsync();
        var (client, _) = await f.CreateClientAsync(pool);
        foreach (var url in new[] { "http://example.com/terms", "javascript:alert(1)", "/relative/terms", "https://user:pw@example.com/t", "ftp://example.com/t" })
        {
            await Fails(Create(pool, client, links: new JsonObject { ["cognito:default"] = url }), "InvalidParameterException");
        }
        // Model-level: an unknown language key, a name outside the two, an empty Links map, an unknown Enforcement: 400s.
        (await Should.ThrowAsync<CognitoServiceException>(Create(pool, client, links: new JsonObject { ["cognito:klingon"] = "https://example.com" }))).StatusCode.ShouldBe(400);
        (await Should.ThrowAsync<CognitoServiceException>(Create(pool, client, name: "cookie-policy"))).StatusCode.ShouldBe(400);
        (await Should.ThrowAsync<CognitoServiceException>(Create(pool, client, links: []))).StatusCode.ShouldBe(400);
        (await Should.ThrowAsync<CognitoServiceException>(f.Admin.InvokeAsync("CreateTerms", new JsonObject
        {
            ["UserPoolId"] = pool, ["ClientId"] = client, ["TermsName"] = "terms-of-use", ["TermsSource"] = "LINK", ["Enforcement"] = "STRICT",
            ["Links"] = new JsonObject { ["cognito:default"] = "https://example.com" },
        }))).StatusCode.ShouldBe(400);
        await Fails(f.Admin.InvokeAsync("CreateTerms", new JsonObject
        {
            ["UserPoolId"] = pool, ["ClientId"] = client, ["TermsName"] = "terms-of-use", ["TermsSource"] = "LINK", ["Enforcement"] = "NONE",
        }), "InvalidParameterException");
        (await Should.ThrowAsync<CognitoServiceException>(f.Admin.InvokeAsync("DescribeTerms", new JsonObject { ["UserPoolId"] = pool, ["TermsId"] = "not-a-uuid" }))).StatusCode.ShouldBe(400);
        (await Should.ThrowAsync<CognitoServiceException>(f.Admin.InvokeAsync("ListTerms", new JsonObject { ["UserPoolId"] = pool, ["NextToken"] = "garbage!!" }))).StatusCode.ShouldBe(400);
        // Loopback http is allowed for local development.
        await Create(pool, client, links: new JsonObject { ["cognito:default"] = "http://localhost:3000/terms" });
        (await f.Admin.InvokeAsync("ListTerms", new JsonObject { ["UserPoolId"] = pool }))["Terms"]!.AsArray().Count.ShouldBe(1);
    }

    [Fact]
    public async Task Terms_GoWithTheirClient_AndUnsignedCallsAreRefused()
    {
        var pool = await f.CreatePoolAsync();
        var (client, _) = await f.CreateClientAsync(pool);
        await Create(pool, client);
        await Fails(f.Public.InvokeAsync("ListTerms", new JsonObject { ["UserPoolId"] = pool }), "MissingAuthenticationTokenException");
        await Fails(f.Public.InvokeAsync("CreateTerms", new JsonObject
        {
            ["UserPoolId"] = pool, ["ClientId"] = client, ["TermsName"] = "privacy-policy", ["TermsSource"] = "LINK", ["Enforcement"] = "NONE",
            ["Links"] = new JsonObject { ["cognito:default"] = "https://evil.example/p" },
        }), "MissingAuthenticationTokenException");
        await f.Admin.InvokeAsync("DeleteUserPoolClient", new JsonObject { ["UserPoolId"] = pool, ["ClientId"] = client });
        (await f.Admin.InvokeAsync("ListTerms", new JsonObject { ["UserPoolId"] = pool }))["Terms"]!.AsArray().Count.ShouldBe(0);
    }
}
