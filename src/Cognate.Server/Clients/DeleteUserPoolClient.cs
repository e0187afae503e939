using Cognate.Core.Clients;
using Cognate.Server.Protocol;

namespace Cognate.Server.Clients;

/// <summary>DeleteUserPoolClient: deletes the client of the pool with its tokens and sessions.</summary>
[CognitoAction("DeleteUserPoolClient")]
internal static class DeleteUserPoolClient
{
    internal sealed record Request
    {
        public string UserPoolId { get; init; } = "";
        public string ClientId { get; init; } = "";
    }

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request request)
    {
        await ctx.Get<AppClientService>().DeleteAsync(request.UserPoolId, request.ClientId, ctx.Aborted).ConfigureAwait(false);
        return EmptyResponse.Instance;
    }
}
