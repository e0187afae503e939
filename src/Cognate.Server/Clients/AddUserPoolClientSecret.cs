using Cognate.Core.Clients;
using Cognate.Server.Protocol;

namespace Cognate.Server.Clients;

/// <summary>
/// AddUserPoolClientSecret: a second secret for a confidential app client (Cognito allows two, for rotation); from then on
/// SECRET_HASH and client authentication accept either. ClientSecret (24..64 of <c>[\w+]</c>) sets the value, otherwise one is
/// generated; the answer's ClientSecretValue is present only for a generated secret. Errors: ResourceNotFoundException,
/// InvalidParameterException (a client without a secret), LimitExceededException (two secrets already).
/// </summary>
[CognitoAction("AddUserPoolClientSecret")]
internal static class AddUserPoolClientSecret
{
    internal sealed record Request(string UserPoolId, string ClientId, string? ClientSecret)
    {
        /// <summary>Never prints the secret.</summary>
        public override string ToString() => $"Request {{ UserPoolId = {UserPoolId}, ClientId = {ClientId} }}";
    }

    internal sealed record Response(ClientSecretDescriptorType ClientSecretDescriptor);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var (secret, generated) = await ctx.Get<ClientSecretService>().AddAsync(r.UserPoolId, r.ClientId, r.ClientSecret, ctx.Aborted);
        return new Response(new ClientSecretDescriptorType(secret.IdFor(r.ClientId), generated ? secret.Value : null, secret.CreatedAt));
    }
}
