using Cognate.Core.Errors;
using Cognate.Core.Pools;
using Cognate.Core.Stores;

namespace Cognate.Core.Users;

/// <summary>
/// Cognito's throttling of failed sign-ins (reference §8.4) and the sign-in history behind AdminListUserAuthEvents.
/// After <see cref="FreeAttempts"/> failed password checks a user is locked for 2^(n−5) seconds (n = failures so far),
/// at most <see cref="MaxLock"/>; checks during a lock fail with <c>NotAuthorizedException</c> "Password attempts exceeded"
/// without extending it; a success or <see cref="QuietPeriod"/> without failures resets the count. The state is in
/// the database, so it holds across server nodes. Every password flow (USER_PASSWORD_AUTH, ADMIN_*_AUTH, SRP) and ChangePassword
/// calls <see cref="CheckPasswordAsync(UserPool, User, Func{bool}, CancellationToken)"/>; second factors have a counter of their own
/// (<see cref="GuardSecondFactorAsync"/>).
/// </summary>
public sealed class LockoutService(ILockoutStore lockouts, IAuthEventStore events, TimeProvider time)
{
    /// <summary>Failures allowed before the first lock.</summary>
    public const int FreeAttempts = 5;
    /// <summary>Longest lock.</summary>
    public static readonly TimeSpan MaxLock = TimeSpan.FromMinutes(15);
    /// <summary>Time without failures after which the count restarts.</summary>
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromMinutes(15);
    /// <summary>How long sign-in events are kept (Cognito: 90 days).</summary>
    public static readonly TimeSpan EventRetention = TimeSpan.FromDays(90);

    /// <summary>The lock after <paramref name="failures"/> counted failures (zero below the threshold).</summary>
    public static TimeSpan LockFor(int failures) =>
        failures < FreeAttempts ? TimeSpan.Zero
        : failures - FreeAttempts >= 10 ? MaxLock
        : TimeSpan.FromSeconds(Math.Min(Math.Pow(2, failures - FreeAttempts), MaxLock.TotalSeconds));

    /// <summary>Counts at which the lock reaches <see cref="MaxLock"/> (2^(n−5) s ≥ 15 min from n = 15).</summary>
    const int CappedCount = FreeAttempts + 10;

    /// <summary>
    /// Refuses a locked user, runs <paramref name="verify"/> (the password or SRP proof check), counts a failure or
    /// clears the count, and records a SignIn auth event. <see cref="PasswordCheck.Passed"/> is the result of
    /// <paramref name="verify"/>; the caller answers a false with its own "Incorrect username or password.".
    /// </summary>
    /// <remarks>
    /// <para>The attempt is reserved atomically before <paramref name="verify"/> runs (<see cref="ILockoutStore.TryReserveAsync"/>):
    /// it is counted as a failure in advance and the lock it earns is set in the same statement, so however many requests race,
    /// at most <see cref="FreeAttempts"/> verifications run before the first lock (then one per lock period). A correct answer
    /// clears the count.</para>
    /// <para>On success the reset and the auth event's writes are queued but not awaited: <see cref="PasswordCheck.ThenAsync{T}"/> runs the rest of
    /// the sign-in (tokens, refresh-token write) meanwhile and waits for them before answering, so the writes can
    /// share one group commit. A failed attempt is recorded before returning; an attempt refused by a lock records nothing
    /// (no row per refused request).</para>
    /// </remarks>
    /// <exception cref="CognitoException">NotAuthorizedException "Password attempts exceeded" while locked.</exception>
    public ValueTask<PasswordCheck> CheckPasswordAsync(UserPool pool, User user, Func<bool> verify, CancellationToken ct = default) =>
        CheckPasswordAsync(pool, user, verify, "SignIn", ct);

    /// <summary>
    /// As <see cref="CheckPasswordAsync(UserPool, User, Func{bool}, CancellationToken)"/>, recording the auth event as
    /// <paramref name="eventType"/> (<c>SignIn</c>, or <c>PasswordChange</c> for ChangePassword's previous password).
    /// </summary>
    /// <exception cref="CognitoException">NotAuthorizedException "Password attempts exceeded" while locked.</exception>
    public async ValueTask<PasswordCheck> CheckPasswordAsync(UserPool pool, User user, Func<bool> verify, string eventType, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(verify);
        var now = time.GetUtcNow();
        if (await lockouts.TryReserveAsync(pool.Id, user.Username, LockoutKind.Password, now, QuietPeriod, LockFor, CappedCount, ct).ConfigureAwait(false) is null)
        {
            throw CognitoErrors.NotAuthorized("Password attempts exceeded");
        }
        if (verify())
        {
            var reset = lockouts.ResetAsync(pool.Id, user.Username, LockoutKind.Password, ct).AsTask();
            var recorded = RecordAsync(pool, user, eventType, "Pass", "Success", now, ct).AsTask();
            return new PasswordCheck(true, Task.WhenAll(reset, recorded));
        }
        await RecordAsync(pool, user, eventType, "Fail", "Failure", now, ct).ConfigureAwait(false);
        return new PasswordCheck(false, Task.CompletedTask);
    }

