using System.Data.Common;
using Cognate.Core.Mfa;
using Cognate.Storage.Serialization;
using Dapper;

namespace Cognate.Storage.Stores;

/// <summary>
/// <see cref="IUserMfaStore"/> over SQLite or PostgreSQL: the whole <see cref="UserMfa"/> is one JSON document sealed with
/// <see cref="ISecretSealer"/> (associated data <c>"mfa:" + poolId + "/" + username</c>), written with an
/// optimistic version check. The row goes with its user (foreign key, ON DELETE CASCADE).
/// </summary>
internal sealed class SqlUserMfaStore : IUserMfaStore
{
    private readonly ISqlDatabase _db;
    private readonly ISecretSealer _sealer;

    /// <summary>Creates the store over <paramref name="database"/>, sealing with <paramref name="sealer"/>.</summary>
    public SqlUserMfaStore(ISqlDatabase database, ISecretSealer sealer)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(sealer);
        _db = database;
        _sealer = sealer;
    }

    /// <inheritdoc />
    public async ValueTask<UserMfa?> GetAsync(string userPoolId, string username, CancellationToken ct = default)
    {
        await using var connection = await _db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<MfaRow>(new CommandDefinition(
            "SELECT data_sealed AS DataSealed, version AS Version FROM user_mfa WHERE user_pool_id = @userPoolId AND username = @username",
            new { userPoolId, username },
            cancellationToken: ct));
        if (row is null)
        {
            return null;
        }

        return UserMfaSealing.Unseal(_sealer, userPoolId, username, row.DataSealed, row.Version);
    }

    /// <inheritdoc />
    public async ValueTask<bool> PutAsync(string userPoolId, string username, UserMfa mfa, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(mfa);
        var sealedData = UserMfaSealing.Seal(_sealer, userPoolId, username, mfa);
        await using var connection = await _db.OpenWriteConnectionAsync(ct);
        int changed;
        try
        {
            changed = mfa.Version == 0
                ? await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO user_mfa (user_pool_id, username, data_sealed, version) VALUES (@userPoolId, @username, @sealedData, 1)",
                    new { userPoolId, username, sealedData },
                    cancellationToken: ct))
                : await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE user_mfa SET data_sealed = @sealedData, version = version + 1 WHERE user_pool_id = @userPoolId AND username = @username AND version = @Version",
                    new { userPoolId, username, sealedData, mfa.Version },
                    cancellationToken: ct));
        }
        catch (DbException e) when (_db.Dialect.IsUniqueViolation(e) || _db.Dialect.IsForeignKeyViolation(e))
        {
            return false; // inserted concurrently, or the user row is gone (foreign key)
        }

        if (changed != 1)
        {
            return false;
        }

        mfa.Version++;
        return true;
    }

    private sealed class MfaRow
    {
        public byte[] DataSealed { get; set; } = [];
        public long Version { get; set; }
    }
}
