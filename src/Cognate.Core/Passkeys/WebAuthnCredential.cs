namespace Cognate.Core.Passkeys;

/// <summary>
/// One registered passkey (CompleteWebAuthnRegistration): the credential id, its COSE public key and signature counter,
/// and what ListWebAuthnCredentials reports (<c>WebAuthnCredentialDescription</c>).
/// </summary>
public sealed record WebAuthnCredential
{
    /// <summary>The pool.</summary>
    public required string UserPoolId { get; init; }
    /// <summary>The owner's internal username.</summary>
    public required string Username { get; init; }
    /// <summary>The credential id, base64url without padding (as on the wire).</summary>
    public required string CredentialId { get; init; }
    /// <summary>The COSE_Key public key from the attested credential data.</summary>
    public required byte[] PublicKey { get; init; }
    /// <summary>The last signature counter seen (0 when the authenticator keeps none).</summary>
    public uint SignCount { get; init; }
    /// <summary>The relying party id it was registered for.</summary>
    public required string RelyingPartyId { get; init; }
    /// <summary>The authenticator's AAGUID.</summary>
    public Guid Aaguid { get; init; }
    /// <summary>FriendlyCredentialName (Cognito: the authenticator's name when known, else a generic one).</summary>
    public string? FriendlyName { get; init; }
    /// <summary><c>platform</c> / <c>cross-platform</c>, as the client reported it.</summary>
    public string? AuthenticatorAttachment { get; init; }
    /// <summary>The authenticator's transports (<c>internal</c>, <c>usb</c>, <c>hybrid</c>, …).</summary>
    public IReadOnlyList<string> Transports { get; init; } = [];
    /// <summary>When it was registered (UTC).</summary>
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A started registration (StartWebAuthnRegistration): the options sent, kept until CompleteWebAuthnRegistration.</summary>
/// <param name="UserPoolId">The pool.</param>
/// <param name="Username">The user's internal username.</param>
/// <param name="OptionsJson">The CredentialCreationOptions JSON as returned (its challenge is checked on completion).</param>
/// <param name="ExpiresAt">After this the registration cannot complete (WebAuthnChallengeNotFoundException).</param>
public sealed record PendingWebAuthnRegistration(string UserPoolId, string Username, string OptionsJson, DateTimeOffset ExpiresAt);

/// <summary>
/// Passkeys at rest. Credential ids are unique per pool; rows go with their user. At most one pending registration
/// per user (a new StartWebAuthnRegistration replaces it); <see cref="TakeRegistrationAsync"/> removes it (single use).
/// </summary>
public interface IWebAuthnCredentialStore
{
    /// <summary>Stores <paramref name="registration"/>, replacing the user's previous one.</summary>
    ValueTask PutRegistrationAsync(PendingWebAuthnRegistration registration, CancellationToken ct = default);
    /// <summary>Removes and returns the user's pending registration, or null.</summary>
    ValueTask<PendingWebAuthnRegistration?> TakeRegistrationAsync(string userPoolId, string username, CancellationToken ct = default);
    /// <summary>Adds a credential; false when its id is already registered in the pool (or the user is gone).</summary>
    ValueTask<bool> AddAsync(WebAuthnCredential credential, CancellationToken ct = default);
    /// <summary>The credential with this id in the pool, or null.</summary>
    ValueTask<WebAuthnCredential?> GetAsync(string userPoolId, string credentialId, CancellationToken ct = default);
    /// <summary>The user's credentials, oldest first.</summary>
    ValueTask<IReadOnlyList<WebAuthnCredential>> ListAsync(string userPoolId, string username, CancellationToken ct = default);
    /// <summary>Sets the counter only if it grows (compare-and-set on <paramref name="previous"/>); false when it changed meanwhile.</summary>
    ValueTask<bool> UpdateSignCountAsync(string userPoolId, string credentialId, uint previous, uint next, CancellationToken ct = default);
    /// <summary>Deletes the user's credential; false when the user has no such credential.</summary>
    ValueTask<bool> DeleteAsync(string userPoolId, string username, string credentialId, CancellationToken ct = default);
}
