namespace Cognate.Core.Domains;

/// <summary>
/// A user pool domain (Cognito <c>DomainDescriptionType</c>): a prefix domain (<see cref="CertificateArn"/> null), served as
/// <c>{prefix}.auth.{region}.{suffix}</c>, or a custom domain (a fully-qualified name with an ACM certificate ARN, stored as
/// given). A pool has at most one of each; a domain name belongs to one pool only.
/// </summary>
public sealed record UserPoolDomain
{
    /// <summary>The prefix alone (<c>auth</c>) or the fully-qualified custom name (<c>auth.example.com</c>), lower case.</summary>
    public required string Domain { get; init; }
    /// <summary>Owning pool.</summary>
    public required string UserPoolId { get; init; }
    /// <summary>The custom domain's certificate ARN; null for a prefix domain.</summary>
    public string? CertificateArn { get; init; }
    /// <summary>1: hosted UI (classic) branding; 2: managed login branding.</summary>
    public required int ManagedLoginVersion { get; init; }
    /// <summary>A synthetic CloudFront host name (<c>d…​.cloudfront.net</c>) for DNS records; Cognate serves the domain itself.</summary>
    public required string CloudFrontDistribution { get; init; }
    /// <summary>Creation time, UTC.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>Last modification time, UTC.</summary>
    public required DateTimeOffset ModifiedAt { get; init; }

    /// <summary>True for a custom domain.</summary>
    public bool IsCustom => CertificateArn is not null;
}

/// <summary>Stored user pool domains. Domain names are unique across pools; a pool has at most one prefix and one custom domain.</summary>
public interface IUserPoolDomainStore
{
    /// <summary>Inserts the domain; false when the name is taken (any pool) or the pool already has a domain of that kind.</summary>
    ValueTask<bool> CreateAsync(UserPoolDomain domain, CancellationToken ct = default);
    /// <summary>The domain by name, or null.</summary>
    ValueTask<UserPoolDomain?> GetAsync(string domain, CancellationToken ct = default);
    /// <summary>The pool's domains (zero to two).</summary>
    ValueTask<IReadOnlyList<UserPoolDomain>> ListForPoolAsync(string userPoolId, CancellationToken ct = default);
    /// <summary>Replaces certificate, managed-login version and modification time; false if missing.</summary>
    ValueTask<bool> UpdateAsync(UserPoolDomain domain, CancellationToken ct = default);
    /// <summary>Deletes the pool's domain; false if it does not exist or belongs to another pool.</summary>
    ValueTask<bool> DeleteAsync(string userPoolId, string domain, CancellationToken ct = default);
}
