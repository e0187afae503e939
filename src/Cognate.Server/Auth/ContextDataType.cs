using System.Net;

namespace Cognate.Server.Auth;

/// <summary>
/// Cognito <c>ContextDataType</c> of the admin sign-in actions (AdminInitiateAuth, AdminRespondToAuthChallenge): what the app's
/// server knows about the end user's request. Cognate reads <see cref="IpAddress"/> only: threat protection then judges the
/// user's address instead of the app server's (the Cognito threat-protection guide, "Collecting data for threat protection in
/// applications"). ServerName, ServerPath, HttpHeaders and EncodedData are accepted and ignored.
/// </summary>
/// <param name="IpAddress">The end user's source IP address.</param>
internal sealed record ContextDataType(string? IpAddress)
{
    /// <summary>The source IP for threat protection: <paramref name="contextData"/>'s IpAddress when it is an IP address, else the
    /// connection's remote address.</summary>
    public static string? SourceIp(ContextDataType? contextData, Protocol.ActionContext ctx) =>
        contextData?.IpAddress is { } given && IPAddress.TryParse(given, out var ip) ? ip.ToString() : ctx.Http.Connection.RemoteIpAddress?.ToString();
}
