using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cognate.Core.Errors;
using Cognate.Core.Pools;
using Cognate.Core.Users;
using Fido2NetLib;
using Fido2NetLib.Exceptions;
using Fido2NetLib.Objects;
using static Cognate.Core.CognitoConstants;

namespace Cognate.Core.Passkeys;

/// <summary>
/// Passkeys (WebAuthn) of a user pool: registration (StartWebAuthnRegistration / CompleteWebAuthnRegistration), the
/// credential list, and the WEB_AUTHN first factor's request options and assertion check. Attestation and assertion
/// verification are Fido2 4.3.3's (store-agnostic calls: options in, verified credential / counter out); Cognate adds the
/// pool's relying-party rules, the origin rule and the store.
/// </summary>
/// <remarks>
/// Relying party: <c>WebAuthnConfiguration.RelyingPartyId</c> (the pool's prefix-domain host or a custom domain), required
/// (WebAuthnConfigurationMissingException). Allowed origins: <c>https://</c> the RP id or one of its subdomains, and for the
/// RP id <c>localhost</c> also <c>http://localhost[:port]</c> (the W3C secure-context exception, so browser tests can run).
/// User verification: <c>WebAuthnConfiguration.UserVerification</c>, <c>required</c> or <c>preferred</c> (default).
/// </remarks>
public sealed class PasskeyService(IWebAuthnCredentialStore store, TimeProvider time)
{
    /// <summary>How long a started registration stays completable.</summary>
    public static readonly TimeSpan RegistrationLifetime = TimeSpan.FromMinutes(5);

    /// <summary>The ceremony timeout sent to the browser, in milliseconds.</summary>
    public const int TimeoutMs = 60_000;

    /// <summary>A pool's relying party.</summary>
    /// <param name="Id">The RP id (a host name).</param>
    /// <param name="UserVerification"><c>required</c> or <c>preferred</c>.</param>
    public sealed record RelyingParty(string Id, string UserVerification);

    /// <summary>True when the pool allows WEB_AUTHN as a first factor.</summary>
    public static bool Enabled(UserPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return pool.Config.Policies?.SignInPolicy?.AllowedFirstAuthFactors?.Contains(ChallengeNames.WebAuthn) == true;
    }

    /// <summary>The pool's relying party, or null when no RelyingPartyId is configured.</summary>
    public static RelyingParty? RelyingPartyOf(UserPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var c = pool.Config.WebAuthnConfiguration;
        if (c?["RelyingPartyId"]?.GetValue<string>() is not { Length: > 0 } id) return null;
        var uv = c["UserVerification"]?.GetValue<string>() is "required" ? "required" : "preferred";
        return new RelyingParty(id.ToLowerInvariant(), uv);
    }

    /// <summary>
    /// SetUserPoolMfaConfig's check of <c>WebAuthnConfiguration</c>: RelyingPartyId a DNS host name (1..127 characters,
    /// no scheme, port or path; typically the pool's prefix-domain host or its custom domain, as Cognito documents),
    /// <c>localhost</c> only when <paramref name="allowLocalhost"/> (Development); UserVerification <c>required</c> or
    /// <c>preferred</c>. Null when valid, else InvalidParameterException.
    /// </summary>
    public static CognitoException? CheckConfiguration(JsonObject? config, bool allowLocalhost)
    {
        if (config is null) return null;
        string? id, uv;
        try
        {
            id = config["RelyingPartyId"]?.GetValue<string>();
            uv = config["UserVerification"]?.GetValue<string>();
        }
        catch (InvalidOperationException)
        {
            return CognitoErrors.InvalidParameter("WebAuthnConfiguration: RelyingPartyId and UserVerification must be strings.");
        }
        if (uv is not null and not ("required" or "preferred")) return CognitoErrors.InvalidParameter("WebAuthnConfiguration.UserVerification must be required or preferred.");
        if (id is null) return null;
        var host = id.ToLowerInvariant();
        bool shape = host.Length is > 0 and <= 127 && Uri.CheckHostName(host) == UriHostNameType.Dns && !host.StartsWith('.') && !host.EndsWith('.');
        if (!shape) return CognitoErrors.InvalidParameter("WebAuthnConfiguration.RelyingPartyId must be a domain name such as your user pool domain (no scheme, port or path).");
        if (host == "localhost" && !allowLocalhost) return CognitoErrors.InvalidParameter("WebAuthnConfiguration.RelyingPartyId localhost is allowed only in Development.");
        return null;
    }

