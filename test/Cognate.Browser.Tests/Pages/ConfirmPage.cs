namespace Cognate.Browser.Tests.Pages;

/// <summary>The hosted <c>/confirmUser</c> page: <c>Confirmation code</c>, <c>Confirm account</c>, <c>Resend code</c>.</summary>
public sealed class ConfirmPage(IPage page) : HostedPage(page)
{
    public ILocator Code => Input("Confirmation code");
    public ILocator ConfirmButton => Button("Confirm account");
    public ILocator ResendCode => Page.GetByRole(AriaRole.Button, new() { Name = "Resend code", Exact = true })
        .Or(Page.GetByRole(AriaRole.Link, new() { Name = "Resend code", Exact = true }));

    public async Task<ConfirmPage> WaitAsync()
    {
        await Assertions.Expect(Code).ToBeVisibleAsync();
        return this;
    }

    /// <summary>Types the emailed code and presses Confirm account.</summary>
    public async Task ConfirmAsync(string code)
    {
        await Code.FillAsync(code);
        await ConfirmButton.ClickAsync();
    }
}
