using System.Text.Json;
using Cognate.Core.Branding;
using Dapper;

namespace Cognate.Storage.Stores;

/// <summary>
/// <see cref="IUICustomizationStore"/> over SQLite or PostgreSQL: <c>ui_customizations</c> keyed by (pool, client id or ALL), one
/// upsert per SetUICustomization (last writer wins, the creation time is kept).
/// </summary>
internal sealed class SqlUICustomizationStore(ISqlDatabase db) : IUICustomizationStore
{
    /// <inheritdoc />
    public async ValueTask<UICustomization?> GetAsync(string userPoolId, string clientId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            """
            SELECT user_pool_id AS UserPoolId, client_id AS ClientId, css AS Css, image AS Image, image_type AS ImageType,
                   created_at AS CreatedAt, modified_at AS ModifiedAt
            FROM ui_customizations WHERE user_pool_id = @userPoolId AND client_id = @clientId
            """,
            new { userPoolId, clientId }, cancellationToken: ct));
        return row is null ? null : new UICustomization
        {
            UserPoolId = row.UserPoolId, ClientId = row.ClientId, Css = row.Css, Image = row.Image, ImageType = row.ImageType,
            CreatedAt = UnixTime.FromMs(row.CreatedAt), ModifiedAt = UnixTime.FromMs(row.ModifiedAt),
        };
    }

    /// <inheritdoc />
    public async ValueTask SetAsync(UICustomization c, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(c);
        await using var connection = await db.OpenWriteConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO ui_customizations (user_pool_id, client_id, css, image, image_type, created_at, modified_at)
            VALUES (@UserPoolId, @ClientId, @Css, @Image, @ImageType, @CreatedAt, @ModifiedAt)
            ON CONFLICT (user_pool_id, client_id) DO UPDATE SET css = excluded.css, image = excluded.image, image_type = excluded.image_type,
                modified_at = excluded.modified_at
            """,
            new { c.UserPoolId, c.ClientId, c.Css, c.Image, c.ImageType, CreatedAt = UnixTime.ToMs(c.CreatedAt), ModifiedAt = UnixTime.ToMs(c.ModifiedAt) },
            cancellationToken: ct));
    }

    private sealed class Row
    {
        public string UserPoolId { get; set; } = "";
        public string ClientId { get; set; } = "";
        public string? Css { get; set; }
        public byte[]? Image { get; set; }
        public string? ImageType { get; set; }
        public long CreatedAt { get; set; }
        public long ModifiedAt { get; set; }
    }
}

/// <summary>
/// <see cref="IManagedLoginBrandingStore"/> over SQLite or PostgreSQL: <c>managed_login_brandings</c> keyed by id, unique by
/// (pool, client) so concurrent creates for one client leave exactly one style; Settings as JSON text, assets as a JSON array.
/// </summary>
internal sealed class SqlManagedLoginBrandingStore(ISqlDatabase db) : IManagedLoginBrandingStore
{
    private const string Select =
        "SELECT id AS Id, user_pool_id AS UserPoolId, client_id AS ClientId, use_cognito_provided_values AS UseCognito, settings_json AS SettingsJson, " +
        "assets_json AS AssetsJson, created_at AS CreatedAt, modified_at AS ModifiedAt FROM managed_login_brandings";

    /// <inheritdoc />
    public async ValueTask<bool> CreateAsync(ManagedLoginBranding b, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(b);
        await using var connection = await db.OpenWriteConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO managed_login_brandings (id, user_pool_id, client_id, use_cognito_provided_values, settings_json, assets_json, created_at, modified_at)
            VALUES (@Id, @UserPoolId, @ClientId, @UseCognito, @SettingsJson, @AssetsJson, @CreatedAt, @ModifiedAt)
            ON CONFLICT DO NOTHING
            """,
            Parameters(b), cancellationToken: ct)) == 1;
    }

    /// <inheritdoc />
    public async ValueTask<ManagedLoginBranding?> GetAsync(string userPoolId, string id, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"{Select} WHERE user_pool_id = @userPoolId AND id = @id", new { userPoolId, id }, cancellationToken: ct));
        return row?.ToBranding();
    }

    /// <inheritdoc />
    public async ValueTask<ManagedLoginBranding?> GetByClientAsync(string userPoolId, string clientId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"{Select} WHERE user_pool_id = @userPoolId AND client_id = @clientId", new { userPoolId, clientId }, cancellationToken: ct));
        return row?.ToBranding();
    }

    /// <inheritdoc />
    public async ValueTask<bool> UpdateAsync(ManagedLoginBranding b, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(b);
        await using var connection = await db.OpenWriteConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE managed_login_brandings SET use_cognito_provided_values = @UseCognito, settings_json = @SettingsJson, assets_json = @AssetsJson,
                modified_at = @ModifiedAt
            WHERE user_pool_id = @UserPoolId AND id = @Id
            """,
            Parameters(b), cancellationToken: ct)) == 1;
    }

    /// <inheritdoc />
    public async ValueTask<bool> DeleteAsync(string userPoolId, string id, CancellationToken ct = default)
    {
        await using var connection = await db.OpenWriteConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM managed_login_brandings WHERE user_pool_id = @userPoolId AND id = @id", new { userPoolId, id }, cancellationToken: ct)) == 1;
    }

    private static object Parameters(ManagedLoginBranding b) => new
    {
        b.Id,
        b.UserPoolId,
        b.ClientId,
        UseCognito = b.UseCognitoProvidedValues ? 1 : 0,
        b.SettingsJson,
        AssetsJson = JsonSerializer.Serialize([.. b.Assets], ManagementJsonContext.Default.ListBrandingAsset),
        CreatedAt = UnixTime.ToMs(b.CreatedAt),
        ModifiedAt = UnixTime.ToMs(b.ModifiedAt),
    };

    private sealed class Row
    {
        public string Id { get; set; } = "";
        public string UserPoolId { get; set; } = "";
        public string ClientId { get; set; } = "";
        public long UseCognito { get; set; }
        public string? SettingsJson { get; set; }
        public string? AssetsJson { get; set; }
        public long CreatedAt { get; set; }
        public long ModifiedAt { get; set; }

        public ManagedLoginBranding ToBranding() => new()
        {
            Id = Id, UserPoolId = UserPoolId, ClientId = ClientId, UseCognitoProvidedValues = UseCognito != 0, SettingsJson = SettingsJson,
            Assets = AssetsJson is null ? [] : JsonSerializer.Deserialize(AssetsJson, ManagementJsonContext.Default.ListBrandingAsset) ?? [],
            CreatedAt = UnixTime.FromMs(CreatedAt), ModifiedAt = UnixTime.FromMs(ModifiedAt),
        };
    }
}
