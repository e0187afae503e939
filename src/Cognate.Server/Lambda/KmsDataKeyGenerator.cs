using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using Cognate.Core.Errors;
using Cognate.Core.Triggers;
using Microsoft.Extensions.Options;

namespace Cognate.Server.Lambda;

/// <summary>
/// <c>Cognate:Lambda:Kms</c>: the AWS KMS that encrypts the codes of custom sender triggers (real KMS, LocalStack, or any service
/// answering the KMS JSON API). Without <see cref="ServiceUrl"/> and <see cref="Region"/> no KMS is configured and a pool's custom
/// sender refuses delivery (UnexpectedLambdaException) rather than send a code in plaintext.
/// </summary>
public sealed class KmsOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Cognate:Lambda:Kms";

    /// <summary>Endpoint, e.g. <c>http://127.0.0.1:4566</c> (LocalStack); empty = the public KMS endpoint of <see cref="Region"/>.</summary>
    public string? ServiceUrl { get; set; }
    /// <summary>Region the requests are signed for (default <c>us-east-1</c> when only <see cref="ServiceUrl"/> is set).</summary>
    public string? Region { get; set; }
    /// <summary>Access key id; with <see cref="SecretAccessKey"/>. Empty = the AWS SDK's default credential chain.</summary>
    public string? AccessKeyId { get; set; }
    /// <summary>Secret access key (never logged).</summary>
    public string? SecretAccessKey { get; set; }
    /// <summary>Session token for temporary credentials.</summary>
    public string? SessionToken { get; set; }

    /// <summary>True when a KMS endpoint or region is configured.</summary>
    public bool Configured => !string.IsNullOrWhiteSpace(ServiceUrl) || !string.IsNullOrWhiteSpace(Region);
}

/// <summary>KMS <c>GenerateDataKey</c> through AWSSDK.KeyManagementService (5-second timeout, 2 retries).</summary>
internal sealed class KmsDataKeyGenerator : IKmsDataKeyGenerator, IDisposable
{
    readonly AmazonKeyManagementServiceClient client;
    readonly ILogger<KmsDataKeyGenerator> log;

    public KmsDataKeyGenerator(IOptions<KmsOptions> options, ILogger<KmsDataKeyGenerator> log)
    {
        var o = options.Value;
        this.log = log;
        var config = new AmazonKeyManagementServiceConfig { Timeout = TimeSpan.FromSeconds(5), MaxErrorRetry = 2 };
        var region = string.IsNullOrWhiteSpace(o.Region) ? "us-east-1" : o.Region;
        if (!string.IsNullOrWhiteSpace(o.ServiceUrl))
        {
            config.ServiceURL = o.ServiceUrl;
            config.AuthenticationRegion = region;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(region);
        }
        client = string.IsNullOrEmpty(o.AccessKeyId)
            ? new AmazonKeyManagementServiceClient(config)
            : new AmazonKeyManagementServiceClient(string.IsNullOrEmpty(o.SessionToken)
                ? new BasicAWSCredentials(o.AccessKeyId, o.SecretAccessKey)
                : new SessionAWSCredentials(o.AccessKeyId, o.SecretAccessKey, o.SessionToken), config);
    }

    public async ValueTask<KmsDataKey> GenerateDataKeyAsync(string keyId, IReadOnlyDictionary<string, string> encryptionContext, int numberOfBytes, CancellationToken ct = default)
    {
        GenerateDataKeyResponse response;
        try
        {
            response = await client.GenerateDataKeyAsync(new GenerateDataKeyRequest
            {
                KeyId = keyId,
                NumberOfBytes = numberOfBytes,
                EncryptionContext = new Dictionary<string, string>(encryptionContext, StringComparer.Ordinal),
            }, ct).ConfigureAwait(false);
        }
        catch (AmazonServiceException ex)
        {
            log.LogWarning("KMS GenerateDataKey for {KeyId} failed: {ErrorCode} (HTTP {Status})", keyId, ex.ErrorCode, (int)ex.StatusCode);
            throw CognitoErrors.UnexpectedLambda($"KMS GenerateDataKey failed: {ex.ErrorCode}.");
        }
        catch (Exception ex) when (ex is AmazonClientException or HttpRequestException or TaskCanceledException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            log.LogWarning("KMS GenerateDataKey for {KeyId} could not be sent: {Error}", keyId, ex.GetType().Name);
            throw CognitoErrors.UnexpectedLambda("KMS could not be reached to encrypt the code.");
        }
        return new KmsDataKey(response.Plaintext.ToArray(), response.CiphertextBlob.ToArray(), response.KeyId);
    }

    public void Dispose() => client.Dispose();
}

/// <summary>Registration of the custom sender pieces (KMS, the code encryptor, <see cref="CustomSenders"/>).</summary>
internal static class CustomSenderRegistration
{
    public static IServiceCollection AddCognateCustomSenders(this IServiceCollection services)
    {
        services.AddOptions<KmsOptions>().BindConfiguration(KmsOptions.Section);
        services.AddSingleton<IKmsDataKeyGenerator>(sp => sp.GetRequiredService<IOptions<KmsOptions>>().Value.Configured
            ? ActivatorUtilities.CreateInstance<KmsDataKeyGenerator>(sp)
            : new UnconfiguredKms());
        services.AddSingleton<CustomSenderCodeEncryptor>();
        services.AddSingleton<CustomSenders>();
        return services;
    }
}
