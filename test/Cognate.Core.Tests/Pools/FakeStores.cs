using Cognate.Core.Clients;
using Cognate.Core.Pools;
using Cognate.Core.Stores;

namespace Cognate.Core.Tests.Pools;

/// <summary>In-memory IUserPoolStore with optimistic versioning; ConflictsToInject makes the next updates fail.</summary>
internal sealed class FakeUserPoolStore : IUserPoolStore
{
    public Dictionary<string, UserPool> Pools { get; } = new(StringComparer.Ordinal);
    public int ConflictsToInject { get; set; }
    public int UpdateCalls { get; private set; }

    public ValueTask<bool> CreateAsync(UserPool pool, CancellationToken ct = default) => ValueTask.FromResult(Pools.TryAdd(pool.Id, pool));
    public ValueTask<UserPool?> GetAsync(string userPoolId, CancellationToken ct = default) => ValueTask.FromResult(Pools.GetValueOrDefault(userPoolId));
    public ValueTask<IReadOnlyList<UserPool>> ListAsync(string? afterId, int limit, CancellationToken ct = default) =>
        ValueTask.FromResult<IReadOnlyList<UserPool>>(Pools.Values.Where(p => afterId is null || string.CompareOrdinal(p.Id, afterId) > 0).OrderBy(p => p.Id, StringComparer.Ordinal).Take(limit).ToList());
    public ValueTask<bool> UpdateAsync(UserPool pool, CancellationToken ct = default)
    {
        UpdateCalls++;
        if (ConflictsToInject > 0) { ConflictsToInject--; return ValueTask.FromResult(false); }
        if (!Pools.TryGetValue(pool.Id, out var cur) || cur.Version != pool.Version) return ValueTask.FromResult(false);
        Pools[pool.Id] = pool with { Version = pool.Version + 1 };
        return ValueTask.FromResult(true);
    }
    public ValueTask<bool> DeleteAsync(string userPoolId, CancellationToken ct = default) => ValueTask.FromResult(Pools.Remove(userPoolId));
    public ValueTask<long> CountUsersAsync(string userPoolId, CancellationToken ct = default) => ValueTask.FromResult(0L);
}

/// <summary>In-memory IAppClientStore with optimistic versioning.</summary>
internal sealed class FakeAppClientStore : IAppClientStore
{
    public Dictionary<string, AppClient> Clients { get; } = new(StringComparer.Ordinal);

    public ValueTask<bool> CreateAsync(AppClient client, CancellationToken ct = default) => ValueTask.FromResult(Clients.TryAdd(client.ClientId, client));
    public ValueTask<AppClient?> GetAsync(string clientId, CancellationToken ct = default) => ValueTask.FromResult(Clients.GetValueOrDefault(clientId));
    public ValueTask<IReadOnlyList<AppClient>> ListAsync(string userPoolId, string? afterId, int limit, CancellationToken ct = default) =>
        ValueTask.FromResult<IReadOnlyList<AppClient>>(Clients.Values.Where(c => c.UserPoolId == userPoolId && (afterId is null || string.CompareOrdinal(c.ClientId, afterId) > 0)).OrderBy(c => c.ClientId, StringComparer.Ordinal).Take(limit).ToList());
    public ValueTask<bool> UpdateAsync(AppClient client, CancellationToken ct = default)
    {
        if (!Clients.TryGetValue(client.ClientId, out var cur) || cur.Version != client.Version) return ValueTask.FromResult(false);
        Clients[client.ClientId] = client with { Version = client.Version + 1 };
        return ValueTask.FromResult(true);
    }
    public ValueTask<bool> DeleteAsync(string userPoolId, string clientId, CancellationToken ct = default) =>
        ValueTask.FromResult(Clients.TryGetValue(clientId, out var c) && c.UserPoolId == userPoolId && Clients.Remove(clientId));
}

/// <summary>A TimeProvider whose clock the test sets.</summary>
internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;
    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>In-memory ICodeStore; every method runs under one lock, so it is as atomic as the SQL stores.</summary>
internal sealed class FakeCodeStore : ICodeStore
{
    private readonly object _gate = new();
    public Dictionary<(string, string, string), StoredCode> Codes { get; } = new();
    public Dictionary<(string, string, string), (DateTimeOffset Start, int Sends, int Guesses)> Limits { get; } = new();

    public ValueTask PutAsync(StoredCode code, CancellationToken ct = default)
    {
        lock (_gate) Codes[(code.UserPoolId, code.Username, code.Purpose)] = code;
        return ValueTask.CompletedTask;
    }

