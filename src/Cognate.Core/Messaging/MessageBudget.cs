using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;

namespace Cognate.Core.Messaging;

/// <summary>Hourly and daily limits of one kind of message.</summary>
public sealed class BudgetLimits
{
    /// <summary>Messages per clock hour (UTC); 0 sends none.</summary>
    [Range(0, int.MaxValue)]
    public int PerHour { get; set; }

    /// <summary>Messages per UTC day; 0 sends none.</summary>
    [Range(0, int.MaxValue)]
    public int PerDay { get; set; }
}

/// <summary>
/// <c>Cognate:MessageBudgets:*</c>: how many messages (codes, sign-in OTPs, MFA codes, invitations) may go to one recipient and
/// from one user pool, per hour and per day, email and SMS counted apart.
/// </summary>
public sealed class MessageBudgetOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Cognate:MessageBudgets";

    /// <summary>Off switch (default on).</summary>
    public bool Enabled { get; set; } = true;
    /// <summary>Emails to one address of one pool (default 10 an hour, 50 a day).</summary>
    public BudgetLimits EmailPerUser { get; set; } = new() { PerHour = 10, PerDay = 50 };
    /// <summary>Texts to one phone number of one pool (default 5 an hour, 20 a day).</summary>
    public BudgetLimits SmsPerUser { get; set; } = new() { PerHour = 5, PerDay = 20 };
    /// <summary>Emails from one pool (default 10,000 an hour, 50,000 a day).</summary>
    public BudgetLimits EmailPerPool { get; set; } = new() { PerHour = 10_000, PerDay = 50_000 };
    /// <summary>Texts from one pool (default 500 an hour, 2,000 a day).</summary>
    public BudgetLimits SmsPerPool { get; set; } = new() { PerHour = 500, PerDay = 2_000 };
}

/// <summary>Outcome of <see cref="MessageBudget.TryConsume"/>.</summary>
public enum BudgetVerdict
{
    /// <summary>Within every budget; the message was counted.</summary>
    Allowed,
    /// <summary>The recipient's hourly or daily budget is spent.</summary>
    RecipientExhausted,
    /// <summary>The pool's hourly or daily budget for the medium is spent.</summary>
    PoolExhausted,
}

/// <summary>
/// Delivery budgets for outbound messages, per recipient (pool, medium, address) and per pool and medium, in fixed UTC
/// hour and day windows: one anonymous caller can neither bomb one inbox or phone nor pump a pool's SMS. Counted in memory per
/// node (a message that was not sent is not counted); thread-safe.
/// </summary>
/// <remarks>
/// Recipient counters exist only for recipients that received something in the current day; at most the pools' daily
/// budgets of them. Callers decide the answer: <c>LimitExceededException</c>, or for actions that hide user existence
/// (<see cref="HideExistence"/>) a silent drop.
/// </remarks>
public sealed class MessageBudget(MessageBudgetOptions options, TimeProvider time)
{
    /// <summary>
    /// Set by the protocol layer for the rest of a request whose action hides whether the user exists (ForgotPassword,
    /// ResendConfirmationCode): a message over budget is dropped silently instead of failing the request.
    /// </summary>
    public static readonly AsyncLocal<bool> HideExistence = new();

    sealed class Counter
    {
        public long Hour = -1, Day = -1;
        public int InHour, InDay;
    }

    readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.Ordinal);
    long _lastPrunedDay = -1;

    /// <summary>The options in force.</summary>
    public MessageBudgetOptions Options => options;

    /// <summary>Counts one message to <paramref name="destination"/> of <paramref name="userPoolId"/> by <paramref name="medium"/> unless a budget is spent.</summary>
    public BudgetVerdict TryConsume(string userPoolId, string medium, string destination)
    {
        if (!options.Enabled) return BudgetVerdict.Allowed;
        bool sms = medium == DeliveryMedium.Sms;
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        long hour = now / 3600, day = now / 86_400;
        Prune(day);
        var pool = _counters.GetOrAdd("p|" + medium + "|" + userPoolId, _ => new Counter());
        var user = _counters.GetOrAdd("u|" + medium + "|" + userPoolId + "|" + destination.ToUpperInvariant(), _ => new Counter());
        var poolLimits = sms ? options.SmsPerPool : options.EmailPerPool;
        var userLimits = sms ? options.SmsPerUser : options.EmailPerUser;
        // Lock order: pool, then recipient (always the same, so no deadlock).
        lock (pool)
        {
            lock (user)
            {
                Roll(pool, hour, day);
                Roll(user, hour, day);
                if (pool.InHour >= poolLimits.PerHour || pool.InDay >= poolLimits.PerDay) return BudgetVerdict.PoolExhausted;
                if (user.InHour >= userLimits.PerHour || user.InDay >= userLimits.PerDay) return BudgetVerdict.RecipientExhausted;
                pool.InHour++; pool.InDay++;
                user.InHour++; user.InDay++;
                return BudgetVerdict.Allowed;
            }
        }
    }

    /// <summary>Number of counters held (for tests).</summary>
    internal int CounterCount => _counters.Count;

    static void Roll(Counter c, long hour, long day)
    {
        if (c.Day != day) { c.Day = day; c.InDay = 0; }
        if (c.Hour != hour) { c.Hour = hour; c.InHour = 0; }
    }

    void Prune(long day)
    {
        long last = Interlocked.Read(ref _lastPrunedDay);
        if (last == day || Interlocked.CompareExchange(ref _lastPrunedDay, day, last) != last) return;
        foreach (var (key, c) in _counters)
        {
            if (Volatile.Read(ref c.Day) < day) _counters.TryRemove(key, out _);
        }
    }
}
