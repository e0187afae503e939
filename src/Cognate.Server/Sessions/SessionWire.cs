using Cognate.Core.Sessions;

namespace Cognate.Server.Sessions;

/// <summary>
/// Cognito <c>SessionDescriptionType</c> as Cognate fills it: SessionId (<c>tkn…</c>, 28 characters), SessionType TOKEN,
/// ClientId, CreateDate and LastActiveDate (epoch seconds), IsCurrentSession. DeviceType, LastIPAddress, LastLocation and
/// OriginSessionId are never set (Cognate keeps no device, IP or SSO data for sessions).
/// </summary>
internal sealed record SessionDescriptionType(string SessionId, string SessionType, string ClientId, DateTimeOffset CreateDate, DateTimeOffset LastActiveDate, bool IsCurrentSession)
{
    public static SessionDescriptionType From(UserSession s) =>
        new(s.SessionId, "TOKEN", s.Record.ClientId, s.Record.CreatedAt, s.Record.LastActiveAt, s.IsCurrent);
}

/// <summary>Cognito <c>UserPoolTokenSessionConfigType</c>: MaxPerUser (1..100).</summary>
internal sealed record UserPoolTokenSessionConfigType(int MaxPerUser);

/// <summary>Cognito <c>ClientSSOSessionConfigType</c>: MaxValidityMinutes (0..129600).</summary>
internal sealed record ClientSSOSessionConfigType(int MaxValidityMinutes);
