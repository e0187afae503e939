using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Cognate.Client;
using Cognate.Server.Tests.Infrastructure;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Federation;

/// <summary>
/// The SAML service provider over the wire, the parts that need no identity-provider store: GetSigningCertificate, and the ACS
/// and sign-out endpoints refusing what is not theirs with the error page (the full flows run in
/// test/interop/node/hosted/federation-saml.test.js against samlify).
/// </summary>
public sealed class SamlEndpointTests(ServerFixture f) : IDisposable
{
    const string Cb = "https://app.example.com/callback";
    readonly HttpClient http = new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose() => http.Dispose();

    [Fact]
    public async Task GetSigningCertificate_ReturnsStableSelfSignedCertificateOfThePool()
    {
        var pool = await f.CreatePoolAsync();
        var first = (string)(await f.Admin.InvokeAsync("GetSigningCertificate", new JsonObject { ["UserPoolId"] = pool }))["Certificate"]!;
        var again = (string)(await f.Admin.InvokeAsync("GetSigningCertificate", new JsonObject { ["UserPoolId"] = pool }))["Certificate"]!;
        again.ShouldBe(first);
        using var cert = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(first));
        cert.Subject.ShouldBe("CN=" + pool);
        cert.GetRSAPublicKey()!.KeySize.ShouldBe(2048);
        cert.NotAfter.ShouldBeGreaterThan(DateTime.UtcNow.AddYears(5));

        var other = await f.CreatePoolAsync();
        ((string)(await f.Admin.InvokeAsync("GetSigningCertificate", new JsonObject { ["UserPoolId"] = other }))["Certificate"]!).ShouldNotBe(first);
    }

    [Fact]
    public async Task GetSigningCertificate_UnknownPool_ResourceNotFound()
    {
        var ex = await Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("GetSigningCertificate", new JsonObject { ["UserPoolId"] = "us-east-1_NoSuchPool" }));
        ex.ErrorType.ShouldBe("ResourceNotFoundException");
    }

    async Task<(HttpStatusCode Status, string Body)> PostAcsAsync(params (string Name, string Value)[] form)
    {
        using var response = await http.PostAsync(new Uri(f.Server.Endpoint, "saml2/idpresponse"), new FormUrlEncodedContent(form.Select(p => KeyValuePair.Create(p.Name, p.Value))));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task IdpResponse_WithoutSamlResponse_ErrorPage()
    {
        var (status, body) = await PostAcsAsync(("RelayState", "x"));
        status.ShouldBe(HttpStatusCode.BadRequest);
        body.ShouldContain("SAMLResponse");
    }

    [Fact]
    public async Task IdpResponse_ForgedOrForeignRelayState_ErrorPageNoRedirect()
    {
        var (status, body) = await PostAcsAsync(("SAMLResponse", "PHNhbWxwOlJlc3BvbnNlLz4="), ("RelayState", "not-a-sealed-state"));
        status.ShouldBe(HttpStatusCode.BadRequest);
        body.ShouldContain("Invalid relayState from identity provider");
    }

    [Fact]
    public async Task IdpResponse_IdpInitiatedForProviderTheClientLacks_ErrorPage()
    {
        var pool = await f.CreatePoolAsync();
        var (client, _) = await f.CreateClientAsync(pool, extra: new JsonObject
        {
            ["AllowedOAuthFlowsUserPoolClient"] = true, ["AllowedOAuthFlows"] = new JsonArray("code"), ["AllowedOAuthScopes"] = new JsonArray("openid"),
            ["CallbackURLs"] = new JsonArray(Cb), ["SupportedIdentityProviders"] = new JsonArray("COGNITO"),
        });
        var relay = $"identity_provider=CorpSAML&client_id={client}&redirect_uri={Uri.EscapeDataString(Cb)}&response_type=code";
        var (status, body) = await PostAcsAsync(("SAMLResponse", "PHNhbWxwOlJlc3BvbnNlLz4="), ("RelayState", relay));
        status.ShouldBe(HttpStatusCode.BadRequest);
        body.ShouldNotContain("Location");
        body.ShouldContain("role=\"alert\"");
    }

    [Fact]
    public async Task SamlLogout_WithoutCognateRelayState_ErrorPage()
    {
        using var response = await http.GetAsync(new Uri(f.Server.Endpoint, "saml2/logout?SAMLResponse=abc&RelayState=forged"));
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("Invalid relayState from identity provider");
    }
}
