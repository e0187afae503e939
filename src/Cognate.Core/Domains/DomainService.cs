using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Cognate.Core.Errors;
using Cognate.Core.Pools;

namespace Cognate.Core.Domains;

/// <summary>
/// CreateUserPoolDomain, DescribeUserPoolDomain, UpdateUserPoolDomain, DeleteUserPoolDomain. Prefix domains follow
/// <c>^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$</c> and may not contain the reserved words aws, amazon, cognito; custom
/// domains are lower-case host names with at least two labels. Names are unique across pools.
/// </summary>
public sealed partial class DomainService(IUserPoolDomainStore domains, TimeProvider time)
{
    /// <summary>Words Cognito refuses inside a prefix ("Domain cannot contain reserved word: aws").</summary>
    public static IReadOnlyList<string> ReservedWords { get; } = ["aws", "amazon", "cognito"];

    [GeneratedRegex(@"^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex PrefixPattern();

    [GeneratedRegex(@"^(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex HostPattern();

    static CognitoException NoSuchDomain() => CognitoErrors.InvalidParameter("No such domain or user pool exists.");

    /// <summary>Checks a prefix or custom domain name as Cognito does before anything is stored.</summary>
    /// <exception cref="CognitoException">InvalidParameterException: invalid characters, reserved word, bad host name.</exception>
    public static void ValidateName(string domain, bool custom)
    {
        if (custom)
        {
            if (domain.Length > 253 || !HostPattern().IsMatch(domain))
            {
                throw CognitoErrors.InvalidParameter("The custom domain name is not a valid fully-qualified domain name.");
            }
            return;
        }
        if (!PrefixPattern().IsMatch(domain))
        {
            throw CognitoErrors.InvalidParameter(
                "The domain name contains an invalid character. Domain names can only contain lower-case letters, numbers, and hyphens. " +
                @"Please enter a different name that follows this format: ^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$");
        }
        foreach (var word in ReservedWords)
        {
            if (domain.Contains(word, StringComparison.Ordinal)) throw CognitoErrors.InvalidParameter($"Domain cannot contain reserved word: {word}");
        }
    }

    static int Version(int? managedLoginVersion) => managedLoginVersion switch
    {
        null => 1,
        1 or 2 => managedLoginVersion.Value,
        _ => throw CognitoErrors.InvalidParameter("ManagedLoginVersion must be 1 or 2."),
    };

    /// <summary>A stable synthetic CloudFront host for <paramref name="domain"/>: <c>d</c> + 13 base-32 characters + <c>.cloudfront.net</c>.</summary>
    public static string CloudFrontFor(string domain)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("cognate-domain:" + domain));
        const string alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        var sb = new StringBuilder("d", 30);
        for (int i = 0; i < 13; i++) sb.Append(alphabet[hash[i] % 32]);
        return sb.Append(".cloudfront.net").ToString();
    }

    /// <summary>CreateUserPoolDomain: a prefix domain, or a custom one when <paramref name="certificateArn"/> is given.</summary>
    /// <exception cref="CognitoException">InvalidParameterException: invalid name, reserved word, "Domain already associated with another
    /// user pool.", "User pool already has a domain configured.", bad ManagedLoginVersion.</exception>
    public async ValueTask<UserPoolDomain> CreateAsync(UserPool pool, string domain, string? certificateArn, int? managedLoginVersion, CancellationToken ct = default)
    {
        bool custom = certificateArn is not null;
        ValidateName(domain, custom);
        int version = Version(managedLoginVersion);
        var existing = await domains.ListForPoolAsync(pool.Id, ct).ConfigureAwait(false);
        if (existing.Any(d => d.IsCustom == custom)) throw CognitoErrors.InvalidParameter("User pool already has a domain configured.");
        var now = time.GetUtcNow();
        var created = new UserPoolDomain
        {
            Domain = domain, UserPoolId = pool.Id, CertificateArn = certificateArn, ManagedLoginVersion = version,
            CloudFrontDistribution = CloudFrontFor(domain), CreatedAt = now, ModifiedAt = now,
        };
        if (await domains.CreateAsync(created, ct).ConfigureAwait(false)) return created;
        if (await domains.GetAsync(domain, ct).ConfigureAwait(false) is { } other && other.UserPoolId != pool.Id)
        {
            throw CognitoErrors.InvalidParameter("Domain already associated with another user pool.");
        }
        throw CognitoErrors.InvalidParameter("User pool already has a domain configured.");
    }

    /// <summary>DescribeUserPoolDomain: the domain, or null (Cognito answers <c>{"DomainDescription": {}}</c>).</summary>
    public ValueTask<UserPoolDomain?> FindAsync(string domain, CancellationToken ct = default) => domains.GetAsync(domain, ct);

    /// <summary>The pool's prefix and custom domains (DescribeUserPool's <c>Domain</c> / <c>CustomDomain</c>).</summary>
    public async ValueTask<(UserPoolDomain? Prefix, UserPoolDomain? Custom)> ForPoolAsync(string userPoolId, CancellationToken ct = default)
    {
        var list = await domains.ListForPoolAsync(userPoolId, ct).ConfigureAwait(false);
        return (list.FirstOrDefault(d => !d.IsCustom), list.FirstOrDefault(d => d.IsCustom));
    }

    /// <summary>
    /// UpdateUserPoolDomain: a new certificate for a custom domain and/or a new ManagedLoginVersion (omitted: unchanged).
    /// A certificate for a prefix domain is refused.
    /// </summary>
    /// <exception cref="CognitoException">InvalidParameterException "No such domain or user pool exists." and the checks above.</exception>
    public async ValueTask<UserPoolDomain> UpdateAsync(UserPool pool, string domain, string? certificateArn, int? managedLoginVersion, CancellationToken ct = default)
    {
        var current = await domains.GetAsync(domain, ct).ConfigureAwait(false);
        if (current is null || current.UserPoolId != pool.Id) throw NoSuchDomain();
        if (certificateArn is not null && !current.IsCustom)
        {
            throw CognitoErrors.InvalidParameter("CustomDomainConfig can only be updated for a custom domain.");
        }
        var updated = current with
        {
            CertificateArn = certificateArn ?? current.CertificateArn,
            ManagedLoginVersion = managedLoginVersion is null ? current.ManagedLoginVersion : Version(managedLoginVersion),
            ModifiedAt = time.GetUtcNow(),
        };
        if (!await domains.UpdateAsync(updated, ct).ConfigureAwait(false)) throw NoSuchDomain();
        return updated;
    }

    /// <summary>DeleteUserPoolDomain.</summary>
    /// <exception cref="CognitoException">InvalidParameterException "No such domain or user pool exists.".</exception>
    public async ValueTask DeleteAsync(UserPool pool, string domain, CancellationToken ct = default)
    {
        if (!await domains.DeleteAsync(pool.Id, domain, ct).ConfigureAwait(false)) throw NoSuchDomain();
    }
}
