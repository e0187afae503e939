using System.Text.RegularExpressions;
using Cognate.Core.Errors;

namespace Cognate.Core.Pools;

public sealed partial class UserPoolService
{
    /// <summary>Most tags one user pool carries (Cognito quota; AWS tagging limits).</summary>
    public const int MaxTags = 50;

    [GeneratedRegex(@"^arn:aws:cognito-idp:(?<region>[a-z0-9-]+):(?<account>[0-9]+):userpool/(?<id>[\w-]+_[0-9a-zA-Z]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex UserPoolArnPattern();

    /// <summary>
    /// Splits a user pool ARN <c>arn:aws:cognito-idp:{region}:{account}:userpool/{poolId}</c> (the <c>Arn</c> DescribeUserPool
    /// returns); false for any other ARN or when the pool id's region prefix differs from the ARN's region.
    /// </summary>
    public static bool TryParseArn(string? arn, out string region, out string accountId, out string userPoolId)
    {
        region = accountId = userPoolId = "";
        if (arn is null) return false;
        var m = UserPoolArnPattern().Match(arn);
        if (!m.Success) return false;
        region = m.Groups["region"].Value;
        accountId = m.Groups["account"].Value;
        userPoolId = m.Groups["id"].Value;
        return userPoolId.StartsWith(region + "_", StringComparison.Ordinal);
    }

    /// <summary>
    /// Checks a complete tag set against Cognito's limits: at most 50 tags, keys 1-128 and values 0-256 characters
    /// (TagResource, CreateUserPool/UpdateUserPool <c>UserPoolTags</c>).
    /// </summary>
    /// <exception cref="CognitoException">InvalidParameterException.</exception>
    public static void ValidateTags(IReadOnlyDictionary<string, string>? tags)
    {
        if (tags is null) return;
        if (tags.Count > MaxTags)
        {
            throw CognitoErrors.InvalidParameter($"A user pool can have at most {MaxTags} tags; the request would leave {tags.Count}.");
        }
        foreach (var (key, value) in tags)
        {
            if (key.Length is < 1 or > 128) throw CognitoErrors.InvalidParameter("Tag keys must be 1 to 128 characters long.");
            if (value is null || value.Length > 256) throw CognitoErrors.InvalidParameter("Tag values must be 0 to 256 characters long.");
        }
    }

    /// <summary>ListTagsForResource: the pool's tags (the same set as DescribeUserPool <c>UserPoolTags</c>).</summary>
    /// <exception cref="CognitoException">ResourceNotFoundException.</exception>
    public async ValueTask<IReadOnlyDictionary<string, string>> ListTagsAsync(string userPoolId, CancellationToken ct = default)
    {
        var pool = await GetAsync(userPoolId, ct).ConfigureAwait(false);
        return pool.Config.UserPoolTags ?? [];
    }

    /// <summary>
    /// TagResource: adds <paramref name="tags"/> to the pool's tag set, replacing the values of keys already present.
    /// The resulting set must stay within 50 tags.
    /// </summary>
    /// <exception cref="CognitoException">ResourceNotFoundException, InvalidParameterException, ConcurrentModificationException.</exception>
    public async ValueTask TagAsync(string userPoolId, IReadOnlyDictionary<string, string> tags, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(tags);
        ValidateTags(tags);
        await UpdateConfigAsync(userPoolId, c =>
        {
            var merged = new Dictionary<string, string>(c.UserPoolTags ?? [], StringComparer.Ordinal);
            foreach (var (k, v) in tags) merged[k] = v;
            ValidateTags(merged);
            return c with { UserPoolTags = merged };
        }, ct).ConfigureAwait(false);
    }

    /// <summary>UntagResource: removes the named keys from the pool's tag set; keys it does not carry are ignored.</summary>
    /// <exception cref="CognitoException">ResourceNotFoundException, InvalidParameterException, ConcurrentModificationException.</exception>
    public async ValueTask UntagAsync(string userPoolId, IReadOnlyCollection<string> keys, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var key in keys)
        {
            if (key is null || key.Length is < 1 or > 128) throw CognitoErrors.InvalidParameter("Tag keys must be 1 to 128 characters long.");
        }
        await UpdateConfigAsync(userPoolId, c =>
        {
            var left = new Dictionary<string, string>(c.UserPoolTags ?? [], StringComparer.Ordinal);
            foreach (var k in keys) left.Remove(k);
            return c with { UserPoolTags = left };
        }, ct).ConfigureAwait(false);
    }
}
