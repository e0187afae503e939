namespace Cognate.Core.Stores;

/// <summary>
/// A one-time code (sign-up confirmation, password reset, attribute verification) bound to a user.
/// Only a keyed hash of the code is stored. Times are UTC.
/// </summary>
/// <param name="UserPoolId">Pool.</param>
/// <param name="Username">Internal username.</param>
/// <param name="Purpose">One of <see cref="CodePurpose"/>.</param>
/// <param name="CodeHash">HMAC of the code under a master-key-derived key.</param>
/// <param name="ExpiresAt">Expiry, UTC.</param>
/// <param name="FailedAttempts">Wrong guesses so far.</param>
public sealed record StoredCode(string UserPoolId, string Username, string Purpose, byte[] CodeHash, DateTimeOffset ExpiresAt, int FailedAttempts);

/// <summary>Purposes of <see cref="StoredCode"/>.</summary>
public static class CodePurpose
{
    /// <summary>ConfirmSignUp code (24 h).</summary>
    public const string SignUp = "signup";
    /// <summary>ConfirmForgotPassword code (1 h).</summary>
    public const string ForgotPassword = "forgot";
    /// <summary>VerifyUserAttribute code for email (24 h).</summary>
    public const string VerifyEmail = "verify:email";
    /// <summary>VerifyUserAttribute code for phone_number (24 h).</summary>
    public const string VerifyPhone = "verify:phone_number";
}

/// <summary>
/// An issued refresh token, stored by the SHA-256 of the token string only. <paramref name="OriginJti"/>
/// is the <c>origin_jti</c> shared by every ID/access token minted from it, so revoking this record
/// revokes them too.
/// </summary>
/// <param name="TokenHash">SHA-256 of the refresh token string.</param>
/// <param name="UserPoolId">Pool.</param>
/// <param name="ClientId">Client the token is bound to.</param>
/// <param name="Username">Internal username.</param>
/// <param name="OriginJti">UUID of the original authentication.</param>
/// <param name="AuthTime">Original authentication time, UTC.</param>
/// <param name="ExpiresAt">Expiry, UTC.</param>
/// <param name="Revoked">Revoked by RevokeToken, GlobalSignOut, password change or disable.</param>
public sealed record RefreshTokenRecord(byte[] TokenHash, string UserPoolId, string ClientId, string Username, string OriginJti, DateTimeOffset AuthTime, DateTimeOffset ExpiresAt, bool Revoked)
{
    /// <summary>The OAuth scopes of a hosted-flow refresh token (authorization-code grant), which its refreshes keep; null for the API's.</summary>
    public IReadOnlyList<string>? OAuthScopes { get; init; }

    /// <summary>
    /// The rotation family: the <c>origin_jti</c> of the family's first token, shared by every token rotated from it
    /// (null is read as <see cref="OriginJti"/>). Revoking any token of a family revokes the family.
    /// </summary>
    public string? FamilyId { get; init; }

    /// <summary>When this token was first rotated (UTC), or null. It refreshes for the client's RetryGracePeriodSeconds after that.</summary>
    public DateTimeOffset? ReplacedAt { get; init; }

    /// <summary><see cref="FamilyId"/>, or <see cref="OriginJti"/> for a family's first token.</summary>
    public string Family => FamilyId ?? OriginJti;

    /// <summary>
    /// The device the token is bound to (migration 0019): the DEVICE_KEY of the sign-in in a pool with device tracking (the
    /// device it named, or the one it created in NewDeviceMetadata). Refreshing such a token needs that DEVICE_KEY, and the
    /// device confirmed (ConfirmDevice); null for a token issued without a device.
    /// </summary>
    public string? DeviceKey { get; init; }

    /// <summary>The client IP address of the sign-in or rotation that issued the token, then of its latest refresh (migration
    /// 0022; the session's LastIPAddress), or null when unknown. Written, not read back by the refresh-token store.</summary>
    public string? LastIpAddress { get; init; }

    /// <summary>The DeviceType (<see cref="Sessions.UserAgentDevice"/>) of the same request (migration 0022), or null when unknown.</summary>
    public string? DeviceType { get; init; }

    /// <summary>The SSO session the token's family came through (migration 0022; the token session's OriginSessionId), or null.</summary>
    public string? OriginSessionId { get; init; }
}

/// <summary>
/// A pool's RSA signing key. <paramref name="Use"/> is <c>id</c> or <c>access</c> (Cognito signs the
/// two token types with different keys). The private key is PKCS#8, encrypted under the master key.
/// </summary>
/// <param name="UserPoolId">Pool.</param>
/// <param name="Kid">Key id as published in the JWKS.</param>
/// <param name="Use"><c>id</c> or <c>access</c>.</param>
/// <param name="EncryptedPrivateKey">AES-GCM sealed PKCS#8 private key.</param>
/// <param name="CreatedAt">Creation time, UTC.</param>
/// <param name="Active">True when it signs new tokens; inactive keys stay published until retired.</param>
public sealed record SigningKeyRecord(string UserPoolId, string Kid, string Use, byte[] EncryptedPrivateKey, DateTimeOffset CreatedAt, bool Active)
{
    /// <summary>When the key starts signing (UTC); before that it is only published. Null: from <see cref="CreatedAt"/>.</summary>
    public DateTimeOffset? ActivatesAt { get; init; }
}

/// <summary>
/// Server-side state of a multi-step sign-in (e.g. NEW_PASSWORD_REQUIRED), keyed by the SHA-256
/// of the opaque Session string. <paramref name="Data"/> is a small JSON document the flow owns.
/// </summary>
/// <param name="SessionHash">SHA-256 of the Session string.</param>
/// <param name="UserPoolId">Pool.</param>
/// <param name="ClientId">Client.</param>
/// <param name="Username">Internal username.</param>
/// <param name="ChallengeName">Expected next challenge.</param>
/// <param name="Data">Flow state JSON.</param>
/// <param name="ExpiresAt">Expiry, UTC (client AuthSessionValidity minutes).</param>
public sealed record AuthSessionRecord(byte[] SessionHash, string UserPoolId, string ClientId, string Username, string ChallengeName, string Data, DateTimeOffset ExpiresAt);

/// <summary>A message kept in the development outbox.</summary>
/// <param name="Id">Message id (UUID).</param>
/// <param name="UserPoolId">Pool the message belongs to.</param>
/// <param name="To">Recipient address or phone number.</param>
/// <param name="Subject">Subject (empty for SMS).</param>
/// <param name="Body">Body text.</param>
/// <param name="Code">The code the message carries, if any.</param>
/// <param name="SentAt">UTC time.</param>
public sealed record OutboxMessage(string Id, string UserPoolId, string To, string Subject, string Body, string? Code, DateTimeOffset SentAt);
