using System.Text.Json;
using Cognate.Core.Triggers;

namespace Cognate.Server.Lambda;

/// <summary>
/// Sets <see cref="TriggerCaller.Current"/> for the rest of a Cognito action: the action name, the body's <c>ClientId</c> and
/// <c>ClientMetadata</c> (already validated against the service model: a string, a map of strings) and the SDK named by the
/// User-Agent. Called by the JSON dispatcher and by the managed-login pages, which run the same actions.
/// </summary>
internal static class TriggerCallers
{
    /// <summary>Enters <paramref name="action"/>'s caller context from its request <paramref name="body"/>.</summary>
    public static void Enter(HttpContext http, string action, JsonElement body)
    {
        string? clientId = null;
        Dictionary<string, string>? metadata = null;
        if (body.ValueKind == JsonValueKind.Object)
        {
            if (body.TryGetProperty("ClientId", out var id) && id.ValueKind == JsonValueKind.String) clientId = id.GetString();
            if (body.TryGetProperty("ClientMetadata", out var map) && map.ValueKind == JsonValueKind.Object)
            {
                metadata = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var p in map.EnumerateObject())
                {
                    if (p.Value.ValueKind == JsonValueKind.String) metadata[p.Name] = p.Value.GetString()!;
                }
            }
        }
        TriggerCaller.Current = new TriggerCaller(action, clientId, metadata, TriggerCaller.SdkVersionFromUserAgent(http.Request.Headers.UserAgent.ToString()));
    }
}
