using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Cognate.Core.Crypto;
using Cognate.Core.Import;
using Cognate.Server.Protocol;

namespace Cognate.Server.Import;

/// <summary>
/// Cognito's <c>UserImportJobType</c>: JobName, JobId, UserPoolId, PreSignedUrl, CreationDate, StartDate, CompletionDate (epoch
/// seconds), Status, CloudWatchLogsRoleArn, ImportedUsers, SkippedUsers, FailedUsers, CompletionMessage.
/// </summary>
internal sealed record UserImportJobType(string JobName, string JobId, string UserPoolId, string PreSignedUrl, DateTimeOffset CreationDate,
    DateTimeOffset? StartDate, DateTimeOffset? CompletionDate, string Status, string CloudWatchLogsRoleArn, long ImportedUsers, long SkippedUsers,
    long FailedUsers, string? CompletionMessage)
{
    public static UserImportJobType From(ActionContext ctx, UserImportJob job) => new(job.JobName, job.JobId, job.UserPoolId,
        ctx.Get<ImportUploadSigner>().Url(ctx.PublicBaseUrl, job), job.CreationDate, job.StartDate, job.CompletionDate, job.Status,
        job.CloudWatchLogsRoleArn, job.ImportedUsers, job.SkippedUsers, job.FailedUsers, job.CompletionMessage);
}

/// <summary>
/// The PreSignedUrl of an import job. Cognito answers an S3 URL; Cognate serves the upload itself at
/// <c>{server}/_import/{poolId}/{jobId}?X-Cognate-Expires={unix seconds}&amp;X-Cognate-Signature={hex}</c>, where the signature is
/// HMAC-SHA256 under a key derived from the master key (<c>cognate/user-import-upload</c>) over pool id, job id and expiry. The
/// expiry is the job's <see cref="UserImportJob.UploadExpiresAt"/> (15 minutes after creation), so every answer shows the same URL.
/// </summary>
internal sealed class ImportUploadSigner(MasterKeyProtector masterKey)
{
    /// <summary>Path prefix of upload URLs.</summary>
    public const string PathPrefix = "/_import";

    readonly byte[] _key = masterKey.DeriveKey("cognate/user-import-upload");

    /// <summary>The upload URL of <paramref name="job"/> on <paramref name="baseUrl"/>.</summary>
    public string Url(string baseUrl, UserImportJob job)
    {
        var expires = job.UploadExpiresAt.ToUnixTimeSeconds();
        return $"{baseUrl}{PathPrefix}/{Uri.EscapeDataString(job.UserPoolId)}/{Uri.EscapeDataString(job.JobId)}" +
            $"?X-Cognate-Expires={expires.ToString(CultureInfo.InvariantCulture)}&X-Cognate-Signature={Sign(job.UserPoolId, job.JobId, expires)}";
    }

    /// <summary>True when <paramref name="signature"/> is the signature of (pool, job, expires); constant-time.</summary>
    public bool Verify(string userPoolId, string jobId, long expires, string signature)
    {
        var expected = Encoding.ASCII.GetBytes(Sign(userPoolId, jobId, expires));
        var given = Encoding.ASCII.GetBytes(signature);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    string Sign(string userPoolId, string jobId, long expires) => Convert.ToHexStringLower(
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{userPoolId}\n{jobId}\n{expires.ToString(CultureInfo.InvariantCulture)}")));
}
