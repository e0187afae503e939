using System.Security.Cryptography;
using System.Text;
using Cognate.Core.Crypto;
using Microsoft.Extensions.Options;

namespace Cognate.Server.Options;

/// <summary>
/// Startup checks of <see cref="CognateOptions"/> beyond data annotations. Everywhere: a master key must be base64 of
/// exactly 32 bytes and <c>IssuerBaseUrl</c> an absolute http(s) URL. Outside the <c>Development</c> environment
/// (any other name: <c>Production</c>, <c>Staging</c>, <c>Test</c>, …) nothing public may be in use: the master key is
/// required and must not decode to the development key's bytes; the admin key pair is required, must not be the
/// README's development pair, and its secret has at least <see cref="MinAdminSecretLength"/> characters; the outbox
/// must not be switched on; <c>IssuerBaseUrl</c> is required, so the issuer never comes from a request's Host header.
/// Each failure names the setting to fix; no failure echoes a secret.
/// </summary>
/// <param name="development">True when the host environment is <c>Development</c>.</param>
internal sealed class CognateOptionsValidator(bool development) : IValidateOptions<CognateOptions>
{
    /// <summary>Shortest admin secret access key accepted outside Development (characters).</summary>
    public const int MinAdminSecretLength = 32;

    /// <summary>The development admin key id published in the README and appsettings.Development.json.</summary>
    public const string DevelopmentAccessKeyId = "AKIACOGNATEDEVELOPER";

    /// <summary>The development admin secret published in the README and appsettings.Development.json.</summary>
    public const string DevelopmentSecretAccessKey = "cognate-development-secret-key-not-for-production";

    public ValidateOptionsResult Validate(string? name, CognateOptions options)
    {
        var failures = new List<string>();
        var hasKey = !string.IsNullOrWhiteSpace(options.MasterKey);
        var keyBytes = new byte[64];
        var keyLength = 0;
        if (hasKey && (!Convert.TryFromBase64String(options.MasterKey!, keyBytes, out keyLength) || keyLength != MasterKeyProtector.KeyLength))
        {
            failures.Add("Cognate:MasterKey must be base64 of exactly 32 bytes (e.g. `openssl rand -base64 32`).");
        }
        else if (!development && hasKey && IsDevelopmentKey(keyBytes.AsSpan(0, keyLength)))
        {
            failures.Add("Cognate:MasterKey is the public development key, which is allowed only in the Development environment: generate one with `openssl rand -base64 32` (env Cognate__MasterKey).");
        }
        else if (!development && !hasKey)
        {
            failures.Add("Cognate:MasterKey is required outside Development: set it to base64 of 32 random bytes (e.g. `openssl rand -base64 32`), env Cognate__MasterKey.");
        }

        if (!development)
        {
            var id = options.Admin.AccessKeyId?.Trim();
            var secret = options.Admin.SecretAccessKey?.Trim();
            if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(secret))
            {
                failures.Add("Cognate:Admin:AccessKeyId and Cognate:Admin:SecretAccessKey are required outside Development (env Cognate__Admin__AccessKeyId / Cognate__Admin__SecretAccessKey).");
            }
            else if (string.Equals(id, DevelopmentAccessKeyId, StringComparison.OrdinalIgnoreCase) || secret == DevelopmentSecretAccessKey)
            {
                failures.Add("Cognate:Admin:AccessKeyId / Cognate:Admin:SecretAccessKey is the public development key pair, which is allowed only in the Development environment: choose your own.");
            }
            else if (secret.Length < MinAdminSecretLength)
            {
                failures.Add($"Cognate:Admin:SecretAccessKey must have at least {MinAdminSecretLength} characters outside Development (e.g. `openssl rand -base64 33`).");
            }

            if (options.Email.Outbox == true)
            {
                failures.Add("Cognate:Email:Outbox=true is allowed only in the Development environment: the outbox serves one-time codes to anyone who asks. Remove the setting.");
            }

            if (string.IsNullOrWhiteSpace(options.IssuerBaseUrl))
            {
                failures.Add("Cognate:IssuerBaseUrl is required outside Development: set it to the public URL clients reach Cognate by (e.g. https://idp.example.com), env Cognate__IssuerBaseUrl; the token issuer is never taken from the request's Host header.");
            }
        }

        if (!string.IsNullOrWhiteSpace(options.IssuerBaseUrl)
            && (!Uri.TryCreate(options.IssuerBaseUrl.Trim().Replace("{region}", "us-east-1", StringComparison.Ordinal), UriKind.Absolute, out var issuer)
                || (issuer.Scheme != Uri.UriSchemeHttps && issuer.Scheme != Uri.UriSchemeHttp)))
        {
            failures.Add("Cognate:IssuerBaseUrl must be an absolute http(s) URL, e.g. https://idp.example.com or https://cognito-idp.{region}.amazonaws.com.");
        }

        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }

    /// <summary>True when <paramref name="key"/> (decoded bytes, so whitespace or padding variants of the base64 match too) is the public development key.</summary>
    public static bool IsDevelopmentKey(ReadOnlySpan<byte> key) =>
        CryptographicOperations.FixedTimeEquals(key, Convert.FromBase64String(MasterKeyProtector.DevelopmentMasterKeyBase64));

    /// <summary>True when <paramref name="base64"/> decodes to the public development key.</summary>
    public static bool IsDevelopmentKey(string? base64)
    {
        if (string.IsNullOrWhiteSpace(base64)) return false;
        var bytes = new byte[Encoding.ASCII.GetMaxByteCount(base64.Length)];
        return Convert.TryFromBase64String(base64, bytes, out var n) && IsDevelopmentKey(bytes.AsSpan(0, n));
    }
}
