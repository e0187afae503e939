using Cognate.Core.Domains;
using Cognate.Server.Options;
using Cognate.Server.Protocol;
using Microsoft.Extensions.Options;

namespace Cognate.Server.Domains;

/// <summary>Cognito <c>CustomDomainConfigType</c>: the ACM certificate of a custom domain (stored as given; Cognate has no ACM).</summary>
internal sealed record CustomDomainConfigType(string CertificateArn);

/// <summary>
/// Cognito <c>DomainDescriptionType</c>. <c>CloudFrontDistribution</c> is synthetic (Cognate serves the domain itself);
/// <c>S3Bucket</c> is the name Cognito reports; <c>Version</c> is the last modification as <c>yyyyMMddHHmmss</c>; Status is always ACTIVE.
/// All members null serialise as <c>{}</c> (the answer for an unknown domain).
/// </summary>
internal sealed record DomainDescriptionType
{
    public string? UserPoolId { get; init; }
    public string? AWSAccountId { get; init; }
    public string? Domain { get; init; }
    public string? S3Bucket { get; init; }
    public string? CloudFrontDistribution { get; init; }
    public string? Version { get; init; }
    public string? Status { get; init; }
    public CustomDomainConfigType? CustomDomainConfig { get; init; }
    public int? ManagedLoginVersion { get; init; }

    public static DomainDescriptionType From(ActionContext ctx, UserPoolDomain d, string region) => new()
    {
        UserPoolId = d.UserPoolId,
        AWSAccountId = ctx.Get<IOptions<CognateOptions>>().Value.AccountId,
        Domain = d.Domain,
        S3Bucket = $"aws-cognito-prod-{region}-assets",
        CloudFrontDistribution = d.CloudFrontDistribution,
        Version = d.ModifiedAt.UtcDateTime.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture),
        Status = "ACTIVE",
        CustomDomainConfig = d.CertificateArn is { } arn ? new CustomDomainConfigType(arn) : null,
        ManagedLoginVersion = d.ManagedLoginVersion,
    };
}
