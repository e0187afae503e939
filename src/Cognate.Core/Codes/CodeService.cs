using System.Security.Cryptography;
using System.Text;
using Cognate.Core.Errors;
using Cognate.Core.Stores;

namespace Cognate.Core.Codes;

/// <summary>Key used to hash one-time codes at rest (derived from the master key by the host).</summary>
/// <param name="Key">32-byte HMAC-SHA256 key.</param>
public sealed record CodeHashKey(byte[] Key);

/// <summary>
/// One-time codes for ConfirmSignUp, ConfirmForgotPassword and VerifyUserAttribute: 6 digits, single use, stored only as
/// an HMAC, expiring (24 h for sign-up and attribute verification, 1 h for password reset — reference §8.2), with three
/// guessing bounds (reference §8.2's per-user quotas; docs/security.md "Codes, passwords and second factors"):
/// <list type="bullet">
/// <item>at most <see cref="MaxFailedAttempts"/> comparisons per code;</item>
/// <item>at most <see cref="MaxGuessesPerWindow"/> comparisons per user and purpose per <see cref="Window"/> — a counter a new
/// code does not reset, so re-issuing never restores the guess budget;</item>
/// <item>at most <see cref="MaxSendsPerWindow"/> codes issued per user and purpose per <see cref="Window"/>.</item>
/// </list>
/// Every comparison is reserved atomically in the database before it is made (a slot on the code: wrong guesses counted plus
/// comparisons in flight stay below <see cref="MaxFailedAttempts"/>; requests that find every slot in flight wait a few ms),
/// so concurrent guesses cannot exceed the bounds on SQLite or PostgreSQL, while concurrent right answers see the code consumed. Over a bound the answer is <c>LimitExceededException</c> "Attempt limit exceeded, please
/// try after some time.".
/// </summary>
public sealed class CodeService(ICodeStore store, CodeHashKey key, TimeProvider time)
{
    /// <summary>Wrong guesses allowed per code before it stops matching, even with the right code.</summary>
    public const int MaxFailedAttempts = 5;

    /// <summary>Length of the per-user quota window (a window starts at its first counted event).</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    /// <summary>
    /// Codes issued per user and purpose per <see cref="Window"/> (Cognito: ResendConfirmationCode, GetUserAttributeVerificationCode
    /// and ForgotPassword 5 an hour, reference §8.2). SignUp's own code counts as the first.
    /// </summary>
    public const int MaxSendsPerWindow = 5;

    /// <summary>
    /// Code comparisons per user and purpose per <see cref="Window"/>, whatever the number of codes issued: ConfirmSignUp and
    /// VerifyUserAttribute 15 (Cognito's figures), ConfirmForgotPassword 5 (the low end of Cognito's 5–20: this is the code
    /// that takes over an account).
    /// </summary>
    public static int MaxGuessesPerWindow(string purpose) => purpose == CodePurpose.ForgotPassword ? 5 : 15;

    /// <summary>Lifetime of a code for <paramref name="purpose"/>.</summary>
    public static TimeSpan LifetimeOf(string purpose) => purpose == CodePurpose.ForgotPassword ? TimeSpan.FromHours(1) : TimeSpan.FromHours(24);

    /// <summary>
    /// Creates and stores a new code (replacing the previous one, which stops working); returns the plaintext code for
    /// delivery. The user's guess count for the purpose is left as it is.
    /// </summary>
    /// <exception cref="CognitoException">LimitExceededException when <see cref="MaxSendsPerWindow"/> codes were already issued in the window.</exception>
    public async ValueTask<string> IssueAsync(string userPoolId, string username, string purpose, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        if (!await store.CountSendAsync(userPoolId, username, purpose, now, Window, MaxSendsPerWindow, ct).ConfigureAwait(false))
        {
            throw CognitoErrors.AttemptLimitExceeded();
        }
        var code = Ids.IdGenerator.NewNumericCode(6);
        await store.PutAsync(new StoredCode(userPoolId, username, purpose, Hash(userPoolId, username, purpose, code), now + LifetimeOf(purpose), 0), ct).ConfigureAwait(false);
        return code;
    }

