using System.Text.Json.Nodes;
using Cognate.Client;
using Cognate.Server.Tests.Infrastructure;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Domains;

/// <summary>Domains, resource servers, app-client OAuth settings, UI customization and managed login branding over the wire.</summary>
public sealed class ManagementApiTests(ServerFixture f)
{
    const string Cert = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555";

    Task<JsonObject> Invoke(string action, JsonObject body) => f.Admin.InvokeAsync(action, body);

    static string Unique(string stem) => stem + "-" + Guid.NewGuid().ToString("N")[..10];

    async Task<string> Fails(string action, JsonObject body, string type)
    {
        var ex = await Should.ThrowAsync<CognitoServiceException>(() => Invoke(action, body));
        ex.ErrorType.ShouldBe(type);
        return ex.Message;
    }

    [Fact]
    public async Task Domains_PrefixAndCustom_DescribedAndGoneWithPool()
    {
        var pool = await f.CreatePoolAsync();
        var other = await f.CreatePoolAsync();
        var prefix = Unique("login");
        var custom = Unique("auth") + ".example.com";

        var created = await Invoke("CreateUserPoolDomain", new JsonObject { ["UserPoolId"] = pool, ["Domain"] = prefix });
        ((int?)created["ManagedLoginVersion"]).ShouldBe(1);
        var createdCustom = await Invoke("CreateUserPoolDomain", new JsonObject
        {
            ["UserPoolId"] = pool, ["Domain"] = custom, ["ManagedLoginVersion"] = 2, ["CustomDomainConfig"] = new JsonObject { ["CertificateArn"] = Cert },
        });
        ((string?)createdCustom["CloudFrontDomain"]).ShouldEndWith(".cloudfront.net");

        (await Fails("CreateUserPoolDomain", new JsonObject { ["UserPoolId"] = other, ["Domain"] = prefix }, "InvalidParameterException"))
            .ShouldContain("Domain already associated with another user pool.");
        (await Fails("CreateUserPoolDomain", new JsonObject { ["UserPoolId"] = other, ["Domain"] = "my-cognito-login" }, "InvalidParameterException"))
            .ShouldContain("Domain cannot contain reserved word: cognito");
        await Fails("CreateUserPoolDomain", new JsonObject { ["UserPoolId"] = pool, ["Domain"] = Unique("second") }, "InvalidParameterException");

        var d = (await Invoke("DescribeUserPoolDomain", new JsonObject { ["Domain"] = custom }))["DomainDescription"]!;
        ((string?)d["UserPoolId"], (string?)d["Status"], (int?)d["ManagedLoginVersion"]).ShouldBe((pool, "ACTIVE", 2));
        ((string?)d["CustomDomainConfig"]!["CertificateArn"]).ShouldBe(Cert);
        ((string?)d["CloudFrontDistribution"]).ShouldBe((string?)createdCustom["CloudFrontDomain"]);
        (await Invoke("DescribeUserPoolDomain", new JsonObject { ["Domain"] = Unique("unknown") }))["DomainDescription"]!.AsObject().Count.ShouldBe(0);

        var described = (await Invoke("DescribeUserPool", new JsonObject { ["UserPoolId"] = pool }))["UserPool"]!;
        ((string?)described["Domain"], (string?)described["CustomDomain"]).ShouldBe((prefix, custom));

        var updated = await Invoke("UpdateUserPoolDomain", new JsonObject { ["UserPoolId"] = pool, ["Domain"] = prefix, ["ManagedLoginVersion"] = 2 });
        ((int?)updated["ManagedLoginVersion"]).ShouldBe(2);
        (await Fails("DeleteUserPoolDomain", new JsonObject { ["UserPoolId"] = other, ["Domain"] = prefix }, "InvalidParameterException"))
            .ShouldContain("No such domain or user pool exists.");
        await Invoke("DeleteUserPoolDomain", new JsonObject { ["UserPoolId"] = pool, ["Domain"] = prefix });
        (await Invoke("DescribeUserPool", new JsonObject { ["UserPoolId"] = pool }))["UserPool"]!["Domain"].ShouldBeNull();

        await Invoke("DeleteUserPool", new JsonObject { ["UserPoolId"] = pool });
        (await Invoke("DescribeUserPoolDomain", new JsonObject { ["Domain"] = custom }))["DomainDescription"]!.AsObject().Count.ShouldBe(0);
        await Invoke("CreateUserPoolDomain", new JsonObject { ["UserPoolId"] = other, ["Domain"] = prefix });
    }

