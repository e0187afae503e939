using Cognate.Core.Clients;
using Cognate.Server.Protocol;

namespace Cognate.Server.Clients;

/// <summary>CreateUserPoolClient: a new app client with defaults filled; the response includes the ClientSecret.</summary>
[CognitoAction("CreateUserPoolClient")]
internal static class CreateUserPoolClient
{
    internal sealed record Request : ClientSettings
    {
        public bool? GenerateSecret { get; init; }
        public string? ClientSecret { get; init; }
    }

    internal sealed record Response(UserPoolClientType UserPoolClient);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request request)
    {
        var client = await ctx.Get<AppClientService>()
            .CreateAsync(request.UserPoolId, request.ToConfig(), request.GenerateSecret ?? false, request.ClientSecret, ct: ctx.Aborted)
            .ConfigureAwait(false);
        return new Response(UserPoolClientType.From(client, includeSecret: true));
    }
}
