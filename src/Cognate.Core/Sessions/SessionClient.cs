namespace Cognate.Core.Sessions;

/// <summary>
/// Where a session's latest activity came from: the client's IP address and User-Agent, which a token session records as its
/// <c>LastIPAddress</c> and <c>DeviceType</c> at sign-in and at each refresh and rotation (SessionDescriptionType in the
/// Cognito API reference: "Amazon Cognito overwrites this value on each sign-in, refresh, and rotation").
/// </summary>
/// <remarks>
/// The server sets <see cref="Current"/> once per HTTP request (the connection's remote address and the <c>User-Agent</c>
/// header); the admin sign-in actions replace it with their <c>ContextData</c> (IpAddress, and a <c>User-Agent</c> among
/// HttpHeaders), the same source threat protection judges. Token issuing, deep below the actions, reads it instead of every
/// flow threading two more parameters through. Outside a request (tests, bootstrap) it is null and nothing is recorded.
/// </remarks>
/// <param name="IpAddress">The client's IP address as text, or null.</param>
/// <param name="UserAgent">The client's User-Agent, or null.</param>
public sealed record SessionClient(string? IpAddress, string? UserAgent)
{
    /// <summary>The longest LastIPAddress Cognito returns (128 characters); a longer value is not kept.</summary>
    public const int MaxIpLength = 128;

    static readonly AsyncLocal<SessionClient?> current = new();

    /// <summary>The current request's client, or null outside a request. Setting it holds for every call awaited below.</summary>
    public static SessionClient? Current
    {
        get => current.Value;
        set => current.Value = value;
    }

    /// <summary>The SSO session the tokens issued in this request come through (the hosted pages' authorization code or
    /// implicit grant), recorded as the token session's OriginSessionId; null for the API's sign-ins.</summary>
    public string? OriginSessionId { get; init; }

    /// <summary>The IP address to record: <see cref="IpAddress"/> when it fits Cognito's 128 characters, else null.</summary>
    public string? RecordedIp => IpAddress is { Length: > 0 and <= MaxIpLength } ip ? ip : null;

    /// <summary><see cref="UserAgentDevice.Describe"/> of <see cref="UserAgent"/>.</summary>
    public string DeviceType => UserAgentDevice.Describe(UserAgent);
}
