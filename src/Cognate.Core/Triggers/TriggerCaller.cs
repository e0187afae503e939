namespace Cognate.Core.Triggers;

/// <summary>
/// Who asked for the work a trigger is fired from: the Cognito action, its app client (<c>callerContext.clientId</c>), its
/// <c>ClientMetadata</c> (<c>request.clientMetadata</c>) and the caller's SDK (<c>callerContext.awsSdkVersion</c>). The protocol
/// layer sets <see cref="Current"/> for the rest of a request (JSON endpoint and managed-login pages alike), so code deep in a
/// service (the messages of <see cref="Messaging.MessageService"/>, sent from half a dozen actions) fills the envelope without
/// every action threading these through; an action that learns the client later (an access token's <c>client_id</c>) refines it
/// with <see cref="WithClient"/>. Outside a request (bootstrap, tests) it is null: admin semantics, CLIENT_ID_NOT_APPLICABLE.
/// </summary>
/// <param name="Action">The Cognito action name, e.g. <c>SignUp</c>.</param>
/// <param name="ClientId">The app client, or null for admin actions without one.</param>
/// <param name="ClientMetadata">The action's <c>ClientMetadata</c>, or null when it sent none.</param>
/// <param name="AwsSdkVersion">e.g. <c>aws-sdk-js-3.600.0</c>, or null when the User-Agent names no AWS SDK.</param>
public sealed record TriggerCaller(string Action, string? ClientId, IReadOnlyDictionary<string, string>? ClientMetadata, string? AwsSdkVersion)
{
    sealed class Holder
    {
        public TriggerCaller? Value;
    }

    static readonly AsyncLocal<Holder?> current = new();

    /// <summary>
    /// The caller of the current request, or null. Setting it starts a new context that flows into every call awaited below the
    /// point it was set (the protocol layer does this once per action).
    /// </summary>
    public static TriggerCaller? Current
    {
        get => current.Value?.Value;
        set => current.Value = new Holder { Value = value };
    }

    /// <summary>
    /// Sets the current caller's client to <paramref name="clientId"/> (token-authorised actions: the token's client). It changes the
    /// context entered by the protocol layer in place, so it holds for the rest of the action even when called from an async helper.
    /// </summary>
    public static void WithClient(string clientId)
    {
        if (current.Value is { } holder) holder.Value = holder.Value is null ? new TriggerCaller("", clientId, null, null) : holder.Value with { ClientId = clientId };
        else Current = new TriggerCaller("", clientId, null, null);
    }

    /// <summary>
    /// <c>callerContext.awsSdkVersion</c> from a User-Agent: the first product token naming an AWS SDK (<c>aws-sdk-js/3.600.0</c>
    /// → <c>aws-sdk-js-3.600.0</c>, <c>aws-sdk-java/…</c>, <c>aws-sdk-go-v2/…</c>, …), else null (→ <c>aws-sdk-unknown-unknown</c>).
    /// </summary>
    public static string? SdkVersionFromUserAgent(string? userAgent)
    {
        if (string.IsNullOrEmpty(userAgent)) return null;
        foreach (var token in userAgent.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!token.StartsWith("aws-sdk-", StringComparison.OrdinalIgnoreCase)) continue;
            int slash = token.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0 || slash == token.Length - 1) continue;
            var name = token[..slash];
            var version = token[(slash + 1)..];
            if (name.Length > 64 || version.Length > 64) return null;
            return name.ToLowerInvariant() + "-" + version;
        }
        return null;
    }
}
