namespace Cognate.Core.Branding;

/// <summary>
/// Hosted UI (classic) customization of a pool (<see cref="ClientId"/> <c>ALL</c>) or of one app client (Cognito
/// <c>UICustomizationType</c>): a whitelisted CSS text and a PNG/JPEG logo.
/// </summary>
public sealed record UICustomization
{
    /// <summary>The client id used for the pool-wide customization.</summary>
    public const string AllClients = "ALL";
    /// <summary>Owning pool.</summary>
    public required string UserPoolId { get; init; }
    /// <summary>App client id, or <see cref="AllClients"/>.</summary>
    public required string ClientId { get; init; }
    /// <summary>The CSS, at most 131,072 characters, only Cognito's <c>*-customizable</c> classes.</summary>
    public string? Css { get; init; }
    /// <summary>Logo bytes (at most 100 KB), or null.</summary>
    public byte[]? Image { get; init; }
    /// <summary><c>png</c> or <c>jpeg</c> when <see cref="Image"/> is set.</summary>
    public string? ImageType { get; init; }
    /// <summary>Creation time, UTC.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>Last modification time, UTC.</summary>
    public required DateTimeOffset ModifiedAt { get; init; }
}

/// <summary>Stored UI customizations, keyed by (pool, client id or ALL).</summary>
public interface IUICustomizationStore
{
    /// <summary>The customization, or null.</summary>
    ValueTask<UICustomization?> GetAsync(string userPoolId, string clientId, CancellationToken ct = default);
    /// <summary>Inserts or replaces CSS, image and modification time (an existing row keeps its creation time).</summary>
    ValueTask SetAsync(UICustomization customization, CancellationToken ct = default);
}

/// <summary>A managed login branding asset (Cognito <c>AssetType</c>): an image or icon for one place and color mode.</summary>
/// <param name="Category">AssetCategoryType, e.g. <c>PAGE_HEADER_LOGO</c>, <c>FAVICON_ICO</c>.</param>
/// <param name="ColorMode">LIGHT, DARK or DYNAMIC.</param>
/// <param name="Extension">ICO, JPEG, PNG, SVG or WEBP.</param>
/// <param name="Bytes">The file, base64, or null.</param>
/// <param name="ResourceId">Optional id of the asset.</param>
public sealed record BrandingAsset(string Category, string ColorMode, string Extension, string? Bytes, string? ResourceId);

/// <summary>A managed login branding style of one app client (Cognito <c>ManagedLoginBrandingType</c>).</summary>
public sealed record ManagedLoginBranding
{
    /// <summary>UUID v4.</summary>
    public required string Id { get; init; }
    /// <summary>Owning pool.</summary>
    public required string UserPoolId { get; init; }
    /// <summary>The app client the style applies to (one style per client).</summary>
    public required string ClientId { get; init; }
    /// <summary>True: Cognito's default style, no Settings or Assets.</summary>
    public required bool UseCognitoProvidedValues { get; init; }
    /// <summary>The Settings document as JSON text, or null.</summary>
    public string? SettingsJson { get; init; }
    /// <summary>At most 40 assets.</summary>
    public required IReadOnlyList<BrandingAsset> Assets { get; init; }
    /// <summary>Creation time, UTC.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>Last modification time, UTC.</summary>
    public required DateTimeOffset ModifiedAt { get; init; }
}

/// <summary>Stored managed login brandings: unique by id and by (pool, client).</summary>
public interface IManagedLoginBrandingStore
{
    /// <summary>Inserts; false if the client already has a branding.</summary>
    ValueTask<bool> CreateAsync(ManagedLoginBranding branding, CancellationToken ct = default);
    /// <summary>The branding by id within the pool, or null.</summary>
    ValueTask<ManagedLoginBranding?> GetAsync(string userPoolId, string id, CancellationToken ct = default);
    /// <summary>The client's branding, or null.</summary>
    ValueTask<ManagedLoginBranding?> GetByClientAsync(string userPoolId, string clientId, CancellationToken ct = default);
    /// <summary>Replaces the flag, settings, assets and modification time; false if missing.</summary>
    ValueTask<bool> UpdateAsync(ManagedLoginBranding branding, CancellationToken ct = default);
    /// <summary>Deletes; false if missing.</summary>
    ValueTask<bool> DeleteAsync(string userPoolId, string id, CancellationToken ct = default);
}
