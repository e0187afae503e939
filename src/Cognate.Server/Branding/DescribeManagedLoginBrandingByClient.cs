using Cognate.Core.Branding;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Branding;

/// <summary>DescribeManagedLoginBrandingByClient: the style of one app client. Errors: ResourceNotFoundException.</summary>
[CognitoAction("DescribeManagedLoginBrandingByClient")]
internal static class DescribeManagedLoginBrandingByClient
{
    internal sealed record Request(string UserPoolId, string ClientId, bool? ReturnMergedResources);
    internal sealed record Response(ManagedLoginBrandingType ManagedLoginBranding);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var pool = await Callers.PoolAsync(ctx, r.UserPoolId);
        return new Response(ManagedLoginBrandingType.From(await ctx.Get<BrandingService>().GetBrandingByClientAsync(pool, r.ClientId, ctx.Aborted)));
    }
}
