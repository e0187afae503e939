using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cognate.Core.Crypto;
using Cognate.Core.Errors;
using Cognate.Core.Federation;
using Cognate.Core.IdentityProviders;
using Cognate.Core.OAuth;
using Cognate.Server.ManagedLogin;
using Cognate.Server.OAuth.Authorize;

namespace Cognate.Server.Federation;

/// <summary>
/// Federated sign-in through an OIDC provider or a social provider (Google, Facebook, Login with Amazon, Sign in with Apple)
/// from the managed login (AWS guide "OIDC user pool IdP authentication flow", "The identity provider response endpoint",
/// "Using social identity providers"; reference §9.1):
/// <list type="number">
/// <item><see cref="ResolveAsync"/> — which provider <c>/oauth2/authorize</c> goes to: <c>identity_provider</c> (a name of the
/// client's SupportedIdentityProviders), <c>idp_identifier</c> (one of a provider's IdpIdentifiers), or the client's only
/// provider when it does not offer COGNITO.</item>
/// <item><see cref="StartAsync"/> / <see cref="Start"/> — 302 to the provider's <c>authorize_url</c> with <c>response_type=code</c>, its client_id,
/// <c>redirect_uri={this host}/oauth2/idpresponse</c>, <c>scope=authorize_scopes</c>, a sealed <see cref="FederationState"/>,
/// a nonce and PKCE S256.</item>
/// <item><c>GET|POST /oauth2/idpresponse</c> — the state checked (expired, forged, replayed or from another browser: the error
/// page), the provider's <c>error</c> sent on to the app, the code exchanged and the ID token verified
/// (<see cref="UpstreamOAuthClient"/>), userInfo merged, then <see cref="FederatedUserService.SignInAsync"/> and
/// <see cref="AuthorizeCompletion.CompleteAsync"/> (session cookie + code or tokens for the app).</item>
/// </list>
/// </summary>
internal static partial class FederationEndpoints
{
    /// <summary>The path of the provider callback (Cognito's).</summary>
    public const string CallbackPath = "/oauth2/idpresponse";

    /// <summary>The error page's message for a state that is missing, forged, expired, replayed or from another browser.</summary>
    public const string StateMessage = "Your sign-in session is invalid or has expired. Start again.";

    /// <summary>Maps <c>GET|POST /oauth2/idpresponse</c>.</summary>
    public static IEndpointRouteBuilder MapFederation(this IEndpointRouteBuilder app)
    {
        app.MapMethods(CallbackPath, ["GET", "POST"], static async (HttpContext http) => await (await CallbackAsync(http)).ExecuteAsync(http))
            .DisableAntiforgery()
            .WithMetadata(new Microsoft.AspNetCore.Cors.DisableCorsAttribute());
        return app;
    }

    /// <summary>Where a valid authorization request goes.</summary>
    internal abstract record Route
    {
        Route() { }
        /// <summary>Cognate's own sign-in (the <c>/login</c> page or a live session).</summary>
        public sealed record Native : Route;
        /// <summary>An upstream provider; <paramref name="Explicit"/> when the request named it (identity_provider / idp_identifier).</summary>
        public sealed record Upstream(IdentityProvider Provider, bool Explicit) : Route;
        /// <summary>The request named a provider that cannot be used: send this answer.</summary>
        public sealed record Refused(IResult Answer) : Route;
    }

    /// <summary>The route of a valid authorization request: <c>identity_provider</c>, then <c>idp_identifier</c>, then the
    /// client's only provider when COGNITO is not among its SupportedIdentityProviders.</summary>
    public static async ValueTask<Route> ResolveAsync(HttpContext http, AuthorizeValidation.Valid valid, IReadOnlyDictionary<string, string> parameters, CancellationToken ct)
    {
        var (pool, client, request) = (valid.Pool, valid.Client, valid.Request);
        var supported = client.Config.SupportedIdentityProviders ?? [];
        var store = http.RequestServices.GetService<IIdentityProviderStore>();
        bool fragment = request.ResponseType == "token";
        Route Refuse(string description) => new Route.Refused(AuthorizeCompletion.Redirect(
            new AuthorizeValidation.RedirectError(request.RedirectUri, OAuthErrors.InvalidRequest, description, request.State, fragment)));

        if (request.IdentityProvider is { } named && named != "COGNITO")
        {
            var provider = store is null ? null : await store.GetAsync(pool.Id, named, ct).ConfigureAwait(false);
            return provider is null ? Refuse("The identity provider does not exist.") : new Route.Upstream(provider, true);
        }
        if (request.IdentityProvider is null && parameters.TryGetValue("idp_identifier", out var identifier) && identifier.Length > 0)
        {
            var provider = store is null ? null : await store.GetByIdentifierAsync(pool.Id, identifier, ct).ConfigureAwait(false);
            if (provider is null || !supported.Contains(provider.ProviderName, StringComparer.Ordinal)) return Refuse("No identity provider of this app client has that identifier.");
            return new Route.Upstream(provider, true);
        }
        if (request.IdentityProvider is null && supported.Count == 1 && supported[0] != "COGNITO")
        {
            var provider = store is null ? null : await store.GetAsync(pool.Id, supported[0], ct).ConfigureAwait(false);
            return provider is null ? Refuse("The identity provider does not exist.") : new Route.Upstream(provider, false);
        }
        return new Route.Native();
    }

