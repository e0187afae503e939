using System.Text;
using System.Text.Json.Nodes;
using Cognate.Core.Branding;
using Cognate.Core.Clients;
using Cognate.Core.Crypto;
using Cognate.Core.Pools;
using Cognate.Server.OAuth.Authorize;

namespace Cognate.Server.ManagedLogin;

/// <summary>
/// One request to a managed-login page whose authorization request is valid: the request (validated again on every page
/// by <see cref="AuthorizeRequestValidator"/>, never re-trusted), its pool and client, the canonical query string every
/// form and link carries, the CSRF token and the branding. <see cref="OpenAsync"/> answers the error page or the error
/// redirect itself when the request is not valid.
/// </summary>
internal sealed class PageContext
{
    /// <summary>The authorization request's parameters, in the order they are re-emitted.</summary>
    internal static readonly string[] OAuthParameters =
        ["client_id", "response_type", "redirect_uri", "scope", "state", "nonce", "code_challenge", "code_challenge_method",
         "identity_provider", "idp_identifier", "prompt", "login_hint", "lang"];

    public required HttpContext Http { get; init; }
    public required AuthorizeValidation.Valid Valid { get; init; }
    public required string Query { get; init; }
    public required string CsrfToken { get; init; }
    public required PageBranding? Branding { get; init; }
    public required MasterKeyProtector Protector { get; init; }
    public required DateTimeOffset Now { get; init; }

    public UserPool Pool => Valid.Pool;
    public AppClient Client => Valid.Client;

    /// <summary><paramref name="path"/> with the authorization request's query string.</summary>
    public string Url(string path) => path + Query;

    /// <summary>The language of the page: <c>en</c>, the only language the pages are written in (the <c>lang</c> parameter
    /// is carried from page to page but does not translate them; a <c>lang</c> attribute must name the text's language).</summary>
    public string Lang => "en";

    /// <summary>The label of the sign-in name: <c>Email</c> / <c>Phone number</c> when that is the pool's only UsernameAttribute.</summary>
    public string UsernameLabel => Pool.Config.UsernameAttributes switch
    {
        [ "email" ] => "Email",
        [ "phone_number" ] => "Phone number",
        _ => "Username",
    };

    /// <summary>The input type of the sign-in name.</summary>
    public string UsernameType => Pool.Config.UsernameAttributes switch
    {
        [ "email" ] => "email",
        [ "phone_number" ] => "tel",
        _ => "text",
    };

    /// <summary>SECRET_HASH for <paramref name="username"/> when the client has a secret (the hosted pages sign in for a
    /// confidential client without the browser knowing its secret), else null.</summary>
    public string? SecretHashFor(string username) =>
        Client.ClientSecret is { } secret ? Cognate.Core.Crypto.SecretHash.Compute(secret, username, Client.ClientId) : null;

    /// <summary>A new flow state for this client and browser, sealed.</summary>
    public string Seal(string step, string username, string? session, IReadOnlyDictionary<string, string>? parameters = null, IReadOnlyList<string>? options = null, string? totpSecret = null) =>
        new FlowState(Client.ClientId, step, username, session,
            parameters is null ? null : new Dictionary<string, string>(parameters, StringComparer.Ordinal),
            options is null ? null : [.. options], totpSecret, Now.ToUnixTimeSeconds(), FlowState.HashCsrf(CsrfToken)).Seal(Protector);

    /// <summary>Opens the sealed <c>_state</c> of a POST, or null when it is absent, forged, expired or from another browser.</summary>
    public FlowState? OpenState(IFormCollection form) => OpenState(form["_state"].ToString());

    /// <summary>Opens a sealed flow state (a form's or a link's <c>_state</c>), or null when it is absent, forged, expired or
    /// from another browser or client.</summary>
    public FlowState? OpenState(string? sealedState) => FlowState.Open(Protector, sealedState, Client.ClientId, CsrfToken, Now);

