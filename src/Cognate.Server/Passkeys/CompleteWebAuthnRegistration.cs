using System.Text.Json.Nodes;
using Cognate.Core.Passkeys;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Passkeys;

/// <summary>
/// CompleteWebAuthnRegistration: <c>Credential</c> is the browser's RegistrationResponseJSON (a JSON document) for the
/// registration StartWebAuthnRegistration began (single use). Errors: WebAuthnChallengeNotFoundException,
/// WebAuthnOriginNotAllowedException, WebAuthnRelyingPartyMismatchException, WebAuthnClientMismatchException,
/// WebAuthnCredentialNotSupportedException, WebAuthnNotEnabledException, NotAuthorizedException.
/// </summary>
[CognitoAction("CompleteWebAuthnRegistration")]
internal static class CompleteWebAuthnRegistration
{
    internal sealed record Request(string AccessToken, JsonNode? Credential);

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var token = await Callers.TokenAsync(ctx, r.AccessToken);
        await ctx.Get<PasskeyService>().CompleteRegistrationAsync(token.Pool, token.User, r.Credential, ctx.Aborted);
        return EmptyResponse.Instance;
    }
}
