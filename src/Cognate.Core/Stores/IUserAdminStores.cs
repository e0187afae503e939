using Cognate.Core.Groups;
using Cognate.Core.Users;

namespace Cognate.Core.Stores;

/// <summary>
/// Indexed user listing for ListUsers: the store keeps one search key per searchable attribute of each user
/// (<see cref="UserSearchKeys"/>) up to date on every user write, so filters are index lookups, not scans.
/// </summary>
public interface IUserSearchStore
{
    /// <summary>Users of the pool ordered by username, after <paramref name="afterUsername"/> (exclusive), at most <paramref name="limit"/>.</summary>
    ValueTask<IReadOnlyList<User>> ListAsync(string userPoolId, string? afterUsername, int limit, CancellationToken ct = default);

    /// <summary>
    /// Users whose normalised key for <paramref name="attribute"/> equals (or, with <paramref name="prefix"/>, starts with)
    /// <paramref name="value"/>, ordered by (key, username), after the cursor (<paramref name="afterValue"/>,
    /// <paramref name="afterUsername"/>) exclusive, at most <paramref name="limit"/>. Values compare as given (already normalised).
    /// </summary>
    ValueTask<IReadOnlyList<UserSearchHit>> SearchAsync(string userPoolId, string attribute, string value, bool prefix, string? afterValue, string? afterUsername, int limit, CancellationToken ct = default);
}

/// <summary>A user found by <see cref="IUserSearchStore.SearchAsync"/> and the search key that matched (the paging cursor).</summary>
/// <param name="User">The user.</param>
/// <param name="Key">The normalised value that matched.</param>
public sealed record UserSearchHit(User User, string Key);

/// <summary>Groups of a pool and their members.</summary>
public interface IGroupStore
{
    /// <summary>Inserts a group; false if the name exists in the pool.</summary>
    ValueTask<bool> CreateAsync(Group group, CancellationToken ct = default);
    /// <summary>The group, or null.</summary>
    ValueTask<Group?> GetAsync(string userPoolId, string groupName, CancellationToken ct = default);
    /// <summary>Replaces description, role, precedence and modification time; false if missing.</summary>
    ValueTask<bool> UpdateAsync(Group group, CancellationToken ct = default);
    /// <summary>Deletes the group and its memberships; false if missing.</summary>
    ValueTask<bool> DeleteAsync(string userPoolId, string groupName, CancellationToken ct = default);
    /// <summary>Groups ordered by name after <paramref name="afterName"/> (exclusive), at most <paramref name="limit"/>.</summary>
    ValueTask<IReadOnlyList<Group>> ListAsync(string userPoolId, string? afterName, int limit, CancellationToken ct = default);
    /// <summary>Adds the membership (idempotent). False when the group or the user does not exist.</summary>
    ValueTask<bool> AddMemberAsync(string userPoolId, string groupName, string username, CancellationToken ct = default);
    /// <summary>Removes the membership (idempotent).</summary>
    ValueTask RemoveMemberAsync(string userPoolId, string groupName, string username, CancellationToken ct = default);
    /// <summary>Groups of a user ordered by name after <paramref name="afterName"/>, at most <paramref name="limit"/>.</summary>
    ValueTask<IReadOnlyList<Group>> ListForUserAsync(string userPoolId, string username, string? afterName, int limit, CancellationToken ct = default);
    /// <summary>Usernames of the group's members ordered by username after <paramref name="afterUsername"/>, at most <paramref name="limit"/>.</summary>
    ValueTask<IReadOnlyList<string>> ListMembersAsync(string userPoolId, string groupName, string? afterUsername, int limit, CancellationToken ct = default);
}

/// <summary>Failed-password counters of a user (reference §8.4).</summary>
/// <param name="FailedAttempts">Failures since the last success or quiet period.</param>
/// <param name="LastFailureAt">Time of the last counted failure, UTC.</param>
/// <param name="LockedUntil">End of the current lock, UTC, or null.</param>
public sealed record LockoutState(int FailedAttempts, DateTimeOffset LastFailureAt, DateTimeOffset? LockedUntil);

