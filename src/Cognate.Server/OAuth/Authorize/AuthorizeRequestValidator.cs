namespace Cognate.Server.OAuth.Authorize;

/// <summary>
/// Validates the parameters of <c>/oauth2/authorize</c> and of every managed-login page that carries them
/// (<c>/login</c>, <c>/signup</c>, <c>/confirmUser</c>, <c>/forgotPassword</c>, …), in the order of docs/design/oauth-server.md §5
/// (items 1–7): client, redirect_uri, response_type, PKCE, scopes, state/nonce, prompt.
/// </summary>
public sealed class AuthorizeRequestValidator(IServiceProvider services)
{
    /// <summary>Validates <paramref name="parameters"/> (the query string's single values: client_id, response_type,
    /// redirect_uri, scope, state, nonce, code_challenge, code_challenge_method, identity_provider, idp_identifier, prompt,
    /// login_hint, lang).</summary>
    /// <returns><see cref="AuthorizeValidation.Valid"/>, <see cref="AuthorizeValidation.ErrorPage"/> or <see cref="AuthorizeValidation.RedirectError"/>.</returns>
    public ValueTask<AuthorizeValidation> ValidateAsync(IReadOnlyDictionary<string, string> parameters, CancellationToken ct = default)
    {
        _ = services;
        throw new NotImplementedException("Issue 13, /oauth2/authorize: being written on branch authorize.");
    }
}
