using System.Text.Json.Nodes;
using Cognate.Core.Branding;

namespace Cognate.Server.Branding;

/// <summary>Cognito <c>AssetType</c>: Bytes is base64 on the wire.</summary>
internal sealed record AssetType(string Category, string ColorMode, string Extension, byte[]? Bytes, string? ResourceId)
{
    public static List<BrandingAsset>? ToCore(List<AssetType>? assets) =>
        assets?.Select(a => new BrandingAsset(a.Category, a.ColorMode, a.Extension, a.Bytes is null ? null : Convert.ToBase64String(a.Bytes), a.ResourceId)).ToList();

    public static AssetType From(BrandingAsset a) =>
        new(a.Category, a.ColorMode, a.Extension, a.Bytes is null ? null : Convert.FromBase64String(a.Bytes), a.ResourceId);
}

/// <summary>Cognito <c>ManagedLoginBrandingType</c>: Settings is the stored JSON document as given.</summary>
internal sealed record ManagedLoginBrandingType(
    string ManagedLoginBrandingId, string UserPoolId, bool UseCognitoProvidedValues, JsonNode? Settings, List<AssetType> Assets,
    DateTimeOffset CreationDate, DateTimeOffset LastModifiedDate)
{
    public static ManagedLoginBrandingType From(ManagedLoginBranding b) => new(
        b.Id, b.UserPoolId, b.UseCognitoProvidedValues, b.SettingsJson is null ? null : JsonNode.Parse(b.SettingsJson),
        [.. b.Assets.Select(AssetType.From)], b.CreatedAt, b.ModifiedAt);

    public static string? SettingsText(JsonNode? settings) => settings?.ToJsonString();
}
