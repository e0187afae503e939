using System.Data.Common;
using Cognate.Core.Devices;
using Dapper;

namespace Cognate.Storage.Stores;

/// <summary>
/// <see cref="IDeviceStore"/> over SQLite or PostgreSQL: one row per device; the SRP verifier sealed with
/// <see cref="ISecretSealer"/> (associated data <see cref="Context"/>). Rows go with their user (foreign key, ON DELETE CASCADE).
/// Last writer wins on update (a device is changed by its own user's calls; the columns are a whole-row replacement).
/// </summary>
internal sealed class SqlDeviceStore(ISqlDatabase db, ISecretSealer sealer) : IDeviceStore
{
    const string Columns = "user_pool_id AS UserPoolId, device_key AS DeviceKey, username AS Username, device_group_key AS DeviceGroupKey, salt AS Salt, "
        + "verifier_sealed AS VerifierSealed, status AS Status, name AS Name, last_ip AS LastIp, created_at AS CreatedAt, modified_at AS ModifiedAt, "
        + "last_authenticated AS LastAuthenticated";

    /// <summary>The associated data of a device's sealed verifier.</summary>
    internal static string Context(string userPoolId, string deviceKey) => "device:" + userPoolId + "/" + deviceKey;

    /// <inheritdoc />
    public async ValueTask<bool> CreateAsync(Device device, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(device);
        await using var connection = await db.OpenWriteConnectionAsync(ct);
        try
        {
            return await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO devices (user_pool_id, device_key, username, device_group_key, salt, verifier_sealed, status, name, last_ip, created_at, modified_at, last_authenticated) "
                + "VALUES (@UserPoolId, @DeviceKey, @Username, @DeviceGroupKey, @Salt, @VerifierSealed, @Status, @Name, @LastIp, @CreatedAt, @ModifiedAt, @LastAuthenticated)",
                ToRow(device), cancellationToken: ct)) == 1;
        }
        catch (DbException e) when (db.Dialect.IsUniqueViolation(e) || db.Dialect.IsForeignKeyViolation(e))
        {
            return false;
        }
    }

    /// <inheritdoc />
    public async ValueTask<Device?> GetAsync(string userPoolId, string deviceKey, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM devices WHERE user_pool_id = @userPoolId AND device_key = @deviceKey", new { userPoolId, deviceKey }, cancellationToken: ct));
        return row is null ? null : FromRow(row);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<Device>> ListAsync(string userPoolId, string username, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM devices WHERE user_pool_id = @userPoolId AND username = @username ORDER BY created_at DESC, device_key",
            new { userPoolId, username }, cancellationToken: ct));
        return rows.Select(FromRow).ToList();
    }

    /// <inheritdoc />
    public async ValueTask<bool> UpdateAsync(Device device, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(device);
        await using var connection = await db.OpenWriteConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE devices SET salt = @Salt, verifier_sealed = @VerifierSealed, status = @Status, name = @Name, last_ip = @LastIp, modified_at = @ModifiedAt, "
            + "last_authenticated = @LastAuthenticated WHERE user_pool_id = @UserPoolId AND device_key = @DeviceKey",
            ToRow(device), cancellationToken: ct)) == 1;
    }

    /// <inheritdoc />
    public async ValueTask<bool> DeleteAsync(string userPoolId, string deviceKey, CancellationToken ct = default)
    {
        await using var connection = await db.OpenWriteConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM devices WHERE user_pool_id = @userPoolId AND device_key = @deviceKey", new { userPoolId, deviceKey }, cancellationToken: ct)) == 1;
    }

    Row ToRow(Device d) => new()
    {
        UserPoolId = d.UserPoolId,
        DeviceKey = d.DeviceKey,
        Username = d.Username,
        DeviceGroupKey = d.DeviceGroupKey,
        Salt = d.Salt,
        VerifierSealed = d.Verifier is null ? null : sealer.Seal(d.Verifier, Context(d.UserPoolId, d.DeviceKey)),
        Status = d.Status,
        Name = d.Name,
        LastIp = d.LastIp,
        CreatedAt = UnixTime.ToMs(d.CreatedAt),
        ModifiedAt = UnixTime.ToMs(d.ModifiedAt),
        LastAuthenticated = UnixTime.ToMs(d.LastAuthenticatedAt),
    };

    Device FromRow(Row r) => new()
    {
        UserPoolId = r.UserPoolId,
        DeviceKey = r.DeviceKey,
        Username = r.Username,
        DeviceGroupKey = r.DeviceGroupKey,
        Salt = r.Salt,
        Verifier = r.VerifierSealed is null ? null : sealer.Unseal(r.VerifierSealed, Context(r.UserPoolId, r.DeviceKey)),
        Status = r.Status,
        Name = r.Name,
        LastIp = r.LastIp,
        CreatedAt = UnixTime.FromMs(r.CreatedAt),
        ModifiedAt = UnixTime.FromMs(r.ModifiedAt),
        LastAuthenticatedAt = UnixTime.FromMs(r.LastAuthenticated),
    };

    sealed class Row
    {
        public string UserPoolId { get; set; } = "";
        public string DeviceKey { get; set; } = "";
        public string Username { get; set; } = "";
        public string DeviceGroupKey { get; set; } = "";
        public byte[]? Salt { get; set; }
        public byte[]? VerifierSealed { get; set; }
        public string Status { get; set; } = "";
        public string? Name { get; set; }
        public string? LastIp { get; set; }
        public long CreatedAt { get; set; }
        public long ModifiedAt { get; set; }
        public long LastAuthenticated { get; set; }
    }
}
