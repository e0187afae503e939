using Cognate.Core.Clients;
using Cognate.Server.Protocol;

namespace Cognate.Server.Clients;

/// <summary>
/// DeleteUserPoolClientSecret: removes one of the client's secrets (SECRET_HASH and client authentication with it fail from
/// then on); empty answer. Errors: ResourceNotFoundException (pool, client or ClientSecretId), InvalidParameterException (the
/// client's last remaining secret).
/// </summary>
[CognitoAction("DeleteUserPoolClientSecret")]
internal static class DeleteUserPoolClientSecret
{
    internal sealed record Request(string UserPoolId, string ClientId, string ClientSecretId);

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request r)
    {
        await ctx.Get<ClientSecretService>().DeleteAsync(r.UserPoolId, r.ClientId, r.ClientSecretId, ctx.Aborted);
        return EmptyResponse.Instance;
    }
}
