using Cognate.Core.Clients;
using Cognate.Server.Protocol;

namespace Cognate.Server.Clients;

/// <summary>ListUserPoolClients: the pool's clients ordered by id, MaxResults 1..60 (default 60), opaque NextToken.</summary>
[CognitoAction("ListUserPoolClients")]
internal static class ListUserPoolClients
{
    internal sealed record Request
    {
        public string UserPoolId { get; init; } = "";
        public int? MaxResults { get; init; }
        public string? NextToken { get; init; }
    }

    internal sealed record Response(List<UserPoolClientDescription> UserPoolClients, string? NextToken);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request request)
    {
        var page = await ctx.Get<AppClientService>().ListAsync(request.UserPoolId, request.MaxResults, request.NextToken, ctx.Aborted).ConfigureAwait(false);
        return new Response([.. page.Items.Select(c => new UserPoolClientDescription(c.ClientId, c.UserPoolId, c.Config.ClientName))], page.NextToken);
    }
}
