using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cognate.Core.Clients;
using Cognate.Core.Codes;
using Cognate.Core.Crypto;
using Cognate.Core.Errors;
using Cognate.Core.Messaging;
using Cognate.Core.Mfa;
using Cognate.Core.Pools;
using Cognate.Core.Stores;
using Cognate.Core.Tokens;
using Cognate.Core.Users;

namespace Cognate.Core.Auth;

/// <summary>
/// Server-side state of one step of a multi-step sign-in, kept as JSON in <see cref="AuthSessionRecord.Data"/>.
/// </summary>
public sealed class ChallengeState
{
    /// <summary><c>first</c> (USER_AUTH before a first factor), <c>mfa</c> (second factor), <c>setup</c> (MFA_SETUP) or <c>signup</c>.</summary>
    public string Stage { get; set; } = "mfa";
    /// <summary>SELECT_CHALLENGE choices, MFAS_CAN_CHOOSE or MFAS_CAN_SETUP.</summary>
    public List<string>? Options { get; set; }
    /// <summary>HMAC of the code sent for this step (EMAIL_OTP, SMS_OTP, SMS_MFA).</summary>
    public byte[]? CodeHash { get; set; }
    /// <summary>Wrong codes so far.</summary>
    public int Attempts { get; set; }
    /// <summary>Email address being set up as MFA (MFA_SETUP with EMAIL).</summary>
    public string? Destination { get; set; }
    /// <summary>MFA_SETUP: VerifySoftwareToken succeeded with this session.</summary>
    public bool TotpVerified { get; set; }
}