/// <summary>Per-user lockout state, shared by every node using the database.</summary>
public interface ILockoutStore
{
    /// <summary>The user's state, or null when there are no counted failures.</summary>
    ValueTask<LockoutState?> GetAsync(string userPoolId, string username, CancellationToken ct = default);
    /// <summary>
    /// Atomically counts a failure at <paramref name="now"/>: the counter restarts at 1 when the last failure is older
    /// than <paramref name="quietPeriod"/>. Returns the new count.
    /// </summary>
    ValueTask<int> RecordFailureAsync(string userPoolId, string username, DateTimeOffset now, TimeSpan quietPeriod, CancellationToken ct = default);
    /// <summary>Sets the lock end (never shortens an existing lock).</summary>
    ValueTask LockAsync(string userPoolId, string username, DateTimeOffset until, CancellationToken ct = default);
    /// <summary>Clears the state (successful sign-in).</summary>
    ValueTask ResetAsync(string userPoolId, string username, CancellationToken ct = default);

    /// <summary>
    /// Atomically reserves one check of counter <paramref name="kind"/> before the caller verifies anything (a slot, held
    /// until <see cref="CompleteFailureAsync"/>, <see cref="ReleaseAsync"/> or <see cref="ResetAsync(string, string, LockoutKind, CancellationToken)"/>,
    /// or until <paramref name="lease"/> passes). Failures older than <paramref name="quietPeriod"/> are forgotten. While
    /// locked: <see cref="LockoutReservation.Locked"/>. Below <paramref name="freeAttempts"/> failures, slots in flight plus
    /// counted failures stay below <paramref name="freeAttempts"/>; from then on one slot at a time. Otherwise
    /// <see cref="LockoutReservation.Busy"/> (try again shortly). So however many requests race, no more checks run than
    /// the counter allows before the lock.
    /// </summary>
    ValueTask<LockoutReservation> TryReserveAsync(string userPoolId, string username, LockoutKind kind, DateTimeOffset now, TimeSpan quietPeriod, int freeAttempts, TimeSpan lease, CancellationToken ct = default);

    /// <summary>
    /// Ends a reserved check as a failure: atomically counts it (restarting at 1 after <paramref name="quietPeriod"/>), sets
    /// the lock the new count earns (<paramref name="lockFor"/> of the count, counts above <paramref name="maxCount"/> as
    /// <paramref name="maxCount"/>) and frees the slot. Returns the new count.
    /// </summary>
    ValueTask<int> CompleteFailureAsync(string userPoolId, string username, LockoutKind kind, DateTimeOffset now, TimeSpan quietPeriod, Func<int, TimeSpan> lockFor, int maxCount, CancellationToken ct = default);

    /// <summary>Ends a reserved check without counting it (the check could not run).</summary>
    ValueTask ReleaseAsync(string userPoolId, string username, LockoutKind kind, CancellationToken ct = default);

    /// <summary>The state of counter <paramref name="kind"/>, or null.</summary>
    ValueTask<LockoutState?> GetAsync(string userPoolId, string username, LockoutKind kind, CancellationToken ct = default);

    /// <summary>Clears counter <paramref name="kind"/> (correct password or second factor).</summary>
    ValueTask ResetAsync(string userPoolId, string username, LockoutKind kind, CancellationToken ct = default);
}

/// <summary>Outcome of <see cref="ILockoutStore.TryReserveAsync"/>.</summary>
public enum LockoutReservation
{
    /// <summary>A slot is held: run the check, then complete it.</summary>
    Reserved,
    /// <summary>The user is locked.</summary>
    Locked,
    /// <summary>Not locked, but every slot the count allows is in flight.</summary>
    Busy,
}

