using Cognate.Core.Clients;
using Cognate.Core.Errors;
using Cognate.Server.Protocol;

namespace Cognate.Server.Clients;

/// <summary>
/// ListUserPoolClientSecrets: the client's secrets (at most two, oldest first) as ClientSecretId and ClientSecretCreateDate,
/// never ClientSecretValue. One page: no NextToken is returned, and one given is InvalidParameterException. Errors:
/// ResourceNotFoundException (pool or client).
/// </summary>
[CognitoAction("ListUserPoolClientSecrets")]
internal static class ListUserPoolClientSecrets
{
    internal sealed record Request(string UserPoolId, string ClientId, string? NextToken);
    internal sealed record Response(List<ClientSecretDescriptorType> ClientSecrets);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var secrets = await ctx.Get<ClientSecretService>().ListAsync(r.UserPoolId, r.ClientId, ctx.Aborted);
        if (r.NextToken is not null) throw CognitoErrors.InvalidParameter("Invalid NextToken.");
        return new Response(secrets.Select(s => new ClientSecretDescriptorType(s.Id, null, s.CreatedAt)).ToList());
    }
}
