using Cognate.Core.Clients;
using Cognate.Core.Errors;
using Cognate.Core.OAuth;
using Cognate.Core.Pools;

namespace Cognate.Server.OAuth.Authorize;

/// <summary>
/// Validates the parameters of <c>/oauth2/authorize</c> and of every managed-login page that carries them
/// (<c>/login</c>, <c>/signup</c>, <c>/confirmUser</c>, <c>/forgotPassword</c>, …), in the order of docs/design/oauth-server.md §5
/// (items 1–7): client, redirect_uri, response_type, PKCE, scopes, state/nonce, prompt.
/// </summary>
/// <remarks>
/// Until the client and redirect_uri are trusted, every error is an <see cref="AuthorizeValidation.ErrorPage"/> (never a
/// redirect to an unvetted URL). After that, errors go back to the app as <see cref="AuthorizeValidation.RedirectError"/>:
/// <c>unsupported_response_type</c>, <c>unauthorized_client</c> (flow not allowed), <c>invalid_request</c> (PKCE, identity
/// provider, prompt, response_mode, request objects, oversized values), <c>invalid_scope</c> (no scope left).
/// </remarks>
public sealed class AuthorizeRequestValidator(IServiceProvider services)
{
    /// <summary>Longest <c>client_id</c> (Cognito's model: 128).</summary>
    const int MaxClientId = 128;
    /// <summary>Longest <c>redirect_uri</c> (a CallbackURL is at most 1024 characters).</summary>
    const int MaxRedirectUri = 1024;
    /// <summary>Longest value of any other parameter.</summary>
    const int MaxValue = 2048;

    /// <summary>Error page text: no or malformed client_id.</summary>
    public const string MissingClientIdMessage = "Required String parameter 'client_id' is not present";
    /// <summary>Error page text: unknown client, or a client that may not use the hosted flows.</summary>
    public const string InvalidClientMessage = "invalid_request: the client_id does not name an app client that may use OAuth 2.0 flows.";
    /// <summary>Error page text: no redirect_uri.</summary>
    public const string MissingRedirectUriMessage = "Required String parameter 'redirect_uri' is not present";
    /// <summary>Error page text: redirect_uri not one of the client's CallbackURLs (exact match).</summary>
    public const string RedirectMismatchMessage = "redirect_mismatch: the redirect_uri is not one of the app client's callback URLs.";

    static readonly HashSet<string> PromptValues = new(StringComparer.Ordinal) { "login", "none", "select_account", "consent" };
    static readonly HashSet<string> OpenIdDependent = new(StringComparer.Ordinal) { "email", "phone", "profile" };

    /// <summary>Validates <paramref name="parameters"/> (the query string's single values: client_id, response_type,
    /// redirect_uri, scope, state, nonce, code_challenge, code_challenge_method, identity_provider, idp_identifier, prompt,
    /// login_hint, lang).</summary>
    /// <returns><see cref="AuthorizeValidation.Valid"/>, <see cref="AuthorizeValidation.ErrorPage"/> or <see cref="AuthorizeValidation.RedirectError"/>.</returns>
    public async ValueTask<AuthorizeValidation> ValidateAsync(IReadOnlyDictionary<string, string> parameters, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var clientId = Get(parameters, "client_id");
        if (clientId is null || clientId.Length > MaxClientId || !clientId.All(static c => char.IsAsciiLetterOrDigit(c) || c is '_' or '+'))
        {
            return new AuthorizeValidation.ErrorPage(clientId is null ? MissingClientIdMessage : InvalidClientMessage);
        }
        AppClient client;
        UserPool pool;
        try
        {
            (client, pool) = await services.GetRequiredService<AppClientService>().GetWithPoolAsync(clientId, ct).ConfigureAwait(false);
        }
        catch (CognitoException ex) when (ex.Error.Type == "ResourceNotFoundException")
        {
            return new AuthorizeValidation.ErrorPage(InvalidClientMessage);
        }
        // A request that arrived by a pool's domain (Host header) serves only that pool's clients.
        if (services.GetService<IHttpContextAccessor>()?.HttpContext is { } http && await HostedDomains.PoolOfHostAsync(http, ct).ConfigureAwait(false) is { } hostPool
            && !string.Equals(hostPool, pool.Id, StringComparison.Ordinal))
        {
            return new AuthorizeValidation.ErrorPage(InvalidClientMessage);
        }
        return Validate(pool, client, parameters);
    }

