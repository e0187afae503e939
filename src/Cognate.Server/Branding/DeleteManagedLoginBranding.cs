using Cognate.Core.Branding;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Branding;

/// <summary>DeleteManagedLoginBranding. Errors: ResourceNotFoundException.</summary>
[CognitoAction("DeleteManagedLoginBranding")]
internal static class DeleteManagedLoginBranding
{
    internal sealed record Request(string ManagedLoginBrandingId, string UserPoolId);

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var pool = await Callers.PoolAsync(ctx, r.UserPoolId);
        await ctx.Get<BrandingService>().DeleteBrandingAsync(pool, r.ManagedLoginBrandingId, ctx.Aborted);
        return EmptyResponse.Instance;
    }
}
