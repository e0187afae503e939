namespace Cognate.Core.Users;

/// <summary>Cognito <c>UserStatusType</c> values.</summary>
public static class UserStatus
{
    /// <summary>Signed up, not confirmed.</summary>
    public const string Unconfirmed = "UNCONFIRMED";
    /// <summary>Confirmed.</summary>
    public const string Confirmed = "CONFIRMED";
    /// <summary>Created by an admin with a temporary password.</summary>
    public const string ForceChangePassword = "FORCE_CHANGE_PASSWORD";
    /// <summary>Must reset the password.</summary>
    public const string ResetRequired = "RESET_REQUIRED";
    /// <summary>Federated user.</summary>
    public const string ExternalProvider = "EXTERNAL_PROVIDER";
}

/// <summary>
/// A user of a pool. <see cref="Username"/> is the internal, immutable username (the <c>sub</c> in
/// email/phone-as-username pools). <see cref="Attributes"/> holds every attribute as a string,
/// including <c>sub</c>, <c>email_verified</c> and <c>custom:</c> ones. The password is held only
/// as Cognito's SRP salt and verifier (plaintext bytes in memory; encrypted at rest by the store).
/// </summary>
public sealed class User
{
    /// <summary>Pool id.</summary>
    public required string UserPoolId { get; init; }
    /// <summary>Internal username (1..128).</summary>
    public required string Username { get; set; }
    /// <summary>UUID, lowercase.</summary>
    public required string Sub { get; init; }
    /// <summary>One of <see cref="UserStatus"/>.</summary>
    public required string Status { get; set; }
    /// <summary>False after AdminDisableUser.</summary>
    public bool Enabled { get; set; } = true;
    /// <summary>Creation time, UTC.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>Last modification time, UTC.</summary>
    public required DateTimeOffset ModifiedAt { get; set; }
    /// <summary>Attributes by name (ordinal).</summary>
    public Dictionary<string, string> Attributes { get; init; } = new(StringComparer.Ordinal);
    /// <summary>
    /// New email / phone_number values waiting for VerifyUserAttribute (pool setting
    /// <c>UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate</c>); the current value stays in
    /// <see cref="Attributes"/> (and signs in) until then. Not returned by GetUser / AdminGetUser.
    /// </summary>
    public Dictionary<string, string> PendingAttributes { get; init; } = new(StringComparer.Ordinal);
    /// <summary>SRP salt (16 bytes) or null for a user without a password.</summary>
    public byte[]? PasswordSalt { get; set; }
    /// <summary>SRP verifier g^x mod N (big-endian) or null.</summary>
    public byte[]? PasswordVerifier { get; set; }
    /// <summary>When the current password was set, UTC (temporary-password expiry).</summary>
    public DateTimeOffset? PasswordSetAt { get; set; }
    /// <summary>Row version for optimistic concurrency; the store increments it.</summary>
    public long Version { get; set; }

    /// <summary>Attribute value or null.</summary>
    public string? Get(string name) => Attributes.TryGetValue(name, out var v) ? v : null;

    /// <summary>True when the attribute's <c>_verified</c> flag is "true".</summary>
    public bool IsVerified(string attribute) => Get(attribute + "_verified") == "true";
}

/// <summary>
/// A unique lookup key of a user inside a pool: the username, or an alias value (email,
/// phone_number, preferred_username) that signs in. Values are normalised by the pool's case rule.
/// The store enforces uniqueness of (pool, kind, value) in the database.
/// </summary>
/// <param name="Kind"><c>username</c>, <c>email</c>, <c>phone_number</c> or <c>preferred_username</c>.</param>
/// <param name="Value">Normalised value.</param>
public sealed record UserIdentifier(string Kind, string Value);
