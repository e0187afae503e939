using Cognate.Core.Crypto;
using Cognate.Core.Errors;
using Cognate.Core.Federation;
using Cognate.Core.Federation.Saml;
using Cognate.Core.IdentityProviders;
using Cognate.Core.Pools;
using Cognate.Server.ManagedLogin;
using Cognate.Server.OAuth;
using Cognate.Server.OAuth.Authorize;

namespace Cognate.Server.Federation.Saml;

/// <summary>
/// Cognate as a SAML 2.0 service provider (AWS guide "SAML identity providers", "SAML session initiation", "SAML sign-out"):
/// <list type="bullet">
/// <item>SP-initiated: <c>/oauth2/authorize?identity_provider={SAML provider}</c> → <see cref="SamlUpstreamSignIn"/> redirects
/// with an AuthnRequest (HTTP-Redirect) and a sealed RelayState.</item>
/// <item><c>POST /saml2/idpresponse</c> (the ACS): the IdP's Response (HTTP-POST) is verified, the federated user signed in
/// (<see cref="FederatedUserService"/>) and the authorization request completed (<see cref="AuthorizeCompletion"/>). With a
/// RelayState that is not Cognate's own and <c>IDPInit=true</c>, an IdP-initiated sign-in whose RelayState holds the
/// authorization parameters (<c>client_id</c>, <c>redirect_uri</c>, <c>response_type</c>, <c>identity_provider</c>,
/// <c>scope</c>, <c>state</c>).</item>
/// <item><c>/logout</c> with a SAML session and <c>IDPSignout=true</c> sends a signed LogoutRequest; the IdP's LogoutResponse
/// comes back to <c>/saml2/logout</c> (POST, or GET for the redirect binding), then the browser goes where /logout was told.</item>
/// </list>
/// Every refusal renders the error page (HTTP 400) with Cognito's message, never a redirect, and logs the reason — never the assertion.
/// </summary>
internal static partial class SamlEndpoints
{
    /// <summary>Path of the assertion consumer service.</summary>
    public const string AcsPath = "/saml2/idpresponse";
    /// <summary>Path the IdP's LogoutResponse comes back to.</summary>
    public const string LogoutPath = "/saml2/logout";

    public static IEndpointRouteBuilder MapSaml(this IEndpointRouteBuilder app)
    {
        app.MapPost(AcsPath, static async (HttpContext http) => await (await IdpResponseAsync(http)).ExecuteAsync(http))
            .WithMetadata(new Microsoft.AspNetCore.Cors.DisableCorsAttribute()).DisableAntiforgery();
        app.MapMethods(LogoutPath, ["GET", "POST"], static async (HttpContext http) => await (await LogoutResponseAsync(http)).ExecuteAsync(http))
            .WithMetadata(new Microsoft.AspNetCore.Cors.DisableCorsAttribute()).DisableAntiforgery();
        return app;
    }

    /// <summary>The pool's ACS URL as seen by this request: <c>{scheme}://{host}{pathBase}/saml2/idpresponse</c>.</summary>
    public static string AcsUrl(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}{AcsPath}";

    static async Task<IResult> IdpResponseAsync(HttpContext http)
    {
        var ct = http.RequestAborted;
        var services = http.RequestServices;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Cognate.Saml");
        var form = await OAuthEndpoints.ReadFormAsync(http.Request);
        var samlResponse = form?["SAMLResponse"].ToString();
        if (string.IsNullOrEmpty(samlResponse)) return ErrorPage.Render("Required String parameter 'SAMLResponse' is not present");
        if (samlResponse.Length > SamlResponseValidator.MaxResponseCharacters) return Refuse(logger, "Invalid SAML response received: The SAML response is too large.");
        var relay = form!["RelayState"].ToString();
        if (relay.Length == 0) relay = form["Relaystate"].ToString();
        var protector = services.GetRequiredService<MasterKeyProtector>();
        var time = services.GetRequiredService<TimeProvider>();

        // SP-initiated (Cognate's sealed RelayState) or IdP-initiated (the authorization parameters in the RelayState).
        Dictionary<string, string> parameters;
        string? inResponseTo;
        string providerName;
        var state = SamlRelayState.Open(protector, relay, time.GetUtcNow());
        if (state is { Kind: "in" })
        {
            if (!SamlBrowserBinding.Matches(http, state.BindingHash)) return Refuse(logger, "Invalid relayState from identity provider");
            (parameters, inResponseTo, providerName) = (state.Parameters, state.RequestId, state.ProviderName);
        }
        else if (IdpInitiatedParameters(relay) is { } idpInit)
        {
            parameters = idpInit;
            inResponseTo = null;
            providerName = idpInit.GetValueOrDefault("identity_provider") ?? "";
            if (providerName.Length == 0 && idpInit.Remove("idp_identifier", out var identifier) && await ProviderByIdentifierAsync(http, idpInit, identifier, ct) is { } named)
            {
                providerName = named;
            }
        }
        else
        {
            return Refuse(logger, "Invalid relayState from identity provider");
        }

        var validation = await services.GetRequiredService<AuthorizeRequestValidator>().ValidateAsync(parameters, ct);
        if (validation is not AuthorizeValidation.Valid valid)
        {
            return validation is AuthorizeValidation.ErrorPage page ? ErrorPage.Render(page.Message) : Refuse(logger, "Invalid relayState from identity provider");
        }
        var store = services.GetService<IIdentityProviderStore>();
        var provider = store is null || providerName.Length == 0 ? null : await store.GetAsync(valid.Pool.Id, providerName, ct);
        if (provider is not { ProviderType: IdentityProviderTypes.Saml }
            || valid.Client.Config.SupportedIdentityProviders?.Contains(provider.ProviderName, StringComparer.Ordinal) != true)
        {
            return Refuse(logger, "Invalid identity provider in relayState");
        }

        SamlAssertion assertion;
        try
        {
            assertion = await services.GetRequiredService<SamlSignIn>().ValidateAsync(valid.Pool, provider, samlResponse, AcsUrl(http), inResponseTo, ct);
        }
        catch (SamlException e)
        {
            return Refuse(logger, e.Message);
        }

        Cognate.Core.Users.User user;
        try
        {
            var result = await services.GetRequiredService<FederatedUserService>().SignInAsync(valid.Pool, provider, SamlSignIn.Profile(assertion), valid.Client.ClientId, ct);
            user = result.User;
        }
        catch (CognitoException e)
        {
            LogFederationRefused(logger, e.Error.Type);
            return ErrorPage.Render(e.Error.Message);
        }
        var now = time.GetUtcNow();
        new SamlSession(provider.ProviderName, assertion.NameId, assertion.NameIdFormat, assertion.SessionIndex)
            .Write(http, protector, valid.Pool.Id, ManagedLoginSessions.Lifetime);
        return await services.GetRequiredService<AuthorizeCompletion>().CompleteAsync(http, valid, user, now, ct: ct);
    }

