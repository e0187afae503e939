using System.Net;
using System.Text;

namespace Cognate.Server.ManagedLogin;

/// <summary>
/// Builds one managed-login page: the shared layout (<see cref="Render"/>: <c>lang</c>, viewport, the built-in style, the
/// pool's/client's whitelisted CSS, the logo) around the step's form, written with helpers that HTML-encode every value.
/// The markup carries Cognito's classic hosted-UI class names (<c>background-customizable</c>, <c>banner-customizable</c>,
/// <c>label-customizable</c>, <c>inputField-customizable</c>, <c>submitButton-customizable</c>, <c>errorMessage-customizable</c>,
/// <c>textDescription-customizable</c>, <c>redirect-customizable</c>, <c>logo-customizable</c>) so SetUICustomization's CSS applies.
/// Keyboard and screen readers: every input has a <c>&lt;label for&gt;</c>, actions are real buttons and links, errors are in
/// <c>role="alert"</c>.
/// </summary>
internal sealed class PageWriter
{
    readonly StringBuilder body = new(2048);

    /// <summary>The page's title (also its <c>h1</c>).</summary>
    public required string Title { get; init; }

    /// <summary>True when the page loads <see cref="PasskeyScript"/> (its answer then allows <c>script-src 'self'</c>).</summary>
    public bool HasScript { get; private set; }

    /// <summary>
    /// A passkey form (<c>data-passkey="create"</c> for <c>navigator.credentials.create</c>, <c>"get"</c> for
    /// <c>navigator.credentials.get</c>): posts to <paramref name="action"/> with the CSRF field, the sealed state when given,
    /// and the hidden field <c>credential</c> that <see cref="PasskeyScript"/> fills with the browser's JSON answer before it
    /// submits. <paramref name="optionsJson"/> (the CredentialCreationOptions / CREDENTIAL_REQUEST_OPTIONS) is carried
    /// HTML-encoded in <c>data-options</c>; a ceremony that fails is reported in the form's <c>data-passkey-error</c> line.
    /// </summary>
    public PageWriter PasskeyFormStart(string action, string csrf, string? sealedState, string ceremony, string optionsJson)
    {
        body.Append("<form method=\"post\" action=\"").Append(E(action)).Append("\" novalidate data-passkey=\"").Append(E(ceremony))
            .Append("\" data-options=\"").Append(E(optionsJson)).Append("\">\n");
        Hidden(Csrf.FieldName, csrf);
        if (sealedState is not null) Hidden("_state", sealedState);
        Hidden("credential", "");
        body.Append("<p class=\"alert errorMessage-customizable\" data-passkey-error hidden></p>\n");
        return this;
    }

    /// <summary>Loads <see cref="PasskeyScript"/> (same origin, deferred).</summary>
    public PageWriter Script(string pathBase)
    {
        HasScript = true;
        body.Append("<script src=\"").Append(E(pathBase + PasskeyScript.Path)).Append("\" defer></script>\n");
        return this;
    }

    static string E(string? s) => WebUtility.HtmlEncode(s ?? "");

    /// <summary>A paragraph of text.</summary>
    public PageWriter Text(string text)
    {
        body.Append("<p class=\"textDescription-customizable\">").Append(E(text)).Append("</p>\n");
        return this;
    }

    /// <summary>Cognito's error message for the step, in <c>role="alert"</c> (nothing when null).</summary>
    public PageWriter Alert(string? message)
    {
        if (!string.IsNullOrEmpty(message)) body.Append("<div class=\"alert errorMessage-customizable\" role=\"alert\">").Append(E(message)).Append("</div>\n");
        return this;
    }

    /// <summary>An informational message in <c>role="status"</c> (nothing when null).</summary>
    public PageWriter Status(string? message)
    {
        if (!string.IsNullOrEmpty(message)) body.Append("<div class=\"status\" role=\"status\">").Append(E(message)).Append("</div>\n");
        return this;
    }

    /// <summary>Opens a POST form to <paramref name="action"/> with the CSRF field and, when given, the sealed flow state.</summary>
    public PageWriter FormStart(string action, string csrf, string? sealedState = null)
    {
        body.Append("<form method=\"post\" action=\"").Append(E(action)).Append("\" novalidate>\n");
        Hidden(Csrf.FieldName, csrf);
        if (sealedState is not null) Hidden("_state", sealedState);
        return this;
    }

    /// <summary>Closes the form.</summary>
    public PageWriter FormEnd()
    {
        body.Append("</form>\n");
        return this;
    }

    /// <summary>A hidden field.</summary>
    public PageWriter Hidden(string name, string value)
    {
        body.Append("<input type=\"hidden\" name=\"").Append(E(name)).Append("\" value=\"").Append(E(value)).Append("\">\n");
        return this;
    }

