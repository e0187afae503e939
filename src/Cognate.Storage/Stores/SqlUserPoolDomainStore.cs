using Cognate.Core.Domains;
using Dapper;

namespace Cognate.Storage.Stores;

/// <summary>
/// <see cref="IUserPoolDomainStore"/> over SQLite or PostgreSQL: <c>user_pool_domains</c> keyed by the domain name (unique across
/// pools), with a unique (pool, is_custom) so a pool holds one prefix and one custom domain; rows go with their pool by cascade.
/// Concurrent creates of one name or of two domains of one kind for one pool: exactly one insert wins (<c>ON CONFLICT DO NOTHING</c>).
/// </summary>
internal sealed class SqlUserPoolDomainStore(ISqlDatabase db) : IUserPoolDomainStore
{
    private const string Columns =
        "domain AS Domain, user_pool_id AS UserPoolId, certificate_arn AS CertificateArn, managed_login_version AS ManagedLoginVersion, " +
        "cloudfront AS CloudFront, created_at AS CreatedAt, modified_at AS ModifiedAt";

    /// <inheritdoc />
    public async ValueTask<bool> CreateAsync(UserPoolDomain domain, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(domain);
        await using var connection = await db.OpenWriteConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO user_pool_domains (domain, user_pool_id, is_custom, certificate_arn, managed_login_version, cloudfront, created_at, modified_at)
            VALUES (@Domain, @UserPoolId, @IsCustom, @CertificateArn, @ManagedLoginVersion, @CloudFront, @CreatedAt, @ModifiedAt)
            ON CONFLICT DO NOTHING
            """,
            Parameters(domain), cancellationToken: ct)) == 1;
    }

    /// <inheritdoc />
    public async ValueTask<UserPoolDomain?> GetAsync(string domain, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM user_pool_domains WHERE domain = @domain", new { domain }, cancellationToken: ct));
        return row?.ToDomain();
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<UserPoolDomain>> ListForPoolAsync(string userPoolId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM user_pool_domains WHERE user_pool_id = @userPoolId ORDER BY is_custom", new { userPoolId }, cancellationToken: ct));
        return rows.Select(r => r.ToDomain()).ToList();
    }

    /// <inheritdoc />
    public async ValueTask<bool> UpdateAsync(UserPoolDomain domain, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(domain);
        await using var connection = await db.OpenWriteConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE user_pool_domains SET certificate_arn = @CertificateArn, managed_login_version = @ManagedLoginVersion, modified_at = @ModifiedAt
            WHERE domain = @Domain AND user_pool_id = @UserPoolId
            """,
            Parameters(domain), cancellationToken: ct)) == 1;
    }

    /// <inheritdoc />
    public async ValueTask<bool> DeleteAsync(string userPoolId, string domain, CancellationToken ct = default)
    {
        await using var connection = await db.OpenWriteConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM user_pool_domains WHERE domain = @domain AND user_pool_id = @userPoolId", new { userPoolId, domain }, cancellationToken: ct)) == 1;
    }

    private static object Parameters(UserPoolDomain d) => new
    {
        d.Domain,
        d.UserPoolId,
        IsCustom = d.IsCustom ? 1 : 0,
        d.CertificateArn,
        d.ManagedLoginVersion,
        CloudFront = d.CloudFrontDistribution,
        CreatedAt = UnixTime.ToMs(d.CreatedAt),
        ModifiedAt = UnixTime.ToMs(d.ModifiedAt),
    };

    private sealed class Row
    {
        public string Domain { get; set; } = "";
        public string UserPoolId { get; set; } = "";
        public string? CertificateArn { get; set; }
        public long ManagedLoginVersion { get; set; }
        public string CloudFront { get; set; } = "";
        public long CreatedAt { get; set; }
        public long ModifiedAt { get; set; }

        public UserPoolDomain ToDomain() => new()
        {
            Domain = Domain, UserPoolId = UserPoolId, CertificateArn = CertificateArn, ManagedLoginVersion = checked((int)ManagedLoginVersion),
            CloudFrontDistribution = CloudFront, CreatedAt = UnixTime.FromMs(CreatedAt), ModifiedAt = UnixTime.FromMs(ModifiedAt),
        };
    }
}