    public ValueTask<StoredCode?> GetAsync(string userPoolId, string username, string purpose, CancellationToken ct = default)
    {
        lock (_gate) return ValueTask.FromResult(Codes.GetValueOrDefault((userPoolId, username, purpose)));
    }

    public ValueTask<int> IncrementFailedAttemptsAsync(string userPoolId, string username, string purpose, CancellationToken ct = default)
    {
        lock (_gate)
        {
            if (!Codes.TryGetValue((userPoolId, username, purpose), out var c)) return ValueTask.FromResult(0);
            Codes[(userPoolId, username, purpose)] = c with { FailedAttempts = c.FailedAttempts + 1 };
            return ValueTask.FromResult(c.FailedAttempts + 1);
        }
    }

    public ValueTask<bool> DeleteAsync(string userPoolId, string username, string purpose, CancellationToken ct = default)
    {
        lock (_gate) return ValueTask.FromResult(Codes.Remove((userPoolId, username, purpose)));
    }

    (DateTimeOffset Start, int Sends, int Guesses) Window((string, string, string) key, DateTimeOffset now, TimeSpan window) =>
        Limits.TryGetValue(key, out var l) && l.Start > now - window ? l : (now, 0, 0);

    public ValueTask<bool> CountSendAsync(string userPoolId, string username, string purpose, DateTimeOffset now, TimeSpan window, int maxSends, CancellationToken ct = default)
    {
        lock (_gate)
        {
            var key = (userPoolId, username, purpose);
            var l = Window(key, now, window);
            if (l.Sends >= maxSends) return ValueTask.FromResult(false);
            Limits[key] = l with { Sends = l.Sends + 1 };
            return ValueTask.FromResult(true);
        }
    }

    public Dictionary<(string, string, string), int> Pending { get; } = new();

    public ValueTask<(CodeReservation Outcome, byte[]? CodeHash)> ReserveAttemptAsync(string userPoolId, string username, string purpose, DateTimeOffset now, TimeSpan window, int maxPerWindow, int maxPerCode, TimeSpan lease, CancellationToken ct = default)
    {
        lock (_gate)
        {
            var key = (userPoolId, username, purpose);
            if (!Codes.TryGetValue(key, out var c)) return ValueTask.FromResult((CodeReservation.NoCode, (byte[]?)null));
            if (c.ExpiresAt <= now) return ValueTask.FromResult((CodeReservation.Expired, (byte[]?)null));
            if (c.FailedAttempts >= maxPerCode) return ValueTask.FromResult((CodeReservation.CodeSpent, (byte[]?)null));
            int pending = Pending.GetValueOrDefault(key);
            if (c.FailedAttempts + pending >= maxPerCode) return ValueTask.FromResult((CodeReservation.Busy, (byte[]?)null));
            var l = Window(key, now, window);
            if (l.Guesses >= maxPerWindow) return ValueTask.FromResult((CodeReservation.WindowSpent, (byte[]?)null));
            Limits[key] = l with { Guesses = l.Guesses + 1 };
            Pending[key] = pending + 1;
            return ValueTask.FromResult((CodeReservation.Reserved, (byte[]?)c.CodeHash));
        }
    }

    public ValueTask CompleteAttemptAsync(string userPoolId, string username, string purpose, bool failed, CancellationToken ct = default)
    {
        lock (_gate)
        {
            var key = (userPoolId, username, purpose);
            Pending[key] = Math.Max(0, Pending.GetValueOrDefault(key) - 1);
            if (failed && Codes.TryGetValue(key, out var c)) Codes[key] = c with { FailedAttempts = c.FailedAttempts + 1 };
        }
        return ValueTask.CompletedTask;
    }
}

/// <summary>In-memory ILockoutStore (both counters) under one lock.</summary>
internal sealed class FakeLockoutStore : ILockoutStore
{
    private readonly object _gate = new();
    public Dictionary<(string, string, LockoutKind), LockoutState> States { get; } = new();

    public ValueTask<LockoutState?> GetAsync(string userPoolId, string username, CancellationToken ct = default) =>
        GetAsync(userPoolId, username, LockoutKind.Password, ct);

    public ValueTask<LockoutState?> GetAsync(string userPoolId, string username, LockoutKind kind, CancellationToken ct = default)
    {
        lock (_gate) return ValueTask.FromResult(States.GetValueOrDefault((userPoolId, username, kind)));
    }

    public ValueTask<int> RecordFailureAsync(string userPoolId, string username, DateTimeOffset now, TimeSpan quietPeriod, CancellationToken ct = default) =>
        throw new NotSupportedException("LockoutService reserves with TryReserveAsync");

