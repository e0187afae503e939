using Cognate.Core.Branding;
using Cognate.Server.Protocol;

namespace Cognate.Server.Branding;

/// <summary>
/// Cognito <c>UICustomizationType</c>. <c>ImageUrl</c> points at <c>{server}/_ui/{poolId}/{clientId}/logo.{png|jpeg}</c> (served
/// with the managed login pages); <c>CSSVersion</c> is the last modification as <c>yyyyMMddHHmmss</c>.
/// </summary>
internal sealed record UICustomizationType
{
    public required string UserPoolId { get; init; }
    public required string ClientId { get; init; }
    public string? ImageUrl { get; init; }
    public string? CSS { get; init; }
    public string? CSSVersion { get; init; }
    public DateTimeOffset? LastModifiedDate { get; init; }
    public DateTimeOffset? CreationDate { get; init; }

    public static UICustomizationType From(ActionContext ctx, UICustomization c) => new()
    {
        UserPoolId = c.UserPoolId,
        ClientId = c.ClientId,
        ImageUrl = c.ImageType is { } t ? $"{ctx.PublicBaseUrl}/_ui/{c.UserPoolId}/{c.ClientId}/logo.{t}?v={c.ModifiedAt.ToUnixTimeMilliseconds()}" : null,
        CSS = c.Css,
        CSSVersion = c.ModifiedAt.UtcDateTime.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture),
        LastModifiedDate = c.ModifiedAt,
        CreationDate = c.CreatedAt,
    };
}
