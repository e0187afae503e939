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
/// <c>SkippedIPRangeList</c> skip the compromised-credentials check. Account-takeover risk is not scored: every other sign-in is
/// recorded as <c>NoRisk</c> with <c>RiskLevel</c> <c>Low</c>, so the AccountTakeoverRiskConfiguration actions are stored
/// and described but never triggered; its <c>NotifyConfiguration.BlockEmail</c> is sent for sign-ins Cognate blocks.</para>
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
        var template = notify.BlockEmail ?? DefaultBlockEmail;
        string Link(string value) => $"{feedbackBaseUrl.TrimEnd('/')}/risk/feedback?username={Uri.EscapeDataString(user.Username)}&event_id={record.EventId}&feedback_token={token}&feedback_value={value}";
        string Fill(string text) => text
            .Replace("{username}", user.Username, StringComparison.Ordinal)
            .Replace("{ip-address}", assessment.SourceIp ?? "unknown", StringComparison.Ordinal)
            .Replace("{login-time}", now.ToString("u", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{city}", "", StringComparison.Ordinal).Replace("{country}", "", StringComparison.Ordinal).Replace("{device-name}", "", StringComparison.Ordinal)
            .Replace("{one-click-link-valid}", Link("Valid"), StringComparison.Ordinal)
            .Replace("{one-click-link-invalid}", Link("Invalid"), StringComparison.Ordinal);
        var body = Fill(template.TextBody ?? template.HtmlBody ?? DefaultBlockEmail.TextBody!);
        await sender.SendAsync(new OutgoingMessage(pool.Id, DeliveryMedium.Email, email, Fill(template.Subject), body, null), ct).ConfigureAwait(false);
    }

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
    /// <param name="username">The user's username; null for a user that does not exist (the public action then answers as for a
    /// wrong token, after the same comparison).</param>
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
