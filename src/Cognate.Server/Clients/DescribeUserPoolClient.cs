using Cognate.Core.Clients;
using Cognate.Server.Protocol;

namespace Cognate.Server.Clients;

/// <summary>DescribeUserPoolClient: the client of the pool, with its ClientSecret.</summary>
[CognitoAction("DescribeUserPoolClient")]
internal static class DescribeUserPoolClient
{
    internal sealed record Request
    {
        public string UserPoolId { get; init; } = "";
        public string ClientId { get; init; } = "";
    }

    internal sealed record Response(UserPoolClientType UserPoolClient);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request request)
    {
        var client = await ctx.Get<AppClientService>().GetAsync(request.UserPoolId, request.ClientId, ctx.Aborted).ConfigureAwait(false);
        return new Response(UserPoolClientType.From(client, includeSecret: true));
    }
}
