using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Cognate.Core.Crypto;

namespace Cognate.Core.Federation.Saml;

/// <summary>What a pool's SAML service-provider key is for.</summary>
public static class SamlSpKeyUses
{
    /// <summary>Signs AuthnRequests (RequestSigningAlgorithm) and LogoutRequests; GetSigningCertificate returns its certificate.</summary>
    public const string Signing = "signing";
    /// <summary>Decrypts EncryptedAssertions (EncryptedResponses); its certificate is the providers' ActiveEncryptionCertificate.</summary>
    public const string Encryption = "encryption";
}

/// <summary>A stored SP key: the self-signed certificate (DER) and the PKCS#8 private key sealed with the master key.</summary>
/// <param name="UserPoolId">The pool.</param>
/// <param name="Use">One of <see cref="SamlSpKeyUses"/>.</param>
/// <param name="Certificate">X.509 certificate, DER.</param>
/// <param name="PrivateSealed">The PKCS#8 private key sealed by <see cref="MasterKeyProtector"/> (associated data <see cref="SamlSpKeyService.Context"/>).</param>
/// <param name="CreatedAt">Creation time, UTC.</param>
public sealed record SamlSpKeyRecord(string UserPoolId, string Use, byte[] Certificate, byte[] PrivateSealed, DateTimeOffset CreatedAt);

/// <summary>The pools' SAML SP keys, one per (pool, use); gone with the pool.</summary>
public interface ISamlSpKeyStore
{
    /// <summary>The key of (pool, use), or null.</summary>
    ValueTask<SamlSpKeyRecord?> GetAsync(string userPoolId, string use, CancellationToken ct = default);
    /// <summary>Inserts; false when (pool, use) already has a key (a concurrent creator won: read it).</summary>
    ValueTask<bool> AddAsync(SamlSpKeyRecord key, CancellationToken ct = default);
}

/// <summary>A pool's SP key in use: the certificate with its private key.</summary>
public sealed class SamlSpKey(X509Certificate2 certificate, RSA rsa)
{
    /// <summary>The certificate (public).</summary>
    public X509Certificate2 Certificate { get; } = certificate;
    /// <summary>The private key.</summary>
    public RSA PrivateKey { get; } = rsa;
    /// <summary>Base64 of the certificate's DER (GetSigningCertificate's <c>Certificate</c>, <c>ActiveEncryptionCertificate</c>).</summary>
    public string CertificateBase64 => Convert.ToBase64String(Certificate.RawData);
}

/// <summary>
/// The per-pool SAML SP keys (AWS API <c>GetSigningCertificate</c>; "Signing SAML requests", "Encrypting SAML assertions"):
/// a 2048-bit RSA key and a self-signed certificate (subject <c>CN={poolId}</c>, 10 years) per use, created on first need and
/// kept sealed at rest (AES-GCM under the master key, bound to pool and use). Keys are cached per process once opened.
/// </summary>
public sealed class SamlSpKeyService(ISamlSpKeyStore store, MasterKeyProtector protector, TimeProvider time)
{
    readonly ConcurrentDictionary<(string, string), SamlSpKey> _cache = new();

    /// <summary>The associated data of a sealed SP key: <c>saml-sp-key:{pool}/{use}</c>.</summary>
    public static string Context(string userPoolId, string use) => "saml-sp-key:" + userPoolId + "/" + use;

    /// <summary>The pool's key for <paramref name="use"/>, created (and stored) when it has none.</summary>
    public async ValueTask<SamlSpKey> GetOrCreateAsync(string userPoolId, string use, CancellationToken ct = default)
    {
        if (_cache.TryGetValue((userPoolId, use), out var cached)) return cached;
        var record = await store.GetAsync(userPoolId, use, ct).ConfigureAwait(false);
        if (record is null)
        {
            var created = Create(userPoolId, use);
            record = await store.AddAsync(created, ct).ConfigureAwait(false) ? created
                : await store.GetAsync(userPoolId, use, ct).ConfigureAwait(false)
                    // Not written and not there: the pool was deleted while its key was being made.
                    ?? throw Errors.CognitoErrors.UserPoolNotFound(userPoolId);
        }
        var key = Open(record);
        return _cache.GetOrAdd((userPoolId, use), key);
    }

    SamlSpKeyRecord Create(string userPoolId, string use)
    {
        using var rsa = RSA.Create(2048);
        var now = time.GetUtcNow();
        var request = new CertificateRequest(new X500DistinguishedName("CN=" + userPoolId), rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            use == SamlSpKeyUses.Signing ? X509KeyUsageFlags.DigitalSignature : X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, true));
        using var cert = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));
        var pkcs8 = rsa.ExportPkcs8PrivateKey();
        try
        {
            return new SamlSpKeyRecord(userPoolId, use, cert.RawData, protector.Protect(pkcs8, Encoding.UTF8.GetBytes(Context(userPoolId, use))), now);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    SamlSpKey Open(SamlSpKeyRecord record)
    {
        if (!protector.TryUnprotect(record.PrivateSealed, Encoding.UTF8.GetBytes(Context(record.UserPoolId, record.Use)), out var pkcs8))
        {
            throw new CryptographicException($"The SAML {record.Use} key of {record.UserPoolId} does not open under the master key.");
        }
        try
        {
            var rsa = RSA.Create();
            rsa.ImportPkcs8PrivateKey(pkcs8, out _);
            return new SamlSpKey(X509CertificateLoader.LoadCertificate(record.Certificate), rsa);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }
}