    /// <summary>
    /// IdP-initiated: the RelayState as form-encoded authorization parameters; null unless it names at least a client,
    /// a redirect_uri, a response_type and an identity_provider.
    /// </summary>
    internal static Dictionary<string, string>? IdpInitiatedParameters(string relay)
    {
        if (string.IsNullOrEmpty(relay) || relay.Length > 8192 || !relay.Contains('=', StringComparison.Ordinal)) return null;
        var parsed = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(relay.StartsWith('?') ? relay : "?" + relay);
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in parsed)
        {
            if (values.Count != 1) return null;
            if (Array.IndexOf(PageContext.OAuthParameters, name) >= 0) parameters[name] = values[0] ?? "";
        }
        foreach (var required in (string[])["client_id", "redirect_uri", "response_type"])
        {
            if (string.IsNullOrEmpty(parameters.GetValueOrDefault(required))) return null;
        }
        return string.IsNullOrEmpty(parameters.GetValueOrDefault("identity_provider")) && string.IsNullOrEmpty(parameters.GetValueOrDefault("idp_identifier")) ? null : parameters;
    }

    /// <summary>IdP-initiated with <c>idp_identifier</c>: the name of the client's pool's provider that owns it, or null.</summary>
    static async ValueTask<string?> ProviderByIdentifierAsync(HttpContext http, Dictionary<string, string> parameters, string identifier, CancellationToken ct)
    {
        if (identifier.Length is 0 or > 40 || http.RequestServices.GetService<IIdentityProviderStore>() is not { } store) return null;
        try
        {
            var (_, pool) = await http.RequestServices.GetRequiredService<Cognate.Core.Clients.AppClientService>().GetWithPoolAsync(parameters["client_id"], ct);
            return (await store.GetByIdentifierAsync(pool.Id, identifier, ct))?.ProviderName;
        }
        catch (CognitoException)
        {
            return null;
        }
    }

    /// <summary>
    /// <c>/logout</c>'s hook: when the browser has a SAML session with a provider whose <c>IDPSignout</c> is true and whose
    /// metadata names a SingleLogoutService, the redirect to the IdP with a signed LogoutRequest (the final
    /// <paramref name="target"/> sealed in the RelayState); otherwise null. The SAML session cookie is cleared either way.
    /// </summary>
    public static async ValueTask<IResult?> TrySignOutAsync(HttpContext http, UserPool pool, string clientId, string target, CancellationToken ct)
    {
        var services = http.RequestServices;
        var protector = services.GetRequiredService<MasterKeyProtector>();
        var session = SamlSession.Read(http, protector, pool.Id);
        if (session is null) return null;
        SamlSession.Clear(http, pool.Id);
        var provider = services.GetService<IIdentityProviderStore>() is { } store ? await store.GetAsync(pool.Id, session.ProviderName, ct) : null;
        if (provider is not { ProviderType: IdentityProviderTypes.Saml } || !SamlDetails.Flag(provider.ProviderDetails, SamlDetails.IdpSignout)) return null;
        var time = services.GetRequiredService<TimeProvider>();
        try
        {
            var requestId = SamlRedirectBinding.NewId();
            var relay = new SamlRelayState("out", clientId, provider.ProviderName, requestId, new Dictionary<string, string>(StringComparer.Ordinal) { ["target"] = target },
                time.GetUtcNow().ToUnixTimeSeconds(), SamlBrowserBinding.Ensure(http)).Seal(protector);
            var logout = await services.GetRequiredService<SamlSignIn>().LogoutAsync(pool, provider, session.NameId, session.NameIdFormat, session.SessionIndex, relay, requestId, ct);
            if (logout is null) return null;
            http.Response.Headers.CacheControl = "no-store";
            return Microsoft.AspNetCore.Http.Results.Redirect(logout.Value.Url);
        }
        catch (SamlException e)
        {
            LogRefused(services.GetRequiredService<ILoggerFactory>().CreateLogger("Cognate.Saml"), e.Message);
            return null;
        }
    }

    static async Task<IResult> LogoutResponseAsync(HttpContext http)
    {
        var services = http.RequestServices;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Cognate.Saml");
        string? samlResponse, relay;
        bool deflated;
        if (HttpMethods.IsPost(http.Request.Method))
        {
            var form = await OAuthEndpoints.ReadFormAsync(http.Request);
            (samlResponse, relay, deflated) = (form?["SAMLResponse"].ToString(), form?["RelayState"].ToString(), false);
        }
        else
        {
            (samlResponse, relay, deflated) = (http.Request.Query["SAMLResponse"].ToString(), http.Request.Query["RelayState"].ToString(), true);
        }
        var protector = services.GetRequiredService<MasterKeyProtector>();
        var state = SamlRelayState.Open(protector, relay, services.GetRequiredService<TimeProvider>().GetUtcNow());
        if (state is not { Kind: "out" } || !SamlBrowserBinding.Matches(http, state.BindingHash)) return Refuse(logger, "Invalid relayState from identity provider");
        if (string.IsNullOrEmpty(samlResponse)) return ErrorPage.Render("Required String parameter 'SAMLResponse' is not present");
        var target = state.Parameters.GetValueOrDefault("target");
        if (string.IsNullOrEmpty(target)) return Refuse(logger, "Invalid relayState from identity provider");
        UserPool pool;
        try { (_, pool) = await services.GetRequiredService<Cognate.Core.Clients.AppClientService>().GetWithPoolAsync(state.ClientId, http.RequestAborted); }
        catch (CognitoException) { return ErrorPage.Render(AuthorizeRequestValidator.InvalidClientMessage); }
        var provider = services.GetService<IIdentityProviderStore>() is { } store ? await store.GetAsync(pool.Id, state.ProviderName, http.RequestAborted) : null;
        if (provider is null) return Refuse(logger, "Invalid identity provider in relayState");
        try
        {
            await services.GetRequiredService<SamlSignIn>().CheckLogoutResponseAsync(provider, samlResponse, deflated, state.RequestId, http.RequestAborted);
        }
        catch (SamlException e)
        {
            return Refuse(logger, e.Message);
        }
        http.Response.Headers.CacheControl = "no-store";
        return Microsoft.AspNetCore.Http.Results.Redirect(target);
    }

    static IResult Refuse(ILogger logger, string message)
    {
        LogRefused(logger, message);
        return ErrorPage.Render(message);
    }

    [LoggerMessage(EventId = 1501, Level = LogLevel.Information, Message = "SAML response refused: {Reason}")]
    static partial void LogRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Information, Message = "Federated sign-in refused after a valid SAML response: {ErrorType}")]
    static partial void LogFederationRefused(ILogger logger, string errorType);
}