    /// <summary>True when <paramref name="origin"/> may use the RP id <paramref name="rpId"/> (see remarks).</summary>
    public static bool OriginAllowed(string rpId, string? origin)
    {
        ArgumentNullException.ThrowIfNull(rpId);
        if (origin is null || !Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.AbsolutePath is not ("/" or "")) return false;
        var host = uri.Host.ToLowerInvariant();
        bool hostOk = host == rpId || host.EndsWith("." + rpId, StringComparison.Ordinal);
        if (!hostOk) return false;
        if (uri.Scheme == "https") return true;
        return uri.Scheme == "http" && rpId == "localhost" && host == "localhost";
    }

    /// <summary>The user's credentials.</summary>
    public ValueTask<IReadOnlyList<WebAuthnCredential>> ListAsync(User user, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        return store.ListAsync(user.UserPoolId, user.Username, ct);
    }

    /// <summary>True when the pool allows WEB_AUTHN and the user has a passkey for the pool's current relying party.</summary>
    public async ValueTask<bool> CanSignInAsync(UserPool pool, User user, CancellationToken ct = default)
    {
        if (!Enabled(pool) || RelyingPartyOf(pool) is not { } rp) return false;
        return (await ListAsync(user, ct).ConfigureAwait(false)).Any(c => c.RelyingPartyId == rp.Id);
    }

    /// <summary>
    /// StartWebAuthnRegistration: the CredentialCreationOptions (rp, user {id, name, displayName}, challenge,
    /// pubKeyCredParams ES256 / RS256, timeout, excludeCredentials, authenticatorSelection with a required resident key,
    /// extensions credProps), kept as the user's pending registration.
    /// </summary>
    /// <exception cref="CognitoException">WebAuthnNotEnabledException, WebAuthnConfigurationMissingException.</exception>
    public async ValueTask<JsonObject> StartRegistrationAsync(UserPool pool, User user, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(user);
        if (!Enabled(pool)) throw PasskeyErrors.NotEnabled();
        var rp = RelyingPartyOf(pool) ?? throw PasskeyErrors.ConfigurationMissing();
        var existing = await ListAsync(user, ct).ConfigureAwait(false);
        var name = user.Get("email") ?? user.Username;
        var fido = Fido(rp, []);
        var options = fido.RequestNewCredential(new RequestNewCredentialParams
        {
            User = new Fido2User { Id = Encoding.UTF8.GetBytes(user.Sub), Name = name, DisplayName = name },
            ExcludeCredentials = existing.Where(c => c.RelyingPartyId == rp.Id).Select(Descriptor).ToList(),
            AuthenticatorSelection = new AuthenticatorSelection
            {
                ResidentKey = ResidentKeyRequirement.Required,
                UserVerification = Verification(rp),
            },
            AttestationPreference = AttestationConveyancePreference.None,
            Extensions = new AuthenticationExtensionsClientInputs { CredProps = true },
            PubKeyCredParams = [PubKeyCredParam.ES256, PubKeyCredParam.RS256],
        });
        var json = options.ToJson();
        await store.PutRegistrationAsync(new PendingWebAuthnRegistration(pool.Id, user.Username, json, time.GetUtcNow() + RegistrationLifetime), ct).ConfigureAwait(false);
        return WithoutNulls(JsonNode.Parse(json)!.AsObject());
    }

