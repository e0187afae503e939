using Cognate.Core.Sessions;

namespace Cognate.Server.Sessions;

/// <summary>
/// Cognito <c>SessionDescriptionType</c> as Cognate fills it: SessionId (28 characters, <c>tkn…</c> for a token session,
/// <c>sso…</c> for a managed-login SSO session), SessionType TOKEN or SSO, ClientId, CreateDate and LastActiveDate (epoch
/// seconds), DeviceType and LastIPAddress (of the session's latest sign-in, refresh, rotation or silent reuse; absent for
/// sessions made before Cognate recorded them or outside an HTTP request), OriginSessionId (a token session's SSO session,
/// when its tokens came through the hosted pages), IsCurrentSession. LastLocation is never set (Cognate has no geo-IP database).
/// </summary>
internal sealed record SessionDescriptionType(string SessionId, string SessionType, string ClientId, DateTimeOffset CreateDate, DateTimeOffset LastActiveDate,
    string? DeviceType, string? LastIPAddress, string? OriginSessionId, bool IsCurrentSession)
{
    public static SessionDescriptionType From(UserSession s) =>
        new(s.SessionId, s.SessionType, s.ClientId, s.CreatedAt, s.LastActiveAt, s.DeviceType, s.LastIpAddress, s.OriginSessionId, s.IsCurrent);
}

/// <summary>Cognito <c>UserPoolTokenSessionConfigType</c>: MaxPerUser (1..100).</summary>
internal sealed record UserPoolTokenSessionConfigType(int MaxPerUser);

/// <summary>Cognito <c>ClientSSOSessionConfigType</c>: MaxValidityMinutes (0..129600).</summary>
internal sealed record ClientSSOSessionConfigType(int MaxValidityMinutes);
