using System.Text.Json.Nodes;
using Cognate.Core.Branding;
using Cognate.Core.Errors;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Branding;

/// <summary>
/// UpdateManagedLoginBranding: UseCognitoProvidedValues true resets the style to Cognito's values; otherwise given Settings / Assets
/// replace the stored ones. UserPoolId and ManagedLoginBrandingId are optional in the model but required here.
/// Errors: ResourceNotFoundException, InvalidParameterException.
/// </summary>
[CognitoAction("UpdateManagedLoginBranding")]
internal static class UpdateManagedLoginBranding
{
    internal sealed record Request(string? UserPoolId, string? ManagedLoginBrandingId, bool? UseCognitoProvidedValues, JsonNode? Settings, List<AssetType>? Assets);
    internal sealed record Response(ManagedLoginBrandingType ManagedLoginBranding);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        if (r.UserPoolId is null) throw CognitoErrors.RequiredMember("userPoolId");
        if (r.ManagedLoginBrandingId is null) throw CognitoErrors.RequiredMember("managedLoginBrandingId");
        var pool = await Callers.PoolAsync(ctx, r.UserPoolId);
        var b = await ctx.Get<BrandingService>().UpdateBrandingAsync(pool, r.ManagedLoginBrandingId, r.UseCognitoProvidedValues,
            ManagedLoginBrandingType.SettingsText(r.Settings), AssetType.ToCore(r.Assets), ctx.Aborted);
        return new Response(ManagedLoginBrandingType.From(b));
    }
}
