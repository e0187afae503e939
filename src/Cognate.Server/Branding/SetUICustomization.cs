using Cognate.Core.Branding;
using Cognate.Core.Clients;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Branding;

/// <summary>
/// SetUICustomization: the hosted UI (classic) CSS and logo of the pool (ClientId omitted or <c>ALL</c>) or of one client, replaced
/// together. The pool needs a domain. CSS may only style Cognito's <c>*-customizable</c> classes; ImageFile is a PNG or JPEG of at
/// most 100 KB. Errors: InvalidParameterException, ResourceNotFoundException (pool, client).
/// </summary>
[CognitoAction("SetUICustomization")]
internal static class SetUICustomization
{
    internal sealed record Request(string UserPoolId, string? ClientId, string? CSS, byte[]? ImageFile);
    internal sealed record Response(UICustomizationType UICustomization);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var pool = await Callers.PoolAsync(ctx, r.UserPoolId);
        if (r.ClientId is { } id && id != UICustomization.AllClients) await ctx.Get<AppClientService>().GetAsync(pool.Id, id, ctx.Aborted);
        var c = await ctx.Get<BrandingService>().SetUICustomizationAsync(pool, r.ClientId, r.CSS, r.ImageFile, ctx.Aborted);
        return new Response(UICustomizationType.From(ctx, c));
    }
}
