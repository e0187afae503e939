using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Cognate.Server.Hosting;

/// <summary>
/// Development HTTPS: <c>--https</c> (or <c>Cognate:Https:Enabled=true</c>) adds <c>https://localhost:{Cognate:Https:Port}</c>
/// (default 9230) beside the plain-HTTP address, with a certificate made on this machine the first time and kept under
/// <c>Cognate:Https:CertificateDirectory</c> (default <c>./.cognate</c>, beside the default store):
/// <list type="bullet">
/// <item><c>dev-ca.pem</c>: a one-year certificate authority, "Cognate Development CA", the file to trust
/// (<c>NODE_EXTRA_CA_CERTS</c>, <c>curl --cacert</c>, the browser's authorities). Its private key is used once, to sign
/// the server certificate, and never written anywhere: trusting it cannot let anyone mint certificates for other sites.</item>
/// <item><c>dev-server.p12</c>: the server certificate (ECDSA P-256, SAN <c>localhost</c>, <c>*.localhost</c>,
/// <c>*.auth.{region}.{suffix}</c> for prefix domains, <c>127.0.0.1</c>, <c>::1</c>, server authentication, one year) with its
/// private key, created with mode 0600.</item>
/// </list>
/// Both are made again, together, when the server certificate is missing, unreadable, within a day of expiry, or lacks a
/// name the configuration now asks for (see <see cref="DnsNames"/>).
/// Only the Development environment may use it: elsewhere the start fails with one line pointing at a TLS proxy
/// (docs/deployment.md).
/// </summary>
internal static partial class DevelopmentHttps
{
    /// <summary>Turns development HTTPS on (<c>--https</c> sets it).</summary>
    public const string EnabledKey = "Cognate:Https:Enabled";
    /// <summary>The HTTPS port on localhost (default <see cref="DefaultPort"/>).</summary>
    public const string PortKey = "Cognate:Https:Port";
    /// <summary>Where the certificate files live (default <see cref="DefaultDirectory"/>, relative to the working directory).</summary>
    public const string DirectoryKey = "Cognate:Https:CertificateDirectory";
    /// <summary>Default HTTPS port.</summary>
    public const int DefaultPort = 9230;
    /// <summary>Default certificate directory: the default data directory.</summary>
    public const string DefaultDirectory = "./.cognate";
    /// <summary>The certificate authority to trust.</summary>
    public const string CaFileName = "dev-ca.pem";
    /// <summary>The server certificate and its private key (PKCS#12, no password, mode 0600).</summary>
    public const string ServerFileName = "dev-server.p12";

    const string Switch = "--https";

    /// <summary>
    /// Replaces the <c>--https</c> switch by <c>--Cognate:Https:Enabled=true</c>: the command-line configuration source
    /// reads <c>--key value</c> pairs, so a bare <c>--https</c> would swallow the next argument (e.g. <c>--urls</c>).
    /// </summary>
    public static string[] TranslateArguments(string[] args) =>
        [.. args.Select(a => a == Switch ? $"--{EnabledKey}=true" : a)];

    /// <summary>
    /// When development HTTPS is on: refuses a non-Development environment, loads or makes the certificate, adds the
    /// HTTPS address to the listen addresses and gives Kestrel the certificate. Logs where the authority is and how to trust it.
    /// </summary>
    /// <exception cref="CognateStartupException">Outside Development; a bad port; the certificate directory not writable.</exception>
    public static WebApplicationBuilder AddDevelopmentHttps(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        if (!configuration.GetValue(EnabledKey, false)) return builder;
        if (!builder.Environment.IsDevelopment())
        {
            throw new CognateStartupException($"--https ({EnabledKey}) serves a development certificate and is refused in the {builder.Environment.EnvironmentName} environment: in production put a TLS proxy in front of Cognate (docs/deployment.md).");
        }

        int port = DefaultPort;
        if (configuration[PortKey] is { Length: > 0 } text && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            throw new CognateStartupException($"{PortKey} must be a port number from 1 to 65535 (got '{text}').");
        }

        var directory = Path.GetFullPath(configuration[DirectoryKey] is { Length: > 0 } d ? d : DefaultDirectory);
        DevelopmentCertificate certificate;
        try
        {
            certificate = DevelopmentCertificate.LoadOrCreate(directory, TimeProvider.System, DnsNames(configuration));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new CognateStartupException($"{DirectoryKey}: the development certificate in {directory} cannot be read or written ({e.Message.ReplaceLineEndings(" ")}): choose a writable directory.", e);
        }

        var urls = configuration["urls"] is { Length: > 0 } u ? u : CognateHost.DefaultUrl;
        var httpsUrl = $"https://localhost:{port}";
        builder.WebHost.UseUrls($"{urls};{httpsUrl}");
        builder.WebHost.ConfigureKestrel(k => k.ConfigureHttpsDefaults(o => o.ServerCertificate = certificate.Server));
        builder.Services.AddSingleton(certificate);
        builder.Services.AddHostedService(sp => new Announcer(sp.GetRequiredService<ILoggerFactory>().CreateLogger("Cognate"), certificate, httpsUrl));
        return builder;
    }

