using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cognate.Core.Clients;
using Cognate.Core.Pools;
using Cognate.Core.Stores;

namespace Cognate.Core.SignIn;

/// <summary>A session taken (consumed) from the store: its record and its decoded state.</summary>
/// <param name="Record">The stored record (hash, pool, client, username, challenge, expiry).</param>
/// <param name="State">The decoded state, with the record's columns filled in.</param>
public sealed record TakenSession(AuthSessionRecord Record, SignInState State);

/// <summary>
/// Sign-in sessions over <see cref="IAuthSessionStore"/>: the opaque <c>Session</c> string a challenge answer must carry.
/// Stored by SHA-256 hash only, single use (taking removes it), valid for the client's AuthSessionValidity (3–15 min).
/// A correctable mistake puts the same session back (<see cref="PutBackAsync"/>: same Session string, same expiry).
/// </summary>
public sealed class SignInSessions(IAuthSessionStore store, TimeProvider time)
{
    static readonly JsonSerializerOptions StateJson = new(JsonSerializerDefaults.General) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>The store (PASSWORD_VERIFIER keeps its single-use SECRET_BLOCK records there directly).</summary>
    internal IAuthSessionStore Store => store;

    /// <summary>SHA-256 of a Session string (the stored key).</summary>
    public static byte[] Hash(string session) => SHA256.HashData(Encoding.UTF8.GetBytes(session));

    /// <summary>Stores a new session for <paramref name="state"/> (its Username and ChallengeName) and returns the opaque Session string.</summary>
    public async ValueTask<string> CreateAsync(UserPool pool, AppClient client, SignInState state, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(state);
        var session = Ids.IdGenerator.NewSession();
        var expires = time.GetUtcNow() + AppClientService.AuthSessionLifetime(client);
        await store.CreateAsync(new AuthSessionRecord(Hash(session), pool.Id, client.ClientId, state.Username, state.ChallengeName,
            Serialize(state), expires), ct).ConfigureAwait(false);
        return session;
    }

    /// <summary>Takes (consumes) a session of any pool and client; null when missing, unknown or expired.</summary>
    public async ValueTask<TakenSession?> TryTakeAsync(string? session, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(session)) return null;
        var record = await store.TakeAsync(Hash(session), ct).ConfigureAwait(false);
        if (record is null || record.ExpiresAt <= time.GetUtcNow()) return null;
        SignInState state;
        try { state = JsonSerializer.Deserialize<SignInState>(record.Data, StateJson) ?? new SignInState(); }
        catch (JsonException) { state = new SignInState(); }
        return new TakenSession(record, state with
        {
            UserPoolId = record.UserPoolId, ClientId = record.ClientId, Username = record.Username, ChallengeName = record.ChallengeName,
        });
    }

    /// <summary>Puts a taken session back (same Session string, same expiry) with <paramref name="state"/>'s data.</summary>
    public ValueTask PutBackAsync(TakenSession taken, SignInState state, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(taken);
        ArgumentNullException.ThrowIfNull(state);
        return store.CreateAsync(taken.Record with { Data = Serialize(state) }, ct);
    }

    /// <summary>Stores a taken session under a new Session string (same challenge, same expiry) with <paramref name="state"/>'s
    /// data; returns the new Session (MFA_SETUP through AssociateSoftwareToken / VerifySoftwareToken).</summary>
    public async ValueTask<string> RotateAsync(TakenSession taken, SignInState state, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(taken);
        ArgumentNullException.ThrowIfNull(state);
        var next = Ids.IdGenerator.NewSession();
        await store.CreateAsync(taken.Record with { SessionHash = Hash(next), Data = Serialize(state) }, ct).ConfigureAwait(false);
        return next;
    }

    static string Serialize(SignInState state) => JsonSerializer.Serialize(state, StateJson);
}
