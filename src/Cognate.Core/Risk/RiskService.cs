using System.Net;
using System.Security.Cryptography;
using System.Text;
using Cognate.Core.Clients;
using Cognate.Core.Errors;
using Cognate.Core.Messaging;
using Cognate.Core.Pools;
using Cognate.Core.Stores;
using Cognate.Core.Users;

namespace Cognate.Core.Risk;

/// <summary>
/// Threat protection ("advanced security"): the risk configuration of pools and app clients (DescribeRiskConfiguration,
/// SetRiskConfiguration), its enforcement on sign-in, sign-up and password changes, and feedback on auth events
/// (UpdateAuthEventFeedback, AdminUpdateAuthEventFeedback). Active when the pool's <c>UserPoolAddOns.AdvancedSecurityMode</c> is
/// <c>AUDIT</c> (verdicts recorded, nothing blocked) or <c>ENFORCED</c>.
/// </summary>
/// <remarks>
/// <para>What Cognate decides: a source IP in <c>BlockedIPRangeList</c> blocks the sign-in (ENFORCED; <c>RiskDecision</c>
/// <c>Block</c>); a password found in the breached-password list (<see cref="BreachedPasswords"/>) is compromised and, with
/// <c>EventAction</c> BLOCK in ENFORCED mode, refused where the <c>EventFilter</c> says (SIGN_IN: USER_PASSWORD_AUTH /
/// ADMIN_USER_PASSWORD_AUTH only, as Cognito, since SRP never reveals the password; SIGN_UP; PASSWORD_CHANGE). Addresses in
/// <c>SkippedIPRangeList</c> skip the compromised-credentials check and account-takeover scoring. Account-takeover risk is scored by
/// a documented, simple signal (<see cref="TakeoverLevel"/>: new source IP, known device) and the AccountTakeoverRiskConfiguration
/// action for the level is applied in ENFORCED mode (<see cref="SignIn.Steps.PasswordProof"/>); AUDIT records the level only.</para>
/// </remarks>
public sealed class RiskService(IRiskConfigurationStore store, IAuthEventStore events, AppClientService clients, BreachedPasswords breached,
    IMessageSender sender, TimeProvider time)
{
    /// <summary>Compromised-credentials event filter values.</summary>
    public static class Events
    {
        /// <summary>Sign-in.</summary>
        public const string SignIn = "SIGN_IN";
        /// <summary>Password change.</summary>
        public const string PasswordChange = "PASSWORD_CHANGE";
        /// <summary>Sign-up.</summary>
        public const string SignUp = "SIGN_UP";
    }

    /// <summary>The pool's <c>UserPoolAddOns.AdvancedSecurityMode</c>: <c>OFF</c> (also when unset), <c>AUDIT</c> or <c>ENFORCED</c>.</summary>
    public static string Mode(UserPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return pool.Config.UserPoolAddOns?["AdvancedSecurityMode"]?.GetValueKind() == System.Text.Json.JsonValueKind.String
            ? (string)pool.Config.UserPoolAddOns["AdvancedSecurityMode"]! : "OFF";
    }

    /// <summary>UserPoolAddOnNotEnabledException unless the pool's AdvancedSecurityMode is AUDIT or ENFORCED.</summary>
    /// <exception cref="CognitoException">UserPoolAddOnNotEnabledException.</exception>
    public static void RequireEnabled(UserPool pool)
    {
        if (Mode(pool) == "OFF") throw new CognitoException(new CognitoError("UserPoolAddOnNotEnabledException", "Advanced security features are not enabled for this user pool."));
    }

    /// <summary>
    /// DescribeRiskConfiguration: the client's own configuration when <paramref name="clientId"/> has one, else the pool's; with
    /// nothing set, only the ids.
    /// </summary>
    /// <exception cref="CognitoException">UserPoolAddOnNotEnabledException; ResourceNotFoundException for a client not in the pool.</exception>
    public async ValueTask<RiskConfiguration> DescribeAsync(UserPool pool, string? clientId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        RequireEnabled(pool);
        if (clientId is not null) await clients.GetAsync(pool.Id, clientId, ct).ConfigureAwait(false);
        var found = await EffectiveAsync(pool.Id, clientId, ct).ConfigureAwait(false);
        return found is null ? new RiskConfiguration(pool.Id, clientId, null, null, null, null) : found with { ClientId = clientId };
    }

    /// <summary>
    /// SetRiskConfiguration: stores the three parts for the pool or the client; with all three null it removes the configuration
    /// (the pool returns to the defaults, the client inherits the pool's). Returns what DescribeRiskConfiguration then answers.
    /// </summary>
    /// <exception cref="CognitoException">UserPoolAddOnNotEnabledException; ResourceNotFoundException for a client not in the pool;
    /// InvalidParameterException for a malformed CIDR.</exception>
    public async ValueTask<RiskConfiguration> SetAsync(UserPool pool, string? clientId, CompromisedCredentialsRiskConfigurationType? compromised,
        AccountTakeoverRiskConfigurationType? takeover, RiskExceptionConfigurationType? exceptions, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        RequireEnabled(pool);
        if (clientId is not null) await clients.GetAsync(pool.Id, clientId, ct).ConfigureAwait(false);
        foreach (var range in (exceptions?.BlockedIPRangeList ?? []).Concat(exceptions?.SkippedIPRangeList ?? []))
        {
            if (!TryParseRange(range, out _)) throw CognitoErrors.InvalidParameter($"Invalid IP range: {range}. Use CIDR notation such as 192.0.2.0/24.");
        }
        if (compromised is null && takeover is null && exceptions is null)
        {
            await store.DeleteAsync(pool.Id, clientId, ct).ConfigureAwait(false);
            return new RiskConfiguration(pool.Id, clientId, null, null, null, null);
        }
        var config = new RiskConfiguration(pool.Id, clientId, compromised, takeover, exceptions, time.GetUtcNow());
        await store.PutAsync(config, ct).ConfigureAwait(false);
        return config;
    }

    async ValueTask<RiskConfiguration?> EffectiveAsync(string userPoolId, string? clientId, CancellationToken ct) =>
        (clientId is null ? null : await store.GetAsync(userPoolId, clientId, ct).ConfigureAwait(false))
        ?? await store.GetAsync(userPoolId, null, ct).ConfigureAwait(false);

    /// <summary>
    /// The verdict for a request from <paramref name="sourceIp"/> through <paramref name="clientId"/>, before any password is checked;
    /// null when the pool's AdvancedSecurityMode is OFF (no verdict is recorded then).
    /// </summary>
    public async ValueTask<RiskAssessment?> AssessAsync(UserPool pool, string clientId, string? sourceIp, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var mode = Mode(pool);
        if (mode == "OFF") return null;
        var config = await EffectiveAsync(pool.Id, clientId, ct).ConfigureAwait(false);
        IPAddress? ip = sourceIp is not null && IPAddress.TryParse(sourceIp, out var parsed) ? (parsed.IsIPv4MappedToIPv6 ? parsed.MapToIPv4() : parsed) : null;
        bool blocked = ip is not null && InAny(ip, config?.RiskExceptionConfiguration?.BlockedIPRangeList);
        bool skipped = ip is not null && InAny(ip, config?.RiskExceptionConfiguration?.SkippedIPRangeList);
        return new RiskAssessment(config, mode == "ENFORCED", blocked, skipped, sourceIp);
    }

    /// <summary>
    /// SignUp (SIGN_UP) and password changes (PASSWORD_CHANGE): refuses a breached <paramref name="password"/> when the effective
    /// configuration checks <paramref name="eventFilter"/> with EventAction BLOCK and the pool is ENFORCED.
    /// </summary>
    /// <exception cref="CognitoException">InvalidPasswordException "Provided password cannot be used for security reasons.".</exception>
    public async ValueTask CheckNewPasswordAsync(UserPool pool, string? clientId, string? sourceIp, string eventFilter, string? password, CancellationToken ct = default)
    {
        if (password is null || Mode(pool) == "OFF") return;
        var assessment = clientId is null
            ? new RiskAssessment(await store.GetAsync(pool.Id, null, ct).ConfigureAwait(false), Mode(pool) == "ENFORCED", false, false, sourceIp)
            : await AssessAsync(pool, clientId, sourceIp, ct).ConfigureAwait(false);
        if (assessment is not null && assessment.BlocksCompromised(eventFilter) && breached.Contains(password))
        {
            throw CompromisedPassword();
        }
    }

    /// <summary>InvalidPasswordException "Provided password cannot be used for security reasons." (a breached password refused).</summary>
    public static CognitoException CompromisedPassword() => CognitoErrors.InvalidPassword("Provided password cannot be used for security reasons.");

    /// <summary>NotAuthorizedException "Unable to login because of security reasons." (a sign-in blocked by threat protection).</summary>
    public static CognitoException Blocked() => CognitoErrors.NotAuthorized("Unable to login because of security reasons.");

    /// <summary>Whether <paramref name="password"/> is on the breached-password list.</summary>
    public bool IsBreached(string password) => breached.Contains(password);

    /// <summary>
    /// Records a sign-in Cognate blocked (RiskDecision Block) for <paramref name="user"/> with a fresh feedback token, and sends the
    /// NotifyConfiguration's BlockEmail to the user's email when the effective configuration has a NotifyConfiguration.
    /// <paramref name="feedbackBaseUrl"/> (the pool's issuer) prefixes the email's one-click feedback links.
    /// </summary>
    public async ValueTask RecordBlockedSignInAsync(UserPool pool, User user, RiskAssessment assessment, bool compromised, string feedbackBaseUrl, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(assessment);
        var (token, hash) = NewFeedbackToken();
        var now = time.GetUtcNow();
        var record = new AuthEventRecord(Ids.IdGenerator.NewUuid(), pool.Id, user.Username, "SignIn", "Fail", null, null, now)
        {
            Risk = new AuthEventRisk("Block", null, compromised),
            IpAddress = assessment.SourceIp,
            FeedbackTokenHash = hash,
        };
        await events.AddAsync(record, now - LockoutService.EventRetention, ct).ConfigureAwait(false);
        var notify = assessment.Configuration?.AccountTakeoverRiskConfiguration?.NotifyConfiguration;
        if (notify is null || user.Get("email") is not { Length: > 0 } email) return;
        await SendNotifyAsync(pool, user, email, notify.BlockEmail ?? DefaultBlockEmail, assessment.SourceIp, record.EventId, token, feedbackBaseUrl, ct).ConfigureAwait(false);
    }

    /// <summary>How many of the user's most recent auth events <see cref="AssessTakeoverAsync"/> reads as sign-in history.</summary>
    public const int TakeoverHistoryEvents = 200;

    /// <summary>
    /// The account-takeover risk level of a sign-in from <paramref name="sourceIp"/>, from the user's earlier auth events
    /// (<paramref name="history"/>): the documented, simple signal Cognate uses instead of Cognito's undisclosed model. A
    /// "successful sign-in" is a <c>SignIn</c> event with EventResponse <c>Pass</c> and a recorded source IP (a sign-in that an
    /// account-takeover MFA challenge interrupted is recorded <c>InProgress</c> and does not count; a blocked one is <c>Fail</c>).
    /// <list type="bullet">
    /// <item>no earlier successful sign-in: <c>Low</c> (nothing to compare with);</item>
    /// <item><paramref name="sourceIp"/> among the IPs of the earlier successful sign-ins: <c>Low</c>;</item>
    /// <item>a new IP and <paramref name="knownDevice"/> (the request presented a DEVICE_KEY of one of the user's devices): <c>Medium</c>;</item>
    /// <item>a new IP and no known device: <c>High</c>.</item>
    /// </list>
    /// An unknown source IP (null) counts as new.
    /// </summary>
    public static string TakeoverLevel(IEnumerable<AuthEventRecord> history, string? sourceIp, bool knownDevice)
    {
        ArgumentNullException.ThrowIfNull(history);
        var ips = history.Where(e => e.EventType == "SignIn" && e.EventResponse == "Pass" && e.IpAddress is not null)
            .Select(e => Normalize(e.IpAddress!)).ToHashSet(StringComparer.Ordinal);
        if (ips.Count == 0) return "Low";
        if (sourceIp is not null && ips.Contains(Normalize(sourceIp))) return "Low";
        return knownDevice ? "Medium" : "High";
    }

    static string Normalize(string ip) =>
        IPAddress.TryParse(ip, out var a) ? (a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a).ToString() : ip;

    /// <summary>
    /// The account-takeover decision for <paramref name="user"/> signing in with <paramref name="assessment"/> (null when the pool's
    /// AdvancedSecurityMode is OFF): <see cref="TakeoverLevel"/> over the user's last <see cref="TakeoverHistoryEvents"/> events
    /// (<c>Low</c> for an address in SkippedIPRangeList), and the AccountTakeoverRiskConfiguration's action for that level
    /// (<c>NO_ACTION</c> without notification when there is no such configuration or action).
    /// </summary>
    public async ValueTask<TakeoverDecision> AssessTakeoverAsync(UserPool pool, User user, RiskAssessment assessment, bool knownDevice, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(assessment);
        string level = "Low";
        if (!assessment.IpSkipped)
        {
            var history = await events.ListAsync(pool.Id, user.Username, null, null, TakeoverHistoryEvents, ct).ConfigureAwait(false);
            level = TakeoverLevel(history, assessment.SourceIp, knownDevice);
        }
        var actions = assessment.Configuration?.AccountTakeoverRiskConfiguration?.Actions;
        var action = level switch { "High" => actions?.HighAction, "Medium" => actions?.MediumAction, _ => actions?.LowAction };
        return new TakeoverDecision(level, action?.EventAction ?? "NO_ACTION", action?.Notify == true, assessment.Enforced);
    }

    /// <summary>
    /// Sends the NotifyConfiguration email for an account-takeover action (<paramref name="eventAction"/> BLOCK: BlockEmail,
    /// MFA_IF_CONFIGURED / MFA_REQUIRED: MfaEmail, NO_ACTION: NoActionEmail; Cognate's default text when the template is unset) to the
    /// user's email, with Cognito's placeholders filled: {username}, {ip-address}, {login-time}, {one-click-link-valid},
    /// {one-click-link-invalid} (links to <c>{feedbackBaseUrl}/risk/feedback</c> carrying <paramref name="feedbackToken"/>);
    /// {city}, {country} and {device-name} are empty (Cognate has no geolocation). Nothing is sent without a NotifyConfiguration
    /// or an email address.
    /// </summary>
    public async ValueTask NotifyTakeoverAsync(UserPool pool, User user, RiskAssessment assessment, string eventAction, string eventId, string feedbackToken,
        string feedbackBaseUrl, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(assessment);
        var notify = assessment.Configuration?.AccountTakeoverRiskConfiguration?.NotifyConfiguration;
        if (notify is null || user.Get("email") is not { Length: > 0 } email) return;
        var template = eventAction switch
        {
            "BLOCK" => notify.BlockEmail ?? DefaultBlockEmail,
            "MFA_IF_CONFIGURED" or "MFA_REQUIRED" => notify.MfaEmail ?? DefaultMfaEmail,
            _ => notify.NoActionEmail ?? DefaultNoActionEmail,
        };
        await SendNotifyAsync(pool, user, email, template, assessment.SourceIp, eventId, feedbackToken, feedbackBaseUrl, ct).ConfigureAwait(false);
    }

    async ValueTask SendNotifyAsync(UserPool pool, User user, string email, NotifyEmailType template, string? sourceIp, string eventId, string token,
        string feedbackBaseUrl, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        string Link(string value) => $"{feedbackBaseUrl.TrimEnd('/')}/risk/feedback?username={Uri.EscapeDataString(user.Username)}&event_id={eventId}&feedback_token={token}&feedback_value={value}";
        string Fill(string text) => text
            .Replace("{username}", user.Username, StringComparison.Ordinal)
            .Replace("{ip-address}", sourceIp ?? "unknown", StringComparison.Ordinal)
            .Replace("{login-time}", now.ToString("u", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{city}", "", StringComparison.Ordinal).Replace("{country}", "", StringComparison.Ordinal).Replace("{device-name}", "", StringComparison.Ordinal)
            .Replace("{one-click-link-valid}", Link("Valid"), StringComparison.Ordinal)
            .Replace("{one-click-link-invalid}", Link("Invalid"), StringComparison.Ordinal);
        var body = Fill(template.TextBody ?? template.HtmlBody ?? DefaultNoActionEmail.TextBody!);
        await sender.SendAsync(new OutgoingMessage(pool.Id, DeliveryMedium.Email, email, Fill(template.Subject), body, null), ct).ConfigureAwait(false);
    }

    /// <summary>The MfaEmail used when the NotifyConfiguration has none.</summary>
    public static readonly NotifyEmailType DefaultMfaEmail = new("New sign-in verified with MFA", null,
        "A sign-in to your account {username} from IP address {ip-address} at {login-time} was asked for a second factor. "
        + "If this was you, confirm it: {one-click-link-valid} . If it was not you, report it: {one-click-link-invalid} .");

    /// <summary>The NoActionEmail used when the NotifyConfiguration has none.</summary>
    public static readonly NotifyEmailType DefaultNoActionEmail = new("New sign-in to your account", null,
        "Your account {username} was signed in to from IP address {ip-address} at {login-time}. "
        + "If this was you, confirm it: {one-click-link-valid} . If it was not you, report it: {one-click-link-invalid} .");

    /// <summary>The BlockEmail used when the NotifyConfiguration has none.</summary>
    public static readonly NotifyEmailType DefaultBlockEmail = new("Blocked sign-in attempt", null,
        "We blocked a sign-in to your account {username} from IP address {ip-address} at {login-time}. "
        + "If this was you, confirm it: {one-click-link-valid} . If it was not you, report it: {one-click-link-invalid} .");

    /// <summary>A new feedback token (32 random bytes, base64url) and the SHA-256 stored in its place.</summary>
    public static (string Token, byte[] Hash) NewFeedbackToken()
    {
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (token, SHA256.HashData(Encoding.ASCII.GetBytes(token)));
    }

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>
    /// UpdateAuthEventFeedback (<paramref name="feedbackToken"/> given; provider <c>User</c>) and AdminUpdateAuthEventFeedback
    /// (no token; provider <c>Admin</c>): stores <paramref name="feedbackValue"/> on the event. The token is compared by its SHA-256
    /// in constant time; an unknown event, an event without a token and a wrong token all answer the same NotAuthorizedException on the
    /// public action, so it tells nothing to a caller without the token.
    /// </summary>
    /// <exception cref="CognitoException">UserPoolAddOnNotEnabledException; NotAuthorizedException "Invalid feedback token."
    /// (public); ResourceNotFoundException "Auth event not found." (admin).</exception>
    /// <param name="pool">The user pool.</param>
    /// <param name="username">The user's username; null for a user that does not exist (the public action then answers as for a
    /// wrong token, after the same comparison).</param>
    /// <param name="eventId">The auth event's EventId.</param>
    /// <param name="feedbackToken">The event's FeedbackToken (UpdateAuthEventFeedback), or null (AdminUpdateAuthEventFeedback).</param>
    /// <param name="feedbackValue"><c>Valid</c> or <c>Invalid</c>.</param>
    /// <param name="ct">Cancellation.</param>
    public async ValueTask UpdateFeedbackAsync(UserPool pool, string? username, string eventId, string? feedbackToken, string feedbackValue, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        RequireEnabled(pool);
        var record = username is null ? null : await events.GetAsync(pool.Id, username, eventId, ct).ConfigureAwait(false);
        if (feedbackToken is not null)
        {
            var given = SHA256.HashData(Encoding.UTF8.GetBytes(feedbackToken));
            var expected = record?.FeedbackTokenHash ?? new byte[32];
            bool matches = CryptographicOperations.FixedTimeEquals(given, expected);
            if (record?.FeedbackTokenHash is null || !matches) throw CognitoErrors.NotAuthorized("Invalid feedback token.");
        }
        else if (record is null)
        {
            throw CognitoErrors.ResourceNotFound("Auth event not found.");
        }
        if (username is null) throw CognitoErrors.ResourceNotFound("Auth event not found.");
        var feedback = new AuthEventFeedback(feedbackValue, feedbackToken is null ? "Admin" : "User", time.GetUtcNow());
        if (!await events.SetFeedbackAsync(pool.Id, username, eventId, feedback, ct).ConfigureAwait(false))
        {
            throw CognitoErrors.ResourceNotFound("Auth event not found.");
        }
    }

    static bool InAny(IPAddress ip, List<string>? ranges)
    {
        if (ranges is null) return false;
        foreach (var r in ranges)
        {
            if (TryParseRange(r, out var network) && network.Contains(ip)) return true;
        }
        return false;
    }

    /// <summary>Parses a CIDR range (<c>192.0.2.0/24</c>, <c>2001:db8::/32</c>); a bare address is a single-address range.</summary>
    public static bool TryParseRange(string? text, out IPNetwork network)
    {
        network = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        if (text.Contains('/', StringComparison.Ordinal)) return IPNetwork.TryParse(text, out network);
        if (!IPAddress.TryParse(text, out var single)) return false;
        network = new IPNetwork(single, single.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        return true;
    }
}

/// <summary>The account-takeover verdict of one sign-in (<see cref="RiskService.AssessTakeoverAsync"/>).</summary>
/// <param name="Level"><c>Low</c>, <c>Medium</c> or <c>High</c> (Cognito <c>EventRiskType.RiskLevel</c>).</param>
/// <param name="EventAction">The configured action for the level: <c>BLOCK</c>, <c>MFA_IF_CONFIGURED</c>, <c>MFA_REQUIRED</c> or <c>NO_ACTION</c>.</param>
/// <param name="Notify">Whether the action emails the user.</param>
/// <param name="Enforced">AdvancedSecurityMode ENFORCED (AUDIT: the level is recorded, no action taken, nothing sent).</param>
public sealed record TakeoverDecision(string Level, string EventAction, bool Notify, bool Enforced)
{
    /// <summary>Cognito <c>RiskDecision</c>: <c>NoRisk</c> for Low, <c>AccountTakeover</c> for Medium and High.</summary>
    public string RiskDecision => Level == "Low" ? "NoRisk" : "AccountTakeover";

    /// <summary>The action that is taken: <see cref="EventAction"/> when enforced, else <c>NO_ACTION</c>.</summary>
    public string Effective => Enforced ? EventAction : "NO_ACTION";

    /// <summary>The sign-in must pass a second factor (MFA_IF_CONFIGURED or MFA_REQUIRED, enforced).</summary>
    public bool RequiresMfa => Effective is "MFA_IF_CONFIGURED" or "MFA_REQUIRED";
}

/// <summary>The threat-protection verdict for one request, before any password is checked.</summary>
/// <param name="Configuration">The effective configuration (the client's, else the pool's), or null for the defaults.</param>
/// <param name="Enforced">AdvancedSecurityMode ENFORCED (AUDIT records verdicts but blocks nothing).</param>
/// <param name="IpBlocked">The source IP is in BlockedIPRangeList.</param>
/// <param name="IpSkipped">The source IP is in SkippedIPRangeList.</param>
/// <param name="SourceIp">The source IP as received, or null.</param>
public sealed record RiskAssessment(RiskConfiguration? Configuration, bool Enforced, bool IpBlocked, bool IpSkipped, string? SourceIp)
{
    /// <summary>The sign-in must be refused now (ENFORCED and a blocked IP).</summary>
    public bool BlocksSignIn => Enforced && IpBlocked;

    /// <summary>Whether the compromised-credentials check applies to <paramref name="eventFilter"/> (SIGN_IN, ...).</summary>
    public bool ChecksCompromised(string eventFilter) =>
        !IpSkipped && Configuration?.CompromisedCredentialsRiskConfiguration is { } c && (c.EventFilter is not { Count: > 0 } f || f.Contains(eventFilter));

    /// <summary>Whether a breached password is refused at <paramref name="eventFilter"/> (checked, BLOCK, ENFORCED).</summary>
    public bool BlocksCompromised(string eventFilter) =>
        Enforced && ChecksCompromised(eventFilter) && Configuration!.CompromisedCredentialsRiskConfiguration!.Actions.EventAction == "BLOCK";
}
