namespace Cognate.Core.Sessions;

/// <summary>
/// TokenSession.MaxPerUser (SetUserPoolSessionConfiguration): "When a user reaches this limit, the next successful
/// authentication automatically evicts that user's least recently used token session before it creates the new session".
/// Cognate creates the new session first, then revokes the least recently used others until the user is within the limit.
/// Costs one read of the pool's session configuration per sign-in, and a listing only when tracking is ENABLED.
/// </summary>
public sealed class TokenSessionLimit(ISessionStore store, TimeProvider time)
{
    /// <summary>Evicts the user's least recently used token sessions over the pool's limit, never <paramref name="keepFamily"/> (the new one).</summary>
    public async ValueTask EnforceAsync(string userPoolId, string username, string keepFamily, CancellationToken ct = default)
    {
        var config = await SessionService.ConfigOrDefaultAsync(store, userPoolId, ct).ConfigureAwait(false);
        if (config.UserSessionTracking != SessionService.Enabled) return;
        var sessions = await store.ListActiveAsync(userPoolId, username, time.GetUtcNow(), ct).ConfigureAwait(false);
        if (sessions.Count <= config.MaxPerUser) return;
        var evict = sessions.Where(s => s.Family != keepFamily)
            .OrderBy(s => s.LastActiveAt).ThenBy(s => s.Family, StringComparer.Ordinal)
            .Take(sessions.Count - config.MaxPerUser);
        foreach (var s in evict) await store.RevokeFamilyAsync(userPoolId, username, s.Family, ct).ConfigureAwait(false);
    }
}
