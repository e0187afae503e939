using Cognate.Core.Users;

namespace Cognate.Core.OAuth;

/// <summary>
/// The claims <c>/oauth2/userInfo</c> answers for a user and the access token's scopes (OpenID Connect Core §5.4; reference §9.5,
/// §9.7): <c>sub</c> always; with <c>profile</c>, or with <c>openid</c> and neither <c>email</c> nor <c>phone</c>, every attribute
/// the client may read; with <c>email</c>, <c>email</c> and <c>email_verified</c>; with <c>phone</c>, <c>phone_number</c> and
/// <c>phone_number_verified</c>; and <c>username</c>. Every value is a string, <c>*_verified</c> included (<c>"true"</c>/<c>"false"</c>), as Cognito.
/// </summary>
public static class UserInfoClaims
{
    /// <summary>The claims, in answer order.</summary>
    /// <param name="user">The token's user.</param>
    /// <param name="scopes">The access token's scopes (they contain <c>openid</c>).</param>
    /// <param name="readAttributes">The client's ReadAttributes (null: all).</param>
    public static IReadOnlyList<KeyValuePair<string, string>> For(User user, IReadOnlyCollection<string> scopes, IReadOnlyCollection<string>? readAttributes)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(scopes);
        bool email = scopes.Contains("email"), phone = scopes.Contains("phone");
        bool all = scopes.Contains("profile") || (!email && !phone);
        var claims = new List<KeyValuePair<string, string>> { new("sub", user.Sub) };
        foreach (var (name, value) in user.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            if (name == "sub" || !AttributeRules.IsReadable(name, readAttributes)) continue;
            bool wanted = all
                || (email && name is "email" or "email_verified")
                || (phone && name is "phone_number" or "phone_number_verified");
            if (wanted) claims.Add(new(name, value));
        }
        claims.Add(new("username", user.Username));
        return claims;
    }
}