    /// <summary>A labelled input (<c>id</c> = <paramref name="name"/>).</summary>
    /// <param name="name">Field name and element id.</param>
    /// <param name="label">The label text (the contract's name, e.g. <c>Username</c>, <c>Code</c>).</param>
    /// <param name="type">text, password, email, tel, …</param>
    /// <param name="autocomplete">The autocomplete token (username, current-password, new-password, one-time-code, …).</param>
    /// <param name="value">Pre-filled value (never a password).</param>
    /// <param name="required">Marks the input required.</param>
    /// <param name="inputMode">Optional inputmode (numeric for codes).</param>
    public PageWriter Input(string name, string label, string type = "text", string? autocomplete = null, string? value = null, bool required = true, string? inputMode = null)
    {
        body.Append("<div class=\"field\"><label class=\"label-customizable\" for=\"").Append(E(name)).Append("\">").Append(E(label)).Append("</label>")
            .Append("<input class=\"inputField-customizable\" id=\"").Append(E(name)).Append("\" name=\"").Append(E(name)).Append("\" type=\"").Append(E(type)).Append('"');
        if (autocomplete is not null) body.Append(" autocomplete=\"").Append(E(autocomplete)).Append('"');
        if (inputMode is not null) body.Append(" inputmode=\"").Append(E(inputMode)).Append('"');
        if (!string.IsNullOrEmpty(value)) body.Append(" value=\"").Append(E(value)).Append('"');
        if (required) body.Append(" required");
        body.Append("></div>\n");
        return this;
    }

    /// <summary>A radio button with its label.</summary>
    public PageWriter Radio(string name, string value, string label, bool isChecked)
    {
        var id = name + "-" + value;
        body.Append("<div class=\"radio\"><input type=\"radio\" id=\"").Append(E(id)).Append("\" name=\"").Append(E(name)).Append("\" value=\"").Append(E(value)).Append('"');
        if (isChecked) body.Append(" checked");
        body.Append("><label class=\"label-customizable\" for=\"").Append(E(id)).Append("\">").Append(E(label)).Append("</label></div>\n");
        return this;
    }

    /// <summary>A submit button; <paramref name="value"/> is posted as <c>action</c>.</summary>
    public PageWriter Button(string text, string? value = null, bool secondary = false)
    {
        body.Append("<button type=\"submit\" class=\"").Append(secondary ? "secondary" : "btn-primary submitButton-customizable").Append('"');
        if (value is not null) body.Append(" name=\"action\" value=\"").Append(E(value)).Append('"');
        body.Append('>').Append(E(text)).Append("</button>\n");
        return this;
    }

    /// <summary>A link (to another page of the flow).</summary>
    public PageWriter Link(string href, string text, string? before = null)
    {
        body.Append("<p class=\"redirect-customizable\">");
        if (before is not null) body.Append(E(before)).Append(' ');
        body.Append("<a href=\"").Append(E(href)).Append("\">").Append(E(text)).Append("</a></p>\n");
        return this;
    }

    /// <summary>
    /// The sign-in buttons of the client's external identity providers: a labelled navigation list of links styled as buttons
    /// (<c>idpButton-customizable</c>, Cognito's class), each <c>Sign in with {name}</c>. Links, not forms: the browser then
    /// follows the 302 to the provider without a form-action restriction.
    /// </summary>
    public PageWriter ProviderButtons(IReadOnlyList<(string Href, string Name)> providers, bool afterForm)
    {
        if (providers.Count == 0) return this;
        if (afterForm) body.Append("<p class=\"idp-separator\">or</p>\n");
        body.Append("<nav aria-label=\"Other ways to sign in\"><ul class=\"idp-list\">");
        foreach (var (href, name) in providers)
        {
            body.Append("<li><a class=\"idpButton-customizable\" href=\"").Append(E(href)).Append("\">Sign in with ").Append(E(name)).Append("</a></li>");
        }
        body.Append("</ul></nav>\n");
        return this;
    }

    /// <summary>
    /// The app client's terms documents under the sign-up form: "By signing up, you agree to the Terms of use and the Privacy
    /// policy." with both links opening in a new tab (CreateTerms; the URLs are absolute https, checked when stored, and escaped here).
    /// </summary>
    public PageWriter TermsLinks(string termsOfUseUrl, string privacyPolicyUrl)
    {
        body.Append("<p class=\"textDescription-customizable terms-customizable\" data-testid=\"terms\">By signing up, you agree to the ")
            .Append("<a href=\"").Append(E(termsOfUseUrl)).Append("\" target=\"_blank\" rel=\"noopener noreferrer\">Terms of use</a> and the ")
            .Append("<a href=\"").Append(E(privacyPolicyUrl)).Append("\" target=\"_blank\" rel=\"noopener noreferrer\">Privacy policy</a>.</p>\n");
        return this;
    }

