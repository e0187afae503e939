using Cognate.Core.Clients;
using Cognate.Server.Protocol;

namespace Cognate.Server.Clients;

/// <summary>
/// UpdateUserPoolClient: full replacement of the client's settings (omitted ⇒ default, omitted
/// ClientName ⇒ unchanged); the secret is unchanged and echoed, as Cognito does.
/// </summary>
[CognitoAction("UpdateUserPoolClient")]
internal static class UpdateUserPoolClient
{
    internal sealed record Request : ClientSettings
    {
        public string ClientId { get; init; } = "";
    }

    internal sealed record Response(UserPoolClientType UserPoolClient);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request request)
    {
        var client = await ctx.Get<AppClientService>().UpdateAsync(request.UserPoolId, request.ClientId, request.ToConfig(), ctx.Aborted).ConfigureAwait(false);
        return new Response(UserPoolClientType.From(client, includeSecret: true));
    }
}
