using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Cognate.Server.Hosting;
using Microsoft.Extensions.Configuration;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Infrastructure;

/// <summary>
/// Development HTTPS (<c>--https</c> / <c>Cognate:Https:*</c>): the real server answers over TLS on its second port with
/// a certificate made on first start under the data directory, whose chain validates against the written authority
/// PEM and only against it, for the loopback names; the private key file is owner-only; a restart keeps the certificate.
/// (Refusal outside Development: <see cref="StartupConfigurationTests.Start_HttpsOutsideDevelopment_ExitsOneNamingTlsProxy"/>.)
/// </summary>
public sealed class DevelopmentHttpsTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Https_Development_AnswersOverTlsWithCertificateFromGeneratedAuthority()
    {
        int port = FreePort();
        await using var server = await CognateServer.StartAsync(new() { ["Cognate__Https__Enabled"] = "true", ["Cognate__Https__Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var caPath = Path.Combine(server.DataDirectory, ".cognate", "dev-ca.pem");
        var keyPath = Path.Combine(server.DataDirectory, ".cognate", "dev-server.p12");
        File.Exists(caPath).ShouldBeTrue();
        var authority = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(caPath, Ct));
        authority.HasPrivateKey.ShouldBeFalse();
        if (!OperatingSystem.IsWindows()) File.GetUnixFileMode(keyPath).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        (await File.ReadAllTextAsync(caPath, Ct)).ShouldNotContain("PRIVATE KEY");

        await WaitForPortAsync(port);
        foreach (var host in new[] { "localhost", "127.0.0.1" })
        {
            var seen = await GetOverTlsAsync(authority, new Uri($"https://{host}:{port}/health/live"));
            seen.Body.ShouldBe("ok");
            seen.ChainErrors.ShouldBe(SslPolicyErrors.None, host);
            seen.Server.ShouldNotBeNull();
            var names = seen.Server.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
            names.EnumerateDnsNames().ShouldBe(["localhost", "*.localhost", "*.auth.us-east-1.localhost"], ignoreOrder: true);
            names.EnumerateIPAddresses().ShouldContain(IPAddress.Loopback);
            seen.Server.Issuer.ShouldBe(authority.Subject);
            (seen.Server.NotAfter - seen.Server.NotBefore).TotalDays.ShouldBeInRange(364, 367);
            seen.Server.GetECDsaPublicKey().ShouldNotBeNull();
        }

        // A prefix domain's host name ({prefix}.auth.{region}.localhost) verifies: the name check of a real handshake.
        // (*.localhost is in the certificate too, but OpenSSL-based clients — .NET on Linux, Node, curl — do not honour a
        // wildcard right under a one-label name, so "app.localhost" does not verify; the prefix-domain wildcard does.)
        foreach (var name in new[] { "localhost", "my-prefix.auth.us-east-1.localhost" })
        {
            (await HandshakeErrorsAsync(authority, port, name)).ShouldBe(SslPolicyErrors.None, name);
        }
        (await HandshakeErrorsAsync(authority, port, "my-prefix.auth.eu-west-1.example.com")).ShouldBe(SslPolicyErrors.RemoteCertificateNameMismatch);

        // The Cognito API and discovery over the same TLS port; the development issuer follows the scheme.
        var discovery = await GetOverTlsAsync(authority, new Uri($"https://localhost:{port}/us-east-1_CognateDv/.well-known/openid-configuration"));
        ((string)JsonNode.Parse(discovery.Body)!["issuer"]!).ShouldBe($"https://localhost:{port}/us-east-1_CognateDv");

        // Nothing else trusts it: the machine's own store refuses the chain.
        using var plain = new HttpClient();
        var refused = await Should.ThrowAsync<HttpRequestException>(() => plain.GetAsync(new Uri($"https://localhost:{port}/health/live"), Ct));
        refused.InnerException.ShouldBeOfType<AuthenticationException>();

        // Plain HTTP still answers on the --urls address.
        (await server.Http.GetStringAsync(new Uri(server.Endpoint, "health/live"), Ct)).ShouldBe("ok");
    }

    [Fact]
    public async Task Https_Restart_KeepsTheSameCertificateUntilItsNamesChange()
    {
        int port = FreePort();
        await using var server = await CognateServer.StartAsync(new() { ["Cognate__Https__Enabled"] = "true", ["Cognate__Https__Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var caPath = Path.Combine(server.DataDirectory, ".cognate", "dev-ca.pem");
        var authority = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(caPath, Ct));
        await WaitForPortAsync(port);
        var first = await GetOverTlsAsync(authority, new Uri($"https://localhost:{port}/health/live"));

        await server.RestartAsync();
        await WaitForPortAsync(port);

        var second = await GetOverTlsAsync(authority, new Uri($"https://localhost:{port}/health/live"));
        second.ChainErrors.ShouldBe(SslPolicyErrors.None);
        second.Server!.Thumbprint.ShouldBe(first.Server!.Thumbprint);
        X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(caPath, Ct)).Thumbprint.ShouldBe(authority.Thumbprint);

        // Another default region needs another prefix-domain name: both files are made again.
        server.Kill();
        server.Environment["Cognate__Region"] = "eu-west-1";
        await server.StartAgainAsync();
        await WaitForPortAsync(port);
        var renewed = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(caPath, Ct));
        renewed.Thumbprint.ShouldNotBe(authority.Thumbprint);
        var third = await GetOverTlsAsync(renewed, new Uri($"https://localhost:{port}/health/live"));
        third.ChainErrors.ShouldBe(SslPolicyErrors.None);
        third.Server!.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames().ShouldContain("*.auth.eu-west-1.localhost");
    }

    [Theory]
    [InlineData(new[] { "--https" }, new[] { "--Cognate:Https:Enabled=true" })]
    [InlineData(new[] { "--https", "--urls", "http://127.0.0.1:1" }, new[] { "--Cognate:Https:Enabled=true", "--urls", "http://127.0.0.1:1" })]
    [InlineData(new[] { "--urls", "http://127.0.0.1:1", "--https" }, new[] { "--urls", "http://127.0.0.1:1", "--Cognate:Https:Enabled=true" })]
    [InlineData(new[] { "--Cognate:Https:Port=9231" }, new[] { "--Cognate:Https:Port=9231" })]
    public void TranslateArguments_BareSwitch_BecomesAKeyValueThatSwallowsNothing(string[] args, string[] expected) =>
        DevelopmentHttps.TranslateArguments(args).ShouldBe(expected);

    [Fact]
    public void DnsNames_RegionAndSuffix_PrefixDomainWildcard()
    {
        static IConfiguration Config(params (string Key, string Value)[] pairs) =>
            new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))).Build();

        DevelopmentHttps.DnsNames(Config()).ShouldBe(["localhost", "*.localhost", "*.auth.us-east-1.localhost"]);
        DevelopmentHttps.DnsNames(Config(("Cognate:Region", "eu-west-1"), ("Cognate:Hosted:DomainSuffix", "Cognate.Test."))).ShouldBe(["localhost", "*.localhost", "*.auth.eu-west-1.cognate.test"]);
    }

    sealed record Seen(string Body, X509Certificate2? Server, SslPolicyErrors ChainErrors);

    /// <summary>GET over TLS trusting only <paramref name="authority"/> (a custom root), recording what the server presented.</summary>
    static async Task<Seen> GetOverTlsAsync(X509Certificate2 authority, Uri uri)
    {
        X509Certificate2? presented = null;
        var errors = SslPolicyErrors.RemoteCertificateNotAvailable;
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, policyErrors) =>
            {
                if (certificate is null) return false;
                presented = X509CertificateLoader.LoadCertificate(certificate.RawData);
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(authority);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                bool valid = chain.Build(presented);
                // The name check is the platform's (policyErrors); only the chain is judged against our own root.
                errors = (valid ? SslPolicyErrors.None : SslPolicyErrors.RemoteCertificateChainErrors) | (policyErrors & SslPolicyErrors.RemoteCertificateNameMismatch);
                return errors == SslPolicyErrors.None;
            },
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        var body = await client.GetStringAsync(uri, Ct);
        return new Seen(body, presented, errors);
    }

    /// <summary>A TLS handshake with 127.0.0.1:<paramref name="port"/> for <paramref name="hostName"/> (SNI and name check), trusting only <paramref name="authority"/>.</summary>
    static async Task<SslPolicyErrors> HandshakeErrorsAsync(X509Certificate2 authority, int port, string hostName)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port, Ct);
        var errors = SslPolicyErrors.None;
        await using var tls = new SslStream(tcp.GetStream(), false, (_, certificate, _, policyErrors) =>
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(authority);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            bool valid = certificate is not null && chain.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
            errors = (valid ? SslPolicyErrors.None : SslPolicyErrors.RemoteCertificateChainErrors) | (policyErrors & SslPolicyErrors.RemoteCertificateNameMismatch);
            return errors == SslPolicyErrors.None;
        });
        try { await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = hostName }, Ct); }
        catch (AuthenticationException) { errors.ShouldNotBe(SslPolicyErrors.None); } // refused by the callback above
        return errors;
    }

    /// <summary>
    /// The fixture waits for the HTTP address; Kestrel binds the HTTPS one after it, a moment later. Waits (≤ 30 s)
    /// until a TCP connection to 127.0.0.1:<paramref name="port"/> is accepted.
    /// </summary>
    static async Task WaitForPortAsync(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port, Ct);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50, Ct);
            }
        }
    }

    static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
