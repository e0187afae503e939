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
    /// <para>A check slot is reserved atomically before <paramref name="verify"/> runs (<see cref="ILockoutStore.TryReserveAsync"/>):
    /// counted failures plus checks in flight stay below <see cref="FreeAttempts"/>, then one check at a time after each lock, so
    /// however many requests race, at most <see cref="FreeAttempts"/> verifications run before the first lock (then one per lock
    /// period). Requests that find every slot in flight wait a few milliseconds and try again, so concurrent correct sign-ins of
    /// one user all succeed. A failure is counted and the lock it earns set in one statement; a correct answer clears the count.</para>
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
    public ValueTask<PasswordCheck> CheckPasswordAsync(UserPool pool, User user, Func<bool> verify, string eventType, CancellationToken ct = default) =>
        CheckPasswordAsync(pool, user, verify, eventType, null, ct);

    /// <summary>
    /// As <see cref="CheckPasswordAsync(UserPool, User, Func{bool}, string, CancellationToken)"/>, recording threat protection's
    /// verdict on the event (<paramref name="risk"/>; null when the pool's AdvancedSecurityMode is OFF). When
    /// <see cref="EventRiskContext.BlockIfPassed"/> is set (a breached password under EventAction BLOCK) a correct password is
    /// recorded as a failed, blocked event (the lockout count is still cleared) and <see cref="PasswordCheck.Blocked"/> is true.
    /// </summary>
    /// <exception cref="CognitoException">NotAuthorizedException "Password attempts exceeded" while locked.</exception>
    public async ValueTask<PasswordCheck> CheckPasswordAsync(UserPool pool, User user, Func<bool> verify, string eventType, EventRiskContext? risk, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(verify);
        var now = await ReserveAsync(pool, user, LockoutKind.Password, ct).ConfigureAwait(false);
        bool passed;
        try
        {
            passed = verify();
        }
        catch
        {
            await lockouts.ReleaseAsync(pool.Id, user.Username, LockoutKind.Password, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        if (passed && risk?.BlockIfPassed == true)
        {
            await lockouts.ResetAsync(pool.Id, user.Username, LockoutKind.Password, ct).ConfigureAwait(false);
            await RecordAsync(pool, user, eventType, "Fail", "Success", now, risk with { Risk = risk.BlockedRisk ?? new AuthEventRisk("Block", null, true) }, ct).ConfigureAwait(false);
            return new PasswordCheck(true, Task.CompletedTask) { Blocked = true };
        }
        if (passed)
        {
            var reset = lockouts.ResetAsync(pool.Id, user.Username, LockoutKind.Password, ct).AsTask();
            var recorded = RecordAsync(pool, user, eventType, risk?.PassedResponse ?? "Pass", "Success", now, risk, ct).AsTask();
            return new PasswordCheck(true, Task.WhenAll(reset, recorded));
        }
        await lockouts.CompleteFailureAsync(pool.Id, user.Username, LockoutKind.Password, time.GetUtcNow(), QuietPeriod, LockFor, CappedCount, ct).ConfigureAwait(false);
        await RecordAsync(pool, user, eventType, "Fail", "Failure", now, risk is null ? null : risk with { Risk = risk.Risk is null ? null : risk.Risk with { CompromisedCredentialsDetected = false } }, ct).ConfigureAwait(false);
        return new PasswordCheck(false, Task.CompletedTask);
    }

    /// <summary>How long a reserved check may stay in flight before its slot is free again (a node that stopped mid-check).</summary>
    static readonly TimeSpan SlotLease = TimeSpan.FromSeconds(30);

    /// <summary>How long a request waits for a free slot (other checks of the same user in flight) before it is refused.</summary>
    static readonly TimeSpan SlotWait = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Reserves a check slot, waiting (a few ms at a time) while the user's other checks are in flight; returns the time of the
    /// reservation. Refused with "Password attempts exceeded" while locked, or when no slot frees up within <see cref="SlotWait"/>.
    /// </summary>
    async ValueTask<DateTimeOffset> ReserveAsync(UserPool pool, User user, LockoutKind kind, CancellationToken ct)
    {
        var start = time.GetUtcNow();
        for (int round = 0; ; round++)
        {
            var now = time.GetUtcNow();
            var outcome = await lockouts.TryReserveAsync(pool.Id, user.Username, kind, now, QuietPeriod, FreeAttempts, SlotLease, ct).ConfigureAwait(false);
            if (outcome == LockoutReservation.Reserved) return now;
            if (outcome == LockoutReservation.Locked || now - start > SlotWait) throw CognitoErrors.NotAuthorized("Password attempts exceeded");
            await Task.Delay(TimeSpan.FromMilliseconds(2 + Random.Shared.Next(Math.Min(40, 4 + 4 * round))), time, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Guards a second-factor or one-time sign-in code check (SMS_MFA, EMAIL_OTP, SOFTWARE_TOKEN_MFA, passwordless EMAIL_OTP /
    /// SMS_OTP) with a per-user counter of its own, with the password lockout's numbers (<see cref="FreeAttempts"/> failures,
    /// then 2^(n−5) s up to <see cref="MaxLock"/>, <see cref="QuietPeriod"/>). A check slot is reserved atomically before
    /// <paramref name="check"/> runs (as for passwords); <paramref name="check"/> returning means the code was right and clears
    /// the counter (a correct password never does); a <c>CodeMismatchException</c> or <c>ExpiredCodeException</c> from it is
    /// counted as a failure; any other exception frees the slot uncounted.
    /// </summary>
    /// <exception cref="CognitoException">NotAuthorizedException "Password attempts exceeded" while locked (nothing else is
    /// written); what <paramref name="check"/> throws.</exception>
    public async ValueTask GuardSecondFactorAsync(UserPool pool, User user, Func<ValueTask> check, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(check);
        await ReserveAsync(pool, user, LockoutKind.SecondFactor, ct).ConfigureAwait(false);
        try
        {
            await check().ConfigureAwait(false);
        }
        catch (CognitoException ex) when (ex.Error.Type is "CodeMismatchException" or "ExpiredCodeException")
        {
            await lockouts.CompleteFailureAsync(pool.Id, user.Username, LockoutKind.SecondFactor, time.GetUtcNow(), QuietPeriod, LockFor, CappedCount, ct).ConfigureAwait(false);
            throw;
        }
        catch
        {
            await lockouts.ReleaseAsync(pool.Id, user.Username, LockoutKind.SecondFactor, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        await lockouts.ResetAsync(pool.Id, user.Username, LockoutKind.SecondFactor, ct).ConfigureAwait(false);
    }

    ValueTask RecordAsync(UserPool pool, User user, string eventType, string response, string? challengeResponse, DateTimeOffset now, EventRiskContext? risk, CancellationToken ct) =>
        events.AddAsync(new AuthEventRecord(risk?.EventId ?? Ids.IdGenerator.NewUuid(), pool.Id, user.Username, eventType, response,
            challengeResponse is null ? null : "Password", challengeResponse, now) { Risk = risk?.Risk, IpAddress = risk?.IpAddress, FeedbackTokenHash = risk?.FeedbackTokenHash }, now - EventRetention, ct);

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

/// <summary>Threat protection's part of a password check's auth event.</summary>
/// <param name="Risk">The verdict to record (<c>NoRisk</c> / <c>Low</c>, with CompromisedCredentialsDetected when the password is breached).</param>
/// <param name="IpAddress">The source IP to record, or null.</param>
/// <param name="BlockIfPassed">Refuse a correct password (a breached password under EventAction BLOCK in ENFORCED mode).</param>
public sealed record EventRiskContext(AuthEventRisk? Risk, string? IpAddress, bool BlockIfPassed)
{
    /// <summary>The verdict recorded when <see cref="BlockIfPassed"/> refuses a correct password (default: <c>Block</c>, compromised credentials).</summary>
    public AuthEventRisk? BlockedRisk { get; init; }

    /// <summary>The EventResponse of a correct password (default <c>Pass</c>; <c>InProgress</c> when an account-takeover MFA challenge follows).</summary>
    public string? PassedResponse { get; init; }

    /// <summary>The event's id (a UUID chosen in advance so a notification email can link to it), or null for a fresh one.</summary>
    public string? EventId { get; init; }

    /// <summary>SHA-256 of the event's feedback token (<see cref="Risk.RiskService.NewFeedbackToken"/>), or null.</summary>
    public byte[]? FeedbackTokenHash { get; init; }
}

/// <summary>The outcome of <see cref="LockoutService.CheckPasswordAsync(UserPool, User, Func{bool}, CancellationToken)"/>.</summary>
/// <param name="Passed">Whether the password (or SRP proof) was right.</param>
/// <param name="Recorded">The SignIn auth event's write; already complete for a failed attempt.</param>
public readonly record struct PasswordCheck(bool Passed, Task Recorded)
{
    /// <summary>The password was right but threat protection refused it (a breached password under EventAction BLOCK).</summary>
    public bool Blocked { get; init; }

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