    [Fact]
    public async Task ResourceServers_CustomScopes_ClientsMayUseOnlyExistingOnes()
    {
        var pool = await f.CreatePoolAsync();
        var rs = await Invoke("CreateResourceServer", new JsonObject
        {
            ["UserPoolId"] = pool, ["Identifier"] = "https://api.example.com", ["Name"] = "api",
            ["Scopes"] = new JsonArray(new JsonObject { ["ScopeName"] = "read", ["ScopeDescription"] = "Read" }),
        });
        ((string?)rs["ResourceServer"]!["Scopes"]![0]!["ScopeName"]).ShouldBe("read");
        await Fails("CreateResourceServer", new JsonObject { ["UserPoolId"] = pool, ["Identifier"] = "https://api.example.com", ["Name"] = "again" }, "InvalidParameterException");

        var client = await Invoke("CreateUserPoolClient", new JsonObject
        {
            ["UserPoolId"] = pool, ["ClientName"] = "m2m", ["GenerateSecret"] = true, ["AllowedOAuthFlowsUserPoolClient"] = true,
            ["AllowedOAuthFlows"] = new JsonArray("client_credentials"), ["AllowedOAuthScopes"] = new JsonArray("https://api.example.com/read"),
        });
        ((string?)client["UserPoolClient"]!["AllowedOAuthScopes"]![0]).ShouldBe("https://api.example.com/read");
        await Fails("CreateUserPoolClient", new JsonObject
        {
            ["UserPoolId"] = pool, ["ClientName"] = "m2m", ["GenerateSecret"] = true, ["AllowedOAuthFlowsUserPoolClient"] = true,
            ["AllowedOAuthFlows"] = new JsonArray("client_credentials"), ["AllowedOAuthScopes"] = new JsonArray("https://api.example.com/admin"),
        }, "ScopeDoesNotExistException");
        await Fails("CreateUserPoolClient", new JsonObject
        {
            ["UserPoolId"] = pool, ["ClientName"] = "web", ["AllowedOAuthFlowsUserPoolClient"] = true, ["AllowedOAuthFlows"] = new JsonArray("code"),
            ["AllowedOAuthScopes"] = new JsonArray("openid"), ["CallbackURLs"] = new JsonArray("http://attacker.example/cb"),
        }, "InvalidParameterException");

        await Invoke("UpdateResourceServer", new JsonObject { ["UserPoolId"] = pool, ["Identifier"] = "https://api.example.com", ["Name"] = "renamed" });
        var listed = await Invoke("ListResourceServers", new JsonObject { ["UserPoolId"] = pool, ["MaxResults"] = 10 });
        ((string?)listed["ResourceServers"]![0]!["Name"]).ShouldBe("renamed");
        listed["ResourceServers"]![0]!["Scopes"]!.AsArray().Count.ShouldBe(0);
        await Invoke("DeleteResourceServer", new JsonObject { ["UserPoolId"] = pool, ["Identifier"] = "https://api.example.com" });
        await Fails("DescribeResourceServer", new JsonObject { ["UserPoolId"] = pool, ["Identifier"] = "https://api.example.com" }, "ResourceNotFoundException");
    }

