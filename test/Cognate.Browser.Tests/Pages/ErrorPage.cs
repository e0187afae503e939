namespace Cognate.Browser.Tests.Pages;

/// <summary>The hosted <c>/error</c> page (HTTP 400): the message in an element with <c>role="alert"</c>.</summary>
public sealed class ErrorPage(IPage page) : HostedPage(page)
{
    public async Task<ErrorPage> WaitAsync()
    {
        await Assertions.Expect(Page).ToHaveURLAsync(PathIs("/error"));
        await Assertions.Expect(Alert).ToBeVisibleAsync();
        return this;
    }
}
