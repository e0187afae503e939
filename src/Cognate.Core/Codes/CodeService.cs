using System.Security.Cryptography;
using System.Text;
using Cognate.Core.Errors;
using Cognate.Core.Stores;

namespace Cognate.Core.Codes;

/// <summary>Key used to hash one-time codes at rest (derived from the master key by the host).</summary>
/// <param name="Key">32-byte HMAC-SHA256 key.</param>
public sealed record CodeHashKey(byte[] Key);

/// <summary>
/// One-time codes for ConfirmSignUp, ConfirmForgotPassword and VerifyUserAttribute: 6 digits, single
/// use, stored only as an HMAC, expiring (24 h for sign-up and attribute verification, 1 h for
/// password reset — reference §8.2), at most <see cref="MaxFailedAttempts"/> wrong guesses.
/// </summary>
public sealed class CodeService(ICodeStore store, CodeHashKey key, TimeProvider time)
{
    /// <summary>Wrong guesses allowed before the code is destroyed.</summary>
    public const int MaxFailedAttempts = 5;

    /// <summary>Lifetime of a code for <paramref name="purpose"/>.</summary>
    public static TimeSpan LifetimeOf(string purpose) => purpose == CodePurpose.ForgotPassword ? TimeSpan.FromHours(1) : TimeSpan.FromHours(24);

    /// <summary>Creates and stores a new code (replacing the previous one); returns the plaintext code for delivery.</summary>
    public async ValueTask<string> IssueAsync(string userPoolId, string username, string purpose, CancellationToken ct = default)
    {
        var code = Ids.IdGenerator.NewNumericCode(6);
        var expires = time.GetUtcNow() + LifetimeOf(purpose);
        await store.PutAsync(new StoredCode(userPoolId, username, purpose, Hash(userPoolId, username, purpose, code), expires, 0), ct).ConfigureAwait(false);
        return code;
    }

    /// <summary>
    /// Checks and consumes a code. Wrong: <c>CodeMismatchException</c>; no live code or expired:
    /// <c>ExpiredCodeException</c>; after <see cref="MaxFailedAttempts"/> wrong guesses every further attempt — even
    /// with the right code — gets <c>LimitExceededException</c> until the code expires or a new one is issued (SDKs
    /// retry LimitExceededException as throttling, so the answer must stay the same on a retry).
    /// </summary>
    /// <exception cref="CognitoException">CodeMismatchException, ExpiredCodeException, LimitExceededException.</exception>
    public async ValueTask VerifyAsync(string userPoolId, string username, string purpose, string code, CancellationToken ct = default)
    {
        var stored = await store.GetAsync(userPoolId, username, purpose, ct).ConfigureAwait(false);
        if (stored is null || stored.ExpiresAt <= time.GetUtcNow()) throw CognitoErrors.ExpiredCode();
        if (stored.FailedAttempts >= MaxFailedAttempts) throw CognitoErrors.AttemptLimitExceeded();
        if (!CryptographicOperations.FixedTimeEquals(stored.CodeHash, Hash(userPoolId, username, purpose, code)))
        {
            int failures = await store.IncrementFailedAttemptsAsync(userPoolId, username, purpose, ct).ConfigureAwait(false);
            throw failures > MaxFailedAttempts ? CognitoErrors.AttemptLimitExceeded() : CognitoErrors.CodeMismatch();
        }
        if (!await store.DeleteAsync(userPoolId, username, purpose, ct).ConfigureAwait(false))
        {
            throw CognitoErrors.ExpiredCode(); // consumed concurrently: single use
        }
    }

    /// <summary>Removes any live code of the purpose.</summary>
    public ValueTask<bool> DiscardAsync(string userPoolId, string username, string purpose, CancellationToken ct = default) =>
        store.DeleteAsync(userPoolId, username, purpose, ct);

    byte[] Hash(string userPoolId, string username, string purpose, string code) =>
        HMACSHA256.HashData(key.Key, Encoding.UTF8.GetBytes($"{userPoolId}\n{username}\n{purpose}\n{code}"));
}