    /// <summary>Markup produced by trusted code (the QR code SVG); never user input.</summary>
    public PageWriter Trusted(string html)
    {
        body.Append(html);
        return this;
    }

    /// <summary>A value shown for copying, with a test id (e.g. the TOTP secret: <c>data-testid="totp-secret"</c>).</summary>
    public PageWriter Code(string label, string value, string testId)
    {
        body.Append("<p class=\"textDescription-customizable\">").Append(E(label)).Append(" <code data-testid=\"").Append(E(testId)).Append("\">")
            .Append(E(value)).Append("</code></p>\n");
        return this;
    }

    /// <summary>The whole document: layout around the body.</summary>
    /// <param name="lang">The <c>lang</c> of <c>&lt;html&gt;</c>.</param>
    /// <param name="branding">The pool's / client's customization, or null.</param>
    public string Render(string lang, PageBranding? branding)
    {
        var html = new StringBuilder(body.Length + 4096);
        html.Append("<!doctype html>\n<html lang=\"").Append(E(lang)).Append("\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<meta name=\"referrer\" content=\"no-referrer\">")
            .Append("<title>").Append(E(Title)).Append("</title>\n<style>").Append(BaseCss).Append("</style>\n");
        if (branding?.Css is { Length: > 0 } css) html.Append("<style>").Append(css).Append("</style>\n");
        html.Append("</head><body class=\"background-customizable\"><main>\n<div class=\"banner-customizable\">");
        if (branding?.LogoUrl is { } logo) html.Append("<img class=\"logo-customizable\" src=\"").Append(E(logo)).Append("\" alt=\"Logo\">");
        html.Append("</div>\n<h1>").Append(E(Title)).Append("</h1>\n").Append(body).Append("</main></body></html>\n");
        return html.ToString();
    }

    const string BaseCss =
        "*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;color:#16191f;background:#f2f3f3}" +
        "main{max-width:26rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:.5rem;box-shadow:0 1px 4px rgba(0,0,0,.15)}" +
        "@media (max-width:30rem){main{margin:0;border-radius:0;box-shadow:none;min-height:100vh}}" +
        ".banner-customizable{text-align:center}.logo-customizable{max-width:100%;max-height:5rem}" +
        "h1{font-size:1.4rem;margin:.5rem 0 1rem}.field{margin:0 0 1rem}label{display:block;font-weight:600;margin-bottom:.25rem}" +
        "input[type=text],input[type=password],input[type=email],input[type=tel]{width:100%;padding:.6rem;border:1px solid #687078;border-radius:.25rem;font:inherit}" +
        "input:focus,button:focus,a:focus{outline:3px solid #0972d3;outline-offset:2px}" +
        ".radio{display:flex;gap:.5rem;align-items:center;margin:.5rem 0}.radio label{display:inline;font-weight:400;margin:0}" +
        "button{display:block;width:100%;padding:.7rem;margin:.5rem 0;border:0;border-radius:.25rem;font:inherit;font-weight:600;cursor:pointer}" +
        ".btn-primary{background:#0972d3;color:#fff}button.secondary{background:#e9ebed;color:#16191f}" +
        ".alert{padding:.75rem;margin:0 0 1rem;border-left:4px solid #d91515;background:#fff7f7;color:#a61b1b}" +
        ".status{padding:.75rem;margin:0 0 1rem;border-left:4px solid #037f0c;background:#f2fcf3}" +
        "code{word-break:break-all;background:#f2f3f3;padding:.1rem .3rem}.qr{text-align:center;margin:1rem 0}.qr svg{width:12rem;height:12rem}" +
        "a{color:#0972d3}" +
        ".idp-separator{text-align:center;color:#414d5c;margin:.75rem 0}.idp-list{list-style:none;margin:0;padding:0}" +
        ".idpButton-customizable{display:block;text-align:center;padding:.7rem;margin:.5rem 0;border:1px solid #0972d3;border-radius:.25rem;font-weight:600;text-decoration:none;color:#0972d3;background:#fff}";
}

/// <summary>The customization applied to a page: whitelisted CSS (SetUICustomization) and the logo's URL.</summary>
/// <param name="Css">CSS already checked by <c>BrandingService.ValidateCss</c> when stored, or null.</param>
/// <param name="LogoUrl">The same-origin URL of the logo, or null when there is none.</param>
internal sealed record PageBranding(string? Css, string? LogoUrl);
