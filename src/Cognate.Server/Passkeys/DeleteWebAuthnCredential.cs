using Cognate.Core.Errors;
using Cognate.Core.Passkeys;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Passkeys;

/// <summary>DeleteWebAuthnCredential: removes one of the access token user's passkeys; another id: ResourceNotFoundException.</summary>
[CognitoAction("DeleteWebAuthnCredential")]
internal static class DeleteWebAuthnCredential
{
    internal sealed record Request(string AccessToken, string CredentialId);

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var token = await Callers.TokenAsync(ctx, r.AccessToken);
        if (!await ctx.Get<PasskeyService>().DeleteAsync(token.User, r.CredentialId ?? "", ctx.Aborted)) throw CognitoErrors.ResourceNotFound("Credential not found.");
        return EmptyResponse.Instance;
    }
}