    /// <summary>Configuration key of the prefix-domain suffix (managed login: <c>{prefix}.auth.{region}.{suffix}</c>; default <c>localhost</c>).</summary>
    const string DomainSuffixKey = "Cognate:Hosted:DomainSuffix";

    /// <summary>
    /// The certificate's DNS names: <c>localhost</c>, <c>*.localhost</c> and <c>*.auth.{region}.{suffix}</c> for the default
    /// region (<c>Cognate:Region</c>), so a prefix domain's hosted pages (<c>{prefix}.auth.{region}.localhost</c>, which browsers
    /// resolve to loopback) verify too: a wildcard covers one label only, and OpenSSL-based clients (Node, curl, .NET on Linux)
    /// do not honour <c>*.localhost</c> itself (a wildcard right under a one-label name).
    /// </summary>
    internal static IReadOnlyList<string> DnsNames(IConfiguration configuration)
    {
        var suffix = (configuration[DomainSuffixKey] is { Length: > 0 } x ? x : "localhost").Trim().TrimEnd('.').ToLowerInvariant();
        var region = (configuration["Cognate:Region"] is { Length: > 0 } r ? r : "us-east-1").Trim().ToLowerInvariant();
        return ["localhost", "*.localhost", $"*.auth.{region}.{suffix}"];
    }

    /// <summary>Logs the HTTPS address and the trust commands once the server has started.</summary>
    sealed partial class Announcer(ILogger logger, DevelopmentCertificate certificate, string url) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            LogHttps(logger, url, certificate.CaPath, certificate.Created ? "made now" : "kept from an earlier start",
                certificate.Server.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), certificate.SpkiSha256Base64);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Development HTTPS on {Url} with a local certificate authority in {CaPath} ({Origin}, valid until {NotAfter}). " +
        "Trust it: Node NODE_EXTRA_CA_CERTS={CaPath}; curl --cacert {CaPath}; Chromium: import {CaPath} as an authority, or start it with --ignore-certificate-errors-spki-list={Spki}")]
    static partial void LogHttps(ILogger logger, string url, string caPath, string origin, string notAfter, string spki);
}

/// <summary>The development server certificate (with its private key) and where its authority is.</summary>
/// <param name="Server">The server certificate with its private key.</param>
/// <param name="Authority">The authority that signed it (no private key).</param>
/// <param name="CaPath">Absolute path of <see cref="DevelopmentHttps.CaFileName"/>.</param>
/// <param name="Created">True when this start made the files.</param>
internal sealed record DevelopmentCertificate(X509Certificate2 Server, X509Certificate2 Authority, string CaPath, bool Created)
{
    /// <summary>Server certificate lifetime.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(365);

    /// <summary>base64 of SHA-256 over the server certificate's SubjectPublicKeyInfo (Chromium's <c>--ignore-certificate-errors-spki-list</c>).</summary>
    public string SpkiSha256Base64 => Convert.ToBase64String(SHA256.HashData(Server.PublicKey.ExportSubjectPublicKeyInfo()));

