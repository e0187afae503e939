using Cognate.Core.Errors;
using Cognate.Core.OAuth;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Auth;

/// <summary>
/// GetClientToken: a machine-to-machine access token for a confidential app client, from its id and secret (the Cognito
/// API's twin of the <c>client_credentials</c> grant, sharing its code: <see cref="OAuthTokenService.ClientTokenAsync"/>).
/// Unsigned: Cognito evaluates no IAM policy for it; the client secret authorizes the call. The client needs a secret and
/// <c>ALLOW_CLIENT_TOKEN_AUTH</c> as its only ExplicitAuthFlows value; <c>Scopes</c> must be custom scopes in its
/// AllowedOAuthScopes (none: all of them). <c>ClientMetadata</c> goes to the pool's PreTokenGeneration V3_0 function
/// (<c>TokenGeneration_ClientCredentials</c>), which may add claims and scopes to the token.
/// Errors: <c>ResourceNotFoundException</c> (unknown client), <c>NotAuthorizedException</c> (wrong secret, or a public
/// client), <c>InvalidParameterException</c> (flow not enabled, a scope not allowed, no custom scope to grant).
/// </summary>
[CognitoAction("GetClientToken")]
internal static class GetClientToken
{
    internal sealed record Request(string ClientId, string Secret, List<string>? Scopes, Dictionary<string, string>? ClientMetadata)
    {
        /// <summary>Never prints the secret.</summary>
        public override string ToString() => $"GetClientToken.Request {{ ClientId = {ClientId}, Scopes = {Scopes?.Count ?? 0} }}";
    }

    /// <summary>ClientAuthenticationResultType.</summary>
    internal sealed record ClientAuthenticationResultType(string AccessToken, int ExpiresIn, string TokenType);

    internal sealed record Response(ClientAuthenticationResultType ClientAuthenticationResult);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var (client, pool) = await Callers.ClientAsync(ctx, r.ClientId);
        // Constant time over SHA-256 digests; a public client presenting any secret fails here too.
        if (!ClientAuthentication.Verify(client, r.Secret)) throw CognitoErrors.NotAuthorized($"Unable to verify secret for client {client.ClientId}");
        var outcome = await ctx.Get<OAuthTokenService>().ClientTokenAsync(new AuthenticatedClient(client, pool), r.Scopes, Callers.Issuer(ctx, pool), r.ClientMetadata, ctx.Aborted);
        if (!outcome.Succeeded)
        {
            throw outcome.Error!.Error == OAuthErrors.InvalidScope
                ? CognitoErrors.InvalidParameter("Invalid scope requested: each scope must be a resource-server scope allowed for this client, and the client must have at least one.")
                : CognitoErrors.InvalidParameter("Client token auth flow not enabled for this client: ExplicitAuthFlows must be ALLOW_CLIENT_TOKEN_AUTH.");
        }
        var token = outcome.Value!;
        return new Response(new ClientAuthenticationResultType(token.AccessToken, token.ExpiresIn, token.TokenType));
    }
}