    /// <summary>
    /// Checks and consumes a code. Wrong: <c>CodeMismatchException</c>; no live code or expired: <c>ExpiredCodeException</c>;
    /// once the code's <see cref="MaxFailedAttempts"/> or the window's <see cref="MaxGuessesPerWindow"/> comparisons are spent,
    /// every further attempt — even with the right code — gets <c>LimitExceededException</c> (SDKs retry LimitExceededException
    /// as throttling, so the answer stays the same on a retry). The window counts every comparison, right or wrong; the code's
    /// own limit counts wrong ones.
    /// </summary>
    /// <exception cref="CognitoException">CodeMismatchException, ExpiredCodeException, LimitExceededException.</exception>
    public ValueTask VerifyAsync(string userPoolId, string username, string purpose, string code, CancellationToken ct = default) =>
        VerifyAsync(userPoolId, username, purpose, code, null, ct);

    /// <summary>
    /// As <see cref="VerifyAsync(string, string, string, string, CancellationToken)"/>, running <paramref name="apply"/> (the write the
    /// code authorises, e.g. ConfirmForgotPassword's new password) after a match and <em>before</em> the code is consumed: when
    /// <paramref name="apply"/> fails or the process stops in between, the code stays valid and a retry of the same request
    /// succeeds, so <paramref name="apply"/> must be idempotent. Two concurrent requests that both hold the right code may both
    /// apply; a request after a completed one gets <c>ExpiredCodeException</c>.
    /// </summary>
    /// <exception cref="CognitoException">CodeMismatchException, ExpiredCodeException, LimitExceededException, what <paramref name="apply"/> throws.</exception>
    public async ValueTask VerifyAsync(string userPoolId, string username, string purpose, string code, Func<ValueTask>? apply, CancellationToken ct = default)
    {
        var stored = await ReserveAsync(userPoolId, username, purpose, ct).ConfigureAwait(false);
        if (!CryptographicOperations.FixedTimeEquals(stored, Hash(userPoolId, username, purpose, code ?? "")))
        {
            await store.CompleteAttemptAsync(userPoolId, username, purpose, failed: true, ct).ConfigureAwait(false);
            throw CognitoErrors.CodeMismatch();
        }
        if (apply is not null)
        {
            try
            {
                await apply().ConfigureAwait(false);
            }
            catch
            {
                await store.CompleteAttemptAsync(userPoolId, username, purpose, failed: false, CancellationToken.None).ConfigureAwait(false);
                throw;
            }
            await store.DeleteAsync(userPoolId, username, purpose, ct).ConfigureAwait(false);
            return;
        }
        if (!await store.DeleteAsync(userPoolId, username, purpose, ct).ConfigureAwait(false))
        {
            throw CognitoErrors.ExpiredCode(); // consumed concurrently: single use
        }
    }

    /// <summary>How long a reserved comparison may stay in flight before its slot is free again (a node that stopped mid-check).</summary>
    static readonly TimeSpan SlotLease = TimeSpan.FromSeconds(30);

    /// <summary>How long a request waits for a free slot (other comparisons of the same code in flight) before it is refused.</summary>
    static readonly TimeSpan SlotWait = TimeSpan.FromSeconds(5);

    /// <summary>Reserves a comparison, waiting a few ms at a time while the code's remaining comparisons are all in flight; returns the hash to compare.</summary>
    async ValueTask<byte[]> ReserveAsync(string userPoolId, string username, string purpose, CancellationToken ct)
    {
        var start = time.GetUtcNow();
        for (int round = 0; ; round++)
        {
            var now = time.GetUtcNow();
            var (outcome, stored) = await store.ReserveAttemptAsync(userPoolId, username, purpose, now, Window, MaxGuessesPerWindow(purpose), MaxFailedAttempts, SlotLease, ct).ConfigureAwait(false);
            switch (outcome)
            {
                case CodeReservation.Reserved:
                    return stored!;
                case CodeReservation.NoCode or CodeReservation.Expired:
                    throw CognitoErrors.ExpiredCode();
                case CodeReservation.CodeSpent or CodeReservation.WindowSpent:
                    throw CognitoErrors.AttemptLimitExceeded();
            }
            if (now - start > SlotWait) throw CognitoErrors.AttemptLimitExceeded();
            await Task.Delay(TimeSpan.FromMilliseconds(2 + Random.Shared.Next(Math.Min(40, 4 + 4 * round))), time, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Removes any live code of the purpose (the quota counters stay).</summary>
    public ValueTask<bool> DiscardAsync(string userPoolId, string username, string purpose, CancellationToken ct = default) =>
        store.DeleteAsync(userPoolId, username, purpose, ct);

    byte[] Hash(string userPoolId, string username, string purpose, string code) =>
        HMACSHA256.HashData(key.Key, Encoding.UTF8.GetBytes($"{userPoolId}\n{username}\n{purpose}\n{code}"));
}
