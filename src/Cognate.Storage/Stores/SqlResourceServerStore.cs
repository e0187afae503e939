using System.Text.Json;
using System.Text.Json.Serialization;
using Cognate.Core.Branding;
using Cognate.Core.ResourceServers;
using Dapper;

namespace Cognate.Storage.Stores;

/// <summary>
/// <see cref="IResourceServerStore"/> over SQLite or PostgreSQL: <c>resource_servers</c> keyed by (pool, identifier), scopes as a
/// JSON array; identifiers compare by byte on both engines, so pages follow the same order. The 25-per-pool quota is checked by
/// the service before the insert (two concurrent creates at the limit may both succeed; the quota is a product limit, not a guard).
/// </summary>
internal sealed class SqlResourceServerStore(ISqlDatabase db) : IResourceServerStore
{
    private const string Columns =
        "user_pool_id AS UserPoolId, identifier AS Identifier, name AS Name, scopes_json AS ScopesJson, created_at AS CreatedAt, modified_at AS ModifiedAt";

    /// <inheritdoc />
    public async ValueTask<bool> CreateAsync(ResourceServer server, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(server);
        await using var connection = await db.OpenWriteConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO resource_servers (user_pool_id, identifier, name, scopes_json, created_at, modified_at)
            VALUES (@UserPoolId, @Identifier, @Name, @ScopesJson, @CreatedAt, @ModifiedAt)
            ON CONFLICT (user_pool_id, identifier) DO NOTHING
            """,
            Parameters(server), cancellationToken: ct)) == 1;
    }

    /// <inheritdoc />
    public async ValueTask<ResourceServer?> GetAsync(string userPoolId, string identifier, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM resource_servers WHERE user_pool_id = @userPoolId AND identifier = @identifier",
            new { userPoolId, identifier }, cancellationToken: ct));
        return row?.ToServer();
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<ResourceServer>> ListAsync(string userPoolId, string? afterIdentifier, int limit, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"""
            SELECT {Columns} FROM resource_servers
            WHERE user_pool_id = @userPoolId AND (@afterIdentifier IS NULL OR identifier > @afterIdentifier)
            ORDER BY identifier LIMIT @limit
            """,
            new { userPoolId, afterIdentifier, limit }, cancellationToken: ct));
        return rows.Select(r => r.ToServer()).ToList();
    }

    /// <inheritdoc />
    public async ValueTask<bool> UpdateAsync(ResourceServer server, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(server);
        await using var connection = await db.OpenWriteConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE resource_servers SET name = @Name, scopes_json = @ScopesJson, modified_at = @ModifiedAt WHERE user_pool_id = @UserPoolId AND identifier = @Identifier",
            Parameters(server), cancellationToken: ct)) == 1;
    }

    /// <inheritdoc />
    public async ValueTask<bool> DeleteAsync(string userPoolId, string identifier, CancellationToken ct = default)
    {
        await using var connection = await db.OpenWriteConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM resource_servers WHERE user_pool_id = @userPoolId AND identifier = @identifier",
            new { userPoolId, identifier }, cancellationToken: ct)) == 1;
    }

    /// <inheritdoc />
    public async ValueTask<int> CountAsync(string userPoolId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return (int)await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM resource_servers WHERE user_pool_id = @userPoolId", new { userPoolId }, cancellationToken: ct));
    }

    private static object Parameters(ResourceServer s) => new
    {
        s.UserPoolId,
        s.Identifier,
        s.Name,
        ScopesJson = JsonSerializer.Serialize([.. s.Scopes], ManagementJsonContext.Default.ListResourceServerScope),
        CreatedAt = UnixTime.ToMs(s.CreatedAt),
        ModifiedAt = UnixTime.ToMs(s.ModifiedAt),
    };

    private sealed class Row
    {
        public string UserPoolId { get; set; } = "";
        public string Identifier { get; set; } = "";
        public string Name { get; set; } = "";
        public string ScopesJson { get; set; } = "[]";
        public long CreatedAt { get; set; }
        public long ModifiedAt { get; set; }

        public ResourceServer ToServer() => new()
        {
            UserPoolId = UserPoolId, Identifier = Identifier, Name = Name,
            Scopes = JsonSerializer.Deserialize(ScopesJson, ManagementJsonContext.Default.ListResourceServerScope) ?? [],
            CreatedAt = UnixTime.FromMs(CreatedAt), ModifiedAt = UnixTime.FromMs(ModifiedAt),
        };
    }
}

/// <summary>JSON columns of the management stores (resource-server scopes, branding assets).</summary>
[JsonSerializable(typeof(List<ResourceServerScope>))]
[JsonSerializable(typeof(List<BrandingAsset>))]
internal sealed partial class ManagementJsonContext : JsonSerializerContext;
