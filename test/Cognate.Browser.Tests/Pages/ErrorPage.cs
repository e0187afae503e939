namespace Cognate.Browser.Tests.Pages;

/// <summary>
/// The error page (HTTP 400): the message in an element with <c>role="alert"</c>. Served at <c>/error</c>, or in place at
/// <c>/oauth2/authorize</c> for an untrusted client or redirect_uri (no redirect anywhere).
/// </summary>
public sealed class ErrorPage(IPage page) : HostedPage(page)
{
    public async Task<ErrorPage> WaitAsync()
    {
        await Assertions.Expect(Alert).ToBeVisibleAsync();
        return this;
    }
}
