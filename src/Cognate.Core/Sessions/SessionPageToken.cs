using System.Security.Cryptography;
using System.Text;
using Cognate.Core.Errors;
using Cognate.Core.Pools;

namespace Cognate.Core.Sessions;

/// <summary>
/// The NextToken of ListUserSessions / AdminListUserSessions: opaque to clients (Cognito documents only "a pagination token that
/// Amazon Cognito returned in a previous response"). Inside: <c>{tag}.{createdMs}.{sessionId}</c> in base64url
/// (<see cref="PageToken"/>), the position after the page's last session in the listing order (CreateDate descending, then
/// SessionId) and a tag of 16 hex digits of SHA-256 over the pool id and username, so another pool's or user's token, a
/// truncated or edited one, is InvalidParameterException "Invalid NextToken." instead of a silent restart. A token whose
/// session was revoked since still continues after its position.
/// </summary>
public static class SessionPageToken
{
    /// <summary>The position a token names: after the session created at <paramref name="CreatedAt"/> with <paramref name="SessionId"/>.</summary>
    /// <param name="CreatedAt">CreateDate of the previous page's last session (millisecond precision).</param>
    /// <param name="SessionId">Its SessionId.</param>
    public sealed record Position(DateTimeOffset CreatedAt, string SessionId);

    /// <summary>The token continuing after the session <paramref name="sessionId"/> created at <paramref name="createdAt"/>.</summary>
    public static string Encode(string userPoolId, string username, DateTimeOffset createdAt, string sessionId) =>
        PageToken.Encode($"{Tag(userPoolId, username)}.{createdAt.ToUnixTimeMilliseconds()}.{sessionId}");

    /// <summary>The position in <paramref name="token"/>, a token of this pool and user.</summary>
    /// <exception cref="CognitoException">InvalidParameterException "Invalid NextToken." for anything else.</exception>
    public static Position Decode(string token, string userPoolId, string username)
    {
        ArgumentNullException.ThrowIfNull(token);
        string? text;
        try { text = token.Length > 512 ? null : PageToken.Decode(token, _ => true); }
        catch (CognitoException) { text = null; }
        var parts = text?.Split('.');
        if (parts is not { Length: 3 } || parts[0] != Tag(userPoolId, username)
            || !long.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ms)
            || ms > 253402300799999 || !IsSessionId(parts[2]))
        {
            throw CognitoErrors.InvalidParameter("Invalid NextToken.");
        }
        return new Position(DateTimeOffset.FromUnixTimeMilliseconds(ms), parts[2]);
    }

    /// <summary>True when the session (<paramref name="createdAt"/>, <paramref name="sessionId"/>) comes after <paramref name="position"/>
    /// in the listing order (CreateDate descending, then SessionId ascending).</summary>
    public static bool IsAfter(DateTimeOffset createdAt, string sessionId, Position position)
    {
        ArgumentNullException.ThrowIfNull(position);
        long ms = createdAt.ToUnixTimeMilliseconds(), at = position.CreatedAt.ToUnixTimeMilliseconds();
        return ms < at || (ms == at && string.CompareOrdinal(sessionId, position.SessionId) > 0);
    }

    /// <summary>A SessionId's shape: <c>tkn</c> or <c>sso</c> and 25 of <c>[a-z2-7]</c>.</summary>
    static bool IsSessionId(string id) =>
        id.Length == 28 && (id.StartsWith("tkn", StringComparison.Ordinal) || id.StartsWith("sso", StringComparison.Ordinal))
        && id.AsSpan(3).IndexOfAnyExcept(Base32) < 0;

    static readonly System.Buffers.SearchValues<char> Base32 = System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyz234567");

    static string Tag(string userPoolId, string username) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("cognate-session-page:" + userPoolId + "\n" + username)))[..16];
}
