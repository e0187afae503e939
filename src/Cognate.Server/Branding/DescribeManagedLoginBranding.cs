using Cognate.Core.Branding;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Branding;

/// <summary>
/// DescribeManagedLoginBranding: the style by id. ReturnMergedResources is accepted; Cognate has no default style document to merge,
/// so the stored Settings and Assets are returned either way. Errors: ResourceNotFoundException.
/// </summary>
[CognitoAction("DescribeManagedLoginBranding")]
internal static class DescribeManagedLoginBranding
{
    internal sealed record Request(string UserPoolId, string ManagedLoginBrandingId, bool? ReturnMergedResources);
    internal sealed record Response(ManagedLoginBrandingType ManagedLoginBranding);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var pool = await Callers.PoolAsync(ctx, r.UserPoolId);
        return new Response(ManagedLoginBrandingType.From(await ctx.Get<BrandingService>().GetBrandingAsync(pool, r.ManagedLoginBrandingId, ctx.Aborted)));
    }
}