    /// <summary>
    /// The optional sealed <c>_state</c> of a page's own POST, which must be of <paramref name="step"/> (<c>CONFIRM_SIGN_UP</c>,
    /// <c>CONFIRM_FORGOT_PASSWORD</c>): true with <paramref name="state"/> null when the form has none (the page was reached
    /// directly and asks for the username), true with the state when it opens, false when it is forged, expired, from another
    /// browser or of another step (the caller answers the error page with <see cref="PageForms.StateMessage"/>).
    /// </summary>
    public bool TryOpenState(IFormCollection form, string step, out FlowState? state)
    {
        ArgumentNullException.ThrowIfNull(form);
        state = null;
        if (!form.ContainsKey("_state")) return true;
        state = OpenState(form);
        return state is not null && state.Step == step;
    }

    /// <summary>
    /// The body of a code confirmation posted to a page of <c>/confirmUser</c> or <c>/confirmforgotPassword</c>:
    /// <see cref="UserActionBody"/> for <paramref name="username"/> (the sealed <paramref name="state"/>'s, or the form's
    /// <c>username</c> field when the page was reached directly) with <c>ConfirmationCode</c> from the form's <c>code</c>.
    /// </summary>
    public JsonObject ConfirmationBody(IFormCollection form, FlowState? state, out string username)
    {
        ArgumentNullException.ThrowIfNull(form);
        username = state?.Username ?? PageForms.Field(form, "username");
        var body = UserActionBody(username);
        body["ConfirmationCode"] = PageForms.Field(form, "code");
        return body;
    }

    /// <summary>
    /// The request body of an unauthenticated user action for this client (<c>ClientId</c>, <c>Username</c> and, for a client
    /// with a secret, <c>SecretHash</c>); the caller adds the action's own fields (ConfirmationCode, Password, …).
    /// </summary>
    public JsonObject UserActionBody(string username)
    {
        var body = new JsonObject { ["ClientId"] = Client.ClientId, ["Username"] = username };
        if (SecretHashFor(username) is { } hash) body["SecretHash"] = hash;
        return body;
    }

    /// <summary>A page of this flow (status 200 unless told).</summary>
    public IResult Page(PageWriter page, int status = StatusCodes.Status200OK) =>
        new HtmlResult(page.Render(Lang, Branding), status, HtmlResult.FormActionSource(Valid.Request.RedirectUri), page.HasScript);

    /// <summary>
    /// The GET handler of a page that needs only a valid authorization request: <paramref name="render"/> of the page
    /// context, or what <see cref="OpenAsync"/> answers when the request is not valid.
    /// </summary>
    public static async Task<IResult> RenderAsync(HttpContext http, Func<PageContext, IResult> render)
    {
        ArgumentNullException.ThrowIfNull(render);
        var (page, stop) = await OpenAsync(http);
        return stop ?? render(page!);
    }

    /// <summary>
    /// The common start of every page POST: the form with a valid CSRF token (<see cref="PageForms.ReadAsync"/>), then the
    /// page context of the authorization request (<see cref="OpenAsync"/>). On success <c>Form</c> and <c>Page</c> are set;
    /// otherwise <c>Stop</c> is the answer to send (the CSRF error page checked first, then the request's error page or redirect).
    /// </summary>
    public static async ValueTask<(IFormCollection? Form, PageContext? Page, IResult? Stop)> OpenPostAsync(HttpContext http)
    {
        var (form, refused) = await PageForms.ReadAsync(http);
        if (refused is not null) return (null, null, refused);
        var (page, stop) = await OpenAsync(http);
        return stop is not null ? (null, null, stop) : (form, page, null);
    }