    /// <summary>
    /// CompleteWebAuthnRegistration: verifies <paramref name="credential"/> (RegistrationResponseJSON) against the pending
    /// registration (single use) — challenge, origin, rpIdHash, user presence / verification, attestation (none, packed,
    /// and Fido2's other formats) — and stores the passkey.
    /// </summary>
    /// <exception cref="CognitoException">The WebAuthn* errors of the action; InvalidParameterException for malformed JSON.</exception>
    public async ValueTask<WebAuthnCredential> CompleteRegistrationAsync(UserPool pool, User user, JsonNode? credential, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(user);
        if (!Enabled(pool)) throw PasskeyErrors.NotEnabled();
        var rp = RelyingPartyOf(pool) ?? throw PasskeyErrors.ConfigurationMissing();
        if (credential is not JsonObject) throw CognitoErrors.InvalidParameter("Credential must be a RegistrationResponseJSON object.");
        AuthenticatorAttestationRawResponse raw;
        try
        {
            raw = credential.Deserialize<AuthenticatorAttestationRawResponse>() ?? throw new JsonException();
        }
        catch (Exception e) when (e is JsonException or FormatException or NotSupportedException or InvalidOperationException)
        {
            throw PasskeyErrors.CredentialNotSupported("The credential is not a valid RegistrationResponseJSON.");
        }
        var pending = await store.TakeRegistrationAsync(pool.Id, user.Username, ct).ConfigureAwait(false);
        if (pending is null || pending.ExpiresAt <= time.GetUtcNow()) throw PasskeyErrors.ChallengeNotFound();
        var options = CredentialCreateOptions.FromJson(pending.OptionsJson);
        var origin = ClientData(raw.Response?.ClientDataJson, out var type, out var challenge);
        if (type != "webauthn.create") throw PasskeyErrors.ClientMismatch();
        if (challenge != Base64Url.EncodeToString(options.Challenge)) throw PasskeyErrors.ChallengeNotFound();
        if (!OriginAllowed(rp.Id, origin)) throw PasskeyErrors.OriginNotAllowed();
        if (options.Rp.Id != rp.Id) throw PasskeyErrors.RelyingPartyMismatch();
        RegisteredPublicKeyCredential made;
        try
        {
            made = await Fido(rp, [origin!]).MakeNewCredentialAsync(new MakeNewCredentialParams
            {
                AttestationResponse = raw,
                OriginalOptions = options,
                IsCredentialIdUniqueToUserCallback = async (args, token) => await store.GetAsync(pool.Id, Base64Url.EncodeToString(args.CredentialId), token).ConfigureAwait(false) is null,
            }, ct).ConfigureAwait(false);
        }
        catch (Fido2VerificationException e)
        {
            throw e.Code switch
            {
                Fido2ErrorCode.InvalidRpidHash => PasskeyErrors.RelyingPartyMismatch(),
                Fido2ErrorCode.InvalidAuthenticatorResponseOrigin => PasskeyErrors.OriginNotAllowed(),
                _ => PasskeyErrors.CredentialNotSupported(e.Message),
            };
        }
        var stored = new WebAuthnCredential
        {
            UserPoolId = pool.Id,
            Username = user.Username,
            CredentialId = Base64Url.EncodeToString(made.Id),
            PublicKey = made.PublicKey,
            SignCount = made.SignCount,
            RelyingPartyId = rp.Id,
            Aaguid = made.AaGuid,
            FriendlyName = credential["friendlyCredentialName"]?.GetValue<string>() ?? FriendlyName(credential["authenticatorAttachment"]?.GetValue<string>()),
            AuthenticatorAttachment = credential["authenticatorAttachment"]?.GetValue<string>(),
            Transports = (credential["response"]?["transports"] as JsonArray)?.Select(t => t!.GetValue<string>()).ToList() ?? [],
            CreatedAt = time.GetUtcNow(),
        };
        if (!await store.AddAsync(stored, ct).ConfigureAwait(false)) throw PasskeyErrors.CredentialNotSupported("This credential is already registered.");
        return stored;
    }

    static string FriendlyName(string? attachment) => attachment == "cross-platform" ? "Security key" : "Passkey";

    /// <summary>DeleteWebAuthnCredential: false when the user has no credential with this id.</summary>
    public ValueTask<bool> DeleteAsync(User user, string credentialId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        return store.DeleteAsync(user.UserPoolId, user.Username, credentialId, ct);
    }

    /// <summary>
    /// The WEB_AUTHN challenge's CREDENTIAL_REQUEST_OPTIONS (PublicKeyCredentialRequestOptionsJSON: challenge, timeout, rpId,
    /// allowCredentials = the user's passkeys, userVerification), as a JSON string; the same string is kept in the session.
    /// </summary>
    public async ValueTask<string> RequestOptionsAsync(UserPool pool, User user, CancellationToken ct = default)
    {
        var rp = RelyingPartyOf(pool) ?? throw PasskeyErrors.ConfigurationMissing();
        var creds = (await ListAsync(user, ct).ConfigureAwait(false)).Where(c => c.RelyingPartyId == rp.Id).Select(Descriptor).ToList();
        var options = Fido(rp, []).GetAssertionOptions(new GetAssertionOptionsParams { AllowedCredentials = creds, UserVerification = Verification(rp) });
        return WithoutNulls(JsonNode.Parse(options.ToJson())!.AsObject()).ToJsonString();
    }