    /// <summary>
    /// Loads the certificate from <paramref name="directory"/>, or makes a new authority and server certificate there when
    /// there is none, it expires within a day, or it lacks one of <paramref name="dnsNames"/> (a changed region or domain suffix).
    /// </summary>
    /// <exception cref="IOException">The directory or a file cannot be written.</exception>
    public static DevelopmentCertificate LoadOrCreate(string directory, TimeProvider clock, IReadOnlyList<string> dnsNames)
    {
        var caPath = Path.Combine(directory, DevelopmentHttps.CaFileName);
        var serverPath = Path.Combine(directory, DevelopmentHttps.ServerFileName);
        var now = clock.GetUtcNow();
        if (TryLoad(caPath, serverPath, now, dnsNames) is { } loaded) return loaded;

        Directory.CreateDirectory(directory);
        var (server, authority) = Create(now, dnsNames);
        WriteSecret(serverPath, server.Export(X509ContentType.Pkcs12));
        WriteAtomically(caPath, authority.ExportCertificatePem() + "\n", null);
        return new DevelopmentCertificate(server, authority, caPath, Created: true);
    }

    static DevelopmentCertificate? TryLoad(string caPath, string serverPath, DateTimeOffset now, IReadOnlyList<string> dnsNames)
    {
        if (!File.Exists(caPath) || !File.Exists(serverPath)) return null;
        try
        {
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(serverPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            var server = X509CertificateLoader.LoadPkcs12FromFile(serverPath, null, X509KeyStorageFlags.EphemeralKeySet);
            var authority = X509Certificate2.CreateFromPem(File.ReadAllText(caPath));
            bool fresh = server.HasPrivateKey && server.NotAfter.ToUniversalTime() > now.UtcDateTime.AddDays(1) && authority.NotAfter.ToUniversalTime() > now.UtcDateTime.AddDays(1);
            bool signedByAuthority = string.Equals(server.Issuer, authority.Subject, StringComparison.Ordinal) && VerifiesAgainst(server, authority);
            var names = server.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(e => e.EnumerateDnsNames()).ToHashSet(StringComparer.OrdinalIgnoreCase);
            bool covers = dnsNames.All(names.Contains);
            return fresh && signedByAuthority && covers ? new DevelopmentCertificate(server, authority, caPath, Created: false) : null;
        }
        catch (CryptographicException)
        {
            return null; // unreadable: make new ones
        }
    }

    static bool VerifiesAgainst(X509Certificate2 server, X509Certificate2 authority)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(server);
    }

    /// <summary>A new authority (its key discarded after signing) and a server certificate for the loopback names.</summary>
    internal static (X509Certificate2 Server, X509Certificate2 Authority) Create(DateTimeOffset now, IReadOnlyList<string> dnsNames)
    {
        var notBefore = now.AddMinutes(-5);
        var notAfter = now.Add(Lifetime);
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN=Cognate Development CA {now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}, O=Cognate (development only)", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, critical: false));
        using var caWithKey = caRequest.CreateSelfSigned(notBefore, notAfter.AddDays(1));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=localhost, O=Cognate (development only)", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames) names.AddDnsName(name);
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddIpAddress(System.Net.IPAddress.IPv6Loopback);
        serverRequest.CertificateExtensions.Add(names.Build(critical: false));
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], critical: false));
        serverRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(serverRequest.PublicKey, critical: false));
        serverRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(caWithKey, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var signed = serverRequest.Create(caWithKey, notBefore, notAfter, serial);
        using var withKey = signed.CopyWithPrivateKey(serverKey);
        // Through PKCS#12 so that the key is usable by SslStream on every platform.
        var server = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.EphemeralKeySet | X509KeyStorageFlags.Exportable);
        var authority = X509CertificateLoader.LoadCertificate(caWithKey.RawData);
        return (server, authority);
    }

    /// <summary>Writes a file readable by its owner only (0600 from creation: never world-readable, not even for an instant).</summary>
    static void WriteSecret(string path, byte[] content) =>
        WriteAtomically(path, null, content, UnixFileMode.UserRead | UnixFileMode.UserWrite);

    static void WriteAtomically(string path, string? text, byte[]? bytes, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead)
    {
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = mode;
        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(bytes ?? System.Text.Encoding.UTF8.GetBytes(text!));
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }
}
