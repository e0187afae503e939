using Cognate.Core.Errors;
using Cognate.Core.Pools;
using Cognate.Core.Users;

namespace Cognate.Core.Mfa;

/// <summary>
/// MFA settings of pools and users: SetUserPoolMfaConfig / GetUserPoolMfaConfig, AssociateSoftwareToken /
/// VerifySoftwareToken (RFC 6238 TOTP), SetUserMFAPreference / AdminSetUserMFAPreference, and the
/// <c>UserMFASettingList</c> / <c>PreferredMfaSetting</c> that GetUser reports.
/// </summary>
public sealed class MfaService(IUserMfaStore store, UserPoolService pools, TimeProvider time)
{
    const int MaxWriteAttempts = 5;

    /// <summary>True when the pool offers SMS MFA (SmsMfaConfiguration set).</summary>
    public static bool PoolSmsEnabled(UserPool pool) => pool.Config.SmsMfaConfiguration is not null;

    /// <summary>True when the pool offers TOTP MFA.</summary>
    public static bool PoolTotpEnabled(UserPool pool) => pool.Config.SoftwareTokenMfaConfiguration?.Enabled == true;

    /// <summary>True when the pool offers email MFA (EmailMfaConfiguration set).</summary>
    public static bool PoolEmailEnabled(UserPool pool) => pool.Config.EmailMfaConfiguration is not null;

    /// <summary>Whether <paramref name="factor"/> is offered by the pool.</summary>
    public static bool PoolOffers(UserPool pool, string factor) => factor switch
    {
        MfaFactor.Sms => PoolSmsEnabled(pool),
        MfaFactor.SoftwareToken => PoolTotpEnabled(pool),
        MfaFactor.Email => PoolEmailEnabled(pool),
        _ => false,
    };

    /// <summary>
    /// SetUserPoolMfaConfig: sets MfaConfiguration (OFF / ON / OPTIONAL) and the factor settings. An omitted factor
    /// setting keeps its current value; <c>SoftwareTokenMfaConfiguration.Enabled=false</c> turns TOTP off. ON or
    /// OPTIONAL needs at least one factor; the message templates must contain <c>{####}</c>.
    /// </summary>
    /// <exception cref="CognitoException">ResourceNotFoundException, InvalidParameterException, ConcurrentModificationException.</exception>
    public ValueTask<UserPool> SetPoolConfigAsync(string userPoolId, string? mfaConfiguration, SmsMfaConfigType? sms, SoftwareTokenMfaConfigType? totp, EmailMfaConfigType? email, System.Text.Json.Nodes.JsonObject? webAuthn, CancellationToken ct = default)
    {
        if (sms?.SmsAuthenticationMessage is { } sm && !sm.Contains("{####}", StringComparison.Ordinal))
            throw CognitoErrors.InvalidParameter("SmsAuthenticationMessage must contain {####}.");
        if (email?.Message is { } em && !em.Contains("{####}", StringComparison.Ordinal))
            throw CognitoErrors.InvalidParameter("The email message template must contain {####}.");
        return pools.UpdateConfigAsync(userPoolId, c =>
        {
            var next = c with
            {
                MfaConfiguration = mfaConfiguration ?? c.MfaConfiguration ?? "OFF",
                SmsMfaConfiguration = sms ?? c.SmsMfaConfiguration,
                SmsAuthenticationMessage = sms?.SmsAuthenticationMessage ?? c.SmsAuthenticationMessage,
                SoftwareTokenMfaConfiguration = totp ?? c.SoftwareTokenMfaConfiguration,
                EmailMfaConfiguration = email ?? c.EmailMfaConfiguration,
                WebAuthnConfiguration = webAuthn ?? c.WebAuthnConfiguration,
            };
            var probe = new UserPool { Id = userPoolId, Region = "", CreatedAt = default, ModifiedAt = default, Config = next, Version = 0 };
            if (next.MfaConfiguration is "ON" or "OPTIONAL" && !PoolSmsEnabled(probe) && !PoolTotpEnabled(probe) && !PoolEmailEnabled(probe))
            {
                throw CognitoErrors.InvalidParameter("At least one MFA method (SMS, TOTP or email) must be enabled when MfaConfiguration is ON or OPTIONAL.");
            }
            return next;
        }, ct);
    }

    /// <summary>The user's MFA state (a fresh empty one when none is stored).</summary>
    public async ValueTask<UserMfa> GetAsync(UserPool pool, User user, CancellationToken ct = default) =>
        await store.GetAsync(pool.Id, user.Username, ct).ConfigureAwait(false) ?? new UserMfa();

