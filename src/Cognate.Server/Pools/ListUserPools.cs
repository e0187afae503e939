using Cognate.Core.Pools;
using Cognate.Server.Protocol;

namespace Cognate.Server.Pools;

/// <summary>ListUserPools: pools ordered by id, MaxResults (1..60, required) per page, opaque NextToken.</summary>
[CognitoAction("ListUserPools")]
internal static class ListUserPools
{
    internal sealed record Request
    {
        public string? NextToken { get; init; }
        public int MaxResults { get; init; }
    }

    internal sealed record Response(List<UserPoolDescriptionType> UserPools, string? NextToken);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request request)
    {
        var page = await ctx.Get<UserPoolService>().ListAsync(request.MaxResults, request.NextToken, ctx.Aborted).ConfigureAwait(false);
        return new Response([.. page.Items.Select(UserPoolDescriptionType.From)], page.NextToken);
    }
}
