using Cognate.Core.Errors;
using Cognate.Core.Pools;
using Cognate.Core.Stores;

namespace Cognate.Core.Users;

/// <summary>
/// Cognito's throttling of failed sign-ins (reference §8.4) and the sign-in history behind AdminListUserAuthEvents.
/// After <see cref="FreeAttempts"/> failed password checks a user is locked for 2^(n−5) seconds (n = failures so far),
/// at most <see cref="MaxLock"/>; checks during a lock fail with <c>NotAuthorizedException</c> "Password attempts exceeded"
/// without extending it; a success or <see cref="QuietPeriod"/> without failures resets the count. The state is in
/// the database, so it holds across server nodes. Every password flow (USER_PASSWORD_AUTH, ADMIN_*_AUTH, SRP) calls
/// <see cref="CheckPasswordAsync"/>.
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

    /// <summary>
    /// Refuses a locked user, runs <paramref name="verify"/> (the password or SRP proof check), counts a failure or
    /// clears the count, and records a SignIn auth event. <see cref="PasswordCheck.Passed"/> is the result of
    /// <paramref name="verify"/>; the caller answers a false with its own "Incorrect username or password.".
    /// </summary>
    /// <remarks>
    /// On success the auth event's write is queued but not awaited: <see cref="PasswordCheck.ThenAsync{T}"/> runs the rest of
    /// the sign-in (tokens, refresh-token write) meanwhile and waits for the event before answering, so both writes can
    /// share one group commit instead of the sign-in waiting for two in a row. A failed attempt is recorded before
    /// returning.
    /// </remarks>
    /// <exception cref="CognitoException">NotAuthorizedException "Password attempts exceeded" while locked.</exception>
    public async ValueTask<PasswordCheck> CheckPasswordAsync(UserPool pool, User user, Func<bool> verify, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(verify);
        var now = time.GetUtcNow();
        var state = await lockouts.GetAsync(pool.Id, user.Username, ct).ConfigureAwait(false);
        if (state is { LockedUntil: { } until } && until > now && now - state.LastFailureAt < QuietPeriod)
        {
            await RecordAsync(pool, user, "Fail", null, now, ct).ConfigureAwait(false);
            throw CognitoErrors.NotAuthorized("Password attempts exceeded");
        }
        if (verify())
        {
            if (state is not null) await lockouts.ResetAsync(pool.Id, user.Username, ct).ConfigureAwait(false);
            return new PasswordCheck(true, RecordAsync(pool, user, "Pass", "Success", now, ct).AsTask());
        }
        var failures = await lockouts.RecordFailureAsync(pool.Id, user.Username, now, QuietPeriod, ct).ConfigureAwait(false);
        if (failures >= FreeAttempts) await lockouts.LockAsync(pool.Id, user.Username, now + LockFor(failures), ct).ConfigureAwait(false);
        await RecordAsync(pool, user, "Fail", "Failure", now, ct).ConfigureAwait(false);
        return new PasswordCheck(false, Task.CompletedTask);
    }

    ValueTask RecordAsync(UserPool pool, User user, string response, string? challengeResponse, DateTimeOffset now, CancellationToken ct) =>
        events.AddAsync(new AuthEventRecord(Ids.IdGenerator.NewUuid(), pool.Id, user.Username, "SignIn", response,
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

/// <summary>The outcome of <see cref="LockoutService.CheckPasswordAsync"/>.</summary>
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
