using Microsoft.Extensions.Options;

namespace Cognate.Server.Options;

/// <summary>
/// Startup checks of <see cref="CognateOptions"/> beyond data annotations: in Production the master key
/// and admin credentials must be set; a master key must be base64 of exactly 32 bytes.
/// </summary>
internal sealed class CognateOptionsValidator(bool production) : IValidateOptions<CognateOptions>
{
    public ValidateOptionsResult Validate(string? name, CognateOptions options)
    {
        var failures = new List<string>();
        if (!string.IsNullOrEmpty(options.MasterKey))
        {
            var bytes = new byte[64];
            if (!Convert.TryFromBase64String(options.MasterKey, bytes, out int n) || n != 32)
            {
                failures.Add("Cognate:MasterKey must be base64 of exactly 32 bytes (e.g. `openssl rand -base64 32`).");
            }
        }
        if (production && options.MasterKey == Core.Crypto.MasterKeyProtector.DevelopmentMasterKeyBase64)
        {
            failures.Add("Cognate:MasterKey is set to the public development key, which must never be used in Production: generate one with `openssl rand -base64 32`.");
        }
        else if (production && string.IsNullOrEmpty(options.MasterKey))
        {
            failures.Add("Cognate:MasterKey is required in Production: set it to base64 of 32 random bytes (e.g. `openssl rand -base64 32`), env Cognate__MasterKey.");
        }
        if (production && (string.IsNullOrEmpty(options.Admin.AccessKeyId) || string.IsNullOrEmpty(options.Admin.SecretAccessKey)))
        {
            failures.Add("Cognate:Admin:AccessKeyId and Cognate:Admin:SecretAccessKey are required in Production (env Cognate__Admin__AccessKeyId / Cognate__Admin__SecretAccessKey).");
        }
        if (!string.IsNullOrEmpty(options.IssuerBaseUrl) && !Uri.TryCreate(options.IssuerBaseUrl.Replace("{region}", "us-east-1", StringComparison.Ordinal), UriKind.Absolute, out _))
        {
            failures.Add("Cognate:IssuerBaseUrl must be an absolute URL, e.g. https://cognito-idp.{region}.amazonaws.com.");
        }
        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
