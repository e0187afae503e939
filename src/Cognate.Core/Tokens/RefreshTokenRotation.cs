using Cognate.Core.Clients;
using Cognate.Core.Stores;

namespace Cognate.Core.Tokens;

/// <summary>
/// The rules of refresh-token rotation (Cognito <c>RefreshTokenRotationType</c>; API reference GetTokensFromRefreshToken and
/// RefreshTokenRotationType; developer guide "Refresh tokens", section "Refresh token rotation"):
/// <list type="bullet">
/// <item>With <c>Feature = ENABLED</c>, GetTokensFromRefreshToken and the <c>/oauth2/token</c> refresh_token grant answer with a new
/// refresh token besides the ID and access tokens, and InitiateAuth / AdminInitiateAuth REFRESH_TOKEN_AUTH is not available on the
/// client (<see cref="AppClientService.IsAuthFlowEnabled"/>).</item>
/// <item>The presented token keeps refreshing for <c>RetryGracePeriodSeconds</c> (0..60, default 0) after its first rotation, for
/// client retries; after that it is refused with RefreshTokenReuseException (OAuth: <c>invalid_grant</c>). With 0 the first
/// rotation invalidates it at once.</item>
/// <item>The new token belongs to the presented token's family and keeps its expiry and <c>auth_time</c>: rotation never extends
/// the session beyond RefreshTokenValidity counted from the sign-in.</item>
/// <item>Revoking any token of a family (RevokeToken, <c>/oauth2/revoke</c>) revokes the family; GlobalSignOut,
/// AdminUserGlobalSignOut and the other user-wide revocations cover every family of the user.</item>
/// </list>
/// </summary>
public static class RefreshTokenRotation
{
    /// <summary>The <c>Feature</c> value that turns rotation on.</summary>
    public const string Enabled = "ENABLED";

    /// <summary>Largest RetryGracePeriodSeconds Cognito accepts (the model's range is 0..60).</summary>
    public const int MaxGracePeriodSeconds = 60;

    /// <summary>True when the client's RefreshTokenRotation.Feature is ENABLED.</summary>
    public static bool IsEnabled(AppClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return string.Equals(client.Config.RefreshTokenRotation?.Feature, Enabled, StringComparison.Ordinal);
    }

    /// <summary>The client's RetryGracePeriodSeconds as a span (absent: 0; clamped to 0..60).</summary>
    public static TimeSpan GracePeriod(AppClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return TimeSpan.FromSeconds(Math.Clamp(client.Config.RefreshTokenRotation?.RetryGracePeriodSeconds ?? 0, 0, MaxGracePeriodSeconds));
    }

    /// <summary>
    /// A token first rotated at or before this instant is past its grace period at <paramref name="now"/>. Without a grace
    /// period every rotated token is (<see cref="DateTimeOffset.MaxValue"/>): a concurrent request whose <paramref name="now"/> was
    /// read just before another's rotation was stamped must not count as within a zero-length grace.
    /// </summary>
    public static DateTimeOffset ReplacedAfter(AppClient client, DateTimeOffset now)
    {
        var grace = GracePeriod(client);
        return grace == TimeSpan.Zero ? DateTimeOffset.MaxValue : now - grace;
    }

    /// <summary>
    /// True when <paramref name="record"/> was rotated and its grace period is over at <paramref name="now"/>: presenting it is a reuse.
    /// A rotated token stays dead even if the client later turns rotation off.
    /// </summary>
    public static bool IsReused(RefreshTokenRecord record, AppClient client, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.ReplacedAt is { } replaced && replaced <= ReplacedAfter(client, now);
    }

    /// <summary>
    /// The record of the token that replaces <paramref name="presented"/>: same pool, client, user, family, <c>auth_time</c>,
    /// expiry and OAuth scopes; its own hash and <c>origin_jti</c> (the handle of the access tokens minted with it).
    /// </summary>
    public static RefreshTokenRecord Replacement(RefreshTokenRecord presented, byte[] tokenHash, string originJti)
    {
        ArgumentNullException.ThrowIfNull(presented);
        return new RefreshTokenRecord(tokenHash, presented.UserPoolId, presented.ClientId, presented.Username, originJti, presented.AuthTime, presented.ExpiresAt, Revoked: false)
        {
            OAuthScopes = presented.OAuthScopes,
            FamilyId = presented.Family,
            DeviceKey = presented.DeviceKey,
            OriginSessionId = presented.OriginSessionId,
        };
    }
}
