namespace Cognate.Browser.Tests.Pages;

/// <summary>The SELECT_MFA_TYPE page: radio buttons <c>Authenticator app</c>, <c>SMS</c>, <c>Email</c>, <c>Continue</c>.</summary>
public sealed class SelectMfaPage(IPage page) : HostedPage(page)
{
    public ILocator Option(string label) => Page.GetByRole(AriaRole.Radio, new() { Name = label, Exact = true });
    public ILocator ContinueButton => Button("Continue");

    public async Task<SelectMfaPage> WaitAsync()
    {
        await Assertions.Expect(ContinueButton).ToBeVisibleAsync();
        return this;
    }

    public async Task ChooseAsync(string label)
    {
        await Option(label).CheckAsync();
        await ContinueButton.ClickAsync();
    }
}
