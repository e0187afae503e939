using System.Data.Common;
using Cognate.Core.Stores;
using Cognate.Core.Users;
using Cognate.Storage.Secrets;
using Cognate.Storage.Serialization;
using Dapper;

namespace Cognate.Storage.Stores;

/// <summary>
/// <see cref="IUserStore"/> over SQLite or PostgreSQL. A user row and its identifiers are written in one write
/// transaction (SQLite: <c>BEGIN IMMEDIATE</c>); the primary keys of <c>users</c> (pool, username) and
/// <c>user_identifiers</c> (pool, kind, value) enforce uniqueness across every node sharing the database (on PostgreSQL
/// a concurrent insert of the same key waits for the first transaction, then fails with 23505), and a violation rolls
/// back and yields <see cref="UserWriteResult.IdentifierTaken"/>. Identifiers are inserted in one fixed order and a
/// deadlock victim is retried (<see cref="SqlDatabaseExtensions.RunWriteAsync"/>), so racing writers of overlapping
/// identifiers always end with one winner. Updates are optimistic: <c>WHERE version = @Version</c> (re-checked by
/// PostgreSQL after a concurrent update commits). The SRP salt and verifier are sealed together with
/// <see cref="ISecretSealer"/> (associated data <c>"password:" + poolId + "/" + username</c>); attributes
/// are a JSON object. The ListUsers search keys (<c>user_search</c>) are rewritten in the same transaction as every
/// user write (SqlUserStore.Search.cs).
/// </summary>
internal sealed partial class SqlUserStore : IUserStore, IUserTokenRevokingStore
{
    private const string Columns =
        "u.user_pool_id AS UserPoolId, u.username AS Username, u.sub AS Sub, u.status AS Status, u.enabled AS Enabled, " +
        "u.created_at AS CreatedAt, u.modified_at AS ModifiedAt, u.attributes_json AS AttributesJson, u.pending_attributes_json AS PendingAttributesJson, " +
        "u.password_sealed AS PasswordSealed, u.password_set_at AS PasswordSetAt, u.version AS Version";

    private const string InsertIdentifier =
        "INSERT INTO user_identifiers (user_pool_id, kind, value, username) VALUES (@UserPoolId, @Kind, @Value, @Username)";

    private readonly ISqlDatabase _db;
    private readonly ISecretSealer _sealer;