    /// <summary>
    /// Validates the authorization request in the query of <paramref name="http"/>; on success the page context, otherwise
    /// the answer to send: the error page (unknown client, unregistered redirect_uri, …) or the redirect with <c>error</c>.
    /// </summary>
    public static async ValueTask<(PageContext? Page, IResult? Stop)> OpenAsync(HttpContext http)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in OAuthParameters)
        {
            if (http.Request.Query.TryGetValue(name, out var v) && v.Count > 0 && v[0] is { } value) parameters[name] = value;
        }
        var validation = await http.RequestServices.GetRequiredService<AuthorizeRequestValidator>().ValidateAsync(parameters, http.RequestAborted);
        switch (validation)
        {
            case AuthorizeValidation.ErrorPage e:
                return (null, ErrorPage.Render(e.Message));
            case AuthorizeValidation.RedirectError r:
                return (null, AuthorizeCompletion.Redirect(r));
            case AuthorizeValidation.Valid valid:
                var csrf = Csrf.Ensure(http);
                var branding = await PageBrandingLoader.LoadAsync(http, valid.Pool, valid.Client, http.RequestAborted);
                return (new PageContext
                {
                    Http = http,
                    Valid = valid,
                    Query = CanonicalQuery(parameters),
                    CsrfToken = csrf,
                    Branding = branding,
                    Protector = http.RequestServices.GetRequiredService<MasterKeyProtector>(),
                    Now = (http.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow(),
                }, null);
            default:
                throw new InvalidOperationException("Unknown AuthorizeValidation.");
        }
    }

    /// <summary><c>?name=value&amp;…</c> of the authorization request's parameters, each once, in a fixed order.</summary>
    internal static string CanonicalQuery(IReadOnlyDictionary<string, string> parameters)
    {
        var sb = new StringBuilder();
        foreach (var name in OAuthParameters)
        {
            if (!parameters.TryGetValue(name, out var value)) continue;
            sb.Append(sb.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        }
        return sb.ToString();
    }
}

/// <summary>An HTML page with the managed login's security headers: no caching, no framing, no script, no external resource.</summary>
/// <param name="html">The document.</param>
/// <param name="status">The HTTP status.</param>
/// <param name="formActionSource">The CSP source of the app's redirect_uri (the 302 after a form POST goes there, and browsers
/// check <c>form-action</c> on that redirect): forms may then post only to this server and redirect only there. Null: no
/// <c>form-action</c> directive (a page without a form, or a redirect URI with no expressible source).</param>
/// <param name="sameOriginScript">True for the passkey pages: <c>script-src 'self'</c> (only <see cref="PasskeyScript"/>; no inline
/// script, no other origin).</param>
internal sealed partial class HtmlResult(string html, int status, string? formActionSource = null, bool sameOriginScript = false) : IResult
{
    /// <summary>The content security policy of every page: inline styles (the customization CSS) and same-origin images only.</summary>
    public const string Csp = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'";

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = status;
        response.ContentType = "text/html; charset=utf-8";
        SetSecurityHeaders(response);
        var csp = sameOriginScript ? Csp + "; script-src 'self'" : Csp;
        if (formActionSource is not null) csp += "; form-action 'self' " + formActionSource;
        response.Headers.ContentSecurityPolicy = csp;
        return response.WriteAsync(html, httpContext.RequestAborted);
    }

    /// <summary>no-store, X-Frame-Options DENY, CSP frame-ancestors 'none', nosniff, no referrer.</summary>
    public static void SetSecurityHeaders(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
        response.Headers.XFrameOptions = "DENY";
        response.Headers.ContentSecurityPolicy = Csp;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
    }

    /// <summary>
    /// The CSP source expression of a redirect URI: <c>scheme://host[:port]</c> for http(s), <c>scheme:</c> for an app's custom
    /// scheme; null when the URI does not give a well-formed one (never a character that could end the directive).
    /// </summary>
    public static string? FormActionSource(string redirectUri)
    {
        if (!Uri.TryCreate(redirectUri, UriKind.Absolute, out var uri)) return null;
        var source = uri.Scheme is "http" or "https" ? uri.GetLeftPart(UriPartial.Authority) : uri.Scheme + ":";
        return SourceShape().IsMatch(source) ? source : null;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^[a-z][a-z0-9+.\-]*:(//([A-Za-z0-9.\-]+|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?)?$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex SourceShape();
}