    /// <summary>
    /// The start of the upstream sign-in through the protocol registered for the provider's type (<see cref="IUpstreamSignIn"/>:
    /// <see cref="OAuthUpstreamSignIn"/> for OIDC and the social providers, the SAML flow for SAML), or the
    /// <c>invalid_request</c> redirect when no protocol handles it.
    /// </summary>
    public static async ValueTask<IResult> StartAsync(HttpContext http, AuthorizeValidation.Valid valid, IdentityProvider provider, CancellationToken ct)
    {
        var r = valid.Request;
        return await UpstreamSignIns.StartAsync(http, valid, provider, ct)
            ?? AuthorizeCompletion.Redirect(new AuthorizeValidation.RedirectError(r.RedirectUri, OAuthErrors.InvalidRequest,
                $"Sign-in through {provider.ProviderType} providers is not available.", r.State, r.ResponseType == "token"));
    }

    /// <summary>
    /// The authorization request's parameters as the upstream state keeps them, rebuilt from the validated request (validating
    /// them again gives the same request: the granted scopes are a subset of what was asked).
    /// </summary>
    internal static Dictionary<string, string> ParametersOf(AuthorizationRequest r)
    {
        var p = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["client_id"] = r.ClientId,
            ["response_type"] = r.ResponseType,
            ["redirect_uri"] = r.RedirectUri,
            ["scope"] = string.Join(' ', r.Scopes),
        };
        void Add(string name, string? value) { if (value is not null) p[name] = value; }
        Add("state", r.State);
        Add("nonce", r.Nonce);
        Add("code_challenge", r.CodeChallenge);
        Add("code_challenge_method", r.CodeChallengeMethod);
        Add("prompt", r.Prompt);
        Add("login_hint", r.LoginHint);
        Add("lang", r.Lang);
        return p;
    }

    /// <summary>302 to the provider's authorization endpoint, with the sealed state bound to this browser.</summary>
    public static IResult Start(HttpContext http, AuthorizeValidation.Valid valid, IdentityProvider provider)
    {
        var request = valid.Request;
        bool fragment = request.ResponseType == "token";
        IResult Refuse(string description) => AuthorizeCompletion.Redirect(
            new AuthorizeValidation.RedirectError(request.RedirectUri, OAuthErrors.InvalidRequest, description, request.State, fragment));

        if (!IdentityProviderTypes.IsOAuth(provider.ProviderType)) return Refuse("This provider does not sign in with OAuth 2.0.");
        var authorizeUrl = provider.Detail("authorize_url");
        var upstreamClientId = provider.Detail("client_id");
        if (!Uri.TryCreate(authorizeUrl, UriKind.Absolute, out var authorize) || authorize.Scheme is not ("https" or "http") || string.IsNullOrEmpty(upstreamClientId))
        {
            return Refuse($"{provider.ProviderName} Error - the provider has no authorize_url or client_id.");
        }

        var services = http.RequestServices;
        var now = (services.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow();
        var binding = FederationBinding.Ensure(http);
        string? nonce = UpstreamOAuthClient.IssuesIdToken(provider.ProviderType) ? Random() : null;
        string? verifier = provider.ProviderType == IdentityProviderTypes.SignInWithApple ? null : Random();
        var kept = ParametersOf(request);
        var state = new FederationState(valid.Client.ClientId, kept, provider.ProviderName, nonce, verifier, now.ToUnixTimeSeconds(),
            FederationState.HashBinding(binding), Random()).Seal(services.GetRequiredService<MasterKeyProtector>());

        var query = new List<(string, string?)>
        {
            ("response_type", "code"),
            ("client_id", upstreamClientId),
            ("redirect_uri", CallbackUrl(http)),
            ("scope", provider.Detail("authorize_scopes")),
            ("state", state),
            ("nonce", nonce),
        };
        if (verifier is not null)
        {
            query.Add(("code_challenge", Pkce.ChallengeOf(verifier)));
            query.Add(("code_challenge_method", Pkce.S256));
        }
        // Apple returns name and email only with response_mode=form_post (a cross-site POST to /oauth2/idpresponse).
        if (provider.ProviderType == IdentityProviderTypes.SignInWithApple) query.Add(("response_mode", "form_post"));
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.Pragma = "no-cache";
        return Results.Redirect(AuthorizeCompletion.Append(authorizeUrl!, '?', query));
    }

    /// <summary>The callback URL registered at the provider: this request's scheme, host and path base + <c>/oauth2/idpresponse</c>.</summary>
    internal static string CallbackUrl(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}{CallbackPath}";

    static string Random() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary><c>GET|POST /oauth2/idpresponse</c>.</summary>
    internal static async Task<IResult> CallbackAsync(HttpContext http)
    {
        var services = http.RequestServices;
        var ct = http.RequestAborted;
        if (!services.GetRequiredService<RateLimiting.RequestQuotas>().TryAcquireHosted(http))
        {
            return Results.Text("Too many requests.", "text/plain", statusCode: StatusCodes.Status429TooManyRequests);
        }
        Dictionary<string, string> p;
        if (HttpMethods.IsPost(http.Request.Method))
        {
            var form = await OAuth.OAuthEndpoints.ReadFormAsync(http.Request);
            if (form is null) return ErrorPage.Render(StateMessage);
            p = form.Where(static f => f.Value.Count == 1).ToDictionary(static f => f.Key, static f => f.Value[0] ?? "", StringComparer.Ordinal);
        }
        else
        {
            p = http.Request.Query.Where(static q => q.Value.Count == 1).ToDictionary(static q => q.Key, static q => q.Value[0] ?? "", StringComparer.Ordinal);
        }

        var now = (services.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow();
        var state = FederationState.Open(services.GetRequiredService<MasterKeyProtector>(), p.GetValueOrDefault("state"), FederationBinding.Read(http), now);
        if (state is null || !services.GetRequiredService<FederationStateLedger>().TryConsume(state.Id))
        {
            return ErrorPage.Render(StateMessage);
        }

        // The app's request is validated again now: the client or its callback URLs may have changed since.
        var validation = await services.GetRequiredService<AuthorizeRequestValidator>().ValidateAsync(state.Parameters, ct);
        switch (validation)
        {
            case AuthorizeValidation.ErrorPage page: return ErrorPage.Render(page.Message);
            case AuthorizeValidation.RedirectError error: return AuthorizeCompletion.Redirect(error);
        }
        var valid = (AuthorizeValidation.Valid)validation;
        var request = valid.Request;
        bool fragment = request.ResponseType == "token";
        IResult ToApp(string error, string? description) => AuthorizeCompletion.Redirect(
            new AuthorizeValidation.RedirectError(request.RedirectUri, error, description, request.State, fragment));

        var store = services.GetService<IIdentityProviderStore>();
        var provider = store is null ? null : await store.GetAsync(valid.Pool.Id, state.Provider, ct);
        if (provider is null || valid.Client.Config.SupportedIdentityProviders?.Contains(provider.ProviderName, StringComparer.Ordinal) != true)
        {
            return ToApp(OAuthErrors.InvalidRequest, "The identity provider does not exist or is not enabled for this app client.");
        }

        // The provider refused (the user cancelled, or a configuration error): Cognito sends its error on to the app.
        if (p.TryGetValue("error", out var upstreamError))
        {
            var e = UpstreamOAuthClient.Fail(provider, SafeCode(upstreamError), $"{upstreamError} {p.GetValueOrDefault("error_description")}".TrimEnd());
            return ToApp(e.Error, e.Description);
        }
        if (p.GetValueOrDefault("code") is not { Length: > 0 and <= 4096 } code) return ToApp(OAuthErrors.InvalidRequest, $"{provider.ProviderName} Error - the provider returned no code.");

        var upstream = services.GetRequiredService<UpstreamOAuthClient>();
        var (tokens, exchangeError) = await upstream.ExchangeCodeAsync(provider, code, CallbackUrl(http), state.Verifier, ct);
        if (exchangeError is not null) return ToApp(exchangeError.Error, exchangeError.Description);

        JsonObject? idClaims = null;
        if (UpstreamOAuthClient.IssuesIdToken(provider.ProviderType))
        {
            if (UpstreamOAuthClient.Text(tokens!["id_token"]) is not { } idToken) return ErrorPage.Render($"{provider.ProviderName}: the provider returned no ID token.");
            (idClaims, var idError) = await upstream.ValidateIdTokenAsync(provider, idToken, state.Nonce, ct);
            if (idError is not null) return ErrorPage.Render(idError.Description);
        }
        var (userInfo, infoError) = await upstream.UserInfoAsync(provider, UpstreamOAuthClient.Text(tokens!["access_token"])!, ct);
        if (infoError is not null) return ToApp(infoError.Error, infoError.Description);
        if (idClaims is not null && userInfo is not null && UpstreamOAuthClient.Text(userInfo["sub"]) is { } infoSub && infoSub != UpstreamOAuthClient.Text(idClaims["sub"]))
        {
            // OIDC Core §5.3.2: a userInfo answer about another subject must not be used.
            return ErrorPage.Render($"{provider.ProviderName}: the userInfo response is about another user.");
        }

        var attributes = MergeAttributes(idClaims, userInfo, provider.ProviderType == IdentityProviderTypes.SignInWithApple ? p.GetValueOrDefault("user") : null);
        var subjectClaim = provider.AttributeMapping.TryGetValue("username", out var mapped) && mapped.Length > 0 ? mapped : UpstreamOAuthClient.SubjectClaim(provider.ProviderType);
        if (!attributes.TryGetValue(subjectClaim, out var subject) || subject.Length == 0 || subject.Length > 128)
        {
            return ToApp(OAuthErrors.InvalidRequest, $"{provider.ProviderName} Error - the provider returned no {subjectClaim}.");
        }
        var profile = new FederatedProfile(subject, attributes, Issuer: null, TokenResponse: tokens, IdToken: idClaims, UserInfo: userInfo);

        FederatedSignInResult signedIn;
        try
        {
            signedIn = await services.GetRequiredService<FederatedUserService>().SignInAsync(valid.Pool, provider, profile, valid.Client.ClientId, ct);
        }
        catch (CognitoException ex)
        {
            // Disabled user, a failing PreSignUp / InboundFederation function, mapped attributes that break the schema: Cognito
            // redirects to the app with error=invalid_request and the message (e.g. "PreSignUp failed with error …").
            return ToApp(OAuthErrors.InvalidRequest, ex.Error.Message);
        }
        LogSignedIn(services.GetRequiredService<ILoggerFactory>().CreateLogger("Cognate.Federation"), provider.ProviderName, valid.Pool.Id, signedIn.Created);
        return await services.GetRequiredService<AuthorizeCompletion>().CompleteAsync(http, valid, signedIn.User, now, ct: ct);
    }

    /// <summary>
    /// The provider's attributes by the provider's names: the ID token's claims, then the userInfo answer's (which wins for a
    /// claim in both, as the fresher source), then — for Sign in with Apple's first sign-in — the posted <c>user</c> JSON's
    /// <c>name.firstName</c>, <c>name.lastName</c> and <c>email</c> where the token had none. Strings, numbers and booleans as
    /// text; objects and arrays (an OIDC <c>address</c>) as JSON.
    /// </summary>
    internal static Dictionary<string, string> MergeAttributes(JsonObject? idToken, JsonObject? userInfo, string? appleUser)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(JsonObject? source)
        {
            if (source is null) return;
            foreach (var (name, value) in source)
            {
                if (value is null) continue;
                attributes[name] = UpstreamOAuthClient.Text(value) ?? value.ToJsonString();
            }
        }
        Add(idToken);
        Add(userInfo);
        if (appleUser is { Length: > 0 and < 4096 })
        {
            try
            {
                if (JsonNode.Parse(appleUser) is JsonObject user)
                {
                    if (user["name"] is JsonObject name)
                    {
                        if (UpstreamOAuthClient.Text(name["firstName"]) is { } first) attributes.TryAdd("firstName", first);
                        if (UpstreamOAuthClient.Text(name["lastName"]) is { } last) attributes.TryAdd("lastName", last);
                    }
                    if (UpstreamOAuthClient.Text(user["email"]) is { } email) attributes.TryAdd("email", email);
                }
            }
            catch (JsonException)
            {
            }
        }
        return attributes;
    }

    static string SafeCode(string error) =>
        error.Length is > 0 and <= 64 && error.All(static c => char.IsAsciiLetterOrDigit(c) || c == '_') ? error : OAuthErrors.InvalidRequest;

    [LoggerMessage(Level = LogLevel.Information, Message = "Federation: sign-in through {ProviderName} in pool {UserPoolId} (new user: {Created})")]
    static partial void LogSignedIn(ILogger logger, string providerName, string userPoolId, bool created);
}

/// <summary>The OIDC and social providers' start of a federated sign-in (<see cref="FederationEndpoints.Start"/>).</summary>
internal sealed class OAuthUpstreamSignIn : IUpstreamSignIn
{
    /// <inheritdoc/>
    public bool Handles(string providerType) => IdentityProviderTypes.IsOAuth(providerType);

    /// <inheritdoc/>
    public ValueTask<IResult> StartAsync(HttpContext http, AuthorizeValidation.Valid request, IdentityProvider provider, CancellationToken ct) =>
        ValueTask.FromResult(FederationEndpoints.Start(http, request, provider));
}
