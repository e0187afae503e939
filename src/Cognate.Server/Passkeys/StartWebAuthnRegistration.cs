using System.Text.Json.Nodes;
using Cognate.Core.Passkeys;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Passkeys;

/// <summary>
/// StartWebAuthnRegistration: the CredentialCreationOptions (a JSON document: rp, user, challenge, pubKeyCredParams,
/// timeout, excludeCredentials, authenticatorSelection, extensions) for the user of the access token; the browser passes it
/// to <c>navigator.credentials.create</c>. Errors: WebAuthnNotEnabledException (the pool does not allow WEB_AUTHN),
/// WebAuthnConfigurationMissingException (no relying party id), NotAuthorizedException.
/// </summary>
[CognitoAction("StartWebAuthnRegistration")]
internal static class StartWebAuthnRegistration
{
    internal sealed record Request(string AccessToken);
    internal sealed record Response(JsonObject CredentialCreationOptions);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var token = await Callers.TokenAsync(ctx, r.AccessToken);
        return new Response(await ctx.Get<PasskeyService>().StartRegistrationAsync(token.Pool, token.User, ctx.Aborted));
    }
}
