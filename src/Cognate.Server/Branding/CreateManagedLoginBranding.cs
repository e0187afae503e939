using System.Text.Json.Nodes;
using Cognate.Core.Branding;
using Cognate.Core.Clients;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Branding;

/// <summary>
/// CreateManagedLoginBranding: the managed login style of one app client (one per client): Settings (a JSON document) and Assets
/// stored as given, or UseCognitoProvidedValues. Errors: ManagedLoginBrandingExistsException, InvalidParameterException,
/// ResourceNotFoundException (pool, client).
/// </summary>
[CognitoAction("CreateManagedLoginBranding")]
internal static class CreateManagedLoginBranding
{
    internal sealed record Request(string UserPoolId, string ClientId, bool? UseCognitoProvidedValues, JsonNode? Settings, List<AssetType>? Assets);
    internal sealed record Response(ManagedLoginBrandingType ManagedLoginBranding);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var pool = await Callers.PoolAsync(ctx, r.UserPoolId);
        await ctx.Get<AppClientService>().GetAsync(pool.Id, r.ClientId, ctx.Aborted);
        var b = await ctx.Get<BrandingService>().CreateBrandingAsync(pool, r.ClientId, r.UseCognitoProvidedValues ?? false,
            ManagedLoginBrandingType.SettingsText(r.Settings), AssetType.ToCore(r.Assets), ctx.Aborted);
        return new Response(ManagedLoginBrandingType.From(b));
    }
}