    /// <summary>Re-reads, mutates and writes the user's MFA state with optimistic concurrency; returns the written state.</summary>
    /// <exception cref="CognitoException">What <paramref name="mutate"/> throws; UserNotFoundException when the user vanished; ConcurrentModificationException.</exception>
    public async ValueTask<UserMfa> UpdateAsync(UserPool pool, User user, Action<UserMfa> mutate, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(mutate);
        for (int attempt = 0; attempt < MaxWriteAttempts; attempt++)
        {
            var mfa = await GetAsync(pool, user, ct).ConfigureAwait(false);
            mutate(mfa);
            if (await store.PutAsync(pool.Id, user.Username, mfa, ct).ConfigureAwait(false)) return mfa;
        }
        throw CognitoErrors.ConcurrentModification();
    }

    /// <summary>The factors the user has enabled that the pool offers and that can be delivered (SMS needs phone_number, email needs email, TOTP a verified secret).</summary>
    public static IReadOnlyList<string> UsableFactors(UserPool pool, User user, UserMfa mfa) =>
        mfa.EnabledFactors().Where(f => PoolOffers(pool, f) && CanDeliver(user, mfa, f)).ToList();

    /// <summary>
    /// The factors an account-takeover MFA action (MFA_IF_CONFIGURED / MFA_REQUIRED) may challenge: <see cref="UsableFactors"/>
    /// when the user has any; otherwise, in this order, SMS_MFA (the pool offers SMS, phone_number verified), SOFTWARE_TOKEN_MFA (the pool
    /// offers TOTP, a verified secret) and EMAIL_OTP (the pool offers email MFA, email verified), whether or not the user enabled them.
    /// </summary>
    public static IReadOnlyList<string> TakeoverFactors(UserPool pool, User user, UserMfa mfa)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(mfa);
        var usable = UsableFactors(pool, user, mfa);
        if (usable.Count > 0) return usable;
        var configured = new List<string>();
        if (PoolSmsEnabled(pool) && user.Get("phone_number") is { Length: > 0 } && user.Get("phone_number_verified") == "true") configured.Add(MfaFactor.Sms);
        if (PoolTotpEnabled(pool) && mfa.TotpSecret is not null) configured.Add(MfaFactor.SoftwareToken);
        if (PoolEmailEnabled(pool) && user.Get("email") is { Length: > 0 } && user.Get("email_verified") == "true") configured.Add(MfaFactor.Email);
        return configured;
    }

    static bool CanDeliver(User user, UserMfa mfa, string factor) => factor switch
    {
        MfaFactor.Sms => user.Get("phone_number") is { Length: > 0 },
        MfaFactor.Email => user.Get("email") is { Length: > 0 },
        MfaFactor.SoftwareToken => mfa.TotpSecret is not null,
        _ => false,
    };

    /// <summary>AssociateSoftwareToken: a new pending TOTP secret (base32, 32 characters) replacing any earlier pending one.</summary>
    public async ValueTask<string> AssociateAsync(UserPool pool, User user, CancellationToken ct = default)
    {
        var secret = Totp.NewSecret();
        await UpdateAsync(pool, user, m => m.PendingTotpSecret = secret, ct).ConfigureAwait(false);
        return Totp.ToBase32(secret);
    }

    /// <summary>
    /// VerifySoftwareToken: checks <paramref name="code"/> against the pending secret (±1 step); on success the secret becomes
    /// the user's TOTP secret, SOFTWARE_TOKEN_MFA is enabled and the code's step is consumed.
    /// </summary>
    /// <exception cref="CognitoException">SoftwareTokenMFANotFoundException (nothing associated), EnableSoftwareTokenMFAException (wrong code).</exception>
    public async ValueTask VerifyAsync(UserPool pool, User user, string code, string? friendlyDeviceName, CancellationToken ct = default)
    {
        await UpdateAsync(pool, user, m =>
        {
            var pending = m.PendingTotpSecret ?? throw SoftwareTokenNotFound();
            var step = Totp.Match(pending, code, time.GetUtcNow());
            if (step is null) throw new CognitoException(new CognitoError("EnableSoftwareTokenMFAException", "Code mismatch and fail enable Software Token MFA"));
            m.TotpSecret = pending;
            m.PendingTotpSecret = null;
            m.TotpDeviceName = friendlyDeviceName;
            m.SoftwareTokenEnabled = true;
            m.LastTotpStep = step.Value;
        }, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// AdminDeleteSoftwareToken: forgets the verified and the pending TOTP secret, disables SOFTWARE_TOKEN_MFA and clears it as
    /// the preferred factor. The last accepted step is kept (a new secret starts with fresh codes anyway).
    /// </summary>
    /// <exception cref="CognitoException">InvalidParameterException "User does not have a software token registered." when there is
    /// neither a verified nor a pending secret; UserNotFoundException; ConcurrentModificationException.</exception>
    public async ValueTask DeleteSoftwareTokenAsync(UserPool pool, User user, CancellationToken ct = default)
    {
        await UpdateAsync(pool, user, m =>
        {
            if (m.TotpSecret is null && m.PendingTotpSecret is null && !m.SoftwareTokenEnabled)
            {
                throw CognitoErrors.InvalidParameter("User does not have a software token registered.");
            }
            m.TotpSecret = null;
            m.PendingTotpSecret = null;
            m.TotpDeviceName = null;
            m.SoftwareTokenEnabled = false;
            if (m.Preferred == MfaFactor.SoftwareToken) m.Preferred = null;
        }, ct).ConfigureAwait(false);
    }

    /// <summary>SoftwareTokenMFANotFoundException "Software Token MFA does not exist for the user."</summary>
    public static CognitoException SoftwareTokenNotFound() =>
        new(new CognitoError("SoftwareTokenMFANotFoundException", "Software Token MFA does not exist for the user."));

    /// <summary>
    /// Checks a TOTP code for sign-in and consumes its step: a code (or an earlier one) is accepted once.
    /// </summary>
    /// <exception cref="CognitoException">SoftwareTokenMFANotFoundException, CodeMismatchException, ExpiredCodeException (code already used).</exception>
    public async ValueTask ConsumeTotpAsync(UserPool pool, User user, string? code, CancellationToken ct = default)
    {
        await UpdateAsync(pool, user, m =>
        {
            var secret = m.TotpSecret ?? throw SoftwareTokenNotFound();
            var step = Totp.Match(secret, code, time.GetUtcNow()) ?? throw CognitoErrors.CodeMismatch();
            if (step <= m.LastTotpStep) throw new CognitoException(new CognitoError("ExpiredCodeException", "Your software token has already been used once."));
            m.LastTotpStep = step;
        }, ct).ConfigureAwait(false);
    }

    /// <summary>One factor's part of SetUserMFAPreference: <c>Enabled</c> and <c>PreferredMfa</c>, each optional.</summary>
    public sealed record Preference(bool? Enabled, bool? PreferredMfa);

    /// <summary>
    /// SetUserMFAPreference / AdminSetUserMFAPreference. Enabling needs a way to deliver (phone_number for SMS, email
    /// for email, a verified software token for TOTP); a preferred factor is enabled; preferring one clears the others;
    /// disabling the preferred one clears the preference.
    /// </summary>
    /// <exception cref="CognitoException">InvalidParameterException.</exception>
    public async ValueTask SetPreferenceAsync(UserPool pool, User user, Preference? sms, Preference? totp, Preference? email, CancellationToken ct = default)
    {
        if (sms?.Enabled == true && user.Get("phone_number") is not { Length: > 0 })
            throw CognitoErrors.InvalidParameter("User does not have delivery config set to turn on SMS_MFA");
        if (email?.Enabled == true && user.Get("email") is not { Length: > 0 })
            throw CognitoErrors.InvalidParameter("User does not have delivery config set to turn on EMAIL_OTP");
        if (email?.Enabled == true && !PoolEmailEnabled(pool))
            throw CognitoErrors.InvalidParameter("Email MFA is not enabled for this user pool.");
        await UpdateAsync(pool, user, m =>
        {
            if (totp?.Enabled == true && m.TotpSecret is null) throw CognitoErrors.InvalidParameter("User has not verified software token mfa");
            Apply(m, MfaFactor.Sms, sms, v => m.SmsEnabled = v);
            Apply(m, MfaFactor.SoftwareToken, totp, v => m.SoftwareTokenEnabled = v);
            Apply(m, MfaFactor.Email, email, v => m.EmailEnabled = v);
        }, ct).ConfigureAwait(false);
    }

    static void Apply(UserMfa m, string factor, Preference? p, Action<bool> setEnabled)
    {
        if (p is null) return;
        if (p.Enabled is { } enabled)
        {
            setEnabled(enabled);
            if (!enabled && m.Preferred == factor) m.Preferred = null;
        }
        if (p.PreferredMfa == true)
        {
            if (p.Enabled == false) throw CognitoErrors.InvalidParameter("A disabled MFA method cannot be preferred.");
            setEnabled(true);
            m.Preferred = factor;
        }
        else if (p.PreferredMfa == false && m.Preferred == factor)
        {
            m.Preferred = null;
        }
    }

    /// <summary>GetUser / AdminGetUser: <c>UserMFASettingList</c> (null when empty) and <c>PreferredMfaSetting</c>.</summary>
    public async ValueTask<(List<string>? Settings, string? Preferred)> DescribeAsync(UserPool pool, User user, CancellationToken ct = default)
    {
        var mfa = await store.GetAsync(pool.Id, user.Username, ct).ConfigureAwait(false);
        if (mfa is null) return (null, null);
        var list = mfa.EnabledFactors().ToList();
        return (list.Count == 0 ? null : list, mfa.Preferred);
    }
}
