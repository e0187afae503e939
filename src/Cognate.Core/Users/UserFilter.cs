using Cognate.Core.Errors;

namespace Cognate.Core.Users;

/// <summary>
/// A parsed ListUsers <c>Filter</c> (reference §7.6): one condition <c>attribute op "value"</c> with <c>op</c> either
/// <c>=</c> (exact) or <c>^=</c> (starts with). Inside the quotes <c>\"</c> stands for a quote and <c>\\</c> for a
/// backslash; any other character, including SQL wildcards such as <c>%</c> and <c>_</c>, is literal.
/// </summary>
/// <param name="Attribute">One of <see cref="SearchableAttributes"/>.</param>
/// <param name="Prefix">True for <c>^=</c>.</param>
/// <param name="Value">The unescaped value.</param>
public sealed record UserFilter(string Attribute, bool Prefix, string Value)
{
    /// <summary>The attributes Cognito lets ListUsers filter on.</summary>
    public static readonly IReadOnlyList<string> SearchableAttributes =
        ["username", "email", "phone_number", "name", "given_name", "family_name", "preferred_username", "cognito:user_status", "status", "sub"];

    static CognitoException ParseError() => CognitoErrors.InvalidParameter("Error while parsing filter.");

    /// <summary>Parses <paramref name="filter"/>; null or blank means no filter (null result).</summary>
    /// <exception cref="CognitoException">InvalidParameterException "Error while parsing filter." or "Invalid search attribute: {name}".</exception>
    public static UserFilter? Parse(string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter)) return null;
        int i = 0, n = filter.Length;
        while (i < n && char.IsWhiteSpace(filter[i])) i++;
        int start = i;
        while (i < n && !char.IsWhiteSpace(filter[i]) && filter[i] is not ('=' or '^' or '"')) i++;
        var attribute = filter[start..i];
        if (attribute.Length == 0) throw ParseError();
        while (i < n && char.IsWhiteSpace(filter[i])) i++;
        bool prefix;
        if (i + 1 < n && filter[i] == '^' && filter[i + 1] == '=') { prefix = true; i += 2; }
        else if (i < n && filter[i] == '=') { prefix = false; i += 1; }
        else throw ParseError();
        while (i < n && char.IsWhiteSpace(filter[i])) i++;
        if (i >= n || filter[i] != '"') throw ParseError();
        i++;
        var value = new System.Text.StringBuilder();
        bool closed = false;
        while (i < n)
        {
            char c = filter[i++];
            if (c == '\\' && i < n && filter[i] is '"' or '\\') { value.Append(filter[i++]); continue; }
            if (c == '"') { closed = true; break; }
            value.Append(c);
        }
        if (!closed) throw ParseError();
        while (i < n && char.IsWhiteSpace(filter[i])) i++;
        if (i != n) throw ParseError();
        if (!SearchableAttributes.Contains(attribute, StringComparer.Ordinal)) throw CognitoErrors.InvalidParameter($"Invalid search attribute: {attribute}");
        return new UserFilter(attribute, prefix, value.ToString());
    }
}

/// <summary>
/// The normalised search keys a store keeps for each user so that ListUsers filters are index lookups:
/// <c>username</c>, <c>status</c> (<c>Enabled</c>/<c>Disabled</c>, case-sensitive), <c>cognito:user_status</c>
/// and the searchable standard attributes that have a value. Everything but <c>status</c> is lower-cased (searches are
/// case-insensitive, except <c>username</c> in case-sensitive pools, which the caller re-checks exactly). Not <c>sub</c>: a user's
/// sub is a lower-case UUID with its own unique index, which stores search directly (<see cref="Normalize"/> still lower-cases a
/// <c>sub</c> filter value); a random key per user in the search index doubled the cost of writing it (bench/import.sh).
/// </summary>
public static class UserSearchKeys
{
    static readonly string[] Searchable = ["email", "phone_number", "name", "given_name", "family_name", "preferred_username"];

    /// <summary>The normalised form of <paramref name="value"/> as stored for <paramref name="attribute"/>.</summary>
    public static string Normalize(string attribute, string value) => attribute == "status" ? value : value.ToLowerInvariant();

    /// <summary>All (attribute, normalised value) keys of <paramref name="user"/>.</summary>
    public static IEnumerable<KeyValuePair<string, string>> For(User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        yield return new("username", Normalize("username", user.Username));
        yield return new("status", user.Enabled ? "Enabled" : "Disabled");
        yield return new("cognito:user_status", Normalize("cognito:user_status", user.Status));
        foreach (var name in Searchable)
        {
            if (user.Get(name) is { Length: > 0 } v) yield return new(name, Normalize(name, v));
        }
    }
}