    /// <summary>
    /// Guards a second-factor or one-time sign-in code check (SMS_MFA, EMAIL_OTP, SOFTWARE_TOKEN_MFA, passwordless EMAIL_OTP /
    /// SMS_OTP) with a per-user counter of its own, with the password lockout's numbers (<see cref="FreeAttempts"/> failures,
    /// then 2^(n−5) s up to <see cref="MaxLock"/>, <see cref="QuietPeriod"/>). The attempt is reserved atomically before
    /// <paramref name="check"/> runs; <paramref name="check"/> returning means the code was right and clears the counter (a
    /// correct password never does); a <c>CodeMismatchException</c> or <c>ExpiredCodeException</c> from it stays counted.
    /// </summary>
    /// <exception cref="CognitoException">NotAuthorizedException "Password attempts exceeded" while locked (nothing else is
    /// written); what <paramref name="check"/> throws.</exception>
    public async ValueTask GuardSecondFactorAsync(UserPool pool, User user, Func<ValueTask> check, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(check);
        var now = time.GetUtcNow();
        if (await lockouts.TryReserveAsync(pool.Id, user.Username, LockoutKind.SecondFactor, now, QuietPeriod, LockFor, CappedCount, ct).ConfigureAwait(false) is null)
        {
            throw CognitoErrors.NotAuthorized("Password attempts exceeded");
        }
        await check().ConfigureAwait(false);
        await lockouts.ResetAsync(pool.Id, user.Username, LockoutKind.SecondFactor, ct).ConfigureAwait(false);
    }

    ValueTask RecordAsync(UserPool pool, User user, string eventType, string response, string? challengeResponse, DateTimeOffset now, CancellationToken ct) =>
        events.AddAsync(new AuthEventRecord(Ids.IdGenerator.NewUuid(), pool.Id, user.Username, eventType, response,
            challengeResponse is null ? null : "Password", challengeResponse, now), now - EventRetention, ct);

    /// <summary>AdminListUserAuthEvents: the user's events newest first, <paramref name="maxResults"/> per page (0/omitted: 60).</summary>
    /// <exception cref="CognitoException">InvalidParameterException for a malformed token.</exception>
    public async ValueTask<ResultPage<AuthEventRecord>> ListEventsAsync(UserPool pool, User user, int? maxResults, string? nextToken, CancellationToken ct = default)
    {
        int size = maxResults is null or 0 ? 60 : maxResults.Value;
        DateTimeOffset? beforeTime = null;
        string? beforeId = null;
        var cursor = PageToken.Decode(nextToken, id => id.Split('|') is [var t, var e] && long.TryParse(t, out _) && e.Length == 36);
        if (cursor is not null)
        {
            var parts = cursor.Split('|');
            beforeTime = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture));
            beforeId = parts[1];
        }
        var items = await events.ListAsync(pool.Id, user.Username, beforeTime, beforeId, size + 1, ct).ConfigureAwait(false);
        if (items.Count <= size) return new ResultPage<AuthEventRecord>(items, null);
        var page = items.Take(size).ToList();
        var last = page[^1];
        return new ResultPage<AuthEventRecord>(page, PageToken.Encode(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{last.CreatedAt.ToUnixTimeMilliseconds()}|{last.EventId}")));
    }
}

/// <summary>The outcome of <see cref="LockoutService.CheckPasswordAsync(UserPool, User, Func{bool}, CancellationToken)"/>.</summary>
/// <param name="Passed">Whether the password (or SRP proof) was right.</param>
/// <param name="Recorded">The SignIn auth event's write; already complete for a failed attempt.</param>
public readonly record struct PasswordCheck(bool Passed, Task Recorded)
{
    /// <summary>
    /// Runs <paramref name="rest"/> (the rest of a successful sign-in) while the auth event's write is pending, then waits
    /// for that write: the answer leaves only once the event is stored, as if it had been awaited first. An exception from
    /// <paramref name="rest"/> still waits for the write; a failed write fails the sign-in.
    /// </summary>
    public async ValueTask<T> ThenAsync<T>(Func<ValueTask<T>> rest)
    {
        ArgumentNullException.ThrowIfNull(rest);
        try
        {
            return await rest().ConfigureAwait(false);
        }
        finally
        {
            await Recorded.ConfigureAwait(false);
        }
    }
}
