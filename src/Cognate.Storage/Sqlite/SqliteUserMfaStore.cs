using System.Text.Json;
using System.Text.Json.Serialization;
using Cognate.Core.Mfa;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Cognate.Storage.Sqlite;

/// <summary>
/// <see cref="IUserMfaStore"/> over SQLite: the whole <see cref="UserMfa"/> is one JSON document sealed with
/// <see cref="ISecretSealer"/> (associated data <c>"mfa:" + poolId + "/" + username</c>), written with an
/// optimistic version check. The row goes with its user (foreign key, ON DELETE CASCADE).
/// </summary>
public sealed class SqliteUserMfaStore : IUserMfaStore
{
    private readonly SqliteDatabase _db;
    private readonly ISecretSealer _sealer;

    /// <summary>Creates the store over <paramref name="database"/>, sealing with <paramref name="sealer"/>.</summary>
    public SqliteUserMfaStore(SqliteDatabase database, ISecretSealer sealer)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(sealer);
        _db = database;
        _sealer = sealer;
    }

    private static string Context(string userPoolId, string username) => "mfa:" + userPoolId + "/" + username;

    /// <inheritdoc />
    public async ValueTask<UserMfa?> GetAsync(string userPoolId, string username, CancellationToken ct = default)
    {
        await using var connection = await _db.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<MfaRow>(new CommandDefinition(
            "SELECT data_sealed AS DataSealed, version AS Version FROM user_mfa WHERE user_pool_id = @userPoolId AND username = @username",
            new { userPoolId, username },
            cancellationToken: ct));
        if (row is null)
        {
            return null;
        }

        var json = _sealer.Unseal(row.DataSealed, Context(userPoolId, username));
        var data = JsonSerializer.Deserialize(json, UserMfaJsonContext.Default.MfaDocument) ?? new MfaDocument();
        return new UserMfa
        {
            SmsEnabled = data.Sms,
            SoftwareTokenEnabled = data.Totp,
            EmailEnabled = data.Email,
            Preferred = data.Preferred,
            TotpSecret = data.Secret,
            TotpDeviceName = data.DeviceName,
            PendingTotpSecret = data.Pending,
            LastTotpStep = data.LastStep,
            Version = row.Version,
        };
    }

    /// <inheritdoc />
    public async ValueTask<bool> PutAsync(string userPoolId, string username, UserMfa mfa, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(mfa);
        var document = new MfaDocument
        {
            Sms = mfa.SmsEnabled,
            Totp = mfa.SoftwareTokenEnabled,
            Email = mfa.EmailEnabled,
            Preferred = mfa.Preferred,
            Secret = mfa.TotpSecret,
            DeviceName = mfa.TotpDeviceName,
            Pending = mfa.PendingTotpSecret,
            LastStep = mfa.LastTotpStep,
        };
        var sealedData = _sealer.Seal(JsonSerializer.SerializeToUtf8Bytes(document, UserMfaJsonContext.Default.MfaDocument), Context(userPoolId, username));
        await using var connection = await _db.OpenWriteAsync(ct);
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
        catch (SqliteException e) when (SqliteErrors.IsUniqueViolation(e) || e.SqliteErrorCode == 19)
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

/// <summary>The sealed JSON shape of <see cref="UserMfa"/>.</summary>
internal sealed class MfaDocument
{
    public bool Sms { get; set; }
    public bool Totp { get; set; }
    public bool Email { get; set; }
    public string? Preferred { get; set; }
    public byte[]? Secret { get; set; }
    public string? DeviceName { get; set; }
    public byte[]? Pending { get; set; }
    public long LastStep { get; set; }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.General, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(MfaDocument))]
internal sealed partial class UserMfaJsonContext : JsonSerializerContext;
