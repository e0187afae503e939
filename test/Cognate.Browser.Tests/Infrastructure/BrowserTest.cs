using System.Reflection;
using System.Text.RegularExpressions;

namespace Cognate.Browser.Tests.Infrastructure;

/// <summary>
/// Base of every browser test: a fresh browser context (no cookies) and page per test, Playwright tracing on, and on failure a
/// full-page screenshot and the trace (open with <c>pwsh bin/…/playwright.ps1 show-trace</c>) saved under
/// <c>test/Cognate.Browser.Tests/artifacts/</c> (gitignored).
/// </summary>
public abstract partial class BrowserTest(BrowserFixture fixture) : IAsyncLifetime
{
    protected BrowserFixture Fixture { get; } = fixture;
    protected IBrowserContext Context { get; private set; } = null!;
    protected IPage Page { get; private set; } = null!;

    /// <summary>The context options of this test class (viewport, locale, CSP bypass for axe).</summary>
    protected virtual BrowserNewContextOptions ContextOptions() => new() { Locale = "en-US", ViewportSize = new ViewportSize { Width = 1280, Height = 800 } };

    public virtual async ValueTask InitializeAsync()
    {
        Context = await Fixture.Browser.NewContextAsync(ContextOptions());
        Context.SetDefaultTimeout(20_000);
        await Context.Tracing.StartAsync(new TracingStartOptions { Screenshots = true, Snapshots = true });
        Page = await Context.NewPageAsync();
    }

    public virtual async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        var state = TestContext.Current.TestState;
        if (state is null || state.Result == TestResult.Failed)
        {
            var directory = ArtifactsDirectory();
            var name = Sanitize().Replace(TestContext.Current.Test?.TestDisplayName ?? GetType().Name, "_");
            try
            {
                await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, name + ".png"), FullPage = true });
            }
            catch (PlaywrightException) { }
            await Context.Tracing.StopAsync(new TracingStopOptions { Path = Path.Combine(directory, name + ".trace.zip") });
            TestContext.Current.SendDiagnosticMessage($"Screenshot and trace of the failure: {Path.Combine(directory, name)}.png / .trace.zip; page URL was {Page.Url}");
        }
        else
        {
            await Context.Tracing.StopAsync();
        }
        await Context.CloseAsync();
    }

    /// <summary>The test project's source folder (from the build), where <c>node_modules</c> and <c>artifacts</c> live.</summary>
    public static string ProjectDirectory() =>
        typeof(BrowserTest).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "BrowserTestsDirectory").Value!;

    static string ArtifactsDirectory()
    {
        var directory = Path.Combine(ProjectDirectory(), "artifacts");
        Directory.CreateDirectory(directory);
        return directory;
    }

    /// <summary>A URL on Cognate's own host (the hosted pages are served there for every pool).</summary>
    protected string Cognate(string pathAndQuery) => new Uri(Fixture.Server.Endpoint, pathAndQuery).ToString();

    /// <summary>The PKCE verifier of <see cref="CodeChallenge"/> (RFC 7636 appendix B).</summary>
    public const string CodeVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

    /// <summary>BASE64URL(SHA256(<see cref="CodeVerifier"/>)).</summary>
    public const string CodeChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    /// <summary>
    /// Answers every request to <paramref name="callbackUrl"/> with a small page (nothing listens there), so a test can read the
    /// <c>?code=&amp;state=</c> the hosted pages redirect to.
    /// </summary>
    protected async Task InterceptCallbackAsync(string callbackUrl) =>
        await Page.RouteAsync(callbackUrl + "**", route => route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "text/html", Body = "<!DOCTYPE html><title>callback</title>" }));

    /// <summary>Waits until the browser is at <paramref name="callbackUrl"/> with a code and this test's state; returns the code.</summary>
    protected async Task<string> WaitForCodeAsync(string callbackUrl)
    {
        await Assertions.Expect(Page).ToHaveURLAsync(new Regex("^" + Regex.Escape(callbackUrl) + "\\?code=[^&]+&state=st4te$"));
        return System.Web.HttpUtility.ParseQueryString(new Uri(Page.Url).Query)["code"]!;
    }

    /// <summary>The authorize URL the app would build, with PKCE; <paramref name="redirectUri"/> and <paramref name="clientId"/> overridable for error cases.</summary>
    protected string AuthorizeUrl(string path = "oauth2/authorize", string? clientId = null, string? redirectUri = null) =>
        Cognate($"{path}?response_type=code&client_id={Uri.EscapeDataString(clientId ?? Fixture.ClientId)}" +
            $"&redirect_uri={Uri.EscapeDataString(redirectUri ?? Fixture.CallbackUrl)}&scope=openid+email&state=st4te" +
            "&code_challenge_method=S256&code_challenge=" + CodeChallenge);

    [GeneratedRegex(@"[^A-Za-z0-9_.-]+")]
    private static partial Regex Sanitize();
}
