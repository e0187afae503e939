using System.Net;

namespace Cognate.Server.Auth;

/// <summary>
/// Cognito <c>ContextDataType</c> of the admin sign-in actions (AdminInitiateAuth, AdminRespondToAuthChallenge): what the app's
/// server knows about the end user's request. Cognate reads <see cref="IpAddress"/> only: threat protection then judges the
/// user's address instead of the app server's (the Cognito threat-protection guide, "Collecting data for threat protection in
/// applications"), and a user session records it as its LastIPAddress; the <c>User-Agent</c> among HttpHeaders gives the session's
/// DeviceType. ServerName, ServerPath, the other headers and EncodedData are accepted and ignored.
/// </summary>
/// <param name="IpAddress">The end user's source IP address.</param>
/// <param name="HttpHeaders">The end user's request headers (<c>headerName</c>, <c>headerValue</c>), or null.</param>
internal sealed record ContextDataType(string? IpAddress, List<HttpHeader>? HttpHeaders = null)
{
    /// <summary>
    /// Enters the admin sign-in's session client (<see cref="Core.Sessions.SessionClient.Current"/>): <see cref="SourceIp"/> and
    /// the end user's User-Agent from <paramref name="contextData"/>'s HttpHeaders, else the request's own User-Agent.
    /// </summary>
    public static string? EnterSessionClient(ContextDataType? contextData, Protocol.ActionContext ctx)
    {
        var ip = SourceIp(contextData, ctx);
        var userAgent = contextData?.HttpHeaders?.LastOrDefault(h => string.Equals(h.HeaderName, "User-Agent", StringComparison.OrdinalIgnoreCase))?.HeaderValue
            ?? ctx.Http.Request.Headers.UserAgent.ToString();
        Core.Sessions.SessionClient.Current = new Core.Sessions.SessionClient(ip, userAgent);
        return ip;
    }

    /// <summary>The source IP for threat protection: <paramref name="contextData"/>'s IpAddress when it is an IP address, else the
    /// connection's remote address.</summary>
    public static string? SourceIp(ContextDataType? contextData, Protocol.ActionContext ctx) =>
        contextData?.IpAddress is { } given && IPAddress.TryParse(given, out var ip) ? ip.ToString() : ctx.Http.Connection.RemoteIpAddress?.ToString();
}

/// <summary>Cognito <c>HttpHeader</c> (wire names <c>headerName</c>, <c>headerValue</c>, lower-case as the service model spells them).</summary>
/// <param name="HeaderName">Header name.</param>
/// <param name="HeaderValue">Header value.</param>
internal sealed record HttpHeader(
    [property: System.Text.Json.Serialization.JsonPropertyName("headerName")] string? HeaderName,
    [property: System.Text.Json.Serialization.JsonPropertyName("headerValue")] string? HeaderValue);
