using Cognate.Core.Clients;
using Cognate.Core.Pools;
using Cognate.Core.Users;

namespace Cognate.Core.Stores;

/// <summary>Storage of user pools. Deleting a pool deletes everything that belongs to it.</summary>
public interface IUserPoolStore
{
    /// <summary>Inserts a new pool. Returns false if the id exists.</summary>
    ValueTask<bool> CreateAsync(UserPool pool, CancellationToken ct = default);
    /// <summary>The pool, or null.</summary>
    ValueTask<UserPool?> GetAsync(string userPoolId, CancellationToken ct = default);
    /// <summary>Pools ordered by id, starting after <paramref name="afterId"/> (exclusive), at most <paramref name="limit"/>.</summary>
    ValueTask<IReadOnlyList<UserPool>> ListAsync(string? afterId, int limit, CancellationToken ct = default);
    /// <summary>Replaces the pool if its stored Version equals <paramref name="pool"/>.Version; increments Version. False on conflict or missing.</summary>
    ValueTask<bool> UpdateAsync(UserPool pool, CancellationToken ct = default);
    /// <summary>Deletes the pool and all its clients, users, codes, tokens, keys and sessions. False if missing.</summary>
    ValueTask<bool> DeleteAsync(string userPoolId, CancellationToken ct = default);
    /// <summary>Number of users in the pool.</summary>
    ValueTask<long> CountUsersAsync(string userPoolId, CancellationToken ct = default);
}

/// <summary>Storage of app clients. Secrets are encrypted at rest by the implementation.</summary>
public interface IAppClientStore
{
    /// <summary>Inserts a client. False if the client id exists.</summary>
    ValueTask<bool> CreateAsync(AppClient client, CancellationToken ct = default);
    /// <summary>The client by id (any pool), or null.</summary>
    ValueTask<AppClient?> GetAsync(string clientId, CancellationToken ct = default);
    /// <summary>Clients of a pool ordered by client id after <paramref name="afterId"/>, at most <paramref name="limit"/>.</summary>
    ValueTask<IReadOnlyList<AppClient>> ListAsync(string userPoolId, string? afterId, int limit, CancellationToken ct = default);
    /// <summary>Optimistic replace (Version check, then increment). False on conflict or missing.</summary>
    ValueTask<bool> UpdateAsync(AppClient client, CancellationToken ct = default);
    /// <summary>Deletes the client and its refresh tokens/sessions. False if missing.</summary>
    ValueTask<bool> DeleteAsync(string userPoolId, string clientId, CancellationToken ct = default);
}

/// <summary>Outcome of writing a user.</summary>
public enum UserWriteResult
{
    /// <summary>Written.</summary>
    Ok,
    /// <summary>A (pool, kind, value) identifier is taken by another user; nothing was written.</summary>
    IdentifierTaken,
    /// <summary>The user changed (Version mismatch) or vanished; nothing was written.</summary>
    Conflict,
}

/// <summary>
/// Storage of users and their unique identifiers (username and sign-in aliases), written together in
/// one transaction so that uniqueness is enforced by the database.
/// </summary>
public interface IUserStore
{
    /// <summary>Inserts a user with its identifiers. <see cref="UserWriteResult.IdentifierTaken"/> if any identifier exists.</summary>
    ValueTask<UserWriteResult> CreateAsync(User user, IReadOnlyCollection<UserIdentifier> identifiers, CancellationToken ct = default);
    /// <summary>The user owning identifier (<paramref name="kind"/>, <paramref name="value"/>) — value already normalised — or null.</summary>
    ValueTask<User?> FindByIdentifierAsync(string userPoolId, string kind, string value, CancellationToken ct = default);
    /// <summary>The user by exact internal username, or null.</summary>
    ValueTask<User?> GetAsync(string userPoolId, string username, CancellationToken ct = default);
    /// <summary>
    /// What an access-token check needs, in one read: the user by exact internal username (null when missing) and whether
    /// the refresh-token family <paramref name="originJti"/> (the token's <c>origin_jti</c>) has been revoked (false when
    /// <paramref name="originJti"/> is null or unknown).
    /// </summary>
    ValueTask<(User? User, bool Revoked)> GetForAccessTokenAsync(string userPoolId, string username, string? originJti, CancellationToken ct = default);
    /// <summary>
    /// Replaces the user if the stored Version equals <paramref name="user"/>.Version (then increments it
    /// on the object too). When <paramref name="identifiers"/> is not null the user's identifiers are
    /// replaced by it in the same transaction.
    /// </summary>
    ValueTask<UserWriteResult> UpdateAsync(User user, IReadOnlyCollection<UserIdentifier>? identifiers, CancellationToken ct = default);
    /// <summary>Deletes the user with identifiers, codes, refresh tokens and sessions. False if missing.</summary>
    ValueTask<bool> DeleteAsync(string userPoolId, string username, CancellationToken ct = default);
}