    public ValueTask LockAsync(string userPoolId, string username, DateTimeOffset until, CancellationToken ct = default) =>
        throw new NotSupportedException("LockoutService reserves with TryReserveAsync");

    public ValueTask ResetAsync(string userPoolId, string username, CancellationToken ct = default) =>
        ResetAsync(userPoolId, username, LockoutKind.Password, ct);

    public ValueTask ResetAsync(string userPoolId, string username, LockoutKind kind, CancellationToken ct = default)
    {
        lock (_gate)
        {
            States.Remove((userPoolId, username, kind));
            Slots.Remove((userPoolId, username, kind));
        }
        return ValueTask.CompletedTask;
    }

    public Dictionary<(string, string, LockoutKind), (int Pending, DateTimeOffset Until)> Slots { get; } = new();

    public ValueTask<LockoutReservation> TryReserveAsync(string userPoolId, string username, LockoutKind kind, DateTimeOffset now, TimeSpan quietPeriod, int freeAttempts, TimeSpan lease, CancellationToken ct = default)
    {
        lock (_gate)
        {
            var key = (userPoolId, username, kind);
            var s = States.GetValueOrDefault(key);
            bool quiet = s is null || s.LastFailureAt < now - quietPeriod;
            if (!quiet && s!.LockedUntil is { } until && until > now) return ValueTask.FromResult(LockoutReservation.Locked);
            int failures = quiet ? 0 : s!.FailedAttempts;
            int pending = Slots.TryGetValue(key, out var slot) && slot.Until > now ? slot.Pending : 0;
            if (!(failures + pending < freeAttempts || (failures >= freeAttempts && pending == 0))) return ValueTask.FromResult(LockoutReservation.Busy);
            if (quiet && s is not null) States[key] = s with { FailedAttempts = 0, LockedUntil = null };
            Slots[key] = (pending + 1, now + lease);
            return ValueTask.FromResult(LockoutReservation.Reserved);
        }
    }

    public ValueTask<int> CompleteFailureAsync(string userPoolId, string username, LockoutKind kind, DateTimeOffset now, TimeSpan quietPeriod, Func<int, TimeSpan> lockFor, int maxCount, CancellationToken ct = default)
    {
        lock (_gate)
        {
            var key = (userPoolId, username, kind);
            var s = States.GetValueOrDefault(key);
            int n = s is null || s.LastFailureAt < now - quietPeriod ? 1 : s.FailedAttempts + 1;
            var span = lockFor(Math.Min(n, maxCount));
            States[key] = new LockoutState(n, now, span > TimeSpan.Zero ? now + span : null);
            if (Slots.TryGetValue(key, out var slot)) Slots[key] = (Math.Max(0, slot.Pending - 1), slot.Until);
            return ValueTask.FromResult(n);
        }
    }

    public ValueTask ReleaseAsync(string userPoolId, string username, LockoutKind kind, CancellationToken ct = default)
    {
        lock (_gate)
        {
            if (Slots.TryGetValue((userPoolId, username, kind), out var slot)) Slots[(userPoolId, username, kind)] = (Math.Max(0, slot.Pending - 1), slot.Until);
        }
        return ValueTask.CompletedTask;
    }
}

/// <summary>In-memory IAuthEventStore.</summary>
internal sealed class FakeAuthEventStore : IAuthEventStore
{
    public List<AuthEventRecord> Events { get; } = new();

    public ValueTask AddAsync(AuthEventRecord record, DateTimeOffset retainAfter, CancellationToken ct = default)
    {
        lock (Events) Events.Add(record);
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<AuthEventRecord>> ListAsync(string userPoolId, string username, DateTimeOffset? beforeTime, string? beforeId, int limit, CancellationToken ct = default)
    {
        lock (Events) return ValueTask.FromResult<IReadOnlyList<AuthEventRecord>>(Events.Where(e => e.Username == username).Reverse().Take(limit).ToList());
    }

    public ValueTask<AuthEventRecord?> GetAsync(string userPoolId, string username, string eventId, CancellationToken ct = default)
    {
        lock (Events) return ValueTask.FromResult(Events.FirstOrDefault(e => e.UserPoolId == userPoolId && e.Username == username && e.EventId == eventId));
    }

    public ValueTask<bool> SetFeedbackAsync(string userPoolId, string username, string eventId, AuthEventFeedback feedback, CancellationToken ct = default)
    {
        lock (Events)
        {
            int i = Events.FindIndex(e => e.UserPoolId == userPoolId && e.Username == username && e.EventId == eventId);
            if (i < 0) return ValueTask.FromResult(false);
            Events[i] = Events[i] with { Feedback = feedback };
            return ValueTask.FromResult(true);
        }
    }
}