/// <summary>SP-initiated SAML sign-in: the AuthnRequest redirect with a sealed, browser-bound RelayState.</summary>
internal sealed class SamlUpstreamSignIn(SamlSignIn saml, MasterKeyProtector protector, TimeProvider time) : IUpstreamSignIn
{
    public bool Handles(string providerType) => providerType == IdentityProviderTypes.Saml;

    public async ValueTask<IResult> StartAsync(HttpContext http, AuthorizeValidation.Valid request, IdentityProvider provider, CancellationToken ct)
    {
        var (parameters, _) = AuthorizeEndpoint.QueryParameters(http.Request);
        var kept = parameters.Where(p => Array.IndexOf(PageContext.OAuthParameters, p.Key) >= 0).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var binding = SamlBrowserBinding.Ensure(http);
        var now = time.GetUtcNow();
        try
        {
            var requestId = SamlRedirectBinding.NewId();
            var relay = new SamlRelayState("in", request.Client.ClientId, provider.ProviderName, requestId, kept, now.ToUnixTimeSeconds(), binding).Seal(protector);
            var (url, _) = await saml.StartAsync(request.Pool, provider, SamlEndpoints.AcsUrl(http), relay, requestId, ct);
            http.Response.Headers.CacheControl = "no-store";
            return Microsoft.AspNetCore.Http.Results.Redirect(url);
        }
        catch (SamlException e)
        {
            return ErrorPage.Render(e.Message);
        }
    }
}