/// <summary>
/// Capability of an <see cref="IUserStore"/> that can replace a user and revoke every refresh token of that user (and so
/// the access tokens minted from them) in one transaction: AdminDisableUser, AdminResetUserPassword, AdminSetUserPassword
/// and ChangePassword then never leave a committed change with live tokens behind. Stores without it get the two writes
/// in sequence, which is idempotent on retry (the same update again, then the revocation).
/// </summary>
public interface IUserTokenRevokingStore
{
    /// <summary>
    /// As <see cref="IUserStore.UpdateAsync"/>, and in the same transaction marks every refresh token of the user revoked.
    /// Nothing is written unless the result is <see cref="UserWriteResult.Ok"/>.
    /// </summary>
    ValueTask<UserWriteResult> UpdateAndRevokeTokensAsync(User user, IReadOnlyCollection<UserIdentifier>? identifiers, CancellationToken ct = default);
}

/// <summary>One-time codes, one live code per (pool, username, purpose).</summary>
public interface ICodeStore
{
    /// <summary>Stores <paramref name="code"/>, replacing any previous code of the same purpose.</summary>
    ValueTask PutAsync(StoredCode code, CancellationToken ct = default);
    /// <summary>The live code, or null.</summary>
    ValueTask<StoredCode?> GetAsync(string userPoolId, string username, string purpose, CancellationToken ct = default);
    /// <summary>Atomically increments FailedAttempts; returns the new count.</summary>
    ValueTask<int> IncrementFailedAttemptsAsync(string userPoolId, string username, string purpose, CancellationToken ct = default);
    /// <summary>Deletes the code. Returns false if it was already gone (single use under races).</summary>
    ValueTask<bool> DeleteAsync(string userPoolId, string username, string purpose, CancellationToken ct = default);

    /// <summary>
    /// Atomically counts one code send for (pool, user, purpose) in the current window (a window starts at the first
    /// counted event and lasts <paramref name="window"/>). Returns false, counting nothing, when <paramref name="maxSends"/>
    /// sends were already counted in the window. Never touches the guess count.
    /// </summary>
    ValueTask<bool> CountSendAsync(string userPoolId, string username, string purpose, DateTimeOffset now, TimeSpan window, int maxSends, CancellationToken ct = default);

    /// <summary>
    /// Reserves one comparison against the live code, atomically and before the caller compares: in one transaction a slot
    /// on the code is taken only while its FailedAttempts plus the comparisons in flight stay below <paramref name="maxPerCode"/>
    /// and the code is unexpired, and the (pool, user, purpose) window's guess count is incremented only while below
    /// <paramref name="maxPerWindow"/>; if either is spent nothing changes. A slot is a lease of <paramref name="lease"/>; the
    /// caller ends it with <see cref="CompleteAttemptAsync"/>. However many callers race, at most
    /// min(maxPerCode, maxPerWindow) comparisons run per code and window.
    /// </summary>
    /// <returns>The outcome and, when <see cref="CodeReservation.Reserved"/>, the code's hash to compare against.</returns>
    ValueTask<(CodeReservation Outcome, byte[]? CodeHash)> ReserveAttemptAsync(string userPoolId, string username, string purpose, DateTimeOffset now, TimeSpan window, int maxPerWindow, int maxPerCode, TimeSpan lease, CancellationToken ct = default);

    /// <summary>Ends a reserved comparison: frees its slot and, when <paramref name="failed"/>, counts a wrong guess on the code.</summary>
    ValueTask CompleteAttemptAsync(string userPoolId, string username, string purpose, bool failed, CancellationToken ct = default);
}