    /// <summary>Creates the store over <paramref name="database"/>, sealing passwords with <paramref name="sealer"/>.</summary>
    public SqlUserStore(ISqlDatabase database, ISecretSealer sealer)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(sealer);
        _db = database;
        _sealer = sealer;
    }

    /// <inheritdoc />
    public async ValueTask<UserWriteResult> CreateAsync(User user, IReadOnlyCollection<UserIdentifier> identifiers, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(identifiers);
        var parameters = Parameters(user);
        try
        {
            // A unique violation undoes this write alone (its savepoint on SQLite, its transaction on PostgreSQL).
            return await _db.WriteAsync(async (connection, tx) =>
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO users (user_pool_id, username, sub, status, enabled, created_at, modified_at, attributes_json,
                                       pending_attributes_json, password_sealed, password_set_at, version)
                    VALUES (@UserPoolId, @Username, @Sub, @Status, @Enabled, @CreatedAt, @ModifiedAt, @AttributesJson,
                            @PendingAttributesJson, @PasswordSealed, @PasswordSetAt, @Version)
                    """,
                    parameters,
                    tx,
                    cancellationToken: ct));
                await InsertIdentifiersAsync(connection, tx, user, identifiers, ct);
                await WriteSearchKeysAsync(connection, tx, user, ct);
                return UserWriteResult.Ok;
            }, ct);
        }
        catch (DbException e) when (_db.Dialect.IsUniqueViolation(e))
        {
            return UserWriteResult.IdentifierTaken;
        }
    }

    /// <summary>
    /// Inserts <paramref name="user"/> with its identifiers and search keys inside the caller's write transaction (the user import
    /// batch, which wraps each call in a savepoint). Throws the engine's unique violation when the username or an identifier is taken.
    /// </summary>
    internal async Task InsertInTransactionAsync(DbConnection connection, DbTransaction tx, User user, IReadOnlyCollection<UserIdentifier> identifiers, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO users (user_pool_id, username, sub, status, enabled, created_at, modified_at, attributes_json,
                               pending_attributes_json, password_sealed, password_set_at, version)
            VALUES (@UserPoolId, @Username, @Sub, @Status, @Enabled, @CreatedAt, @ModifiedAt, @AttributesJson,
                    @PendingAttributesJson, @PasswordSealed, @PasswordSetAt, @Version)
            """,
            Parameters(user),
            tx,
            cancellationToken: ct));
        await InsertIdentifiersAsync(connection, tx, user, identifiers, ct);
        await WriteSearchKeysAsync(connection, tx, user, ct);
    }

    /// <inheritdoc />
    public async ValueTask<User?> FindByIdentifierAsync(string userPoolId, string kind, string value, CancellationToken ct = default)
    {
        await using var connection = await _db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
            $"""
            SELECT {Columns}
            FROM user_identifiers i JOIN users u ON u.user_pool_id = i.user_pool_id AND u.username = i.username
            WHERE i.user_pool_id = @userPoolId AND i.kind = @kind AND i.value = @value
            """,
            new { userPoolId, kind, value },
            cancellationToken: ct));
        return row is null ? null : ToUser(row);
    }

    /// <inheritdoc />
    public async ValueTask<User?> GetAsync(string userPoolId, string username, CancellationToken ct = default)
    {
        await using var connection = await _db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
            $"SELECT {Columns} FROM users u WHERE u.user_pool_id = @userPoolId AND u.username = @username",
            new { userPoolId, username },
            cancellationToken: ct));
        return row is null ? null : ToUser(row);
    }

    /// <inheritdoc />
    /// <remarks>One statement: the user row is LEFT JOINed to a one-row select so the revocation flag comes back even when the user is gone.</remarks>
    public async ValueTask<(User? User, bool Revoked)> GetForAccessTokenAsync(string userPoolId, string username, string? originJti, CancellationToken ct = default)
    {
        await using var connection = await _db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleAsync<UserRowWithRevocation>(new CommandDefinition(
            $"""
            SELECT {Columns}, (SELECT r.revoked FROM refresh_tokens r WHERE r.origin_jti = @originJti) AS Revoked
            FROM (SELECT 1 AS one) o LEFT JOIN users u ON u.user_pool_id = @userPoolId AND u.username = @username
            """,
            new { userPoolId, username, originJti },
            cancellationToken: ct));
        return (row.Username.Length == 0 ? null : ToUser(row), row.Revoked == true);
    }

    /// <inheritdoc />
    /// <remarks>Username and sub are the row's identity and are not changed. On <see cref="UserWriteResult.Ok"/> <paramref name="user"/>.Version is incremented.</remarks>
    public ValueTask<UserWriteResult> UpdateAsync(User user, IReadOnlyCollection<UserIdentifier>? identifiers, CancellationToken ct = default) =>
        UpdateCoreAsync(user, identifiers, revokeTokens: false, ct);

    /// <inheritdoc />
    /// <remarks>The refresh-token UPDATE runs inside the user row's write transaction, after the versioned row update.</remarks>
    public ValueTask<UserWriteResult> UpdateAndRevokeTokensAsync(User user, IReadOnlyCollection<UserIdentifier>? identifiers, CancellationToken ct = default) =>
        UpdateCoreAsync(user, identifiers, revokeTokens: true, ct);

    private async ValueTask<UserWriteResult> UpdateCoreAsync(User user, IReadOnlyCollection<UserIdentifier>? identifiers, bool revokeTokens, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        var parameters = Parameters(user);
        var result = await _db.RunWriteAsync(connection => UpdateOnceAsync(connection, user, identifiers, parameters, revokeTokens, ct), ct);
        if (result == UserWriteResult.Ok)
        {
            user.Version++;
        }

        return result;
    }

    private async Task<UserWriteResult> UpdateOnceAsync(
        DbConnection connection, User user, IReadOnlyCollection<UserIdentifier>? identifiers, object parameters, bool revokeTokens, CancellationToken ct)
    {
        await using var tx = await _db.BeginWriteTransactionAsync(connection, ct);
        try
        {
            var changed = await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE users
                SET status = @Status, enabled = @Enabled, modified_at = @ModifiedAt, attributes_json = @AttributesJson,
                    pending_attributes_json = @PendingAttributesJson,
                    password_sealed = @PasswordSealed, password_set_at = @PasswordSetAt, version = version + 1
                WHERE user_pool_id = @UserPoolId AND username = @Username AND version = @Version
                """,
                parameters,
                tx,
                cancellationToken: ct));
            if (changed != 1)
            {
                await tx.RollbackAsync(CancellationToken.None);
                return UserWriteResult.Conflict;
            }

            if (identifiers is not null)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "DELETE FROM user_identifiers WHERE user_pool_id = @UserPoolId AND username = @Username",
                    new { user.UserPoolId, user.Username },
                    tx,
                    cancellationToken: ct));
                await InsertIdentifiersAsync(connection, tx, user, identifiers, ct);
            }

            await WriteSearchKeysAsync(connection, tx, user, ct);
            if (revokeTokens)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE refresh_tokens SET revoked = TRUE WHERE user_pool_id = @UserPoolId AND username = @Username AND NOT revoked",
                    new { user.UserPoolId, user.Username },
                    tx,
                    cancellationToken: ct));
            }

            await tx.CommitAsync(ct);
            return UserWriteResult.Ok;
        }
        catch (DbException e) when (_db.Dialect.IsUniqueViolation(e))
        {
            await tx.RollbackAsync(CancellationToken.None);
            return UserWriteResult.IdentifierTaken;
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> DeleteAsync(string userPoolId, string username, CancellationToken ct = default)
    {
        await using var connection = await _db.OpenWriteConnectionAsync(ct);
        await using var tx = await _db.BeginWriteTransactionAsync(connection, ct);
        var parameters = new { userPoolId, username };
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM auth_sessions WHERE user_pool_id = @userPoolId AND username = @username", parameters, tx, cancellationToken: ct));

        // Identifiers, search keys, codes, refresh tokens, memberships, lockouts and auth events go by ON DELETE CASCADE.
        var deleted = await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM users WHERE user_pool_id = @userPoolId AND username = @username", parameters, tx, cancellationToken: ct));
        if (deleted == 0)
        {
            await tx.RollbackAsync(CancellationToken.None);
            return false;
        }

        await tx.CommitAsync(ct);
        return true;
    }

    private static async Task InsertIdentifiersAsync(
        DbConnection connection, DbTransaction tx, User user, IReadOnlyCollection<UserIdentifier> identifiers, CancellationToken ct)
    {
        // One global order (kind, value) for every writer keeps lock acquisition order consistent.
        foreach (var identifier in identifiers.Distinct().OrderBy(i => i.Kind, StringComparer.Ordinal).ThenBy(i => i.Value, StringComparer.Ordinal))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                InsertIdentifier,
                new { user.UserPoolId, identifier.Kind, identifier.Value, user.Username },
                tx,
                cancellationToken: ct));
        }
    }

    private object Parameters(User user) => new
    {
        user.UserPoolId,
        user.Username,
        user.Sub,
        user.Status,
        user.Enabled,
        CreatedAt = UnixTime.ToMs(user.CreatedAt),
        ModifiedAt = UnixTime.ToMs(user.ModifiedAt),
        AttributesJson = StorageJson.SerializeAttributes(user.Attributes),
        PendingAttributesJson = user.PendingAttributes.Count == 0 ? null : StorageJson.SerializeAttributes(user.PendingAttributes),
        PasswordSealed = SealedSecrets.SealPassword(_sealer, user.UserPoolId, user.Username, user.PasswordSalt, user.PasswordVerifier),
        PasswordSetAt = UnixTime.ToMs(user.PasswordSetAt),
        user.Version,
    };

    private User ToUser(UserRow row)
    {
        var (salt, verifier) = SealedSecrets.UnsealPassword(_sealer, row.UserPoolId, row.Username, row.PasswordSealed);
        return new User
        {
            UserPoolId = row.UserPoolId,
            Username = row.Username,
            Sub = row.Sub,
            Status = row.Status,
            Enabled = row.Enabled,
            CreatedAt = UnixTime.FromMs(row.CreatedAt),
            ModifiedAt = UnixTime.FromMs(row.ModifiedAt),
            Attributes = StorageJson.DeserializeAttributes(row.AttributesJson),
            PendingAttributes = row.PendingAttributesJson is null ? new(StringComparer.Ordinal) : StorageJson.DeserializeAttributes(row.PendingAttributesJson),
            PasswordSalt = salt,
            PasswordVerifier = verifier,
            PasswordSetAt = UnixTime.FromMs(row.PasswordSetAt),
            Version = row.Version,
        };
    }

    private sealed class UserRowWithRevocation : UserRow
    {
        public bool? Revoked { get; set; }
    }

    private class UserRow
    {
        public string UserPoolId { get; set; } = "";
        public string Username { get; set; } = "";
        public string Sub { get; set; } = "";
        public string Status { get; set; } = "";
        public bool Enabled { get; set; }
        public long CreatedAt { get; set; }
        public long ModifiedAt { get; set; }
        public string AttributesJson { get; set; } = "";
        public string? PendingAttributesJson { get; set; }
        public byte[]? PasswordSealed { get; set; }
        public long? PasswordSetAt { get; set; }
        public long Version { get; set; }
    }
}
