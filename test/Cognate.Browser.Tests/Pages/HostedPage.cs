using System.Text.RegularExpressions;

namespace Cognate.Browser.Tests.Pages;

/// <summary>What every managed-login page has: Cognito's error messages in an element with <c>role="alert"</c>.</summary>
public abstract class HostedPage(IPage page)
{
    protected IPage Page { get; } = page;

    /// <summary>The error shown for the last step (wrong password, expired code, …).</summary>
    public ILocator Alert => Page.GetByRole(AriaRole.Alert);

    /// <summary>Waits for the step's error message.</summary>
    public async Task WaitForAlertAsync(string message) => await Assertions.Expect(Alert).ToContainTextAsync(message);

    protected ILocator Input(string label) => Page.GetByLabel(label, new() { Exact = true });

    protected ILocator Button(string name) => Page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    protected ILocator Link(string name) => Page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true });

    /// <summary>A path regex for <see cref="Assertions.Expect(IPage)"/>: the path, then a query or nothing.</summary>
    protected static Regex PathIs(string path) => new($"^https?://[^/]+{Regex.Escape(path)}(\\?.*)?$", RegexOptions.IgnoreCase);
}
