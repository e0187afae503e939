namespace Cognate.Core.Pools;

/// <summary>One page of a listing and the opaque token for the next page (null on the last page).</summary>
/// <typeparam name="T">Item type.</typeparam>
/// <param name="Items">The items of this page, in listing order.</param>
/// <param name="NextToken">Opaque continuation token, or null when nothing follows.</param>
public sealed record ResultPage<T>(IReadOnlyList<T> Items, string? NextToken);

/// <summary>
/// Opaque pagination tokens: base64url of the last returned id. A token that does not decode to an
/// id of the expected shape gives <c>InvalidParameterException</c>.
/// </summary>
public static class PageToken
{
    /// <summary>The token continuing after <paramref name="lastId"/>.</summary>
    public static string Encode(string lastId) => Ids.IdGenerator.Base64Url(System.Text.Encoding.UTF8.GetBytes(lastId));

    /// <summary>The id encoded in <paramref name="token"/> (null token: null).</summary>
    /// <exception cref="Errors.CognitoException">InvalidParameterException when the token is malformed.</exception>
    public static string? Decode(string? token, Func<string, bool> isValidId)
    {
        if (token is null) return null;
        try
        {
            var b64 = token.Replace('-', '+').Replace('_', '/');
            b64 = b64.PadRight(b64.Length + ((4 - (b64.Length % 4)) % 4), '=');
            var id = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(b64));
            if (isValidId(id)) return id;
        }
        catch (FormatException)
        {
        }
        throw Errors.CognitoErrors.InvalidParameter("Invalid pagination token provided.");
    }
}
