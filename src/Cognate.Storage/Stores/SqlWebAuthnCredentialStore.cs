using System.Data.Common;
using System.Text.Json;
using Cognate.Core.Passkeys;
using Dapper;

namespace Cognate.Storage.Stores;

/// <summary>
/// <see cref="IWebAuthnCredentialStore"/> over SQLite or PostgreSQL (the same SQL for both): tables
/// <c>webauthn_credentials</c> and <c>webauthn_registrations</c> (migration 0014). The pending registration is replaced with
/// <c>INSERT … ON CONFLICT DO UPDATE</c> and taken with one <c>DELETE … RETURNING</c>, so of two concurrent completions
/// exactly one gets it. The counter update is a compare-and-set on the previous value, so two assertions racing with the same
/// counter cannot both succeed. A public key is not a secret: it is stored in the clear.
/// </summary>
internal sealed class SqlWebAuthnCredentialStore(ISqlDatabase db) : IWebAuthnCredentialStore
{
    const string Columns = """
        user_pool_id AS UserPoolId, credential_id AS CredentialId, username AS Username, public_key AS PublicKey, sign_count AS SignCount,
        relying_party AS RelyingParty, aaguid AS Aaguid, friendly_name AS FriendlyName, attachment AS Attachment, transports AS Transports, created_at AS CreatedAt
        """;

    /// <inheritdoc/>
    public async ValueTask PutRegistrationAsync(PendingWebAuthnRegistration registration, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        await using var c = await db.OpenWriteConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO webauthn_registrations (user_pool_id, username, options_json, expires_at) VALUES (@UserPoolId, @Username, @OptionsJson, @expires)
            ON CONFLICT (user_pool_id, username) DO UPDATE SET options_json = excluded.options_json, expires_at = excluded.expires_at
            """, new { registration.UserPoolId, registration.Username, registration.OptionsJson, expires = UnixTime.ToMs(registration.ExpiresAt) }, cancellationToken: ct));
    }

    /// <inheritdoc/>
    public async ValueTask<PendingWebAuthnRegistration?> TakeRegistrationAsync(string userPoolId, string username, CancellationToken ct = default)
    {
        await using var c = await db.OpenWriteConnectionAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<RegistrationRow>(new CommandDefinition("""
            DELETE FROM webauthn_registrations WHERE user_pool_id = @userPoolId AND username = @username
            RETURNING options_json AS OptionsJson, expires_at AS ExpiresAt
            """, new { userPoolId, username }, cancellationToken: ct));
        return row is null ? null : new PendingWebAuthnRegistration(userPoolId, username, row.OptionsJson, UnixTime.FromMs(row.ExpiresAt));
    }

    /// <inheritdoc/>
    public async ValueTask<bool> AddAsync(WebAuthnCredential credential, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(credential);
        await using var c = await db.OpenWriteConnectionAsync(ct);
        try
        {
            await c.ExecuteAsync(new CommandDefinition("""
                INSERT INTO webauthn_credentials (user_pool_id, credential_id, username, public_key, sign_count, relying_party, aaguid, friendly_name, attachment, transports, created_at)
                VALUES (@UserPoolId, @CredentialId, @Username, @PublicKey, @signCount, @RelyingPartyId, @aaguid, @FriendlyName, @AuthenticatorAttachment, @transports, @created)
                """, new
            {
                credential.UserPoolId, credential.CredentialId, credential.Username, credential.PublicKey, signCount = (long)credential.SignCount,
                credential.RelyingPartyId, aaguid = credential.Aaguid.ToString(), credential.FriendlyName, credential.AuthenticatorAttachment,
                transports = JsonSerializer.Serialize(credential.Transports), created = UnixTime.ToMs(credential.CreatedAt),
            }, cancellationToken: ct));
            return true;
        }
        catch (DbException e) when (db.Dialect.IsUniqueViolation(e) || db.Dialect.IsForeignKeyViolation(e))
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public async ValueTask<WebAuthnCredential?> GetAsync(string userPoolId, string credentialId, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<CredentialRow>(new CommandDefinition(
            $"SELECT {Columns} FROM webauthn_credentials WHERE user_pool_id = @userPoolId AND credential_id = @credentialId", new { userPoolId, credentialId }, cancellationToken: ct));
        return row?.ToCredential();
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<WebAuthnCredential>> ListAsync(string userPoolId, string username, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<CredentialRow>(new CommandDefinition(
            $"SELECT {Columns} FROM webauthn_credentials WHERE user_pool_id = @userPoolId AND username = @username ORDER BY created_at, credential_id",
            new { userPoolId, username }, cancellationToken: ct));
        return rows.Select(r => r.ToCredential()).ToList();
    }

    /// <inheritdoc/>
    public async ValueTask<bool> UpdateSignCountAsync(string userPoolId, string credentialId, uint previous, uint next, CancellationToken ct = default)
    {
        await using var c = await db.OpenWriteConnectionAsync(ct);
        return await c.ExecuteAsync(new CommandDefinition(
            "UPDATE webauthn_credentials SET sign_count = @next WHERE user_pool_id = @userPoolId AND credential_id = @credentialId AND sign_count = @previous",
            new { userPoolId, credentialId, previous = (long)previous, next = (long)next }, cancellationToken: ct)) == 1;
    }

    /// <inheritdoc/>
    public async ValueTask<bool> DeleteAsync(string userPoolId, string username, string credentialId, CancellationToken ct = default)
    {
        await using var c = await db.OpenWriteConnectionAsync(ct);
        return await c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM webauthn_credentials WHERE user_pool_id = @userPoolId AND username = @username AND credential_id = @credentialId",
            new { userPoolId, username, credentialId }, cancellationToken: ct)) == 1;
    }

    sealed class RegistrationRow
    {
        public string OptionsJson { get; set; } = "";
        public long ExpiresAt { get; set; }
    }

    sealed class CredentialRow
    {
        public string UserPoolId { get; set; } = "";
        public string CredentialId { get; set; } = "";
        public string Username { get; set; } = "";
        public byte[] PublicKey { get; set; } = [];
        public long SignCount { get; set; }
        public string RelyingParty { get; set; } = "";
        public string Aaguid { get; set; } = "";
        public string? FriendlyName { get; set; }
        public string? Attachment { get; set; }
        public string Transports { get; set; } = "[]";
        public long CreatedAt { get; set; }

        public WebAuthnCredential ToCredential() => new()
        {
            UserPoolId = UserPoolId, CredentialId = CredentialId, Username = Username, PublicKey = PublicKey, SignCount = (uint)SignCount,
            RelyingPartyId = RelyingParty, Aaguid = Guid.TryParse(Aaguid, out var g) ? g : Guid.Empty, FriendlyName = FriendlyName,
            AuthenticatorAttachment = Attachment, Transports = JsonSerializer.Deserialize<List<string>>(Transports) ?? [], CreatedAt = UnixTime.FromMs(CreatedAt),
        };
    }
}
