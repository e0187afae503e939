using Cognate.Core.Errors;
using Cognate.Core.Pools;
using Cognate.Core.Stores;

namespace Cognate.Core.Users;

/// <summary>
/// ListUsers (reference §7.6): an optional one-condition filter answered from the store's search index, sorted by
/// the filtered attribute (by username without a filter), <c>Limit</c> 1..60 (0/omitted: 60), opaque PaginationToken.
/// A page may hold fewer users than the limit while a token is still returned (as Cognito documents).
/// </summary>
public sealed class UserDirectory(IUserSearchStore search)
{
    /// <summary>Largest page.</summary>
    public const int MaxPageSize = 60;

    /// <summary>One page of ListUsers.</summary>
    /// <exception cref="CognitoException">InvalidParameterException for a bad filter or pagination token.</exception>
    public async ValueTask<ResultPage<User>> ListUsersAsync(UserPool pool, string? filter, int? limit, string? paginationToken, CancellationToken ct = default)
    {
        var parsed = UserFilter.Parse(filter);
        int size = limit is null or 0 ? MaxPageSize : limit.Value;
        if (parsed is null)
        {
            var after = PageToken.Decode(paginationToken, id => id.Length is > 0 and <= 128 && !id.Contains('\0', StringComparison.Ordinal));
            var users = await search.ListAsync(pool.Id, after, size + 1, ct).ConfigureAwait(false);
            if (users.Count <= size) return new ResultPage<User>(users, null);
            var page = users.Take(size).ToList();
            return new ResultPage<User>(page, PageToken.Encode(page[^1].Username));
        }

        var value = UserSearchKeys.Normalize(parsed.Attribute, parsed.Value);
        string? afterKey = null, afterUser = null;
        var cursor = PageToken.Decode(paginationToken, id => id.Split('\0') is [var key, { Length: > 0 }, var attr] && attr == parsed.Attribute
            && (parsed.Prefix ? key.StartsWith(value, StringComparison.Ordinal) : key == value));
        if (cursor is not null)
        {
            var parts = cursor.Split('\0');
            (afterKey, afterUser) = (parts[0], parts[1]);
        }
        var hits = await search.SearchAsync(pool.Id, parsed.Attribute, value, parsed.Prefix, afterKey, afterUser, size + 1, ct).ConfigureAwait(false);
        var scanned = hits.Take(size).ToList();
        var result = scanned.Select(h => h.User).Where(u => Matches(pool, parsed, u)).ToList();
        string? token = hits.Count > size ? PageToken.Encode(scanned[^1].Key + "\0" + scanned[^1].User.Username + "\0" + parsed.Attribute) : null;
        return new ResultPage<User>(result, token);
    }

    static bool Matches(UserPool pool, UserFilter f, User u)
    {
        if (f.Attribute != "username" || pool.CaseInsensitive) return true;
        return f.Prefix ? u.Username.StartsWith(f.Value, StringComparison.Ordinal) : u.Username == f.Value;
    }
}