/// <summary>
/// The multi-step sign-in flows (reference §3, §4): USER_SRP_AUTH / PASSWORD_VERIFIER, USER_AUTH with
/// SELECT_CHALLENGE and passwordless EMAIL_OTP / SMS_OTP, the MFA challenges (SMS_MFA, EMAIL_OTP,
/// SOFTWARE_TOKEN_MFA, SELECT_MFA_TYPE, MFA_SETUP) that follow any password or SRP success, and the
/// sign-up → sign-in session. Sessions are single use per step (DB-stored by hash); a correctable mistake
/// (wrong code, wrong challenge name) keeps the session, up to <see cref="MaxCodeAttempts"/> wrong codes.
/// </summary>
public sealed partial class SignInFlows(
    UserService users, TokenService tokens, MfaService mfa, IAuthSessionStore sessions, AuthCodeMessenger messenger,
    CodeHashKey codeKey, MasterKeyProtector protector, TimeProvider time, Users.LockoutService lockout)
{
    /// <summary>Wrong codes accepted per session before it is invalidated.</summary>
    public const int MaxCodeAttempts = 3;

    /// <summary>Digits of passwordless and email codes (Cognito: 8); SMS MFA codes have 6.</summary>
    public const int OtpDigits = 8;

    static readonly JsonSerializerOptions StateJson = new(JsonSerializerDefaults.General) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    static readonly IReadOnlyDictionary<string, string> NoParameters = new Dictionary<string, string>();

    internal static byte[] HashSession(string session) => SHA256.HashData(Encoding.UTF8.GetBytes(session));

    static CognitoException StaleSession() => CognitoErrors.NotAuthorized("Invalid session for the user, session is expired.");

    /// <summary>Stores a new session for the next challenge and returns the opaque Session string.</summary>
    internal async ValueTask<string> NewSessionAsync(UserPool pool, AppClient client, string username, string challenge, ChallengeState state, CancellationToken ct)
    {
        var session = Ids.IdGenerator.NewSession();
        var expires = time.GetUtcNow() + AppClientService.AuthSessionLifetime(client);
        await sessions.CreateAsync(new AuthSessionRecord(HashSession(session), pool.Id, client.ClientId, username, challenge,
            JsonSerializer.Serialize(state, StateJson), expires), ct).ConfigureAwait(false);
        return session;
    }

    /// <summary>Takes (consumes) a session of any client; null when missing, unknown or expired.</summary>
    internal async ValueTask<(AuthSessionRecord Record, ChallengeState State)?> TryTakeAsync(string? session, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(session)) return null;
        var record = await sessions.TakeAsync(HashSession(session), ct).ConfigureAwait(false);
        if (record is null || record.ExpiresAt <= time.GetUtcNow()) return null;
        ChallengeState state;
        try { state = JsonSerializer.Deserialize<ChallengeState>(record.Data, StateJson) ?? new ChallengeState(); }
        catch (JsonException) { state = new ChallengeState(); }
        return (record, state);
    }

    /// <summary>Takes the session of this pool and client.</summary>
    /// <exception cref="CognitoException">InvalidParameterException (missing), NotAuthorizedException (stale).</exception>
    internal async ValueTask<(AuthSessionRecord Record, ChallengeState State)> TakeAsync(UserPool pool, AppClient client, string? session, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(session)) throw CognitoErrors.InvalidParameter("Missing required parameter Session");
        var taken = await TryTakeAsync(session, ct).ConfigureAwait(false);
        if (taken is not { } t || t.Record.UserPoolId != pool.Id || t.Record.ClientId != client.ClientId) throw StaleSession();
        return t;
    }

    /// <summary>Puts a taken session back (same Session string, same expiry) with <paramref name="state"/>.</summary>
    internal ValueTask RestoreAsync(AuthSessionRecord record, ChallengeState state, CancellationToken ct) =>
        sessions.CreateAsync(record with { Data = JsonSerializer.Serialize(state, StateJson) }, ct);

    /// <summary>Tokens for a completed sign-in.</summary>
    internal async ValueTask<AuthOutcome> TokensAsync(UserPool pool, AppClient client, User user, string issuer, CancellationToken ct)
    {
        var result = await tokens.IssueAsync(pool, client, user, issuer, time.GetUtcNow(), null, issueRefreshToken: true, ct).ConfigureAwait(false);
        return new AuthOutcome(result, null, null, NoParameters);
    }

    byte[] CodeHash(string userPoolId, string username, string code) =>
        HMACSHA256.HashData(codeKey.Key, Encoding.UTF8.GetBytes($"{userPoolId}\n{username}\nsign-in\n{code}"));

    /// <summary>
    /// What follows a correct password (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, PASSWORD, PASSWORD_VERIFIER):
    /// NEW_PASSWORD_REQUIRED for a FORCE_CHANGE_PASSWORD user (refused once the temporary password expired), then MFA, then tokens.
    /// </summary>
    /// <exception cref="CognitoException">NotAuthorizedException (disabled, expired temporary password), CodeDeliveryFailureException.</exception>
    public async ValueTask<AuthOutcome> AfterPasswordAsync(UserPool pool, AppClient client, User user, string issuer, CancellationToken ct = default)
    {
        if (!user.Enabled) throw CognitoErrors.NotAuthorized("User is disabled.");
        var now = time.GetUtcNow();
        if (user.Status == UserStatus.ForceChangePassword)
        {
            int days = pool.Config.Policies?.PasswordPolicy?.TemporaryPasswordValidityDays ?? 7;
            if (user.PasswordSetAt is { } set && now - set > TimeSpan.FromDays(days))
            {
                throw CognitoErrors.NotAuthorized("Temporary password has expired and must be reset by an administrator.");
            }
            var session = await NewSessionAsync(pool, client, user.Username, "NEW_PASSWORD_REQUIRED", new ChallengeState { Stage = "password" }, ct).ConfigureAwait(false);
            var visible = user.Attributes.Where(a => a.Key != "sub" && !a.Key.EndsWith("_verified", StringComparison.Ordinal))
                .ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
            var required = (pool.Config.SchemaAttributes ?? []).Where(a => a.Required == true && a.Name != "sub" && a.Name is not null && user.Get(a.Name) is not { Length: > 0 })
                .Select(a => "userAttributes." + a.Name).ToList();
            return new AuthOutcome(null, "NEW_PASSWORD_REQUIRED", session, new Dictionary<string, string>
            {
                ["USER_ID_FOR_SRP"] = user.Username,
                ["requiredAttributes"] = JsonSerializer.Serialize(required),
                ["userAttributes"] = JsonSerializer.Serialize(visible),
            });
        }
        return await MfaOrTokensAsync(pool, client, user, issuer, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The MFA step after a first factor: pool MFA OFF → tokens; otherwise the user's usable factors decide —
    /// one (or a preferred one) → its challenge; several → SELECT_MFA_TYPE; none → tokens when OPTIONAL, and when ON
    /// SMS_MFA for a user with a phone number (pool SMS enabled) or MFA_SETUP.
    /// </summary>
    /// <exception cref="CognitoException">CodeDeliveryFailureException; InvalidUserPoolConfigurationException when MFA is ON and nothing can be set up.</exception>
    public async ValueTask<AuthOutcome> MfaOrTokensAsync(UserPool pool, AppClient client, User user, string issuer, CancellationToken ct = default)
    {
        var mode = pool.Config.MfaConfiguration ?? "OFF";
        if (mode == "OFF") return await TokensAsync(pool, client, user, issuer, ct).ConfigureAwait(false);
        var state = await mfa.GetAsync(pool, user, ct).ConfigureAwait(false);
        var usable = MfaService.UsableFactors(pool, user, state);
        if (usable.Count == 0)
        {
            if (mode == "OPTIONAL") return await TokensAsync(pool, client, user, issuer, ct).ConfigureAwait(false);
            if (MfaService.PoolSmsEnabled(pool) && user.Get("phone_number") is { Length: > 0 })
            {
                return await StartMfaChallengeAsync(pool, client, user, MfaFactor.Sms, state, ct).ConfigureAwait(false);
            }
            var setup = new List<string>();
            if (MfaService.PoolTotpEnabled(pool)) setup.Add(MfaFactor.SoftwareToken);
            if (MfaService.PoolEmailEnabled(pool)) setup.Add(MfaFactor.Email);
            if (setup.Count == 0) throw CognitoErrors.InvalidUserPoolConfiguration("MFA is required but no MFA method the user can set up is enabled for the user pool.");
            var session = await NewSessionAsync(pool, client, user.Username, "MFA_SETUP", new ChallengeState { Stage = "setup", Options = setup }, ct).ConfigureAwait(false);
            return new AuthOutcome(null, "MFA_SETUP", session, new Dictionary<string, string>
            {
                ["MFAS_CAN_SETUP"] = JsonSerializer.Serialize(setup),
                ["USER_ID_FOR_SRP"] = user.Username,
            });
        }
        if (usable.Count == 1) return await StartMfaChallengeAsync(pool, client, user, usable[0], state, ct).ConfigureAwait(false);
        if (state.Preferred is { } preferred && usable.Contains(preferred))
        {
            return await StartMfaChallengeAsync(pool, client, user, preferred, state, ct).ConfigureAwait(false);
        }
        var choose = await NewSessionAsync(pool, client, user.Username, "SELECT_MFA_TYPE", new ChallengeState { Options = [.. usable] }, ct).ConfigureAwait(false);
        return new AuthOutcome(null, "SELECT_MFA_TYPE", choose, new Dictionary<string, string>
        {
            ["MFAS_CAN_CHOOSE"] = JsonSerializer.Serialize(usable),
            ["USER_ID_FOR_SRP"] = user.Username,
        });
    }

    /// <summary>Issues SMS_MFA / EMAIL_OTP (sending a code) or SOFTWARE_TOKEN_MFA as the second factor.</summary>
    async ValueTask<AuthOutcome> StartMfaChallengeAsync(UserPool pool, AppClient client, User user, string factor, UserMfa state, CancellationToken ct)
    {
        if (factor == MfaFactor.SoftwareToken)
        {
            var session = await NewSessionAsync(pool, client, user.Username, MfaFactor.SoftwareToken, new ChallengeState(), ct).ConfigureAwait(false);
            var parameters = new Dictionary<string, string> { ["USER_ID_FOR_SRP"] = user.Username };
            if (state.TotpDeviceName is { Length: > 0 } name) parameters["FRIENDLY_DEVICE_NAME"] = name;
            return new AuthOutcome(null, MfaFactor.SoftwareToken, session, parameters);
        }
        var medium = factor == MfaFactor.Sms ? DeliveryMedium.Sms : DeliveryMedium.Email;
        var destination = user.Get(medium == DeliveryMedium.Sms ? "phone_number" : "email") ?? "";
        return await SendCodeChallengeAsync(pool, client, user, factor, medium, destination, new ChallengeState(), factor == MfaFactor.Sms ? 6 : OtpDigits, includeUserId: true, ct).ConfigureAwait(false);
    }

    /// <summary>Sends a code and returns the challenge that expects it, with CODE_DELIVERY_* parameters.</summary>
    async ValueTask<AuthOutcome> SendCodeChallengeAsync(UserPool pool, AppClient client, User user, string challenge, string medium, string destination, ChallengeState state, int digits, bool includeUserId, CancellationToken ct)
    {
        var code = Ids.IdGenerator.NewNumericCode(digits);
        var masked = await messenger.SendAsync(pool, medium, destination, code, ct).ConfigureAwait(false);
        state.CodeHash = CodeHash(pool.Id, user.Username, code);
        state.Attempts = 0;
        var session = await NewSessionAsync(pool, client, user.Username, challenge, state, ct).ConfigureAwait(false);
        var parameters = new Dictionary<string, string>
        {
            ["CODE_DELIVERY_DELIVERY_MEDIUM"] = medium,
            ["CODE_DELIVERY_DESTINATION"] = masked,
        };
        if (includeUserId) parameters["USER_ID_FOR_SRP"] = user.Username;
        return new AuthOutcome(null, challenge, session, parameters);
    }

    /// <summary>
    /// RespondToAuthChallenge / AdminRespondToAuthChallenge for every challenge except NEW_PASSWORD_REQUIRED
    /// (which <see cref="AuthService"/> answers itself).
    /// </summary>
    /// <exception cref="CognitoException">NotAuthorizedException (stale session, wrong password), InvalidParameterException (wrong challenge name,
    /// missing response), CodeMismatchException, ExpiredCodeException, SoftwareTokenMFANotFoundException, UnsupportedOperationException.</exception>
    public async ValueTask<AuthOutcome> RespondAsync(UserPool pool, AppClient client, string challengeName, string? session, IReadOnlyDictionary<string, string> responses, string issuer, CancellationToken ct = default)
    {
        switch (challengeName)
        {
            case "PASSWORD_VERIFIER":
                return await RespondPasswordVerifierAsync(pool, client, responses, issuer, ct).ConfigureAwait(false);
            case "SELECT_CHALLENGE" or "PASSWORD" or "PASSWORD_SRP" or "EMAIL_OTP" or "SMS_OTP" or "SMS_MFA" or "SOFTWARE_TOKEN_MFA" or "SELECT_MFA_TYPE" or "MFA_SETUP" or "NEW_PASSWORD_REQUIRED":
                break;
            case "WEB_AUTHN":
                throw WebAuthnUnsupported();
            default:
                throw CognitoErrors.UnsupportedOperation($"The {challengeName} challenge is not supported by Cognate yet.");
        }
        var (record, state) = await TakeAsync(pool, client, session, ct).ConfigureAwait(false);
        bool restore = true;
        try
        {
            bool answersSelect = record.ChallengeName == "SELECT_CHALLENGE" && challengeName is "PASSWORD" or "PASSWORD_SRP";
            if (record.ChallengeName != challengeName && !answersSelect) throw CognitoErrors.InvalidParameter("Invalid challenge name for the current session.");
            var username = Required(responses, "USERNAME");
            responses.TryGetValue("SECRET_HASH", out var secretHash);
            var user = await users.FindAsync(pool, username, ct).ConfigureAwait(false);
            if (user is null || user.Username != record.Username) { restore = false; throw CognitoErrors.NotAuthorized("Invalid session for the user."); }
            AuthService.CheckSecretHash(client, secretHash, username, user.Username);
            if (!user.Enabled) { restore = false; throw CognitoErrors.NotAuthorized("User is disabled."); }
            switch (record.ChallengeName)
            {
                case "SELECT_CHALLENGE":
                    var answer = answersSelect ? challengeName : Required(responses, "ANSWER");
                    restore = false;
                    return await AnswerSelectChallengeAsync(pool, client, user, answer, state, record, responses, issuer, ct).ConfigureAwait(false);
                case "EMAIL_OTP" or "SMS_OTP" or "SMS_MFA":
                    var code = Required(responses, record.ChallengeName switch { "EMAIL_OTP" => "EMAIL_OTP_CODE", "SMS_OTP" => "SMS_OTP_CODE", _ => "SMS_MFA_CODE" });
                    var expected = CodeHash(pool.Id, user.Username, code);
                    try
                    {
                        // Counted against the user's second-factor lockout before the comparison (LockoutService).
                        await lockout.GuardSecondFactorAsync(pool, user, () => state.CodeHash is not null && CryptographicOperations.FixedTimeEquals(state.CodeHash, expected)
                            ? ValueTask.CompletedTask : throw CognitoErrors.CodeMismatch(), ct).ConfigureAwait(false);
                    }
                    catch (CognitoException ex) when (ex.Error.Type == "CodeMismatchException")
                    {
                        state.Attempts++;
                        restore = state.Attempts < MaxCodeAttempts;
                        throw;
                    }
                    catch (CognitoException)
                    {
                        restore = false; // locked: the challenge ends
                        throw;
                    }
                    restore = false;
                    if (state.Stage == "setup") await FinishEmailSetupAsync(pool, user, state.Destination!, ct).ConfigureAwait(false);
                    user = await users.FindAsync(pool, user.Username, ct).ConfigureAwait(false) ?? throw CognitoErrors.UserNotFound();
                    return await TokensAsync(pool, client, user, issuer, ct).ConfigureAwait(false);
                case "SOFTWARE_TOKEN_MFA":
                    var totp = Required(responses, "SOFTWARE_TOKEN_MFA_CODE");
                    var totpUser = user;
                    try
                    {
                        await lockout.GuardSecondFactorAsync(pool, totpUser, () => mfa.ConsumeTotpAsync(pool, totpUser, totp, ct), ct).ConfigureAwait(false);
                    }
                    catch (CognitoException ex) when (ex.Error.Type is "CodeMismatchException" or "ExpiredCodeException")
                    {
                        state.Attempts++;
                        restore = state.Attempts < MaxCodeAttempts;
                        throw;
                    }
                    catch (CognitoException ex) when (ex.Error.Type == "NotAuthorizedException")
                    {
                        restore = false; // locked: the challenge ends
                        throw;
                    }
                    restore = false;
                    return await TokensAsync(pool, client, user, issuer, ct).ConfigureAwait(false);
                case "SELECT_MFA_TYPE":
                    var choice = Required(responses, "ANSWER");
                    if (choice == "EMAIL_MFA") choice = MfaFactor.Email;
                    if (state.Options is null || !state.Options.Contains(choice)) throw CognitoErrors.InvalidParameter($"The MFA type {choice} is not available for the user.");
                    restore = false;
                    return await StartMfaChallengeAsync(pool, client, user, choice, await mfa.GetAsync(pool, user, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
                case "MFA_SETUP":
                    if (state.TotpVerified)
                    {
                        restore = false;
                        return await TokensAsync(pool, client, user, issuer, ct).ConfigureAwait(false);
                    }
                    if (responses.TryGetValue("EMAIL", out var email) && email.Length > 0 && state.Options?.Contains(MfaFactor.Email) == true)
                    {
                        if (!AttributeRules.LooksLikeEmail(email)) throw CognitoErrors.InvalidParameter("Invalid email address format.");
                        restore = false;
                        return await SendCodeChallengeAsync(pool, client, user, MfaFactor.Email, DeliveryMedium.Email, email,
                            new ChallengeState { Stage = "setup", Destination = email }, OtpDigits, includeUserId: true, ct).ConfigureAwait(false);
                    }
                    throw CognitoErrors.InvalidParameter("MFA_SETUP is not complete: verify a software token (AssociateSoftwareToken, VerifySoftwareToken with this Session) or send EMAIL.");
                default:
                    throw CognitoErrors.InvalidParameter("Invalid challenge name for the current session.");
            }
        }
        catch (CognitoException ex) when (restore && ex.Error.Type is "InvalidParameterException" or "CodeMismatchException" or "ExpiredCodeException" or "NotAuthorizedException" && ex.Error.Message != "Invalid session for the user.")
        {
            await RestoreAsync(record, state, ct).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>MFA_SETUP by email succeeded: the address becomes the user's verified email and email MFA is enabled.</summary>
    async ValueTask FinishEmailSetupAsync(UserPool pool, User user, string address, CancellationToken ct)
    {
        await users.UpdateAsync(pool, user.Username, u =>
        {
            u.Attributes["email"] = address;
            u.Attributes["email_verified"] = "true";
        }, ct: ct).ConfigureAwait(false);
        await mfa.UpdateAsync(pool, user, m => { m.EmailEnabled = true; m.Preferred ??= MfaFactor.Email; }, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// AssociateSoftwareToken / VerifySoftwareToken with a Session instead of an access token (MFA_SETUP): takes the MFA_SETUP
    /// session, runs <paramref name="action"/> for its user, and returns a new Session for the same challenge.
    /// </summary>
    /// <exception cref="CognitoException">NotAuthorizedException (stale session), what <paramref name="action"/> throws (the session stays usable).</exception>
    public async ValueTask<(T Result, string Session)> WithSetupSessionAsync<T>(string session, Func<AuthSessionRecord, ChallengeState, ValueTask<T>> action, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        var taken = await TryTakeAsync(session, ct).ConfigureAwait(false);
        if (taken is not { } t) throw StaleSession();
        if (t.Record.ChallengeName != "MFA_SETUP")
        {
            await RestoreAsync(t.Record, t.State, ct).ConfigureAwait(false);
            throw CognitoErrors.NotAuthorized("Invalid session for the user.");
        }
        T result;
        try
        {
            result = await action(t.Record, t.State).ConfigureAwait(false);
        }
        catch (CognitoException)
        {
            await RestoreAsync(t.Record, t.State, ct).ConfigureAwait(false);
            throw;
        }
        var next = Ids.IdGenerator.NewSession();
        await sessions.CreateAsync(t.Record with { SessionHash = HashSession(next), Data = JsonSerializer.Serialize(t.State, StateJson) }, ct).ConfigureAwait(false);
        return (result, next);
    }

    static string Required(IReadOnlyDictionary<string, string> p, string name) =>
        p.TryGetValue(name, out var v) && v.Length > 0 ? v : throw CognitoErrors.InvalidParameter($"Missing required parameter {name}");

    static CognitoException WebAuthnUnsupported() =>
        CognitoErrors.UnsupportedOperation("WEB_AUTHN (passkey) sign-in is not supported by Cognate yet.");
}
