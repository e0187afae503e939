using Cognate.Core.IdentityProviders;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.IdentityProviders;

/// <summary>
/// ListIdentityProviders (API reference <c>API_ListIdentityProviders</c>): ProviderDescription items (name, type, dates in epoch
/// seconds) by name, MaxResults (0..60; 0 or absent: 60) per page, NextToken. Errors: ResourceNotFoundException (pool),
/// InvalidParameterException (malformed NextToken).
/// </summary>
[CognitoAction("ListIdentityProviders")]
internal static class ListIdentityProviders
{
    internal sealed record Request(string UserPoolId, int? MaxResults, string? NextToken);
    internal sealed record Response(List<ProviderDescription> Providers, string? NextToken);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var pool = await Callers.PoolAsync(ctx, r.UserPoolId);
        var page = await ctx.Get<IdentityProviderService>().ListAsync(pool, r.MaxResults, r.NextToken, ctx.Aborted);
        return new Response([.. page.Items.Select(ProviderDescription.From)], page.NextToken);
    }
}