    /// <summary>
    /// Checks a WEB_AUTHN answer: <paramref name="credentialJson"/> (AuthenticationResponseJSON) must be one of
    /// <paramref name="user"/>'s passkeys, answer <paramref name="optionsJson"/>'s challenge from an allowed origin, carry the
    /// RP id's hash, user presence (and verification when required), a valid signature over authenticatorData ‖
    /// SHA-256(clientDataJSON), and a counter above the stored one (a clone otherwise). Null when accepted (the counter is
    /// stored), else the error to answer (NotAuthorizedException).
    /// </summary>
    public async ValueTask<CognitoError?> VerifyAssertionAsync(UserPool pool, User user, string optionsJson, string? credentialJson, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(user);
        if (RelyingPartyOf(pool) is not { } rp) return PasskeyErrors.ConfigurationMissing().Error;
        AuthenticatorAssertionRawResponse? raw;
        try
        {
            raw = credentialJson is null ? null : JsonSerializer.Deserialize<AuthenticatorAssertionRawResponse>(credentialJson);
        }
        catch (Exception e) when (e is JsonException or FormatException or NotSupportedException or InvalidOperationException)
        {
            raw = null;
        }
        if (raw?.RawId is not { Length: > 0 } rawId) return CognitoErrors.InvalidParameter("CREDENTIAL must be an AuthenticationResponseJSON.").Error;
        var stored = await store.GetAsync(pool.Id, Base64Url.EncodeToString(rawId), ct).ConfigureAwait(false);
        if (stored is null || stored.Username != user.Username || stored.RelyingPartyId != rp.Id) return Refused;
        string? origin;
        try
        {
            origin = ClientData(raw.Response?.ClientDataJson, out var type, out _);
            if (type != "webauthn.get") return Refused;
        }
        catch (CognitoException)
        {
            return Refused;
        }
        if (!OriginAllowed(rp.Id, origin)) return PasskeyErrors.OriginNotAllowed().Error;
        VerifyAssertionResult result;
        try
        {
            result = await Fido(rp, [origin!]).MakeAssertionAsync(new MakeAssertionParams
            {
                AssertionResponse = raw,
                OriginalOptions = AssertionOptions.FromJson(optionsJson),
                StoredPublicKey = stored.PublicKey,
                StoredSignatureCounter = stored.SignCount,
                IsUserHandleOwnerOfCredentialIdCallback = (args, _) => Task.FromResult(Base64Url.EncodeToString(args.CredentialId) == stored.CredentialId
                    && (args.UserHandle is null || args.UserHandle.Length == 0 || Encoding.UTF8.GetString(args.UserHandle) == user.Sub)),
            }, ct).ConfigureAwait(false);
        }
        catch (Fido2VerificationException)
        {
            return Refused;
        }
        if (result.SignCount != 0 || stored.SignCount != 0)
        {
            if (!await store.UpdateSignCountAsync(pool.Id, stored.CredentialId, stored.SignCount, result.SignCount, ct).ConfigureAwait(false)) return Refused;
        }
        return null;
    }

    /// <summary>The error of a passkey answer that does not prove the user.</summary>
    public static CognitoError Refused => CognitoErrors.NotAuthorized("Incorrect username or password.").Error;

    static string? ClientData(byte[]? clientDataJson, out string? type, out string? challenge)
    {
        try
        {
            var c = JsonNode.Parse(clientDataJson ?? throw new JsonException())!.AsObject();
            type = c["type"]?.GetValue<string>();
            challenge = c["challenge"]?.GetValue<string>();
            return c["origin"]?.GetValue<string>();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw PasskeyErrors.CredentialNotSupported("clientDataJSON is not valid JSON.");
        }
    }

    static PublicKeyCredentialDescriptor Descriptor(WebAuthnCredential c) =>
        new(PublicKeyCredentialType.PublicKey, Base64Url.DecodeFromChars(c.CredentialId), Transports(c.Transports));

    static AuthenticatorTransport[]? Transports(IReadOnlyList<string> names)
    {
        var list = new List<AuthenticatorTransport>();
        foreach (var n in names)
        {
            AuthenticatorTransport? t = n switch
            {
                "usb" => AuthenticatorTransport.Usb, "nfc" => AuthenticatorTransport.Nfc, "ble" => AuthenticatorTransport.Ble,
                "internal" => AuthenticatorTransport.Internal, "hybrid" => AuthenticatorTransport.Hybrid, _ => null,
            };
            if (t is { } v) list.Add(v);
        }
        return list.Count == 0 ? null : [.. list];
    }

    static UserVerificationRequirement Verification(RelyingParty rp) =>
        rp.UserVerification == "required" ? UserVerificationRequirement.Required : UserVerificationRequirement.Preferred;

    Fido2 Fido(RelyingParty rp, IEnumerable<string> origins) => new(new Fido2Configuration
    {
        RPID = rp.Id,
        RPName = rp.Id,
        Origins = new HashSet<string>(origins),
        Timeout = TimeoutMs,
    });

    static JsonObject WithoutNulls(JsonObject o)
    {
        foreach (var key in o.Select(p => p.Key).ToList())
        {
            var v = o[key];
            if (v is null) o.Remove(key);
            else if (v is JsonObject child) WithoutNulls(child);
            else if (v is JsonArray { Count: 0 } && key is "hints" or "attestationFormats") o.Remove(key);
        }
        return o;
    }
}