/// <summary>Outcome of <see cref="ICodeStore.ReserveAttemptAsync"/>.</summary>
public enum CodeReservation
{
    /// <summary>One comparison reserved (already counted).</summary>
    Reserved,
    /// <summary>No code of the purpose exists.</summary>
    NoCode,
    /// <summary>The code has expired.</summary>
    Expired,
    /// <summary>The code's own attempts are spent.</summary>
    CodeSpent,
    /// <summary>The user's guesses for the purpose in the current window are spent.</summary>
    WindowSpent,
    /// <summary>Every comparison the code has left is in flight: try again shortly.</summary>
    Busy,
}

/// <summary>Refresh tokens (by hash) and the revocation state of the tokens minted from them.</summary>
public interface IRefreshTokenStore
{
    /// <summary>Stores a new refresh token record.</summary>
    ValueTask CreateAsync(RefreshTokenRecord record, CancellationToken ct = default);
    /// <summary>The record for a token hash, or null.</summary>
    ValueTask<RefreshTokenRecord?> GetAsync(byte[] tokenHash, CancellationToken ct = default);
    /// <summary>The record whose origin_jti is <paramref name="originJti"/>, or null.</summary>
    ValueTask<RefreshTokenRecord?> GetByOriginJtiAsync(string originJti, CancellationToken ct = default);
    /// <summary>
    /// Marks the token and every token of its rotation family (<see cref="RefreshTokenRecord.Family"/>: the tokens it was
    /// rotated from and into) revoked. False if the token is missing.
    /// </summary>
    ValueTask<bool> RevokeAsync(byte[] tokenHash, CancellationToken ct = default);
    /// <summary>
    /// Refresh-token rotation, atomically (one transaction; of concurrent rotations of one token, the database decides):
    /// stamps the presented token's <c>ReplacedAt</c> (its first rotation time stays) and stores <paramref name="replacement"/>,
    /// provided the presented token is not revoked and either was never rotated or was first rotated after
    /// <paramref name="replacedAfter"/> (now minus the grace period). Otherwise changes nothing.
    /// </summary>
    /// <param name="presentedHash">SHA-256 of the presented refresh token.</param>
    /// <param name="replacement">The new token's record (same family, same expiry).</param>
    /// <param name="now">The rotation time, UTC.</param>
    /// <param name="replacedAfter">A token first rotated at or before this instant is past its grace period.</param>
    /// <param name="ct">Cancellation.</param>
    /// <returns>True when the replacement was stored; false when the presented token is missing, revoked or past its grace period.</returns>
    ValueTask<bool> RotateAsync(byte[] presentedHash, RefreshTokenRecord replacement, DateTimeOffset now, DateTimeOffset replacedAfter, CancellationToken ct = default);
    /// <summary>Marks every token of the user revoked; returns how many.</summary>
    ValueTask<int> RevokeAllForUserAsync(string userPoolId, string username, CancellationToken ct = default);
}

/// <summary>Per-pool signing keys.</summary>
public interface ISigningKeyStore
{
    /// <summary>All keys of the pool (active and retired-but-published), oldest first.</summary>
    ValueTask<IReadOnlyList<SigningKeyRecord>> ListAsync(string userPoolId, CancellationToken ct = default);
    /// <summary>Inserts a key; false if the kid exists.</summary>
    ValueTask<bool> AddAsync(SigningKeyRecord key, CancellationToken ct = default);
    /// <summary>
    /// Inserts a pool's first keys atomically, only if the pool has no key yet (serialised by the database, so of
    /// several nodes creating a pool's keys at once exactly one succeeds); false, adding nothing, when keys exist.
    /// </summary>
    ValueTask<bool> AddInitialAsync(IReadOnlyList<SigningKeyRecord> keys, CancellationToken ct = default);
}

/// <summary>Multi-step sign-in sessions.</summary>
public interface IAuthSessionStore
{
    /// <summary>Stores a session.</summary>
    ValueTask CreateAsync(AuthSessionRecord session, CancellationToken ct = default);
    /// <summary>Removes and returns the session (single use), or null if absent (expired ones are returned; callers check ExpiresAt).</summary>
    ValueTask<AuthSessionRecord?> TakeAsync(byte[] sessionHash, CancellationToken ct = default);
}

/// <summary>The development outbox.</summary>
public interface IOutboxStore
{
    /// <summary>Appends a message.</summary>
    ValueTask AddAsync(OutboxMessage message, CancellationToken ct = default);
    /// <summary>Newest first, optionally only to <paramref name="to"/>, at most <paramref name="limit"/>.</summary>
    ValueTask<IReadOnlyList<OutboxMessage>> ListAsync(string? to, int limit, CancellationToken ct = default);
}
