using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Cognate.Server.Tests.ManagedLogin;

/// <summary>
/// A cookie-keeping HTTP "browser" for the managed-login pages (no redirects followed): loads a page, finds inputs by their
/// label text and buttons by their name (the pages' contract), and submits the form the button belongs to with its hidden
/// fields (CSRF token, sealed flow state).
/// </summary>
internal sealed class LoginBrowser : IDisposable
{
    readonly HttpClient http;
    readonly Uri endpoint;

    public LoginBrowser(Uri endpoint)
    {
        this.endpoint = endpoint;
        Cookies = new CookieContainer();
        http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };
    }

    public CookieContainer Cookies { get; }

    /// <summary>The last answer.</summary>
    public PageAnswer Last { get; private set; } = null!;

    public async Task<PageAnswer> GetAsync(string pathAndQuery)
    {
        using var response = await http.GetAsync(new Uri(endpoint, pathAndQuery));
        return Last = await PageAnswer.ReadAsync(response);
    }

    /// <summary>Fills the inputs labelled by the keys of <paramref name="fields"/> and clicks the button named <paramref name="button"/>.</summary>
    public async Task<PageAnswer> SubmitAsync(string button, IReadOnlyDictionary<string, string>? fields = null, Action<List<KeyValuePair<string, string>>>? tamper = null)
    {
        var doc = Last.Document ?? throw new InvalidOperationException("The last answer was not a page.");
        var submit = doc.QuerySelectorAll("button").OfType<IHtmlButtonElement>().FirstOrDefault(b => b.TextContent.Trim() == button)
            ?? throw new InvalidOperationException($"No button named '{button}' on the page: {doc.Body?.TextContent}");
        var form = submit.Form ?? throw new InvalidOperationException($"Button '{button}' is outside a form.");
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var input in form.QuerySelectorAll("input").OfType<IHtmlInputElement>())
        {
            if (input.Type is "radio" && !input.IsChecked) continue;
            values[input.Name!] = input.Value;
        }
        foreach (var (label, value) in fields ?? new Dictionary<string, string>())
        {
            values[InputNamed(doc, form, label)] = value;
        }
        if (submit.Name is { Length: > 0 } name) values[name] = submit.Value;
        var list = values.ToList();
        tamper?.Invoke(list);
        using var content = new FormUrlEncodedContent(list);
        using var response = await http.PostAsync(new Uri(endpoint, form.GetAttribute("action")!), content);
        return Last = await PageAnswer.ReadAsync(response);
    }

    /// <summary>Checks the radio button labelled <paramref name="label"/> on the current page.</summary>
    public void Choose(string label)
    {
        var doc = Last.Document!;
        var input = doc.GetElementById(doc.QuerySelectorAll("label").First(l => l.TextContent.Trim() == label).GetAttribute("for")!) as IHtmlInputElement;
        foreach (var radio in doc.QuerySelectorAll($"input[type=radio][name='{input!.Name}']").OfType<IHtmlInputElement>()) radio.IsChecked = false;
        input.IsChecked = true;
    }

    static string InputNamed(IDocument doc, IElement form, string label)
    {
        var l = form.QuerySelectorAll("label").FirstOrDefault(e => e.TextContent.Trim() == label)
            ?? throw new InvalidOperationException($"No input labelled '{label}' in the form: {form.TextContent}");
        var input = doc.GetElementById(l.GetAttribute("for")!) as IHtmlInputElement ?? throw new InvalidOperationException($"Label '{label}' has no input.");
        return input.Name!;
    }

    public void Dispose() => http.Dispose();
}

/// <summary>One answer: status, headers, the parsed page (HTML answers) and the Location of a redirect.</summary>
internal sealed record PageAnswer(HttpStatusCode Status, IDocument? Document, Uri? Location, System.Net.Http.Headers.HttpResponseHeaders Headers, string? ContentSecurityPolicy)
{
    public static async Task<PageAnswer> ReadAsync(HttpResponseMessage response)
    {
        IDocument? doc = null;
        if (response.Content.Headers.ContentType?.MediaType == "text/html")
        {
            doc = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        }
        var csp = response.Headers.TryGetValues("Content-Security-Policy", out var v) ? string.Join(" ", v) : null;
        return new PageAnswer(response.StatusCode, doc, response.Headers.Location, response.Headers, csp);
    }

    /// <summary>The text of the <c>role="alert"</c> element, or null.</summary>
    public string? Alert => Document?.QuerySelector("[role=alert]")?.TextContent.Trim();

    /// <summary>The labels of the page's inputs.</summary>
    public IReadOnlyList<string> Labels => Document?.QuerySelectorAll("label").Select(l => l.TextContent.Trim()).ToList() ?? [];

    /// <summary>The names of the page's buttons.</summary>
    public IReadOnlyList<string> Buttons => Document?.QuerySelectorAll("button").Select(b => b.TextContent.Trim()).ToList() ?? [];

    /// <summary>The texts of the page's links.</summary>
    public IReadOnlyList<string> Links => Document?.QuerySelectorAll("a").Select(a => a.TextContent.Trim()).ToList() ?? [];

    /// <summary>A query parameter of the redirect's Location.</summary>
    public string? LocationParameter(string name) =>
        Location is null ? null : System.Web.HttpUtility.ParseQueryString(Location.Query)[name];
}