    /// <summary>The rules after the client lookup, as a pure function of the client and the parameters (unit-tested).</summary>
    internal static AuthorizeValidation Validate(UserPool pool, AppClient client, IReadOnlyDictionary<string, string> parameters)
    {
        // 1. The client may use the hosted flows.
        if (client.Config.AllowedOAuthFlowsUserPoolClient != true || client.Config.SupportedIdentityProviders is not { Count: > 0 })
        {
            return new AuthorizeValidation.ErrorPage(InvalidClientMessage);
        }

        // 2. redirect_uri: exactly one of the CallbackURLs (ordinal: no case, slash, port or encoding leniency).
        var redirectUri = Get(parameters, "redirect_uri");
        if (redirectUri is null) return new AuthorizeValidation.ErrorPage(MissingRedirectUriMessage);
        if (redirectUri.Length > MaxRedirectUri || client.Config.CallbackURLs?.Contains(redirectUri, StringComparer.Ordinal) != true)
        {
            return new AuthorizeValidation.ErrorPage(RedirectMismatchMessage);
        }

        // From here on errors go back to the app, with the state echoed.
        var state = Get(parameters, "state");
        var responseType = Get(parameters, "response_type");
        bool fragment = responseType == "token";
        AuthorizeValidation Fail(string error, string? description = null) =>
            new AuthorizeValidation.RedirectError(redirectUri, error, description, state is { Length: <= MaxValue } ? state : null, fragment);

        if (parameters.Values.Any(static v => v.Length > MaxValue)) return Fail(OAuthErrors.InvalidRequest);

        // 3. response_type and the client's AllowedOAuthFlows.
        if (responseType is null) return Fail(OAuthErrors.InvalidRequest, "response_type is required");
        if (responseType is not ("code" or "token")) return Fail("unsupported_response_type");
        var flow = responseType == "code" ? "code" : "implicit";
        if (client.Config.AllowedOAuthFlows?.Contains(flow, StringComparer.Ordinal) != true) return Fail(OAuthErrors.UnauthorizedClient);
        if (Get(parameters, "response_mode") is { } mode && mode != (fragment ? "fragment" : "query")) return Fail(OAuthErrors.InvalidRequest);
        if (Get(parameters, "request") is not null) return Fail("request_not_supported");
        if (Get(parameters, "request_uri") is not null) return Fail("request_uri_not_supported");

        // 4. PKCE: S256 only; a challenge needs its method; none with the implicit grant.
        var challenge = Get(parameters, "code_challenge");
        var method = Get(parameters, "code_challenge_method");
        if (challenge is not null || method is not null)
        {
            if (fragment) return Fail(OAuthErrors.InvalidRequest);
            if (challenge is null || method is null) return Fail(OAuthErrors.InvalidRequest);
            if (method != Pkce.S256) return Fail(OAuthErrors.InvalidRequest);
            if (!Pkce.IsValidChallenge(challenge)) return Fail(OAuthErrors.InvalidRequest);
        }

        // 5. Scopes: requested ∩ allowed (others dropped, as Cognito); email/phone/profile only with openid; none left: invalid_scope.
        var scopes = ResolveScopes(client, Get(parameters, "scope"));
        if (scopes.Count == 0) return Fail(OAuthErrors.InvalidScope);

        // Identity provider: COGNITO or an external provider the client supports (AuthorizeEndpoint looks the latter up).
        var provider = Get(parameters, "identity_provider");
        if (provider is not null && !client.Config.SupportedIdentityProviders.Contains(provider, StringComparer.Ordinal))
        {
            return Fail(OAuthErrors.InvalidRequest);
        }
        if (Get(parameters, "idp_identifier") is not null) return Fail(OAuthErrors.InvalidRequest);

        // 7. prompt: login, none, select_account, consent (space separated); none stands alone (OIDC Core §3.1.2.1).
        var prompt = Get(parameters, "prompt");
        if (prompt is not null)
        {
            var values = prompt.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (values.Length == 0 || values.Any(v => !PromptValues.Contains(v)) || (values.Contains("none") && values.Length > 1)) return Fail(OAuthErrors.InvalidRequest);
        }

        var request = new AuthorizationRequest(client.ClientId, redirectUri, responseType, scopes, state, Get(parameters, "nonce"),
            challenge, challenge is null ? null : Pkce.S256, provider, prompt, Get(parameters, "login_hint"), Get(parameters, "lang"));
        return new AuthorizeValidation.Valid(pool, client, request);
    }

    /// <summary>
    /// The granted scopes: the requested ones (space separated, duplicates dropped, order kept) that the client's
    /// AllowedOAuthScopes contains — all of those when none is requested — less <c>email</c>, <c>phone</c> and <c>profile</c>
    /// when <c>openid</c> is not among them (reference §9.2, §9.7).
    /// </summary>
    internal static IReadOnlyList<string> ResolveScopes(AppClient client, string? requested)
    {
        var allowed = client.Config.AllowedOAuthScopes ?? [];
        var candidates = string.IsNullOrWhiteSpace(requested) ? allowed : (IEnumerable<string>)requested.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        List<string> granted = [];
        foreach (var s in candidates)
        {
            if (allowed.Contains(s, StringComparer.Ordinal) && !granted.Contains(s, StringComparer.Ordinal)) granted.Add(s);
        }
        if (!granted.Contains("openid", StringComparer.Ordinal)) granted.RemoveAll(OpenIdDependent.Contains);
        return granted;
    }

    static string? Get(IReadOnlyDictionary<string, string> parameters, string name) =>
        parameters.TryGetValue(name, out var v) && v.Length > 0 ? v : null;
}