    [Fact]
    public async Task UICustomizationAndBranding_StoredPerPoolAndClient()
    {
        var pool = await f.CreatePoolAsync();
        var client = (string)(await Invoke("CreateUserPoolClient", new JsonObject { ["UserPoolId"] = pool, ["ClientName"] = "web" }))["UserPoolClient"]!["ClientId"]!;
        (await Fails("SetUICustomization", new JsonObject { ["UserPoolId"] = pool, ["CSS"] = ".logo-customizable{width:1px}" }, "InvalidParameterException"))
            .ShouldContain("domain");
        await Invoke("CreateUserPoolDomain", new JsonObject { ["UserPoolId"] = pool, ["Domain"] = Unique("ui") });

        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];
        var set = (await Invoke("SetUICustomization", new JsonObject { ["UserPoolId"] = pool, ["CSS"] = ".logo-customizable{max-width:60%}", ["ImageFile"] = Convert.ToBase64String(png) }))["UICustomization"]!;
        ((string?)set["ClientId"]).ShouldBe("ALL");
        ((string?)set["ImageUrl"] ?? "").ShouldContain($"/_ui/{pool}/ALL/logo.png");
        await Fails("SetUICustomization", new JsonObject { ["UserPoolId"] = pool, ["CSS"] = ".logo-customizable{background:url(https://evil.example/x)}" }, "InvalidParameterException");
        var inherited = (await Invoke("GetUICustomization", new JsonObject { ["UserPoolId"] = pool, ["ClientId"] = client }))["UICustomization"]!;
        ((string?)inherited["CSS"]).ShouldBe(".logo-customizable{max-width:60%}");
        await Invoke("SetUICustomization", new JsonObject { ["UserPoolId"] = pool, ["ClientId"] = client, ["CSS"] = ".banner-customizable{padding:1px}" });
        ((string?)(await Invoke("GetUICustomization", new JsonObject { ["UserPoolId"] = pool, ["ClientId"] = client }))["UICustomization"]!["CSS"]).ShouldBe(".banner-customizable{padding:1px}");
        await Fails("GetUICustomization", new JsonObject { ["UserPoolId"] = pool, ["ClientId"] = "nosuchclient0000000000000a" }, "ResourceNotFoundException");

        var settings = new JsonObject { ["components"] = new JsonObject { ["primaryButton"] = new JsonObject { ["lightMode"] = new JsonObject { ["defaults"] = new JsonObject { ["backgroundColor"] = "0972d3ff" } } } } };
        var b = (await Invoke("CreateManagedLoginBranding", new JsonObject
        {
            ["UserPoolId"] = pool, ["ClientId"] = client, ["Settings"] = settings.DeepClone(),
            ["Assets"] = new JsonArray(new JsonObject { ["Category"] = "PAGE_HEADER_LOGO", ["ColorMode"] = "LIGHT", ["Extension"] = "PNG", ["Bytes"] = Convert.ToBase64String(png) }),
        }))["ManagedLoginBranding"]!;
        var id = (string)b["ManagedLoginBrandingId"]!;
        JsonNode.DeepEquals(b["Settings"], settings).ShouldBeTrue();
        await Fails("CreateManagedLoginBranding", new JsonObject { ["UserPoolId"] = pool, ["ClientId"] = client, ["UseCognitoProvidedValues"] = true }, "ManagedLoginBrandingExistsException");
        var byClient = (await Invoke("DescribeManagedLoginBrandingByClient", new JsonObject { ["UserPoolId"] = pool, ["ClientId"] = client }))["ManagedLoginBranding"]!;
        ((string?)byClient["ManagedLoginBrandingId"]).ShouldBe(id);
        ((string?)byClient["Assets"]![0]!["Bytes"]).ShouldBe(Convert.ToBase64String(png));
        var reset = (await Invoke("UpdateManagedLoginBranding", new JsonObject { ["UserPoolId"] = pool, ["ManagedLoginBrandingId"] = id, ["UseCognitoProvidedValues"] = true }))["ManagedLoginBranding"]!;
        ((bool?)reset["UseCognitoProvidedValues"]).ShouldBe(true);
        reset["Settings"].ShouldBeNull();
        await Invoke("DeleteManagedLoginBranding", new JsonObject { ["UserPoolId"] = pool, ["ManagedLoginBrandingId"] = id });
        await Fails("DescribeManagedLoginBranding", new JsonObject { ["UserPoolId"] = pool, ["ManagedLoginBrandingId"] = id }, "ResourceNotFoundException");
    }
}
