using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Cognate.Client;
using Cognate.Client.SigV4;
using Cognate.Server.Tests.Infrastructure;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.IdentityProviders;

/// <summary>A tiny OIDC discovery document server on 127.0.0.1 (the issuer is <c>http://127.0.0.1:{port}/tenant</c>); counts requests.</summary>
internal sealed class DiscoveryServer : IAsyncDisposable
{
    readonly HttpListener listener = new();
    readonly Task loop;
    public string Issuer { get; }
    public int Requests;
    public bool Broken { get; set; }

    public DiscoveryServer()
    {
        using (var l = new TcpListener(IPAddress.Loopback, 0))
        {
            l.Start();
            Port = ((IPEndPoint)l.LocalEndpoint).Port;
        }
        Issuer = $"http://127.0.0.1:{Port}/tenant";
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext ctx;
            try { ctx = await listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            Interlocked.Increment(ref Requests);
            var ok = !Broken && ctx.Request.Url!.AbsolutePath == "/tenant/.well-known/openid-configuration";
            var body = ok ? new JsonObject
            {
                ["issuer"] = Issuer, ["authorization_endpoint"] = Issuer + "/authorize", ["token_endpoint"] = Issuer + "/token",
                ["userinfo_endpoint"] = Issuer + "/userinfo", ["jwks_uri"] = Issuer + "/jwks",
            }.ToJsonString() : "{}";
            ctx.Response.StatusCode = ok ? 200 : 404;
            ctx.Response.ContentType = "application/json";
            var bytes = Encoding.UTF8.GetBytes(body);
            await ctx.Response.OutputStream.WriteAsync(bytes);
            ctx.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        listener.Stop();
        listener.Close();
        await loop;
    }
}

/// <summary>CreateIdentityProvider … GetIdentityProviderByIdentifier over the wire against the Development server.</summary>
public sealed class IdentityProviderApiTests(ServerFixture f)
{
    Task<JsonObject> Invoke(string action, JsonObject body) => f.Admin.InvokeAsync(action, body);

    async Task<string> Fails(string action, JsonObject body, string type)
    {
        var ex = await Should.ThrowAsync<CognitoServiceException>(() => Invoke(action, body));
        ex.ErrorType.ShouldBe(type);
        return ex.Message;
    }

    static JsonObject Map(params (string K, string V)[] pairs)
    {
        var o = new JsonObject();
        foreach (var (k, v) in pairs) o[k] = v;
        return o;
    }

    /// <summary>IdP metadata with a fresh self-signed signing certificate (the SAML completer refuses metadata without one).</summary>
    static readonly string SamlMetadata = BuildSamlMetadata();