/// <summary>The per-user failure counters: one for passwords (and SRP proofs), one for second factors and one-time sign-in codes.</summary>
public enum LockoutKind
{
    /// <summary>Password and SRP checks, ChangePassword's previous password.</summary>
    Password,
    /// <summary>SMS_MFA, EMAIL_OTP, SOFTWARE_TOKEN_MFA and passwordless EMAIL_OTP / SMS_OTP codes.</summary>
    SecondFactor,
}

/// <summary>A recorded authentication event (AdminListUserAuthEvents).</summary>
/// <param name="EventId">UUID.</param>
/// <param name="UserPoolId">Pool.</param>
/// <param name="Username">Internal username.</param>
/// <param name="EventType">Cognito <c>EventType</c>: SignIn, ...</param>
/// <param name="EventResponse">Pass, Fail or InProgress.</param>
/// <param name="ChallengeName">Password or Mfa, if a challenge was answered.</param>
/// <param name="ChallengeResponse">Success or Failure.</param>
/// <param name="CreatedAt">UTC.</param>
public sealed record AuthEventRecord(string EventId, string UserPoolId, string Username, string EventType, string EventResponse, string? ChallengeName, string? ChallengeResponse, DateTimeOffset CreatedAt)
{
    /// <summary>Threat protection's verdict (Cognito <c>EventRiskType</c>); null when the pool's AdvancedSecurityMode was OFF.</summary>
    public AuthEventRisk? Risk { get; init; }

    /// <summary>The source IP address of the request (<c>EventContextData.IpAddress</c>), when known.</summary>
    public string? IpAddress { get; init; }

    /// <summary>SHA-256 of the event's feedback token (UpdateAuthEventFeedback); null when the event has none.</summary>
    public byte[]? FeedbackTokenHash { get; init; }

    /// <summary>The feedback given on the event (<c>EventFeedbackType</c>), or null.</summary>
    public AuthEventFeedback? Feedback { get; init; }
}

/// <summary>Cognito <c>EventRiskType</c>.</summary>
/// <param name="RiskDecision"><c>NoRisk</c>, <c>AccountTakeover</c> or <c>Block</c>.</param>
/// <param name="RiskLevel"><c>Low</c>, <c>Medium</c> or <c>High</c>.</param>
/// <param name="CompromisedCredentialsDetected">The password was found in the breached-password list.</param>
public sealed record AuthEventRisk(string RiskDecision, string? RiskLevel, bool CompromisedCredentialsDetected);

/// <summary>Cognito <c>EventFeedbackType</c>.</summary>
/// <param name="FeedbackValue"><c>Valid</c> or <c>Invalid</c>.</param>
/// <param name="Provider">Who gave it: <c>Admin</c> (AdminUpdateAuthEventFeedback) or <c>User</c> (UpdateAuthEventFeedback).</param>
/// <param name="FeedbackDate">When (UTC).</param>
public sealed record AuthEventFeedback(string FeedbackValue, string Provider, DateTimeOffset FeedbackDate);

/// <summary>Sign-in history.</summary>
public interface IAuthEventStore
{
    /// <summary>Appends an event and drops the user's events older than <paramref name="retainAfter"/>.</summary>
    ValueTask AddAsync(AuthEventRecord record, DateTimeOffset retainAfter, CancellationToken ct = default);
    /// <summary>The user's events newest first, strictly before the cursor (<paramref name="beforeTime"/>, <paramref name="beforeId"/>), at most <paramref name="limit"/>.</summary>
    ValueTask<IReadOnlyList<AuthEventRecord>> ListAsync(string userPoolId, string username, DateTimeOffset? beforeTime, string? beforeId, int limit, CancellationToken ct = default);
    /// <summary>The user's event <paramref name="eventId"/>, or null.</summary>
    ValueTask<AuthEventRecord?> GetAsync(string userPoolId, string username, string eventId, CancellationToken ct = default);
    /// <summary>Stores <paramref name="feedback"/> on the user's event (replacing earlier feedback); false when there is no such event.</summary>
    ValueTask<bool> SetFeedbackAsync(string userPoolId, string username, string eventId, AuthEventFeedback feedback, CancellationToken ct = default);
}
