namespace Cognate.Server.Protocol;

/// <summary>
/// What a Cognito action handler gets besides its request: the HTTP context, the action name, the
/// region (from the SigV4 credential scope of a signed call, else the configured default), and the
/// request's services and cancellation.
/// </summary>
internal sealed class ActionContext
{
    public required HttpContext Http { get; init; }
    public required string Action { get; init; }
    public required string Region { get; init; }
    /// <summary>True when the request carried a valid SigV4 signature.</summary>
    public required bool Signed { get; init; }
    public required string RequestId { get; init; }
    /// <summary>
    /// The ACTIVE replica id (<c>{region}_{suffix}</c>) the request named as UserPoolId, which the dispatcher replaced by the pool's
    /// own id before the handler; null when the request named no replica. Tokens issued in this request carry the replica's issuer.
    /// </summary>
    public string? ReplicaId { get; init; }

    public IServiceProvider Services => Http.RequestServices;
    public CancellationToken Aborted => Http.RequestAborted;
    public T Get<T>() where T : notnull => Http.RequestServices.GetRequiredService<T>();

    /// <summary>The server's own base URL as the caller sees it (scheme://host[:port]).</summary>
    public string PublicBaseUrl => $"{Http.Request.Scheme}://{Http.Request.Host}";
}
