using Cognate.Core.Sessions;

namespace Cognate.Server.Sessions;

/// <summary>
/// Cognito <c>SessionDescriptionType</c> as Cognate fills it: SessionId (<c>tkn…</c>, 28 characters), SessionType TOKEN,
/// ClientId, CreateDate and LastActiveDate (epoch seconds), DeviceType and LastIPAddress (of the session's latest sign-in,
/// refresh or rotation; absent for sessions signed in before Cognate recorded them or outside an HTTP request),
/// IsCurrentSession. LastLocation is never set (Cognate has no geo-IP database), nor OriginSessionId (Cognate keeps no SSO
/// sessions, so no token session comes through one).
/// </summary>
internal sealed record SessionDescriptionType(string SessionId, string SessionType, string ClientId, DateTimeOffset CreateDate, DateTimeOffset LastActiveDate,
    string? DeviceType, string? LastIPAddress, bool IsCurrentSession)
{
    public static SessionDescriptionType From(UserSession s) =>
        new(s.SessionId, "TOKEN", s.Record.ClientId, s.Record.CreatedAt, s.Record.LastActiveAt, s.Record.DeviceType, s.Record.LastIpAddress, s.IsCurrent);
}

/// <summary>Cognito <c>UserPoolTokenSessionConfigType</c>: MaxPerUser (1..100).</summary>
internal sealed record UserPoolTokenSessionConfigType(int MaxPerUser);

/// <summary>Cognito <c>ClientSSOSessionConfigType</c>: MaxValidityMinutes (0..129600).</summary>
internal sealed record ClientSSOSessionConfigType(int MaxValidityMinutes);
