using Cognate.Core.Branding;
using Cognate.Core.Clients;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Branding;

/// <summary>
/// GetUICustomization: the client's own customization, else the pool's (ClientId <c>ALL</c>), else only
/// <c>{UserPoolId, ClientId}</c>. Errors: ResourceNotFoundException (pool, client).
/// </summary>
[CognitoAction("GetUICustomization")]
internal static class GetUICustomization
{
    internal sealed record Request(string UserPoolId, string? ClientId);
    internal sealed record Response(UICustomizationType UICustomization);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var pool = await Callers.PoolAsync(ctx, r.UserPoolId);
        if (r.ClientId is { } id && id != UICustomization.AllClients) await ctx.Get<AppClientService>().GetAsync(pool.Id, id, ctx.Aborted);
        var c = await ctx.Get<BrandingService>().GetUICustomizationAsync(pool, r.ClientId, ctx.Aborted);
        return new Response(c is null
            ? new UICustomizationType { UserPoolId = pool.Id, ClientId = string.IsNullOrEmpty(r.ClientId) ? UICustomization.AllClients : r.ClientId }
            : UICustomizationType.From(ctx, c));
    }
}