    static string BuildSamlMetadata()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=idp.example.com", rsa,
            System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var der = Convert.ToBase64String(cert.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Cert));
        return $"""<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="https://idp.example.com/saml"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{der}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso"/></md:IDPSSODescriptor></md:EntityDescriptor>""";
    }

    [Fact]
    public async Task Oidc_DiscoveredFromIssuer_DescribedListedUpdatedDeleted()
    {
        await using var discovery = new DiscoveryServer();
        var pool = await f.CreatePoolAsync();
        var created = (await Invoke("CreateIdentityProvider", new JsonObject
        {
            ["UserPoolId"] = pool, ["ProviderName"] = "Corp", ["ProviderType"] = "OIDC",
            ["ProviderDetails"] = Map(("client_id", "cid"), ("client_secret", "csecret"), ("authorize_scopes", "openid email"), ("oidc_issuer", discovery.Issuer), ("attributes_request_method", "GET")),
            ["AttributeMapping"] = Map(("email", "email")),
            ["IdpIdentifiers"] = new JsonArray("corp.example.com"),
        }))["IdentityProvider"]!;

        discovery.Requests.ShouldBe(1);
        var details = created["ProviderDetails"]!.AsObject();
        ((string?)details["authorize_url"], (string?)details["token_url"], (string?)details["attributes_url"], (string?)details["jwks_uri"])
            .ShouldBe((discovery.Issuer + "/authorize", discovery.Issuer + "/token", discovery.Issuer + "/userinfo", discovery.Issuer + "/jwks"));
        ((string?)details["attributes_url_add_attributes"], (string?)details["client_secret"]).ShouldBe(("false", "csecret"));
        ((string?)created["AttributeMapping"]!["username"]).ShouldBe("sub");
        created["CreationDate"]!.GetValueKind().ShouldBe(System.Text.Json.JsonValueKind.Number);

        var described = (await Invoke("DescribeIdentityProvider", new JsonObject { ["UserPoolId"] = pool, ["ProviderName"] = "Corp" }))["IdentityProvider"]!;
        described.ToJsonString().ShouldBe(created.ToJsonString());
        ((string?)(await Invoke("GetIdentityProviderByIdentifier", new JsonObject { ["UserPoolId"] = pool, ["IdpIdentifier"] = "corp.example.com" }))["IdentityProvider"]!["ProviderName"]).ShouldBe("Corp");

        // Update with only AttributeMapping: details (and the discovery) untouched.
        var updated = (await Invoke("UpdateIdentityProvider", new JsonObject { ["UserPoolId"] = pool, ["ProviderName"] = "Corp", ["AttributeMapping"] = Map(("name", "name")) }))["IdentityProvider"]!;
        discovery.Requests.ShouldBe(1);
        ((string?)updated["ProviderDetails"]!["jwks_uri"], (string?)updated["AttributeMapping"]!["name"], updated["IdpIdentifiers"]!.AsArray().Count).ShouldBe((discovery.Issuer + "/jwks", "name", 1));

        // Every endpoint given: no discovery at all.
        await Invoke("UpdateIdentityProvider", new JsonObject
        {
            ["UserPoolId"] = pool, ["ProviderName"] = "Corp",
            ["ProviderDetails"] = Map(("client_id", "cid2"), ("authorize_scopes", "openid"), ("oidc_issuer", discovery.Issuer), ("authorize_url", "https://a.example.com/auth"),
                ("token_url", "https://a.example.com/token"), ("attributes_url", "https://a.example.com/userinfo"), ("jwks_uri", "https://a.example.com/jwks")),
        });
        discovery.Requests.ShouldBe(1);

        discovery.Broken = true;
        (await Fails("CreateIdentityProvider", new JsonObject
        {
            ["UserPoolId"] = pool, ["ProviderName"] = "Broken", ["ProviderType"] = "OIDC",
            ["ProviderDetails"] = Map(("client_id", "c"), ("authorize_scopes", "openid"), ("oidc_issuer", discovery.Issuer)),
        }, "InvalidParameterException")).ShouldContain("/.well-known/openid-configuration");
        await Fails("CreateIdentityProvider", new JsonObject
        {
            ["UserPoolId"] = pool, ["ProviderName"] = "Plain", ["ProviderType"] = "OIDC",
            ["ProviderDetails"] = Map(("client_id", "c"), ("authorize_scopes", "openid"), ("oidc_issuer", "http://idp.example.com")),
        }, "InvalidParameterException");

        await Invoke("DeleteIdentityProvider", new JsonObject { ["UserPoolId"] = pool, ["ProviderName"] = "Corp" });
        await Fails("DescribeIdentityProvider", new JsonObject { ["UserPoolId"] = pool, ["ProviderName"] = "Corp" }, "ResourceNotFoundException");
        await Fails("GetIdentityProviderByIdentifier", new JsonObject { ["UserPoolId"] = pool, ["IdpIdentifier"] = "corp.example.com" }, "ResourceNotFoundException");
        await Fails("DeleteIdentityProvider", new JsonObject { ["UserPoolId"] = pool, ["ProviderName"] = "Corp" }, "ResourceNotFoundException");
    }

    [Fact]
    public async Task SocialAndSaml_CompletedOrChecked_ListPages_ErrorsByType()
    {
        var pool = await f.CreatePoolAsync();
        var google = (await Invoke("CreateIdentityProvider", new JsonObject
        {
            ["UserPoolId"] = pool, ["ProviderName"] = "Google", ["ProviderType"] = "Google",
            ["ProviderDetails"] = Map(("client_id", "g.apps.googleusercontent.com"), ("client_secret", "gs"), ("authorize_scopes", "openid email profile")),
        }))["IdentityProvider"]!;
        ((string?)google["ProviderDetails"]!["authorize_url"], (string?)google["ProviderDetails"]!["oidc_issuer"], (string?)google["ProviderDetails"]!["attributes_url_add_attributes"])
            .ShouldBe(("https://accounts.google.com/o/oauth2/v2/auth", "https://accounts.google.com", "true"));

        var apple = (await Invoke("CreateIdentityProvider", new JsonObject
        {
            ["UserPoolId"] = pool, ["ProviderName"] = "SignInWithApple", ["ProviderType"] = "SignInWithApple",
            ["ProviderDetails"] = Map(("client_id", "com.example"), ("team_id", "T1"), ("key_id", "K1"), ("private_key", "-----BEGIN PRIVATE KEY-----x"), ("authorize_scopes", "email name")),
        }))["IdentityProvider"]!;
        apple["ProviderDetails"]!["private_key"].ShouldBeNull();
        ((string?)apple["ProviderDetails"]!["token_url"]).ShouldBe("https://appleid.apple.com/auth/token");

        var saml = (await Invoke("CreateIdentityProvider", new JsonObject
        {
            ["UserPoolId"] = pool, ["ProviderName"] = "Okta", ["ProviderType"] = "SAML",
            ["ProviderDetails"] = Map(("MetadataFile", SamlMetadata), ("IDPSignout", "false")),
        }))["IdentityProvider"]!;
        ((string?)saml["ProviderDetails"]!["MetadataFile"]).ShouldBe(SamlMetadata);
        ((string?)saml["ProviderDetails"]!["SSORedirectBindingURI"]).ShouldBe("https://idp.example.com/sso"); // the SAML completer read the metadata
        saml["AttributeMapping"]!.AsObject().Count.ShouldBe(0);

        (await Fails("CreateIdentityProvider", new JsonObject
        {
            ["UserPoolId"] = pool, ["ProviderName"] = "Google", ["ProviderType"] = "Google",
            ["ProviderDetails"] = Map(("client_id", "x"), ("client_secret", "y"), ("authorize_scopes", "openid")),
        }, "DuplicateProviderException")).ShouldBe($"Google already exists in user pool {pool}");
        (await Fails("CreateIdentityProvider", new JsonObject
        {
            ["UserPoolId"] = pool, ["ProviderName"] = "MyGoogle", ["ProviderType"] = "Google",
            ["ProviderDetails"] = Map(("client_id", "x"), ("client_secret", "y"), ("authorize_scopes", "openid")),
        }, "InvalidParameterException")).ShouldBe("Provider MyGoogle cannot be of type Google.");
        await Fails("CreateIdentityProvider", new JsonObject
        {
            ["UserPoolId"] = pool, ["ProviderName"] = "_x", ["ProviderType"] = "SAML", ["ProviderDetails"] = Map(("MetadataFile", SamlMetadata)),
        }, "InvalidParameterException");
        await Fails("CreateIdentityProvider", new JsonObject
        {
            ["UserPoolId"] = pool, ["ProviderName"] = "Both", ["ProviderType"] = "SAML", ["ProviderDetails"] = Map(("MetadataFile", SamlMetadata), ("MetadataURL", "https://m.example.com")),
        }, "InvalidParameterException");
        await Fails("CreateIdentityProvider", new JsonObject
        {
            ["UserPoolId"] = pool, ["ProviderName"] = "Okta2", ["ProviderType"] = "SAML", ["ProviderDetails"] = Map(("MetadataFile", SamlMetadata)),
            ["IdpIdentifiers"] = new JsonArray("bad/id"),
        }, "InvalidParameterException");
        await Fails("CreateIdentityProvider", new JsonObject
        {
            ["UserPoolId"] = pool, ["ProviderName"] = "Okta2", ["ProviderType"] = "Ping", ["ProviderDetails"] = Map(("MetadataFile", SamlMetadata)),
        }, "InvalidParameterException");
        await Fails("CreateIdentityProvider", new JsonObject
        {
            ["UserPoolId"] = "us-east-1_NoSuchPool", ["ProviderName"] = "Okta2", ["ProviderType"] = "SAML", ["ProviderDetails"] = Map(("MetadataFile", SamlMetadata)),
        }, "ResourceNotFoundException");

        var first = await Invoke("ListIdentityProviders", new JsonObject { ["UserPoolId"] = pool, ["MaxResults"] = 2 });
        first["Providers"]!.AsArray().Select(p => (string?)p!["ProviderName"]).ShouldBe(["Google", "Okta"]);
        first["Providers"]![0]!.AsObject().Select(kv => kv.Key).Order().ShouldBe(["CreationDate", "LastModifiedDate", "ProviderName", "ProviderType"]);
        var second = await Invoke("ListIdentityProviders", new JsonObject { ["UserPoolId"] = pool, ["MaxResults"] = 2, ["NextToken"] = (string?)first["NextToken"] });
        second["Providers"]!.AsArray().Select(p => (string?)p!["ProviderName"]).ShouldBe(["SignInWithApple"]);
        second["NextToken"].ShouldBeNull();
        await Fails("ListIdentityProviders", new JsonObject { ["UserPoolId"] = pool, ["MaxResults"] = 61 }, "InvalidParameterException");
    }

    [Fact]
    public async Task Clients_SupportedIdentityProviders_NameExistingProviders_DeleteRemovesThem()
    {
        var pool = await f.CreatePoolAsync();
        JsonObject Client(params string[] providers) => new()
        {
            ["ClientName"] = "web", ["SupportedIdentityProviders"] = new JsonArray([.. providers.Select(p => (JsonNode)p)]),
            ["AllowedOAuthFlowsUserPoolClient"] = true, ["AllowedOAuthFlows"] = new JsonArray("code"), ["AllowedOAuthScopes"] = new JsonArray("openid"),
            ["CallbackURLs"] = new JsonArray("https://app.example.com/cb"),
        };
        var req = Client("COGNITO", "Okta");
        req["UserPoolId"] = pool;
        (await Fails("CreateUserPoolClient", req, "InvalidParameterException")).ShouldBe($"The provider Okta does not exist for User Pool {pool}");

        await Invoke("CreateIdentityProvider", new JsonObject
        {
            ["UserPoolId"] = pool, ["ProviderName"] = "Okta", ["ProviderType"] = "SAML", ["ProviderDetails"] = Map(("MetadataFile", SamlMetadata)),
        });
        var (clientId, _) = await f.CreateClientAsync(pool, extra: Client("COGNITO", "Okta"));
        var client = (await Invoke("DescribeUserPoolClient", new JsonObject { ["UserPoolId"] = pool, ["ClientId"] = clientId }))["UserPoolClient"]!;
        client["SupportedIdentityProviders"]!.AsArray().Select(p => (string?)p).ShouldBe(["COGNITO", "Okta"]);

        await Invoke("DeleteIdentityProvider", new JsonObject { ["UserPoolId"] = pool, ["ProviderName"] = "Okta" });
        client = (await Invoke("DescribeUserPoolClient", new JsonObject { ["UserPoolId"] = pool, ["ClientId"] = clientId }))["UserPoolClient"]!;
        client["SupportedIdentityProviders"]!.AsArray().Select(p => (string?)p).ShouldBe(["COGNITO"]);

        await Invoke("CreateIdentityProvider", new JsonObject
        {
            ["UserPoolId"] = pool, ["ProviderName"] = "Okta", ["ProviderType"] = "SAML", ["ProviderDetails"] = Map(("MetadataFile", SamlMetadata)),
        });
        await Invoke("DeleteUserPool", new JsonObject { ["UserPoolId"] = pool });
        await Fails("ListIdentityProviders", new JsonObject { ["UserPoolId"] = pool }, "ResourceNotFoundException");
    }

    [Fact]
    public async Task AdminLinkProviderForUser_WithACreatedProvider_LinksAndDisables()
    {
        var pool = await f.CreatePoolAsync();
        await Invoke("AdminCreateUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "alice", ["MessageAction"] = "SUPPRESS" });
        JsonObject Source(string provider) => new() { ["ProviderName"] = provider, ["ProviderAttributeName"] = "Cognito_Subject", ["ProviderAttributeValue"] = "upstream-sub-1" };
        JsonObject Link(string provider) => new()
        {
            ["UserPoolId"] = pool, ["DestinationUser"] = new JsonObject { ["ProviderName"] = "Cognito", ["ProviderAttributeValue"] = "alice" }, ["SourceUser"] = Source(provider),
        };
        await Fails("AdminLinkProviderForUser", Link("Okta"), "InvalidParameterException");

        await Invoke("CreateIdentityProvider", new JsonObject
        {
            ["UserPoolId"] = pool, ["ProviderName"] = "Okta", ["ProviderType"] = "SAML", ["ProviderDetails"] = Map(("MetadataFile", SamlMetadata)),
        });
        await Invoke("AdminLinkProviderForUser", Link("Okta"));
        var user = await Invoke("AdminGetUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "alice" });
        var identities = user["UserAttributes"]!.AsArray().Single(a => (string?)a!["Name"] == "identities")!["Value"]!.GetValue<string>();
        identities.ShouldContain("\"providerName\":\"Okta\"");
        identities.ShouldContain("upstream-sub-1");

        await Invoke("AdminDisableProviderForUser", new JsonObject { ["UserPoolId"] = pool, ["User"] = Source("Okta") });
        user = await Invoke("AdminGetUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "alice" });
        (user["UserAttributes"]!.AsArray().SingleOrDefault(a => (string?)a!["Name"] == "identities")?["Value"]?.GetValue<string>() ?? "[]").ShouldNotContain("upstream-sub-1");
    }

    [Fact]
    public async Task SocialEndpoints_DevelopmentOverride_ReplacesFixedValues()
    {
        await using var server = await CognateServer.StartAsync(new Dictionary<string, string>
        {
            ["Cognate__Federation__Endpoints__Google__authorize_url"] = "http://127.0.0.1:4000/authorize",
            ["Cognate__Federation__Endpoints__Google__jwks_uri"] = "http://127.0.0.1:4000/jwks",
        });
        using var admin = new CognitoIdentityProviderClient(server.Endpoint, "us-east-1", new AwsCredentials(CognateServer.AccessKeyId, CognateServer.SecretAccessKey), server.Http);
        var pool = (string)(await admin.InvokeAsync("CreateUserPool", new JsonObject { ["PoolName"] = "fed" }, TestContext.Current.CancellationToken))["UserPool"]!["Id"]!;
        var details = (await admin.InvokeAsync("CreateIdentityProvider", new JsonObject
        {
            ["UserPoolId"] = pool, ["ProviderName"] = "Google", ["ProviderType"] = "Google",
            ["ProviderDetails"] = Map(("client_id", "g"), ("client_secret", "s"), ("authorize_scopes", "openid")),
        }, TestContext.Current.CancellationToken))["IdentityProvider"]!["ProviderDetails"]!;
        ((string?)details["authorize_url"], (string?)details["jwks_uri"], (string?)details["token_url"])
            .ShouldBe(("http://127.0.0.1:4000/authorize", "http://127.0.0.1:4000/jwks", "https://www.googleapis.com/oauth2/v4/token"));
    }
}
